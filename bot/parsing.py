"""Parsers for command arguments and button data. Pure functions; invalid input gives None.

Every pattern here is ASCII-only (``[0-9]``, ``re.ASCII``): ``\\d`` and ``str.isdigit``
also accept Arabic-Indic and superscript digits ("١٢٣", "²"), which ``int`` then refuses
or reads as something the user did not type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

# SQLite INTEGER is a signed 64-bit number: a larger id cannot name a row, and passing one
# to SQLite raises OverflowError.
MAX_ID = 2**63 - 1
# Dates the office can mean: the calendar and reports need local midnights that convert
# to UTC and back, which years 1 and 9999 do not.
MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)

_KODE = re.compile(r"[0-9]{6}", re.ASCII)
_USERNAME = re.compile(r"@?([A-Za-z][A-Za-z0-9_]{3,31})", re.ASCII)
_USER_ID = re.compile(r"[0-9]{1,15}", re.ASCII)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def kode_satker(text: str) -> str | None:
    text = text.strip()
    return text if _KODE.fullmatch(text) else None


def user_ref(text: str) -> int | str | None:
    """'@budi_lo' -> 'budi_lo', '12345' -> 12345, anything else -> None."""
    text = text.strip()
    if _USER_ID.fullmatch(text):
        return int(text)
    m = _USERNAME.fullmatch(text)
    return m.group(1) if m else None


def iso_date(text: str) -> date | None:
    """'2026-12-31' within MIN_DATE..MAX_DATE, else None."""
    text = text.strip()
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if MIN_DATE <= day <= MAX_DATE else None


def split_first(text: str) -> tuple[str, str]:
    """('first word', 'rest') of a command's argument text."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


_TICKET = re.compile(r"#?(?:([0-9]{4})-)?([0-9]{1,6})", re.ASCII)


def ticket_number(text: str, current_year: int) -> str | None:
    """'#2026-0042', '2026-42' or '42' (this year) -> '2026-0042'."""
    m = _TICKET.fullmatch(text.strip())
    if not m or int(m.group(2)) == 0:
        return None
    year = int(m.group(1)) if m.group(1) else current_year
    return f"{year}-{int(m.group(2)):04d}"


# Button data: Telegram hands back whatever a client sends, so only the exact shapes the
# bot itself writes (messages/) are accepted. Ids are ASCII digits within SQLite's range.
_ID = r"([0-9]{1,19})"
_ENTRY = r"([a-z0-9][a-z0-9-]{1,31})"  # an FAQ entry id (bot.faq.ID_RE)
_CALLBACK_SHAPES: dict[str, re.Pattern[str]] = {
    "tk": re.compile(rf"tk:{_ID}:(ok|more|r[1-5])", re.ASCII),
    "fv": re.compile(rf"fv:{_ID}:([yn])", re.ASCII),
    "fc": re.compile(r"fc:([0-9]{1,3})", re.ASCII),
    "fa": re.compile(rf"fa:{_ENTRY}:([0-9]):{_ID}", re.ASCII),
    "fq": re.compile(rf"fq:{_ID}:{_ENTRY}", re.ASCII),
    "fd": re.compile(rf"fd:{_ID}", re.ASCII),  # "Jadikan FAQ" on a ticket
    "fdok": re.compile(rf"fdok:{_ID}", re.ASCII),  # approve an FAQ draft
    "fdno": re.compile(rf"fdno:{_ID}", re.ASCII),  # reject an FAQ draft
    "frok": re.compile(rf"frok:{_ENTRY}:([0-9a-f]{{12}})", re.ASCII),  # approve a reviewed entry
    "frno": re.compile(rf"frno:{_ENTRY}:x", re.ASCII),  # how to send an entry back
    "jw": re.compile(rf"jw:{_ID}", re.ASCII),  # "Jawab" on a staff notice
    "jp": re.compile(rf"jp:{_ID}", re.ASCII),  # "Sedang diproses" on a staff notice
    "ts": re.compile(rf"ts:{_ID}", re.ASCII),  # "Ini pertanyaan baru": split a follow-up
    "dl": re.compile(rf"dl:{_ID}", re.ASCII),  # a deadline's "Sudah disampaikan"
    "so": re.compile(rf"so:{_ID}:([aps])", re.ASCII),  # the report's sign-off step
    "bc": re.compile(rf"bc:{_ID}:(ok|no)", re.ASCII),
    # An answer draft: "it answers ticket N" (N = 0: it is no answer).
    "cv": re.compile(rf"cv:{_ID}:{_ID}", re.ASCII),
    # A HAI CSO list block: entered, not needed (and why), back, skip the HAI number.
    "hai": re.compile(rf"hai:{_ID}:(ok|no|back|skip|dup|bkn|lain)", re.ASCII),
    # A reconciliation proposal: this export row is (y) or is not (n) that ticket.
    "hr": re.compile(rf"hr:{_ID}:{_ID}:([yn])", re.ASCII),
}
CALLBACK_MAX_BYTES = 64  # Telegram's limit for callback_data


@dataclass(frozen=True)
class Callback:
    """Parsed button data: its prefix and its fields, numbers already checked."""

    prefix: str
    fields: tuple[str, ...]

    def number(self, index: int) -> int:
        return int(self.fields[index])


def callback(data: object, prefix: str | None = None) -> Callback | None:
    """The button's data when it has one of the bot's shapes (and ``prefix``), else None."""
    if not isinstance(data, str) or len(data.encode("utf-8")) > CALLBACK_MAX_BYTES:
        return None
    key = data.split(":", 1)[0]
    shape = _CALLBACK_SHAPES.get(key)
    if shape is None or (prefix is not None and key != prefix):
        return None
    m = shape.fullmatch(data)
    if m is None:
        return None
    fields = m.groups()
    if any(f.isascii() and f.isdigit() and int(f) > MAX_ID for f in fields):
        return None
    return Callback(key, fields)


def callback_pattern(prefix: str) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern that matches only well-formed ``prefix`` data."""

    def matches(data: object) -> bool:
        return callback(data, prefix) is not None

    return matches


def is_known_callback(data: object) -> bool:
    return callback(data) is not None


_CLOCK = re.compile(r"([01]?[0-9]|2[0-3])[.:]([0-5][0-9])", re.ASCII)


def clock_time(text: str) -> time | None:
    """'14.30' or '14:30' -> 14:30; anything else -> None."""
    m = _CLOCK.fullmatch(text.strip())
    return time(int(m.group(1)), int(m.group(2))) if m else None


def received_prefix(text: str) -> tuple[date | None, time | None, str]:
    """/catat's optional '[YYYY-MM-DD] HH.MM' before the question: (date, time, question).

    A date without a time is not taken as one (it stays part of the question)."""
    first, rest = split_first(text)
    day = iso_date(first)
    if day is not None:
        second, after = split_first(rest)
        at = clock_time(second)
        return (day, at, after) if at is not None else (None, None, text.strip())
    at = clock_time(first)
    return (None, at, rest) if at is not None else (None, None, text.strip())
