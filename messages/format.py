"""Formatting shared by every message: escaping, dates, numbers, greetings, splitting.

Dates and numbers go through babel with the Indonesian locale; times are shown in the
office's zone with its abbreviation (WIB, WITA, WIT).
"""

from __future__ import annotations

import functools
import html
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "id"
TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024


def esc(text: object) -> str:
    """Escape any user-supplied value for Telegram HTML."""
    return html.escape(str(text), quote=False)


def fmt_datetime(dt: datetime, tz: ZoneInfo) -> str:
    """'Selasa, 29 Desember 2026 pukul 15.00 WIB'."""
    return _by_minute(dt, tz, "EEEE, d MMMM y 'pukul' HH.mm z")


def fmt_short_datetime(dt: datetime, tz: ZoneInfo) -> str:
    """'29 Des 2026 15.00 WIB' for lists."""
    return _by_minute(dt, tz, "d MMM y HH.mm z")


def _by_minute(dt: datetime, tz: ZoneInfo, pattern: str) -> str:
    """The patterns show minutes at most, so a time formats as its minute does. babel
    costs about 0.1 ms a call (the zone's name above all) and a new ticket shows three
    times, most of them due at the same few minutes (issue 19's profile)."""
    return _format_minute(dt.replace(second=0, microsecond=0), tz, pattern)


@functools.lru_cache(maxsize=4096)
def _format_minute(dt: datetime, tz: ZoneInfo, pattern: str) -> str:
    return format_datetime(dt, pattern, tzinfo=tz, locale=LOCALE)


def fmt_date(d: date) -> str:
    """'Selasa, 29 Desember 2026'."""
    return format_date(d, "EEEE, d MMMM y", locale=LOCALE)


def fmt_number(value: float, digits: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def fmt_rupiah(value: Decimal | float) -> str:
    """'Rp1.234.567,00': Indonesian grouping and decimal comma, always two decimals."""
    return format_currency(value, "IDR", format="¤#,##0.00", locale=LOCALE, currency_digits=False)


def fmt_percent(share: float) -> str:
    return format_percent(share, format="#,##0.0%", locale=LOCALE)


def fmt_hours(hours: float) -> str:
    """Working hours as '1 hari kerja 3 jam 20 menit' (8-hour working days are not assumed)."""
    minutes = max(0, round(hours * 60))
    h, m = divmod(minutes, 60)
    parts = []
    if h:
        parts.append(f"{h} jam")
    if m or not parts:
        parts.append(f"{m} menit")
    return " ".join(parts)


def greeting(now: datetime, tz: ZoneInfo) -> str:
    """Greeting by the office's time of day, as front-office staff greet (seed 001)."""
    hour = now.astimezone(tz).hour
    if 4 <= hour < 11:
        part = "pagi"
    elif 11 <= hour < 15:
        part = "siang"
    elif 15 <= hour < 18:
        part = "sore"
    else:
        part = "malam"
    return f"Selamat {part}"


def excerpt(text: str, limit: int = 120) -> str:
    """A one-line excerpt of user text (not escaped: escape when rendering)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split a message into parts under Telegram's limit, each part valid HTML.

    Cuts at paragraph breaks, then line breaks, then spaces, else hard, never inside an
    HTML entity or tag. A tag still open at a cut (one over-long line of markup) is closed
    at the end of the part and opened again at the start of the next.

    Linear in the length of ``text``: each part looks only at the next ``limit``
    characters (a cut used to copy the whole rest, quadratic for a 16 MiB text).
    """
    parts: list[str] = []
    pos, reopen, size = 0, "", len(text)
    budget = limit - 200  # room for the tags closed and reopened around a cut
    while len(reopen) + size - pos > limit:
        window = reopen + text[pos : pos + budget]
        cut = _outside_tag(window, _best_cut(window, budget))
        if cut <= len(reopen):
            cut = budget
        part = window[:cut].rstrip()
        still_open = _open_tags(part)
        if part:  # a text that starts with blanks: no empty message
            parts.append(part + "".join(f"</{name}>" for name, _ in reversed(still_open)))
        pos += max(1, cut - len(reopen))  # always forward, even past a huge reopened tag
        reopen = "".join(opening for _, opening in still_open)
        pos = _BLANKS.match(text, pos).end()  # type: ignore[union-attr]
    rest = text[pos:]
    if rest.strip() or not parts:
        parts.append(reopen + rest)
    return parts


_BLANKS = re.compile(r"[\n ]*")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")


def _open_tags(part: str) -> list[tuple[str, str]]:
    """(name, opening tag) of the tags opened in ``part`` and not closed there."""
    stack: list[tuple[str, str]] = []
    for m in _TAG.finditer(part):
        closing, name = m.group(1), m.group(2).lower()
        if not closing:
            stack.append((name, m.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
    return stack


def _outside_tag(text: str, cut: int) -> int:
    """Move a cut that falls inside ``<...>`` to before the tag."""
    lt = text.rfind("<", 0, cut)
    return lt if lt > text.rfind(">", 0, cut) else cut


def _best_cut(text: str, limit: int) -> int:
    window = text[:limit]
    for sep in ("\n\n", "\n", " "):
        pos = window.rfind(sep)
        if pos > limit // 4:
            return pos
    amp = window.rfind("&")
    if amp != -1 and ";" not in window[amp:]:
        return amp
    return limit
