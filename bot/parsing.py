"""Parsers for command arguments. Pure functions; invalid input returns None."""

from __future__ import annotations

import re
from datetime import date

_KODE = re.compile(r"^\d{6}$")
_USERNAME = re.compile(r"^@?([A-Za-z][A-Za-z0-9_]{3,31})$")
_USER_ID = re.compile(r"^\d{1,15}$")


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
    text = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def split_first(text: str) -> tuple[str, str]:
    """('first word', 'rest') of a command's argument text."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


_TICKET = re.compile(r"^#?(?:(\d{4})-)?(\d{1,6})$")


def ticket_number(text: str, current_year: int) -> str | None:
    """'#2026-0042', '2026-42' or '42' (this year) -> '2026-0042'."""
    m = _TICKET.fullmatch(text.strip())
    if not m or int(m.group(2)) == 0:
        return None
    year = int(m.group(1)) if m.group(1) else current_year
    return f"{year}-{int(m.group(2)):04d}"
