"""The daily online backup: due once a day at ``LOBOT_BACKUP_AT`` office time.

The backup folder is the schedule: today's backup is due when the office time is past
the backup time and the file named with today's office date is missing, so a restart or
downtime over the backup time still makes it, once. The copy is made with SQLite's backup
API in a worker thread (the bot keeps running), checked with ``PRAGMA integrity_check``,
and renamed into place only when sound. Retention removes only files with our own name.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time as timer
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bot.services import Services
from storage import backup as copies

log = logging.getLogger(__name__)

PREFIX = "lobot-backup-"
SUFFIX = ".sqlite3"
_NAME = re.compile(r"lobot-backup-([0-9]{4}-[0-9]{2}-[0-9]{2})\.sqlite3", re.ASCII)
FOLDER_MODE = 0o700
# After a failed backup (full disk, unreadable folder) try again this much later, not on
# every tick: the failure is one ERROR line, not one per tick.
RETRY_AFTER = timedelta(hours=1)


class BackupFailed(RuntimeError):
    pass


def file_name(day: date) -> str:
    return f"{PREFIX}{day.isoformat()}{SUFFIX}"


def backup_day(name: str) -> date | None:
    """The office date of one of our backup files; None for any other name."""
    m = _NAME.fullmatch(name)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:  # 2026-13-45 has our shape but is not ours
        return None


def due(now_local: datetime, at: time, made: Iterable[date]) -> date | None:
    """The day whose backup is due now: today once the backup time has passed, unless
    today's file exists. A day missed entirely (the bot was down all day) is not made
    afterwards: a copy taken later would carry the later data under the earlier date."""
    today = now_local.date()
    if now_local.time() < at or today in set(made):
        return None
    return today


def to_remove(names: Iterable[str], keep: int) -> list[str]:
    """Our backup files beyond the ``keep`` newest (by their date); other names never."""
    ours = sorted(((d, n) for n in names if (d := backup_day(n)) is not None), reverse=True)
    return sorted(n for _, n in ours[keep:])


@dataclass(frozen=True)
class Made:
    path: Path
    size: int
    seconds: float
    removed: list[str]


def make(database: Path, folder: Path, day: date, keep: int) -> Made:
    """Copy, verify, rename into place, apply retention (blocking: run in a thread)."""
    started = timer.perf_counter()
    _private_folder(folder)
    final = folder / file_name(day)
    partial = folder / f".{final.name}.partial"  # never matches our name pattern
    partial.unlink(missing_ok=True)  # left by a crash during an earlier attempt
    try:
        copies.online_copy(database, partial)
        info = copies.inspect(partial)
        if info.integrity != "ok":
            raise BackupFailed(f"integrity check of the copy: {info.integrity}")
        os.replace(partial, final)
        copies.fsync_path(folder)
    finally:
        partial.unlink(missing_ok=True)
    removed = to_remove(os.listdir(folder), keep)
    for name in removed:
        (folder / name).unlink(missing_ok=True)
    return Made(final, final.stat().st_size, timer.perf_counter() - started, removed)


def _private_folder(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True, mode=FOLDER_MODE)  # the umask can only remove bits
    elif folder.stat().st_mode & 0o077:
        log.warning("backup folder %s can be read by others; chmod 700 it", folder)


class BackupJob:
    """The tick's backup scanner; remembers only when a failed attempt may be retried."""

    def __init__(self) -> None:
        self.retry_at: datetime | None = None
        # The office date whose backup is known to exist: after it, the folder is not
        # listed again that day (the listing is file I/O, done off the event loop). A
        # restart forgets it and reads the folder, which stays the schedule.
        self.known: date | None = None

    async def scan(self, svc: Services) -> int:
        s = svc.settings
        if s.backup_dir is None:
            return 0
        now = svc.clock.now()
        if self.retry_at is not None and now < self.retry_at:
            return 0
        local = now.astimezone(svc.tz)
        if local.time() < s.backup_at or self.known == local.date():
            return 0
        names = await asyncio.to_thread(_names, s.backup_dir)
        day = due(local, s.backup_at, [d for n in names if (d := backup_day(n)) is not None])
        if day is None:
            self.known = local.date()
            return 0
        try:
            result = await asyncio.to_thread(make, s.database, s.backup_dir, day, s.backup_keep)
        except Exception as exc:  # disk full, folder gone, copy unsound: the bot goes on
            self.retry_at = now + RETRY_AFTER
            log.error("backup for %s failed (next try in 1 h): %s", day, _reason(exc))
            svc.metrics.backup_done(ok=False, size=0, seconds=0.0, at=now)
            return 0
        self.retry_at = None
        self.known = day
        log.info(
            "backup %s: %.1f MB in %.2f s, integrity ok%s",
            result.path,
            result.size / 1e6,
            result.seconds,
            f"; removed {', '.join(result.removed)}" if result.removed else "",
        )
        svc.metrics.backup_done(ok=True, size=result.size, seconds=result.seconds, at=now)
        return 0


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:  # missing or unreadable: make() creates it or reports why it cannot
        return []


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
