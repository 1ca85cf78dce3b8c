"""Several offices in one deployment (LOBOT_OFFICES_FILE, README "Several offices").

Office 1 is always the one the ordinary settings describe (LOBOT_OFFICE_NAME,
LOBOT_OFFICE_TYPE, LOBOT_TIMEZONE, LOBOT_WORK_START/END, LOBOT_DEADLINES_FILE): a
single-office deployment never needs this file. The file adds offices 2, 3, ... with the
settings that differ between offices, the admins who bootstrap each one (as
LOBOT_ADMIN_IDS does for the whole deployment), and the Kanwil supervisors who see a set
of offices side by side:

    [[office]]
    id = 2
    name = "KPPN Makassar I"
    type = "A1"
    timezone = "WITA"          # WIB, WITA, WIT or an IANA name (Asia/Makassar)
    work_start = "08:00"
    work_end = "16:00"
    admin_ids = [123456789]
    deadlines_file = "config/deadlines-makassar.yaml"

    [[kanwil]]
    name = "Kanwil DJPb Provinsi Lampung"
    user_ids = [555000111]
    offices = [1, 2]

Why a file and not a chat command: which offices a deployment serves, their zones and
who supervises them are decided by the directorate when the deployment is set up, like
the token and the database; a typo in chat must not move an office to another zone.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The three Indonesian zones by the names offices use for them.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
FILE_SETTING = "LOBOT_OFFICES_FILE"


class OfficesError(ValueError):
    """The offices file is invalid; the message names the entry and the key."""


@dataclass(frozen=True)
class OfficeSpec:
    id: int
    name: str
    office_type: str = "A1"
    timezone: str = "Asia/Jakarta"
    work_start: time = time(8, 0)
    work_end: time = time(16, 0)
    admin_ids: frozenset[int] = frozenset()
    deadlines_file: Path | None = None


@dataclass(frozen=True)
class KanwilSpec:
    name: str
    user_ids: frozenset[int]
    offices: tuple[int, ...]


def zone_name(raw: str) -> str:
    """An IANA zone from WIB/WITA/WIT or an IANA name; raises ValueError when unknown."""
    text = raw.strip()
    name = ZONES.get(text.upper(), text)
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {raw!r}") from None
    return name


def _time(where: str, raw: Any, default: time) -> time:
    if raw is None:
        return default
    m = re.fullmatch(r"([0-9]{1,2})[:.]([0-9]{2})", str(raw).strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise OfficesError(f"{where}: expected HH:MM, got {raw!r}")
    return time(int(m.group(1)), int(m.group(2)))


def _ids(where: str, raw: Any) -> frozenset[int]:
    if raw is None:
        return frozenset()
    if not isinstance(raw, list) or not all(isinstance(x, int) for x in raw):
        raise OfficesError(f"{where}: expected a list of numeric Telegram user ids")
    return frozenset(raw)


def _office(n: int, entry: dict[str, Any], base: Path) -> OfficeSpec:
    where = f"{FILE_SETTING}: office #{n}"
    unknown = sorted(
        set(entry)
        - {
            "id",
            "name",
            "type",
            "timezone",
            "work_start",
            "work_end",
            "admin_ids",
            "deadlines_file",
        }
    )
    if unknown:
        raise OfficesError(f"{where}: unknown key(s) {', '.join(unknown)}")
    office_id = entry.get("id")
    if not isinstance(office_id, int) or office_id < 2:
        raise OfficesError(
            f"{where}: id must be a whole number from 2 (office 1 is the one LOBOT_OFFICE_NAME"
            " and the other settings describe)"
        )
    name = str(entry.get("name", "")).strip()
    if not name:
        raise OfficesError(f"{where}: name is missing")
    office_type = str(entry.get("type", "A1")).upper()
    if office_type not in ("A1", "A2"):
        raise OfficesError(f"{where}: type must be A1 or A2, got {office_type!r}")
    try:
        tz = zone_name(str(entry.get("timezone", "WIB")))
    except ValueError as exc:
        raise OfficesError(f"{where}: {exc}") from None
    start = _time(f"{where} work_start", entry.get("work_start"), time(8, 0))
    end = _time(f"{where} work_end", entry.get("work_end"), time(16, 0))
    if end <= start:
        raise OfficesError(f"{where}: work_end must be later than work_start")
    file = entry.get("deadlines_file")
    return OfficeSpec(
        office_id,
        name,
        office_type,
        tz,
        start,
        end,
        _ids(f"{where} admin_ids", entry.get("admin_ids")),
        (base / str(file))
        if file and not Path(str(file)).is_absolute()
        else (Path(str(file)) if file else None),
    )


def _kanwil(n: int, entry: dict[str, Any], known: set[int]) -> KanwilSpec:
    where = f"{FILE_SETTING}: kanwil #{n}"
    unknown = sorted(set(entry) - {"name", "user_ids", "offices"})
    if unknown:
        raise OfficesError(f"{where}: unknown key(s) {', '.join(unknown)}")
    name = str(entry.get("name", "")).strip()
    if not name:
        raise OfficesError(f"{where}: name is missing")
    offices = entry.get("offices")
    if not isinstance(offices, list) or not offices or not all(isinstance(x, int) for x in offices):
        raise OfficesError(f"{where}: offices must be a list of office ids")
    missing = sorted(set(offices) - known)
    if missing:
        raise OfficesError(f"{where}: no office with id {', '.join(map(str, missing))}")
    users = _ids(f"{where} user_ids", entry.get("user_ids"))
    if not users:
        raise OfficesError(f"{where}: user_ids is missing")
    return KanwilSpec(name, users, tuple(sorted(set(offices))))


def load_offices(path: Path) -> tuple[tuple[OfficeSpec, ...], tuple[KanwilSpec, ...]]:
    """The further offices and the Kanwil supervisors the file lists (relative deadline
    files are read beside the offices file)."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise OfficesError(f"{FILE_SETTING}: file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise OfficesError(f"{FILE_SETTING}: {path} is not valid TOML ({exc})") from None
    unknown = sorted(set(data) - {"office", "kanwil"})
    if unknown:
        raise OfficesError(f"{FILE_SETTING}: unknown section(s) {', '.join(unknown)}")
    offices = tuple(
        _office(n, e, path.parent) for n, e in enumerate(data.get("office", []), start=1)
    )
    ids = [o.id for o in offices]
    if len(ids) != len(set(ids)):
        raise OfficesError(f"{FILE_SETTING}: two offices with the same id")
    known = {1, *ids}
    kanwils = tuple(_kanwil(n, e, known) for n, e in enumerate(data.get("kanwil", []), start=1))
    return offices, kanwils
