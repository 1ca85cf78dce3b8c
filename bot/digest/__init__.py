"""A digest instead of a flood: staff notices are bundled per person.

Every notice to a staff member (a new ticket, a follow-up, a reminder, an alert) is
written as an item in the same transaction as the change that caused it. A person gets
at most one private message per window (``digest_minutes``) holding everything new:
the first notice after a quiet window goes out at once, later ones wait for the window
to pass and go out together (the tick's ``scan``). Those who chose ``/notifikasi segera``
get each item as soon as it is written. The message carries a "Jawab" button per open
ticket and is linked to its tickets, so a reply to it answers (when it holds one).
No Telegram here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from bot.services import Services
from bot.tickets.links import notice_hook
from messages import digest as msg
from messages import tickets as ticket_msg
from storage import digest as repo
from storage import outbox

MAX_BUTTONS = 8  # one row per open ticket; more would bury the message
# The mark of an item dropped unsent (its ticket was answered while it waited).
DROPPED = "dropped:answered"
# Where a reader finds the notices a bundle had no room for, by the first word of the key.
_LISTED_BY = {"complaint": "/pengaduan", "dl": "/tahap"}


async def notify(
    svc: Services,
    tx: aiosqlite.Connection,
    *,
    key: str,
    user_id: int,
    text: str,
    line: str,
    ticket_id: int | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Write a notice for ``user_id`` (``line``: its one line in a bundle); it goes out
    now if their window allows. False when the key was written before."""
    now = svc.clock.now()
    if not await repo.add(tx, key, user_id, ticket_id, text, line, now, not_before):
        return False
    await flush(svc, tx, user_id, now)
    return True


async def flush(svc: Services, tx: aiosqlite.Connection, user_id: int, now: datetime) -> bool:
    """Bundle the person's due items into one outbox row, if their window allows."""
    mode, last = await repo.preference(tx, user_id)
    window = timedelta(minutes=svc.settings.digest_minutes)
    if mode != repo.IMMEDIATE and last is not None and now - last < window:
        return False
    items = await repo.pending(tx, user_id, now)
    numbers = await repo.ticket_numbers(tx, _ticket_ids(items))
    # A reminder, alert or escalation that waited for the window while its ticket was
    # answered is no longer true ("masih belum dijawab"): it is dropped, never sent.
    stale = [i for i in items if _about_open_ticket(i) and i.ticket_id not in numbers]
    if stale:
        await repo.mark_bundled(tx, [i.id for i in stale], DROPPED)
        items = [i for i in items if i not in stale]
    if not items:
        return False
    ids = _ticket_ids(items)
    open_ids = [i for i in ids if i in numbers][:MAX_BUTTONS]
    key = f"digest:{user_id}:{items[0].id}"
    buttons = ticket_msg.notice_buttons_for([(i, numbers[i]) for i in open_ids])
    await outbox.enqueue(
        tx,
        key,
        user_id,
        msg.bundle([i.text for i in items], [i.line for i in items], bool(open_ids), _more(items)),
        now,
        reply_markup=buttons if open_ids else None,
        on_sent=notice_hook(user_id, ids) if ids else None,
    )
    await repo.mark_bundled(tx, [i.id for i in items], key)
    await repo.set_last(tx, user_id, now)
    return True


def _ticket_ids(items: list[repo.Item]) -> list[int]:
    return list(dict.fromkeys(i.ticket_id for i in items if i.ticket_id is not None))


def _about_open_ticket(item: repo.Item) -> bool:
    """A notice that asks for an answer (new, reopened, reassigned, reminder, alert): true
    only while its ticket is open. Follow-ups stay news after the answer too."""
    return item.ticket_id is not None and item.key.startswith("ticket:")


def _more(items: list[repo.Item]) -> list[str]:
    """The commands listing the items past the bundle's last line."""
    hidden = items[msg.MAX_LINES :]
    return sorted({_LISTED_BY.get(i.key.split(":", 1)[0], "/tiket") for i in hidden})


async def scan(svc: Services) -> int:
    """The tick: send what waited for a window to pass; returns how many messages."""
    now = svc.clock.now()
    sent = 0
    for user_id in await repo.users_waiting(svc.db.reader, now):
        async with svc.db.transaction() as tx:
            sent += await flush(svc, tx, user_id, now)
    return sent


async def set_mode(svc: Services, user_id: int, mode: str) -> None:
    async with svc.db.transaction() as tx:
        await repo.set_mode(tx, user_id, mode)
        if mode == repo.IMMEDIATE:
            await flush(svc, tx, user_id, svc.clock.now())


async def mode_of(svc: Services, user_id: int) -> str:
    return (await repo.preference(svc.db.reader, user_id))[0]
