"""`lobot restore BACKUP`: put a backup in place of the database, with the bot stopped.

Refused while a bot runs on the database (the instance lock of bot/instance.py), for a
file that is not a sound SQLite database, for one migrated by a newer lobot (the rule of
storage/db.py), and for one whose tables are not exactly those its migration number
promises (a foreign database, an empty file with a version number): all checked before
anything is touched. The current database is kept beside it as
``<db>.before-restore-<UTC timestamp>`` together with its -wal/-shm files, so the set-aside
copy is complete even if its last changes were still in the WAL.

Ticket and complaint numbers go on after the highest ever issued: the counters of the
database being replaced are carried into the restored copy (never lowered), so a number
given out after the backup is not given to another ticket. When the replaced database
cannot be read, ``numbering_line`` says which numbers may repeat.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.instance import InstanceLock
from storage import backup as copies
from storage.db import FOLDER_MODE, SIDE_FILES, load_migrations


class RestoreRefused(RuntimeError):
    pass


@dataclass(frozen=True)
class Restored:
    schema_version: int
    size: int
    aside: Path | None  # where the previous database went (None: there was none)
    backup_last: copies.Counters  # the last numbers the backup had issued
    issued: copies.Counters | None  # those of the replaced database (None: unreadable)


def restore(database: Path, backup: Path, now: datetime) -> Restored:
    """Raises bot.instance.AlreadyRunning while a bot holds the database, RestoreRefused
    when the backup must not be used."""
    lock = InstanceLock(database)
    lock.acquire()
    try:
        info = _checked(database, backup)
        return _put_in_place(database, backup, now, info.schema_version)
    finally:
        lock.release()


def _checked(database: Path, backup: Path) -> copies.CopyInfo:
    if not backup.is_file():
        raise RestoreRefused(f"{backup} is not a file")
    if database.exists() and backup.resolve() == database.resolve():
        raise RestoreRefused("the backup is the database itself")
    try:
        info = copies.inspect(backup)
    except sqlite3.DatabaseError as exc:
        raise RestoreRefused(f"{backup} is not a readable SQLite database ({exc})") from None
    if info.integrity != "ok":
        raise RestoreRefused(f"{backup} fails the integrity check: {info.integrity}")
    known = len(load_migrations())
    if info.schema_version > known:
        raise RestoreRefused(
            f"{backup} is at schema version {info.schema_version}, this lobot knows {known}"
        )
    if info.schema_version < 1:
        raise RestoreRefused(f"{backup} is not a lobot database (schema version 0)")
    _check_schema(backup, info.schema_version)
    return info


def _check_schema(backup: Path, version: int) -> None:
    """The tables and columns must be exactly those migrations 1..version create."""
    expected = _expected(version)
    found = copies.schema_of(backup)
    missing = sorted(set(expected) - set(found))
    unknown = sorted(set(found) - set(expected))
    changed = sorted(t for t in expected if t in found and found[t] != expected[t])
    if missing or unknown or changed:
        named = [
            f"{what} {_names(tables)}"
            for what, tables in (
                ("missing tables", missing),
                ("unknown tables", unknown),
                ("other columns in", changed),
            )
            if tables
        ]
        raise RestoreRefused(
            f"{backup} is not a lobot database at schema version {version}: " + "; ".join(named)
        )


def _expected(version: int) -> copies.Schema:
    return copies.expected_schema([sql for _, _, sql in load_migrations()[:version]])


def _names(tables: list[str]) -> str:
    return ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")


def _put_in_place(database: Path, backup: Path, now: datetime, version: int) -> Restored:
    database.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    incoming = database.with_name(database.name + ".restoring")
    incoming.unlink(missing_ok=True)
    try:
        copies.online_copy(backup, incoming)  # 0600, one file, on disk
        backup_last = copies.counters(incoming)
        issued = _issued(database, set(_expected(version)))
        if issued:
            copies.raise_counters(incoming, issued)
        aside = _set_aside(database, now)
        try:
            os.replace(incoming, database)
        except OSError:
            if aside is not None:
                _move(aside, database)  # put the current database back where it was
            raise
        copies.fsync_path(database.parent)
    finally:
        incoming.unlink(missing_ok=True)
    return Restored(version, database.stat().st_size, aside, backup_last, issued)


def _issued(database: Path, tables: set[str]) -> copies.Counters | None:
    """The counters of the database about to be replaced, for the tables the backup has;
    None when there is none or it cannot be read."""
    if not database.exists():
        return None
    try:
        found = copies.counters(database, live=True)
    except sqlite3.Error:
        return None
    return {table: rows for table, rows in found.items() if table in tables}


_FORMATS = {"ticket_counters": "{year}-{last:04d}", "complaint_counters": "P-{year}-{last:04d}"}


def numbering_line(done: Restored) -> str:
    """One line on what becomes of ticket and complaint numbers after this restore."""
    if done.issued is None:
        last = _highest(done.backup_last) or "the first number of each year"
        return (
            f"numbering: the replaced database could not be read, so numbers after {last} "
            "(the backup's last) may repeat numbers issued after the backup was made"
        )
    merged = {t: done.backup_last.get(t, []) + done.issued.get(t, []) for t in _FORMATS}
    highest = _highest(merged)
    if not highest:
        return "numbering: no ticket or complaint number had been issued yet"
    return f"numbering continues after the highest numbers ever issued: {highest}"


def _highest(counters: copies.Counters) -> str:
    """'2026-0002, P-2026-0001' (the last of each office's latest year; office named when
    there are several)."""
    offices = {office for rows in counters.values() for office, _, _ in rows}
    shown = []
    for table, pattern in _FORMATS.items():
        best: dict[int, tuple[int, int]] = {}
        for office, year, last in counters.get(table, []):
            best[office] = max(best.get(office, (year, last)), (year, last))
        for office, (year, last) in sorted(best.items()):
            where = f"office {office}: " if len(offices) > 1 else ""
            shown.append(where + pattern.format(year=year, last=last))
    return ", ".join(shown)


def _set_aside(database: Path, now: datetime) -> Path | None:
    """Move the database and its side files to one new name; stale -wal/-shm go with it."""
    aside = database.with_name(f"{database.name}.before-restore-{now:%Y%m%dT%H%M%SZ}")
    if aside.exists():  # two restores within one second: never overwrite a kept database
        raise RestoreRefused(f"{aside} exists already; try again in a second")
    return aside if _move(database, aside) else None


def _move(source: Path, target: Path) -> bool:
    """Rename a database with whichever of its -wal/-shm/-journal files exist."""
    moved = False
    for suffix in SIDE_FILES:
        current = source.with_name(source.name + suffix)
        if current.exists():
            os.replace(current, target.with_name(target.name + suffix))
            moved = True
    return moved
