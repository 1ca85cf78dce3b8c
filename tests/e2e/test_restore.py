"""Backup, change, restore, start: the bot works on the backup's data."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.clock import FakeClock
from bot.instance import InstanceLock
from storage import tickets as repo
from storage.db import load_migrations
from tests.e2e.harness import Harness, make_settings
from tests.e2e.test_tickets import ask
from tests.e2e.world import GROUP, LO, STRANGER, staffed_office
from tests.fakeapi.server import FakeBotAPI


async def statuses(h: Harness) -> dict[str, str]:
    rows = await h.services.db.fetchall("SELECT number, status FROM tickets ORDER BY id")
    return {r["number"]: r["status"] for r in rows}


@pytest.mark.sqlite_only
async def test_restore_brings_back_the_backup(
    api: FakeBotAPI,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, folder = tmp_path / "data" / "bot.sqlite3", tmp_path / "backups"
    h = Harness(api, clock, make_settings(api, db, backup_dir=folder))
    await h.start()
    try:
        await staffed_office(h)
        await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
        await h.tick()  # 10.00, past the backup time: today's backup is made
        [made] = list(folder.iterdir())
        before = await statuses(h)
        assert list(before.values()) == [repo.OPEN]
        # After the backup: the ticket is answered and a second one opened.
        await h.act(LO, LO, "/jawab 2026-0001 sudah kami terima, Pak")
        await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
        assert len(await statuses(h)) == 2
    finally:
        await h.stop()

    monkeypatch.setenv("LOBOT_DATABASE", str(db))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)  # restoring needs no token
    running = InstanceLock(db)  # what `lobot run` holds for its whole life
    running.acquire()
    try:
        assert main(["restore", str(made)]) == 3
        assert "stop it before restoring" in capsys.readouterr().err
    finally:
        running.release()
    assert main(["restore", str(made)]) == 0
    out = capsys.readouterr().out
    assert f"restored {db}" in out and "before-restore-" in out
    # Issue 18, item 8: 2026-0002 was issued after the backup; it is not issued again.
    assert "numbering continues after the highest numbers ever issued: 2026-0002" in out
    [aside] = [p for p in db.parent.iterdir() if p.name.startswith("bot.sqlite3.before-restore-")]
    assert not db.with_name("bot.sqlite3-wal").exists()  # no stale WAL over the backup
    assert os.stat(db).st_mode & 0o777 == 0o600

    await h.start()
    try:
        assert await statuses(h) == before  # the backup's data: one ticket, still open
        reply = await h.say(GROUP, STRANGER, "mohon info, undangan sosialisasi untuk siapa saja?")
        assert "2026-0003" in reply.plain  # after the highest number ever issued
    finally:
        await h.stop()
    kept = sqlite3.connect(aside)  # the replaced database, complete with its WAL changes
    try:
        assert kept.execute("SELECT count(*) FROM tickets").fetchone()[0] == 2
    finally:
        kept.close()


def lobot_file(path: Path, version: int, table: str | None = "t (x)") -> Path:
    conn = sqlite3.connect(path)
    if table:
        conn.execute(f"CREATE TABLE {table}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    return path


def migrated(path: Path) -> Path:
    """A real lobot database, fully migrated, empty."""
    conn = sqlite3.connect(path)
    for _, _, sql in load_migrations():
        conn.executescript(sql)
    conn.execute(f"PRAGMA user_version = {len(load_migrations())}")
    conn.commit()
    conn.close()
    return path


def dropped_table(path: Path, table: str) -> Path:
    """A real lobot database with one table gone."""
    conn = sqlite3.connect(migrated(path))
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda p: lobot_file(p, len(load_migrations()) + 1), "this lobot knows"),
        (lambda p: lobot_file(p, 0), "not a lobot database"),
        # Issue 18, item 8: a foreign database with a plausible version, and an empty one.
        (
            lambda p: lobot_file(p, 5, "customers (id INTEGER PRIMARY KEY, name TEXT)"),
            "not a lobot database at schema version 5: missing tables",
        ),
        (
            lambda p: lobot_file(p, len(load_migrations()) - 1, None),
            f"not a lobot database at schema version {len(load_migrations()) - 1}",
        ),
        (
            lambda p: dropped_table(p, "outbox"),
            f"at schema version {len(load_migrations())}: missing tables outbox",
        ),
        (lambda p: p.write_bytes(b"not a database" * 100) and p, "not a readable SQLite"),
        (lambda p: p, "is not a file"),
    ],
)
def test_restore_refuses_what_it_must_not_use(
    make: object,
    reason: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "bot.sqlite3"
    db.write_bytes(b"current")
    candidate = tmp_path / "candidate.sqlite3"
    assert callable(make)
    make(candidate)
    monkeypatch.setenv("LOBOT_DATABASE", str(db))
    assert main(["restore", str(candidate)]) == 1
    assert reason in capsys.readouterr().err
    assert db.read_bytes() == b"current"  # untouched, nothing set aside
    assert sorted(p.name for p in tmp_path.iterdir() if "before-restore" in p.name) == []


def test_restore_over_an_unreadable_database_names_numbers_that_may_repeat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18, item 8: when the replaced database cannot tell what it issued, the one
    line says from which number tickets may repeat."""
    db = tmp_path / "bot.sqlite3"
    db.write_bytes(b"not a database any more" * 100)
    backup = migrated(tmp_path / "backup.sqlite3")
    conn = sqlite3.connect(backup)
    conn.execute("INSERT INTO ticket_counters VALUES (1, 2026, 7)")
    conn.execute("INSERT INTO complaint_counters VALUES (1, 2026, 2)")
    conn.commit()
    conn.close()
    monkeypatch.setenv("LOBOT_DATABASE", str(db))
    assert main(["restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert (
        "numbering: the replaced database could not be read, so numbers after 2026-0007, "
        "P-2026-0002 (the backup's last) may repeat numbers issued after the backup was made"
    ) in out
