"""The scheduled report's sign-off (seed 002): the CSO prepares the report, the supervisor
checks it, the head of office approves it, within 5 working days.

The report reaches the CSOs as a draft with a button; each press records who and when and
passes the report (summary, workbook, chart) up to the next role, with its own button.
Each working morning inside the window the role the report is waiting for is reminded.
When the window closes without approval, the next role up is told once (privately).
Everything goes through the outbox with keys ``signoff:<id>:...``: once, across restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import aiosqlite

from bot.services import Services
from messages import deadlines as msg
from messages import rekap as rekap_msg
from messages.groups import unseen_name
from storage import outbox, people
from storage import signoffs as repo
from storage.deadline_model import APPROVED, APPROVING, CHECKING, DRAFT, Signoff

NEXT = {DRAFT: CHECKING, CHECKING: APPROVING, APPROVING: APPROVED}
# Who acts at each stage: the role the report is waiting for.
ACTOR_ROLE = {DRAFT: "cso", CHECKING: "supervisor", APPROVING: "kepala"}
# The button's letter for each stage: ajukan, periksa, setujui.
ACTION = {DRAFT: "a", CHECKING: "p", APPROVING: "s"}
# Who is told, once, when the window closes and the report is still not approved: the next
# role up from the one holding it (the admins when the head of office holds it, or when the
# office has no head of office registered).
ESCALATE_TO = {DRAFT: "kepala", CHECKING: "kepala", APPROVING: "admin"}


class Pressed(Enum):
    OK = "ok"
    REFUSED = "refused"
    DONE_BEFORE = "done_before"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Press:
    result: Pressed
    signoff: Signoff | None = None
    new_stage: str | None = None


async def _holders(conn: aiosqlite.Connection, svc: Services, role: str) -> list[int]:
    ids = [u.user_id for u in await people.holders(conn, svc.office_id, role)]
    if role == "admin":  # admins named in the settings hold the role without a row
        ids += sorted(svc.settings.admin_ids - set(ids))
    return ids


async def _send_report(
    svc: Services, tx: aiosqlite.Connection, so: Signoff, uid: int, stage: str, now: datetime
) -> None:
    """The report and the prompt of ``stage``, with its button, to one person."""
    base = f"signoff:{so.id}:{stage}:u{uid}"
    await outbox.enqueue(tx, f"{base}:text", uid, so.summary, now)
    books = so.xlsx_path.split("\n")  # several when the workbook was split (50 MB)
    files = [
        (f"xlsx{i}" if i > 1 else "xlsx", path, "document", i, len(books))
        for i, path in enumerate(books, start=1)
    ]
    for suffix, path, kind, number, total in files:
        caption = rekap_msg.workbook_file_caption(so.label, number, total)
        attachment = {"path": path, "kind": kind}
        await outbox.enqueue(tx, f"{base}:{suffix}", uid, caption, now, attachment=attachment)
    chart = {"path": so.png_path, "kind": "photo"}
    caption = rekap_msg.chart_caption(so.label)
    await outbox.enqueue(tx, f"{base}:png", uid, caption, now, attachment=chart)
    prompt = msg.signoff_prompt(so, stage, now, svc.tz)
    button = msg.signoff_button(so.id, stage, ACTION[stage])
    await outbox.enqueue(tx, f"{base}:prompt", uid, prompt, now, reply_markup=button)


async def start(
    svc: Services,
    tx: aiosqlite.Connection,
    report: tuple[str, str, str],
    files: tuple[str, str, str],
    now: datetime,
    window_end: datetime,
) -> bool:
    """report: (kind, period slug, period label); files: (summary, workbook, chart)."""
    kind, period, label = report
    signoff_id = await repo.create(tx, svc.office_id, kind, period, label, files, now, window_end)
    so = await repo.get(tx, signoff_id) if signoff_id else None
    if so is None:
        return False
    for uid in await _holders(tx, svc, ACTOR_ROLE[DRAFT]):
        await _send_report(svc, tx, so, uid, DRAFT, now)
    return True


async def press(svc: Services, signoff_id: int, action: str, user_id: int) -> Press:
    so = await repo.get(svc.db.reader, signoff_id)
    if so is None:
        return Press(Pressed.NOT_FOUND)
    stage = next((s for s, a in ACTION.items() if a == action), None)
    if stage is None:
        return Press(Pressed.NOT_FOUND)
    roles = await svc.roles_of(user_id)
    if ACTOR_ROLE[stage] not in roles and "admin" not in roles:
        return Press(Pressed.REFUSED, so)
    now = svc.clock.now()
    new_stage = NEXT[stage]
    async with svc.db.transaction() as tx:
        if not await repo.advance(tx, so.id, stage, new_stage, user_id, now):
            return Press(Pressed.DONE_BEFORE, so)
        fresh = await repo.get(tx, so.id)
        assert fresh is not None
        if new_stage == APPROVED:
            await _announce_approval(svc, tx, fresh, now)
        else:
            for uid in await _holders(tx, svc, ACTOR_ROLE[new_stage]):
                await _send_report(svc, tx, fresh, uid, new_stage, now)
    return Press(Pressed.OK, fresh, new_stage)


async def _announce_approval(
    svc: Services, tx: aiosqlite.Connection, so: Signoff, now: datetime
) -> None:
    text = msg.signoff_approved(so, await _names(svc, tx, so), svc.tz)
    for role in ("cso", "supervisor"):
        for uid in await _holders(tx, svc, role):
            await outbox.enqueue(tx, f"signoff:{so.id}:approved:u{uid}", uid, text, now)


async def _names(svc: Services, conn: aiosqlite.Connection, so: Signoff) -> dict[int, str]:
    found = {}
    for uid in (so.submitted_by, so.checked_by, so.approved_by):
        if uid is not None:
            user = await people.get_user(conn, uid)
            found[uid] = user.full_name if user and user.seen else unseen_name(uid)
    return found


def _waiting_since(so: Signoff) -> datetime:
    return {DRAFT: so.created_at, CHECKING: so.submitted_at, APPROVING: so.checked_at}.get(
        so.stage
    ) or so.created_at


async def scan(svc: Services) -> int:
    """Each working morning inside the window: remind whoever the report is waiting for;
    after it, tell the next role up once."""
    now = svc.clock.now()
    if not svc.calendar.is_working_time(now):
        return 0
    return await _remind(svc, now) + await _escalate(svc, now)


async def _remind(svc: Services, now: datetime) -> int:
    today = now.astimezone(svc.tz).date()
    count = 0
    for so in await repo.waiting(svc.db.reader, svc.office_id, now):
        if _waiting_since(so).astimezone(svc.tz).date() >= today:
            continue  # it reached them today: no reminder yet
        text = msg.signoff_reminder(so, now, svc.tz)
        button = msg.signoff_button(so.id, so.stage, ACTION[so.stage])
        async with svc.db.transaction() as tx:
            for uid in await _holders(tx, svc, ACTOR_ROLE[so.stage]):
                key = f"signoff:{so.id}:{so.stage}:{today.isoformat()}:u{uid}"
                count += await outbox.enqueue(tx, key, uid, text, now, reply_markup=button)
    return count


async def _escalate(svc: Services, now: datetime) -> int:
    """The window closed and the report is still not approved: one private note to the
    next role up, naming the report and who holds it. escalated_at is written in the same
    transaction as the outbox rows, so a restart neither loses nor repeats it."""
    count = 0
    for so in await repo.overdue(svc.db.reader, svc.office_id, now):
        async with svc.db.transaction() as tx:
            if not await repo.mark_escalated(tx, so.id, so.stage, now):
                continue  # approved or escalated since the read
            holding = await people.holders(tx, svc.office_id, ACTOR_ROLE[so.stage])
            recipients = await _holders(tx, svc, ESCALATE_TO[so.stage])
            recipients = recipients or await _holders(tx, svc, "admin")
            text = msg.signoff_escalation(so, [u.full_name for u in holding], now, svc.tz)
            for uid in recipients:
                key = f"signoff:{so.id}:overdue:u{uid}"
                count += await outbox.enqueue(tx, key, uid, text, now)
    return count


async def for_period(svc: Services, period: str) -> tuple[list[Signoff], dict[int, str]]:
    """The sign-off of a period's reports, with the names of who signed, for /rekap."""
    found = await repo.for_period(svc.db.reader, svc.office_id, period)
    names: dict[int, str] = {}
    for so in found:
        names |= await _names(svc, svc.db.reader, so)
    return found, names
