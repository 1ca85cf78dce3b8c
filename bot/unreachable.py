"""People and groups the bot cannot reach: recorded, and their messages handed on.

A private message fails for good when the person never pressed Start or blocked the bot;
a group message when the bot was removed. Such a message must still reach someone: it
goes to the next person along the role chain (a supervisor's to the head of office, the
head's to the supervisors, anyone else's to the supervisors, then the head, then the
admins), or, for a group, to the group's LO. A handed-on message that fails too goes one
step further, never back to someone who already failed, at most three times.
No Telegram here: this is the outbox sender's ``gone`` hook.
"""

from __future__ import annotations

import logging

from bot import groups as groups_domain
from bot.complaints import audience as complaints
from bot.services import Services
from messages import delivery as msg
from storage import groups as groups_repo
from storage import outbox, people
from storage.models import PRIORITY_NOTICE
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)
HANDED_ON = ":diteruskan:"
MAX_HANDS = 3  # a message handed on this often and still refused is logged, not passed on


def chain_for(roles: set[str]) -> list[str]:
    if "supervisor" in roles:
        return ["kepala", "admin"]
    if "kepala" in roles:
        return ["supervisor", "admin"]
    return ["supervisor", "kepala", "admin"]


async def reachable_holders(svc: Services, role: str, unreachable: set[int]) -> list[int]:
    ids = {u.user_id for u in await people.holders(svc.db.reader, svc.office_id, role)}
    if role == "admin":
        ids |= set(svc.settings.admin_ids)
    return sorted(ids - unreachable)


async def _next_in_chain(svc: Services, user_id: int, unreachable: set[int], key: str) -> list[int]:
    # A complaint's message (it may name the head of office) stays with the compliance
    # section: never handed to a supervisor or the head (bot/complaints/audience.py).
    if key.startswith(complaints.KEY_PREFIX):
        chain = complaints.COMPLIANCE_CHAIN
    else:
        chain = chain_for(await svc.roles_of(user_id))
    for role in chain:
        found = [uid for uid in await reachable_holders(svc, role, unreachable) if uid != user_id]
        if found:
            return found
    return []


async def chat_refused(svc: Services, row: OutboxRow, reason: str) -> None:
    """Sender hook: ``row`` can never be delivered to its chat.

    Who gets it instead is read first; then the refusal (group inactive, or person marked
    unreachable, the row failed) and the handed-on copies are written in one transaction,
    so a crash in between cannot leave the message failed and handed to nobody."""
    now = svc.clock.now()
    unreachable = await people.unreachable_ids(svc.db.reader)
    if row.chat_id < 0:
        group = await groups_repo.get(svc.db.reader, row.chat_id)
        lo = group.lo_user_id if group is not None else None
        if lo is not None and lo not in unreachable:
            targets = [lo]
        else:
            targets = await reachable_holders(svc, "admin", unreachable)
        text = msg.group_unreachable(group.title if group else str(row.chat_id), row.text)
    else:
        unreachable |= {row.chat_id}
        targets = await _next_in_chain(svc, row.chat_id, unreachable, row.key)
        user = await people.get_user(svc.db.reader, row.chat_id)
        text = msg.handed_on(user or people.User.by_id(row.chat_id), reason, row.text)
    tried = {int(part.split(":")[0]) for part in row.key.split(HANDED_ON)[1:]}
    targets = [t for t in targets if t not in tried]
    if row.key.count(HANDED_ON) >= MAX_HANDS:
        targets = []
    async with svc.db.transaction() as tx:
        if row.chat_id < 0:
            await groups_domain.refused_in(tx, svc, row.chat_id, reason)
        else:
            await people.set_unreachable(tx, row.chat_id, reason, now)
            await outbox.mark_failed(tx, row.id, reason)
        for target in targets:
            await outbox.enqueue(
                tx, f"{row.key}{HANDED_ON}{target}", target, text, now, priority=PRIORITY_NOTICE
            )
    if not targets:
        log.error(
            "outbox %s to chat %s undeliverable (%s); nobody to hand it to",
            row.key,
            row.chat_id,
            reason,
        )
        return
    log.warning(
        "outbox %s to chat %s undeliverable (%s); handed on to %s",
        row.key,
        row.chat_id,
        reason,
        targets,
    )


async def reached(svc: Services, user_id: int) -> None:
    """The person wrote to the bot in private: they can be reached again."""
    if user_id in await people.unreachable_ids(svc.db.reader):
        async with svc.db.transaction() as tx:
            await people.clear_unreachable(tx, user_id)


async def unreachable_staff(svc: Services) -> list[people.User]:
    """Staff the bot cannot write to (for /peran and the start-up log)."""
    ids = await people.unreachable_ids(svc.db.reader)
    staff = []
    for uid in sorted(ids):
        if await svc.roles_of(uid):
            staff.append(await people.get_user(svc.db.reader, uid) or people.User.by_id(uid))
    return staff
