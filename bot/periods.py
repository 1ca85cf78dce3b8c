"""Report periods: "bulan ini", "2026-11", "2026-Q4", "2026-11-01..2026-11-15", ...

Pure parsing; the office's "today" is passed in. A period is a half-open range of local
dates [start, end) with a label for messages and file names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import parsing

MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    start: date  # inclusive
    end: date  # exclusive
    label: str
    slug: str  # for file names and idempotency keys

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The period as aware datetimes at local midnight."""
        return (
            datetime.combine(self.start, datetime.min.time(), tzinfo=tz),
            datetime.combine(self.end, datetime.min.time(), tzinfo=tz),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def month(year: int, m: int) -> Period:
    start = date(year, m, 1)
    end = date(year + (m == 12), m % 12 + 1, 1)
    return Period(start, end, f"{MONTHS[m - 1]} {year}", f"{year}-{m:02d}")


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), (3 * q) % 12 + 1, 1)
    return Period(start, end, f"Triwulan {ROMAN[q - 1]} {year}", f"{year}-Q{q}")


def quarter_of(d: date) -> Period:
    return quarter(d.year, (d.month - 1) // 3 + 1)


def previous_month(d: date) -> Period:
    first = d.replace(day=1) - timedelta(days=1)
    return month(first.year, first.month)


def previous_quarter(d: date) -> Period:
    current = quarter_of(d)
    return quarter_of(current.start - timedelta(days=1))


def _range(a: date, b: date) -> Period | None:
    if b < a or (b - a).days > 400:
        return None
    return Period(a, b + timedelta(days=1), f"{a:%d/%m/%Y} – {b:%d/%m/%Y}", f"{a}_{b}")


_DATE = r"([0-9]{4}-[0-9]{2}-[0-9]{2})"


def parse(text: str, today: date) -> Period | None:
    """None when the text is not a period we understand."""
    t = " ".join(text.lower().split())
    if t in ("", "bulan ini"):
        return month(today.year, today.month)
    if t == "hari ini":
        return Period(today, today + timedelta(days=1), f"{today:%d/%m/%Y}", f"{today}")
    if t == "minggu ini":
        start = today - timedelta(days=today.weekday())
        return Period(start, start + timedelta(days=7), f"Minggu {start:%d/%m/%Y}", f"w{start}")
    if t == "triwulan ini":
        return quarter_of(today)
    if t == "bulan lalu":
        return previous_month(today)
    if t == "triwulan lalu":
        return previous_quarter(today)
    if m := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", t):
        y, mo = int(m.group(1)), int(m.group(2))
        return month(y, mo) if 1 <= mo <= 12 and 2000 <= y <= 2100 else None
    if m := re.fullmatch(r"([0-9]{4})-?q([1-4])", t):
        y = int(m.group(1))
        return quarter(y, int(m.group(2))) if 2000 <= y <= 2100 else None
    if m := re.fullmatch(rf"{_DATE}\s*(?:\.\.|s\.?d\.?|sampai|-|–)?\s*{_DATE}", t):
        a, b = parsing.iso_date(m.group(1)), parsing.iso_date(m.group(2))
        return _range(a, b) if a and b else None
    if m := re.fullmatch(_DATE, t):
        d = parsing.iso_date(m.group(1))
        return _range(d, d) if d else None
    return None
