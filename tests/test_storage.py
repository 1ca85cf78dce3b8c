from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from storage import consistency, groups, outbox, people
from storage.db import BUSY_TIMEOUT_MS, Database, DatabaseTooNew, load_migrations
from storage.models import PRIORITY_NOTICE, PRIORITY_REPLY

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.mark.sqlite_only
async def test_migrations_set_version_and_pragmas(db: Database) -> None:
    assert await db.version() == len(load_migrations())
    row = await db.fetchone("PRAGMA journal_mode")
    assert row is not None and row[0] == "wal"
    row = await db.fetchone("PRAGMA foreign_keys")
    assert row is not None and row[0] == 1


async def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 999")
    con.close()
    with pytest.raises(DatabaseTooNew):
        await Database(path).open()


async def test_reopen_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "re.sqlite3"
    for _ in range(2):
        d = Database(path)
        await d.open()
        await d.close()


async def test_failed_transaction_changes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as tx:
            await people.grant(tx, 1, 5, "lo", 1, NOW)
            raise RuntimeError("boom")
    assert await people.roles_of(db.reader, 1, 5) == set()


async def test_a_transaction_makes_no_hand_off_to_the_database_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: BEGIN went to the connection's thread, one hand-off per transaction."""
    handed: list[object] = []
    original = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        handed.append(fn)
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    async with db.transaction() as tx:
        await people.grant(tx, 1, 5, "lo", 1, NOW)
    monkeypatch.undo()
    assert handed == []
    assert await people.roles_of(db.reader, 1, 5) == {"lo"}


@pytest.mark.sqlite_only
async def test_a_write_lock_held_elsewhere_is_waited_for_off_the_loop(db: Database) -> None:
    """Another process's write lock: BEGIN waits on the connection's thread (the loop
    keeps running), and the transaction goes through once the lock is released."""
    other = sqlite3.connect(db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with db.transaction() as tx:
            await people.grant(tx, 1, 5, "lo", 1, NOW)

    task = asyncio.create_task(write())
    for _ in range(5):  # the loop is free while the transaction waits for the lock
        await asyncio.sleep(0.01)
    assert not task.done()
    other.execute("ROLLBACK")
    other.close()
    await asyncio.wait_for(task, 10)
    assert await people.roles_of(db.reader, 1, 5) == {"lo"}
    async with db.writer.execute("PRAGMA busy_timeout") as cur:
        assert (await cur.fetchone())[0] == BUSY_TIMEOUT_MS  # restored after the try


async def test_roles_grant_revoke(db: Database) -> None:
    async with db.transaction() as tx:
        assert await people.grant(tx, 1, 5, "lo", 1, NOW)
        assert not await people.grant(tx, 1, 5, "lo", 1, NOW)
    assert await people.roles_of(db.reader, 1, 5) == {"lo"}
    async with db.transaction() as tx:
        assert await people.revoke(tx, 1, 5, "lo")
    assert await people.roles_of(db.reader, 1, 5) == set()


async def test_outbox_key_is_unique(db: Database) -> None:
    async with db.transaction() as tx:
        assert await outbox.enqueue(tx, "k1", 10, "a", NOW)
        assert not await outbox.enqueue(tx, "k1", 10, "b", NOW)
    rows = await outbox.heads(db.reader, NOW, scan=200)
    assert [r.text for r in rows] == ["a"]


async def test_migrate_chat_moves_children(db: Database) -> None:
    async with db.transaction() as tx:
        await groups.upsert_joined(tx, -1, "G", NOW)
        await groups.register(tx, -1, 7, "K/L", NOW)
        await groups.add_satker(tx, -1, "123456", "S")
        await groups.register_operator(tx, 9, -1, "123456", NOW)
        await outbox.enqueue(tx, "k", -1, "x", NOW)
    async with db.transaction() as tx:
        assert await groups.migrate_chat(tx, -1, -100)
        assert not await groups.migrate_chat(tx, -1, -100)
    assert await groups.satker_of(db.reader, -100) == [("123456", "S")]
    assert await groups.operator_satker(db.reader, 9, -100) == "123456"
    assert (await outbox.heads(db.reader, NOW, scan=200))[0].chat_id == -100


@pytest.fixture
def lax_umask() -> Iterator[None]:
    """The usual 022 umask, which gave 0644 files and a 0755 folder."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_data_folder_and_files_are_private(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "data" / "lobot.sqlite3"
    d = Database(path)
    await d.open()
    try:
        async with d.transaction() as tx:
            await people.upsert_user(tx, 1, "budi", "Budi", NOW)
        assert _mode(path.parent) == 0o700
        for suffix in ("", "-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            assert side.exists() and _mode(side) == 0o600, suffix
    finally:
        await d.close()


async def test_existing_open_files_are_tightened(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    d = Database(path)
    await d.open()
    await d.close()
    assert _mode(path) == 0o600


@pytest.mark.sqlite_only
async def test_consistency_check_passes_a_sound_database_and_names_broken_rows(
    db: Database,
) -> None:
    assert await consistency.check(db.reader) == []
    raw = sqlite3.connect(db.path)  # a row written behind the app's back (no foreign keys)
    with raw:
        raw.execute(
            """INSERT INTO tickets (id, office_id, number, chat_id, channel, text, status,
                   created_at, clock_start_at, due_at, first_due_at)
               VALUES (7, 1, '2026-0009', -555, 'grup', 'x', 'baru',
                   '2026-11-23T03:00:00Z', '2026-11-23T03:00:00Z', '', '')"""
        )
    raw.close()
    problems = await consistency.check(db.reader)
    joined = " | ".join(problems)
    assert "group ticket without a known group: [7]" in joined
    assert "open ticket without a due time: [7]" in joined
    assert "ticket number beyond its counter: [7]" in joined


async def test_outbox_heads_are_each_chats_most_urgent_due_row(db: Database) -> None:
    """The sender's round: one row per chat (the chat's order), most urgent first, chats
    skipped for the rate limit left out, and rows not due yet invisible."""
    later = NOW + timedelta(minutes=5)
    async with db.transaction() as tx:
        await outbox.enqueue(tx, "a1", 1, "a1", NOW, priority=PRIORITY_NOTICE)
        await outbox.enqueue(tx, "a2", 1, "a2", NOW, priority=PRIORITY_REPLY)
        await outbox.enqueue(tx, "b1", 2, "b1", NOW, priority=PRIORITY_NOTICE)
        await outbox.enqueue(tx, "c1", 3, "c1", NOW, not_before=later)
        await outbox.enqueue(tx, "d1", 4, "d1", NOW, reply_markup={"inline_keyboard": []})
        await outbox.enqueue(tx, "e1", 5, "e1", NOW)
    heads = await outbox.heads(db.reader, NOW, scan=200, skip_chats=[5])
    assert [r.key for r in heads] == ["a2", "b1", "d1"]
    assert heads[2].reply_markup == {"inline_keyboard": []}
    assert [r.key for r in await outbox.heads(db.reader, NOW, scan=200, limit=2)] == ["a2", "b1"]
    # Only the ``scan`` most urgent rows are looked at: a2 and a1, both of chat 1.
    assert [r.key for r in await outbox.heads(db.reader, NOW, scan=2)] == ["a2"]
    assert "c1" in [r.key for r in await outbox.heads(db.reader, later, scan=200)]
