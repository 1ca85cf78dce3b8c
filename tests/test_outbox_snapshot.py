"""The sender never trusts a stale read: a row it marked sent is not sent again."""

from __future__ import annotations

from handlers.sender import make_sender
from storage import outbox as outbox_repo
from tests.e2e.harness import Harness


async def test_open_read_on_the_reader_does_not_make_the_sender_repeat(harness: Harness) -> None:
    h = harness
    h.api.user(50, "Sari")
    h.api.chats[50].started = True
    svc = h.services
    async with svc.db.transaction() as tx:
        for i in range(3):
            await outbox_repo.enqueue(tx, f"snap:{i}", 50, f"Pesan {i}", h.clock.now())
    # A long read (a report, a listing) is still open on the reader: its snapshot predates
    # everything the sender is about to record.
    cursor = await svc.db.reader.execute("SELECT id FROM outbox")
    await cursor.fetchone()
    try:
        assert h.app is not None
        send = make_sender(h.app.bot)
        from bot.outbox import drain

        first = await drain(svc, send)
        second = await drain(svc, send)
    finally:
        await cursor.close()
    assert first.sent == 3 and second.sent == 0
    assert [s.plain for s in h.api.sent_to(50)] == ["Pesan 0", "Pesan 1", "Pesan 2"]
