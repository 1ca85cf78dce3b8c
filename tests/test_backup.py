"""The daily backup: names, retention, when it is due, the scanner under a fake clock."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bench.common import WIB, services
from bot.clock import FakeClock
from bot.ops import backup
from bot.services import Services
from storage import backup as copies
from storage import groups

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
FOREIGN = st.text(min_size=1, max_size=40).filter(lambda n: backup.backup_day(n) is None)


@given(DAYS)
def test_name_round_trip(day: date) -> None:
    assert backup.backup_day(backup.file_name(day)) == day


@pytest.mark.parametrize(
    "name",
    [
        "lobot.sqlite3",
        "lobot-backup-2026-13-45.sqlite3",  # our shape, not a date
        "lobot-backup-2026-11-23.sqlite3.partial",
        ".lobot-backup-2026-11-23.sqlite3.partial",
        "lobot-backup-2026-11-23.sqlite3-wal",
        "lobot-backup-２０２６-11-23.sqlite3",  # full-width digits
        "notes-2026-11-23.txt",
    ],
)
def test_other_names_are_not_ours(name: str) -> None:
    assert backup.backup_day(name) is None


@given(st.sets(DAYS, max_size=30), st.lists(FOREIGN, max_size=5), st.integers(1, 10))
def test_retention_keeps_the_newest_and_never_touches_other_files(
    days: set[date], foreign: list[str], keep: int
) -> None:
    names = [backup.file_name(d) for d in days] + foreign
    removed = backup.to_remove(names, keep)
    kept = {backup.backup_day(n) for n in names if n not in removed} - {None}
    assert kept == set(sorted(days, reverse=True)[:keep])
    assert not set(removed) & set(foreign)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.times(),
    st.sets(DAYS, max_size=5),
    st.booleans(),
)
@example(datetime(2026, 11, 23, 2, 0), time(2, 0), set(), False)  # exactly at the time
def test_due_once_a_day_after_the_time(
    now: datetime, at: time, made: set[date], today_made: bool
) -> None:
    if today_made:
        made = made | {now.date()}
    expected = now.date() if now.time() >= at and now.date() not in made else None
    assert backup.due(now.replace(tzinfo=WIB), at, made) == expected


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


@pytest.fixture
async def svc(tmp_path: Path) -> AsyncIterator[Services]:
    s = await services(tmp_path / "live.sqlite3", local(23, 1))
    s.settings = replace(s.settings, backup_dir=tmp_path / "backups", backup_keep=2)
    async with s.db.transaction() as tx:
        await groups.upsert_joined(tx, -1, "Grup", s.clock.now())
    yield s
    await s.db.close()


def ours(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if backup.backup_day(n))


def clock_of(s: Services) -> FakeClock:
    assert isinstance(s.clock, FakeClock)
    return s.clock


async def test_made_once_at_the_time_and_after_missed_days(
    svc: Services, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "backups"
    job = backup.BackupJob()
    caplog.set_level(logging.INFO, logger="bot.ops.backup")
    await job.scan(svc)  # 01.00: not yet
    assert not folder.exists()

    clock_of(svc).set(local(23, 2))
    await job.scan(svc)
    first = folder / "lobot-backup-2026-11-23.sqlite3"
    assert ours(folder) == [first.name]
    assert os.stat(folder).st_mode & 0o777 == 0o700
    assert os.stat(first).st_mode & 0o777 == 0o600
    info = copies.inspect(first)
    assert info.integrity == "ok" and info.schema_version > 0
    made_at = first.stat().st_mtime_ns

    clock_of(svc).set(local(23, 23, 59))
    await job.scan(svc)  # the same day: not again
    assert first.stat().st_mtime_ns == made_at
    assert len([r for r in caplog.records if "integrity ok" in r.message]) == 1

    # Down from the 23rd to the 25th at 10.00, a new process (new job): the 25th's backup
    # is made at once; the 24th, missed entirely, is not invented afterwards.
    clock_of(svc).set(local(25, 10))
    await backup.BackupJob().scan(svc)
    assert ours(folder) == [first.name, "lobot-backup-2026-11-25.sqlite3"]


async def test_retention_keeps_n_and_leaves_other_files(svc: Services, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir(mode=0o700)
    foreign = ["notes.txt", "lobot-backup-old.sqlite3", "lobot.sqlite3"]
    for name in ["lobot-backup-2026-11-20.sqlite3", "lobot-backup-2026-11-21.sqlite3", *foreign]:
        (folder / name).write_text("x")
    clock_of(svc).set(local(23, 3))
    await backup.BackupJob().scan(svc)
    assert sorted(os.listdir(folder)) == sorted(
        ["lobot-backup-2026-11-21.sqlite3", "lobot-backup-2026-11-23.sqlite3", *foreign]
    )


async def test_a_failure_is_one_error_and_retried_later(
    svc: Services, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "backups").write_text("a file where the folder should be")
    clock_of(svc).set(local(23, 3))
    job = backup.BackupJob()
    for _ in range(3):  # three ticks: one ERROR line, no traceback, no exception
        assert await job.scan(svc) == 0
        clock_of(svc).advance(minutes=1)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "backup for 2026-11-23 failed" in errors[0].message
    assert errors[0].exc_info is None
    (tmp_path / "backups").unlink()
    clock_of(svc).advance(backup.RETRY_AFTER)
    await job.scan(svc)
    assert ours(tmp_path / "backups") == ["lobot-backup-2026-11-23.sqlite3"]


async def test_an_unsound_copy_is_not_kept(
    svc: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(
        copies, "inspect", lambda path: copies.CopyInfo("*** in database main ***", 13)
    )
    clock_of(svc).set(local(23, 3))
    await backup.BackupJob().scan(svc)
    assert os.listdir(tmp_path / "backups") == []  # neither the copy nor its partial file
    assert "integrity check of the copy" in caplog.text


async def test_backup_while_the_bot_writes(svc: Services, tmp_path: Path) -> None:
    """The copy holds what was committed, also what still sits in the WAL."""
    async with svc.db.transaction() as tx:
        await groups.upsert_joined(tx, -2, "Grup baru", svc.clock.now())
    made = backup.make(svc.db.path, tmp_path / "b", local(23, 3).date(), keep=7)
    conn = sqlite3.connect(made.path)
    try:
        chats = {r[0] for r in conn.execute("SELECT chat_id FROM groups")}
    finally:
        conn.close()
    assert chats == {-1, -2}
    assert os.listdir(tmp_path / "b") == [made.path.name]  # one file: no -wal, no -shm
    assert made.size == made.path.stat().st_size > 0
