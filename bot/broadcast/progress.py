"""The status message of a running broadcast, kept up to date from the database.

Confirming a broadcast turns its preview into the status message and records that text.
From then on ``scan`` compares what the message shows (stored) with the counts in the
outbox and, when they differ, writes one edit row (key ``bc:<id>:progress:<n>``) in the
transaction that records the new text. Nothing lives in memory, so the edits go on after a
restart; an unchanged text is never sent again (Telegram refuses "message is not
modified"), and edits keep EDIT_SECONDS apart because Telegram counts them against its
limits like messages. The last edit shows the finished counts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from bot.services import Services
from messages import broadcast as msg
from storage import broadcasts as repo
from storage import outbox
from storage.models import BROADCAST_SENDING, PRIORITY_NOTICE, Broadcast

# At most one edit of a status message per this many seconds.
EDIT_SECONDS = 3.0


def _may_edit(shown: repo.Shown, now: datetime) -> bool:
    """Not while the previous edit waits to go out, nor within EDIT_SECONDS of it."""
    if shown.last_pending:
        return False
    last = max((t for t in (shown.at, shown.last_sent_at) if t is not None), default=None)
    return last is None or now - last >= timedelta(seconds=EDIT_SECONDS)


async def initial(tx: aiosqlite.Connection, b: Broadcast, now: datetime) -> str:
    """The text the preview becomes when confirmed, recorded as shown (the caller edits)."""
    text = msg.progress(b, await repo.deliveries(tx, b.id), finished=False)
    await repo.record_progress(tx, b.id, text, now, edits=0, expect_edits=0, closed=False)
    return text


async def scan(svc: Services) -> int:
    """Write an edit for each status message whose counts changed; returns how many."""
    now = svc.clock.now()
    count = 0
    for b, shown in await repo.progress_open(svc.db.reader, svc.office_id):
        if not _may_edit(shown, now):
            continue
        async with svc.db.transaction() as tx:
            count += await _edit(tx, b, shown, now)
    return count


async def _edit(tx: aiosqlite.Connection, b: Broadcast, shown: repo.Shown, now: datetime) -> int:
    fresh = await repo.get(tx, b.id)  # the reader's snapshot may be behind the sender
    if fresh is None or fresh.status_chat_id is None or fresh.status_message_id is None:
        return 0
    finished = fresh.status != BROADCAST_SENDING
    text = msg.progress(fresh, await repo.deliveries(tx, b.id), finished)
    if text == shown.text and not finished:
        return 0
    n = shown.edits + 1 if text != shown.text else shown.edits
    if not await repo.record_progress(
        tx, b.id, text, now, edits=n, expect_edits=shown.edits, closed=finished
    ):
        return 0  # written meanwhile by the other caller
    if n == shown.edits:
        return 0  # finished, and the message already shows the final counts
    return int(
        await outbox.enqueue(
            tx,
            repo.progress_key(b.id, n),
            fresh.status_chat_id,
            text,
            now,
            priority=PRIORITY_NOTICE,
            edit_message_id=fresh.status_message_id,
        )
    )
