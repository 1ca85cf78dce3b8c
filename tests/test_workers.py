"""Several workers on one PostgreSQL, piece by piece (storage/coordination.py, the
outbox's claims, the shared send windows). Each "worker" here is a database of its own
on the same server, as in separate processes; tests/e2e/test_workers.py runs real ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot import outbox
from bot.clock import FakeClock
from bot.services import Services, make_calendar
from storage import coordination as coord_module
from storage import outbox as outbox_repo
from storage.db import Database, database_for
from storage.outbox import OutboxRow
from tests.conftest import postgres_only
from tests.e2e import harness as harness_module
from tests.e2e.harness import make_settings

pytestmark = postgres_only

GROUP = -1001
OTHER = -1002


class _Api:
    base_url = "http://127.0.0.1:9/bot"
    base_file_url = "http://127.0.0.1:9/file/bot"


Worker = tuple[Database, Any]


@pytest.fixture
async def workers(tmp_path: Path) -> AsyncIterator[Callable[[], Any]]:
    """Opens a worker (a database and its coordination) on the test's PostgreSQL."""
    opened: list[Database] = []

    async def open_worker() -> Worker:
        db = database_for(tmp_path / "unused.sqlite3", harness_module.postgres())
        await db.open()
        opened.append(db)
        return db, await db.start_worker()

    yield open_worker
    for db in opened:
        await db.close()


async def test_chats_and_the_lead_are_held_by_one_worker_until_it_is_gone(
    workers: Callable[[], Any],
) -> None:
    (db1, one), (_db2, two) = await workers(), await workers()
    assert one.worker != two.worker
    async with one.claiming() as tx:
        assert set(await one.live_workers(tx)) == {one.worker, two.worker}
    assert await one.try_chat(GROUP)
    assert not await two.try_chat(GROUP)
    assert await two.try_chat(OTHER)  # another chat is free
    await one.release_chat(GROUP)
    assert await two.try_chat(GROUP)
    assert await one.try_lead() and one.leading
    assert not await two.try_lead()
    await db1.close()  # the worker dies: its session, and with it every lock, ends
    await _soon(two.try_lead)  # (the server ends the session a moment after the close)
    async with two.claiming() as tx:
        assert await two.live_workers(tx) == [two.worker]


async def _soon(check: Callable[[], Any]) -> None:
    async def wait() -> None:
        while not await check():  # noqa: ASYNC110  (the server, another process)
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), 10)


async def _enqueue(db: Database, clock: FakeClock, chat: int, n: int, prefix: str) -> None:
    async with db.transaction() as tx:
        for i in range(n):
            await outbox_repo.enqueue(tx, f"{prefix}:{i}", chat, f"{prefix} {i}", clock.now())


async def test_a_chat_being_sent_to_by_a_live_worker_is_left_to_it(
    workers: Callable[[], Any], clock: FakeClock
) -> None:
    (db1, one), (_db2, two) = await workers(), await workers()
    await _enqueue(db1, clock, GROUP, 2, "g")
    await _enqueue(db1, clock, OTHER, 1, "o")
    async with one.claiming() as tx:
        rows = await outbox_repo.claimable(tx, clock.now(), 10, [], one.worker, [one.worker])
        first = next(r for r in rows if r.chat_id == GROUP)
        await outbox_repo.claim(tx, [first.id], one.worker)
    async with two.claiming() as tx:
        live = await two.live_workers(tx)
        rows = await outbox_repo.claimable(tx, clock.now(), 10, [], two.worker, live)
    # The group's second row waits for the first (order within the chat); the other
    # chat is free.
    assert [r.chat_id for r in rows] == [OTHER]
    await db1.close()  # the sender died mid-send: its claim is taken over

    async def alone() -> bool:
        async with two.claiming() as tx:
            return await two.live_workers(tx) == [two.worker]

    await _soon(alone)
    async with two.claiming() as tx:
        rows = await outbox_repo.claimable(tx, clock.now(), 10, [], two.worker, [two.worker])
    assert [r.key for r in rows if r.chat_id == GROUP] == ["g:0", "g:1"]


async def test_claims_skip_rows_another_transaction_is_writing(
    workers: Callable[[], Any], clock: FakeClock
) -> None:
    (db1, _one), (_db2, two) = await workers(), await workers()
    await _enqueue(db1, clock, GROUP, 1, "g")
    await _enqueue(db1, clock, OTHER, 1, "o")
    async with db1.transaction() as tx:  # e.g. the group's rows failed as it kicked the bot
        await outbox_repo.fail_pending_for_chat(tx, GROUP, "kicked")
        async with two.claiming() as claim_tx:
            live = await two.live_workers(claim_tx)
            rows = await asyncio.wait_for(
                outbox_repo.claimable(claim_tx, clock.now(), 10, [], two.worker, live), 5
            )
    assert [r.chat_id for r in rows] == [OTHER]  # not waited for, not claimed


def _services(db: Database, clock: FakeClock, tmp_path: Path, **settings: Any) -> Services:
    s = replace(make_settings(_Api(), tmp_path / "unused.sqlite3"), **settings)  # type: ignore[arg-type]
    return Services(s, db, clock, make_calendar(s))


