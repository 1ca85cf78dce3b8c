"""`lobot restore BACKUP`: put a backup in place of the database, with the bot stopped.

Refused while a bot runs on the database (the instance lock of bot/instance.py), for a
file that is not a sound SQLite database, and for one migrated by a newer lobot (the rule
of storage/db.py). The current database is kept beside it as
``<db>.before-restore-<UTC timestamp>`` together with its -wal/-shm files, so the set-aside
copy is complete even if its last changes were still in the WAL.
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
    return info


def _put_in_place(database: Path, backup: Path, now: datetime, version: int) -> Restored:
    database.parent.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    incoming = database.with_name(database.name + ".restoring")
    incoming.unlink(missing_ok=True)
    try:
        copies.online_copy(backup, incoming)  # 0600, one file, on disk
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
    return Restored(version, database.stat().st_size, aside)


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
