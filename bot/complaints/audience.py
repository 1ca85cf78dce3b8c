"""Who is told of a complaint, and who may read it. No Telegram.

A complaint about pungli, gratifikasi or a bribe may name anyone in the office, the head
of office included. Such an integrity complaint goes to the compliance section (role
``kepatuhan``; with none appointed, the admins) and to nobody else: the head of office
learns that one exists and its status, never who made it or what it says, and may not
follow it up. Its notices go out one by one under ``complaint:`` keys rather than in the
staff digest, so that a notice the bot cannot deliver is handed on along the compliance
chain only (bot/unreachable.py), never to a supervisor or the head.
A general complaint is told to the compliance section and the head of office, as before.
"""

from __future__ import annotations

import aiosqlite

from bot import digest
from bot.services import Services
from storage import outbox, people
from storage.models import INTEGRITY, Complaint

# The compliance section handles complaints; the head of office and admins may too.
HANDLER_ROLES = frozenset({"kepatuhan", "kepala", "admin"})
# Who may read (and follow up) an integrity complaint.
INTEGRITY_ROLES = frozenset({"kepatuhan", "admin"})
# Where an undeliverable complaint message is handed on (bot/unreachable.py).
COMPLIANCE_CHAIN = ["kepatuhan", "admin"]
KEY_PREFIX = "complaint:"


async def is_handler(svc: Services, user_id: int) -> bool:
    return bool(await svc.roles_of(user_id) & HANDLER_ROLES)


async def may_read(svc: Services, user_id: int, c: Complaint) -> bool:
    """Who may read the whole complaint and follow it up (the complainant reads their own
    through ``rules.detail``)."""
    roles = await svc.roles_of(user_id)
    return bool(roles & (INTEGRITY_ROLES if c.category == INTEGRITY else HANDLER_ROLES))


async def _compliance(svc: Services, conn: aiosqlite.Connection) -> set[int]:
    """The compliance section; with none appointed, the admins, so nothing goes unseen."""
    ids = {u.user_id for u in await people.holders(conn, svc.office_id, "kepatuhan")}
    if not ids:
        ids = {u.user_id for u in await people.holders(conn, svc.office_id, "admin")}
        ids |= set(svc.settings.admin_ids)
    return ids


async def readers_and_heads(
    svc: Services, conn: aiosqlite.Connection, c: Complaint
) -> tuple[list[int], list[int]]:
    """(who is told the whole complaint, who only that it exists and its status)."""
    readers = await _compliance(svc, conn)
    heads = {u.user_id for u in await people.holders(conn, svc.office_id, "kepala")} - readers
    if c.category != INTEGRITY:
        return sorted(readers | heads), []
    return sorted(readers), sorted(heads)


async def tell(
    svc: Services,
    tx: aiosqlite.Connection,
    c: Complaint,
    uid: int,
    key: str,
    text: str,
    line: str,
) -> None:
    """One notice about ``c`` to a reader: in the staff digest, or, for an integrity
    complaint, as its own message under a ``complaint:`` key."""
    if c.category == INTEGRITY:
        await outbox.enqueue(tx, key, uid, text, svc.clock.now())
    else:
        await digest.notify(svc, tx, key=key, user_id=uid, text=text, line=line)