async def test_two_workers_together_keep_a_groups_minute(
    workers: Callable[[], Any], clock: FakeClock, tmp_path: Path
) -> None:
    """Telegram allows 20 messages a minute in a group: two senders draining the same
    group's 30 rows at once send 20 between them, then the rest a minute later."""
    (db1, _), (db2, _) = await workers(), await workers()
    await _enqueue(db1, clock, GROUP, 30, "g")
    sent: list[tuple[str, str]] = []

    def sender(name: str) -> outbox.Send:
        async def send(row: OutboxRow) -> int:
            sent.append((name, row.key))
            await asyncio.sleep(0)
            return len(sent)

        return send

    one = _services(db1, clock, tmp_path, send_limits=True)
    two = _services(db2, clock, tmp_path, send_limits=True)
    await asyncio.gather(outbox.drain(one, sender("one")), outbox.drain(two, sender("two")))
    assert len(sent) == 20
    clock.advance(seconds=61)
    await asyncio.gather(outbox.drain(one, sender("one")), outbox.drain(two, sender("two")))
    assert len(sent) == 30
    assert [key for _, key in sent] == [f"g:{i}" for i in range(30)]  # in order, each once


async def test_a_429_one_worker_got_holds_the_others_too(
    workers: Callable[[], Any], clock: FakeClock, tmp_path: Path
) -> None:
    (db1, _), (db2, _) = await workers(), await workers()
    await _enqueue(db1, clock, GROUP, 1, "a")
    one = _services(db1, clock, tmp_path)
    two = _services(db2, clock, tmp_path)

    async def refused(row: OutboxRow) -> int:
        raise outbox.RetryLater(30)

    sent: list[str] = []

    async def accepted(row: OutboxRow) -> int:
        sent.append(row.key)
        return len(sent)

    await outbox.drain(one, refused)  # Telegram: nothing to this group for 30 s
    await _enqueue(db1, clock, GROUP, 1, "b")  # a new row, due now
    clock.advance(seconds=10)
    await outbox.drain(two, accepted)
    assert sent == []  # the other worker waits too
    clock.advance(seconds=21)
    await outbox.drain(two, accepted)
    assert sent == ["a:0", "b:0"]


def test_chat_keys_fit_an_int4_and_spread() -> None:
    ids = [-1001234567890, -1009876543210, 123456789, 8123456789, 0]
    keys = {coord_module.chat_key(i) for i in ids}
    assert len(keys) == len(ids)
    assert all(0 <= k <= 0x7FFFFFFF for k in keys)


async def test_a_follower_ticks_only_to_stay_healthy(
    workers: Callable[[], Any], clock: FakeClock, tmp_path: Path
) -> None:
    """The tick job of a worker that does not lead runs no scanner, and /healthz still
    sees it alive (a follower is not a stuck bot)."""
    from types import SimpleNamespace

    from bot.ops.metrics import Metrics
    from handlers.tick import _tick_job

    (_db1, one), (db2, two) = await workers(), await workers()
    assert await one.try_lead()
    svc = _services(db2, clock, tmp_path)
    svc.metrics = Metrics(clock.now())
    ran: list[str] = []

    async def scanner(_: Services) -> int:
        ran.append("scan")
        return 0

    svc.scanners = [("x", scanner)]
    svc.workers = SimpleNamespace(leader=SimpleNamespace(leading=await two.try_lead()))
    clock.advance(seconds=120)
    await _tick_job(SimpleNamespace(services=svc))  # type: ignore[arg-type]
    assert ran == [] and svc.metrics.tick_at == clock.now()


async def test_a_stored_update_wakes_every_worker_and_changes_are_announced(
    workers: Callable[[], Any], clock: FakeClock
) -> None:
    """Storing an update NOTIFYs every worker (their claimers look at once), and what one
    worker announces (roles, calendar, FAQ changed) reaches the others."""
    from storage import inbox as inbox_repo

    (db1, one), (_db2, two) = await workers(), await workers()
    woken = asyncio.Event()
    heard: asyncio.Queue[str] = asyncio.Queue()
    two.listen(woken.set, heard.put_nowait)
    await asyncio.sleep(0.2)  # LISTEN is in place
    async with db1.transaction() as tx:
        await inbox_repo.store_new(tx, [(1, GROUP, {"update_id": 1})], clock.now())
    await asyncio.wait_for(woken.wait(), 5)
    await one.announce("roles")
    assert await asyncio.wait_for(heard.get(), 5) == "roles"


async def test_following_a_roles_change_forgets_the_cached_roles(
    workers: Callable[[], Any], clock: FakeClock, tmp_path: Path
) -> None:
    from bot.workers import follow_change
    from storage import people

    (db1, _), (db2, _) = await workers(), await workers()
    svc = _services(db2, clock, tmp_path)
    assert await svc.roles_of(200) == set()  # cached: no role
    async with db1.transaction() as tx:  # another worker grants a role
        await people.grant(tx, 1, 200, "lo", 100, clock.now())
    assert await svc.roles_of(200) == set()  # the copy is stale until told
    await follow_change(svc, "roles")
    assert await svc.roles_of(200) == {"lo"}
