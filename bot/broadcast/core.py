"""A broadcast's life: draft -> confirmed (rows in the outbox) -> report.

Nothing is sent for a draft. Confirmation writes one outbox row per active target group
(key ``bc:<id>:<chat_id>``, bulk priority so replies and notices go first) in the same
transaction that marks the broadcast as sending: a restart resumes it from the outbox and
no group gets it twice. The scanner reports once every row has a final state.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot import roles
from bot.broadcast.progress import initial as initial_progress
from bot.services import Services
from messages import broadcast as msg
from storage import broadcasts as repo
from storage import outbox
from storage.models import (
    BROADCAST_CANCELLED,
    BROADCAST_DONE,
    BROADCAST_DRAFT,
    BROADCAST_SENDING,
    PRIORITY_BULK,
    PRIORITY_NOTICE,
    Broadcast,
    Delivery,
    Target,
    outbox_key,
)

# Who may send to groups: admins everywhere, an LO to their own groups (see targets.py).
SENDER_ROLES = frozenset({"admin", "lo"})


class Result(Enum):
    OK = "ok"
    REFUSED = "refused"
    NOT_FOUND = "not_found"
    NOT_DRAFT = "not_draft"
    NO_TARGETS = "no_targets"
    USAGE = "usage"


@dataclass(frozen=True)
class Confirmed:
    broadcast: Broadcast
    queued: int
    skipped: int
    progress_text: str  # what the preview becomes: the status message, recorded as shown


async def may_send(svc: Services, user_id: int) -> bool:
    return bool(await svc.roles_of(user_id) & SENDER_ROLES)


async def create_draft(
    svc: Services,
    *,
    kind: str,
    user_id: int,
    target: str,
    text: str,
    targets: list[Target],
    attachment: dict[str, str] | None = None,
    source: str | None = None,
) -> Broadcast:
    async with svc.db.transaction() as tx:
        return await repo.create(
            tx,
            office_id=svc.office_id,
            kind=kind,
            created_by=user_id,
            target=target,
            text=text,
            attachment=attachment,
            targets=targets,
            now=svc.clock.now(),
            source=source,
        )


async def _owned(svc: Services, broadcast_id: int, user_id: int) -> Broadcast | Result:
    b = await repo.get(svc.db.reader, broadcast_id)
    if b is None:
        return Result.NOT_FOUND
    if b.created_by != user_id and not await roles.is_admin(svc, user_id):
        return Result.REFUSED
    return b


async def confirm(
    svc: Services,
    broadcast_id: int,
    user_id: int,
    status_chat_id: int | None = None,
    status_message_id: int | None = None,
) -> Confirmed | Result:
    """Queue a draft: one outbox row per target group still active; the others skipped."""
    b = await _owned(svc, broadcast_id, user_id)
    if isinstance(b, Result):
        return b
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        moved = await repo.set_status(
            tx,
            b.id,
            BROADCAST_SENDING,
            now,
            expect=BROADCAST_DRAFT,
            status_chat_id=status_chat_id,
            status_message_id=status_message_id,
        )
        if not moved:
            return Result.NOT_DRAFT  # a second press of the button sends nothing
        skipped: list[tuple[int, str]] = []
        queued = 0
        for t, group_status in await repo.targets_with_group_status(tx, b.id):
            if group_status != "active":
                skipped.append((t.chat_id, msg.skipped_inactive()))
                continue
            await outbox.enqueue(
                tx,
                outbox_key(b.id, t.chat_id),
                t.chat_id,
                t.text or b.text,
                now,
                attachment=t.attachment or b.attachment,
                priority=PRIORITY_BULK,
            )
            queued += 1
        await repo.mark_skipped(tx, b.id, skipped)
        text = await initial_progress(tx, b, now)
    return Confirmed(b, queued, len(skipped), text)


async def cancel(svc: Services, broadcast_id: int, user_id: int) -> Result:
    b = await _owned(svc, broadcast_id, user_id)
    if isinstance(b, Result):
        return b
    async with svc.db.transaction() as tx:
        moved = await repo.set_status(
            tx, b.id, BROADCAST_CANCELLED, svc.clock.now(), expect=BROADCAST_DRAFT
        )
    return Result.OK if moved else Result.NOT_DRAFT


async def progress(svc: Services, broadcast_id: int) -> tuple[Broadcast, list[Delivery]] | None:
    b = await repo.get(svc.db.reader, broadcast_id)
    if b is None:
        return None
    return b, await repo.deliveries(svc.db.reader, b.id)


async def scan(svc: Services) -> int:
    """Report every broadcast whose rows all reached a final state; returns how many."""
    reported = 0
    for b in await repo.sending(svc.db.reader, svc.office_id):
        deliveries = await repo.deliveries(svc.db.reader, b.id)
        if any(d.state == "pending" for d in deliveries):
            continue
        now = svc.clock.now()
        async with svc.db.transaction() as tx:
            if not await repo.set_status(tx, b.id, BROADCAST_DONE, now, expect=BROADCAST_SENDING):
                continue
            if msg.needs_report(b, deliveries):
                await outbox.enqueue(
                    tx,
                    f"bc:{b.id}:report",
                    b.created_by,
                    msg.report(b, deliveries),
                    now,
                    priority=PRIORITY_NOTICE,
                )
        reported += 1
    return reported
