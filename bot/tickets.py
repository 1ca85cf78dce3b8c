"""Consultation tickets: opening, the SLA schedule, answering, closing, reassigning.

No Telegram here. Every change is one transaction that also writes the outbox rows it
causes (notices to LOs, alerts, the answer posted in the group), so a crash can never
leave a changed ticket without its message or a message without its change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import TypeVar

import aiosqlite

from bot.services import Services
from messages import tickets as msg
from storage import groups as groups_repo
from storage import outbox, people
from storage import tickets as repo
from storage.models import PRIORITY_REPLY, Group
from storage.tickets import ANSWERED, DONE, NOT_A_QUESTION, OPEN, Ticket

T = TypeVar("T")
CHANNELS = ("grup", "meja_layanan", "telepon", "surat", "email", "whatsapp")
CHANNEL_ALIASES = {
    "meja": "meja_layanan",
    "meja_layanan": "meja_layanan",
    "loket": "meja_layanan",
    "telepon": "telepon",
    "telp": "telepon",
    "tlp": "telepon",
    "surat": "surat",
    "email": "email",
    "e-mail": "email",
    "surel": "email",
    "whatsapp": "whatsapp",
    "wa": "whatsapp",
}
OFFICE_WIDE = {"admin", "cso", "supervisor", "kepala"}
# A stage that fell due while the bot was down is sent at once if it is still this fresh,
# otherwise at the next start of working time (alerts go out in working time only).
FRESH = timedelta(minutes=15)
TICK_BATCH = 500


class Result(Enum):
    OK = "ok"
    NOT_FOUND = "not_found"
    REFUSED = "refused"
    NOT_REGISTERED = "not_registered"
    ALREADY_ANSWERED = "already_answered"
    CLOSED = "closed"
    NOT_ASKER = "not_asker"
    NOT_ANSWERED = "not_answered"
    TARGET_NOT_STAFF = "target_not_staff"


@dataclass(frozen=True)
class Done:
    result: Result
    ticket: Ticket | None = None


# ---- the schedule -----------------------------------------------------------------------
def stages(svc: Services, t: Ticket) -> list[tuple[str, datetime]]:
    """What happens to a ticket, and when, in its current state."""
    cal, s = svc.calendar, svc.settings
    if t.status == OPEN:
        plan = [
            (f"remind{i}", cal.add_working_hours(t.clock_start_at, share * s.sla_hours))
            for i, share in enumerate(s.reminder_shares)
        ]
        plan.append(("alert1", t.due_at))
        plan.append(("alert2", cal.add_working_hours(t.due_at, s.escalation_after_hours)))
        return plan
    if t.status == ANSWERED and t.answered_at is not None:
        return [("autoclose", cal.add_working_hours(t.answered_at, s.autoclose_hours))]
    return []


def next_due(svc: Services, t: Ticket, stage: int) -> datetime | None:
    plan = stages(svc, t)
    return plan[stage][1] if stage < len(plan) else None


def _with(t: Ticket, **changes: object) -> Ticket:
    from dataclasses import replace

    return replace(t, **changes)  # type: ignore[arg-type]


# ---- opening ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Opened:
    ticket: Ticket
    lo: people.User | None
    clock_starts: datetime | None  # set when recorded outside working time


async def open_in_group(
    svc: Services,
    chat_id: int,
    message_id: int,
    asker: people.User,
    text: str,
    attachment: tuple[str, str] | None = None,
    *,
    group: Group | None = None,
) -> Opened | Result:
    """Open a ticket for a group member's message (``group`` when the caller read it)."""
    group = group or await groups_repo.get(svc.db.reader, chat_id)
    if group is None or not group.active:
        return Result.NOT_REGISTERED
    kode = await groups_repo.operator_satker(svc.db.reader, asker.user_id, chat_id)
    return await _open(
        svc,
        channel="grup",
        chat_id=chat_id,
        message_id=message_id,
        asker=asker,
        text=text,
        lo_user_id=group.lo_user_id,
        kode_satker=kode,
        attachment=attachment,
        group_title=group.title,
    )


async def record_other_channel(
    svc: Services, cso: people.User, channel: str, kode_satker: str, text: str
) -> Opened | Result:
    """A CSO records a question that came by desk, phone, letter, e-mail or WhatsApp."""
    if not await svc.has_role(cso.user_id, "cso", "admin"):
        return Result.REFUSED
    return await _open(
        svc,
        channel=channel,
        chat_id=None,
        message_id=None,
        asker=None,
        text=text,
        lo_user_id=cso.user_id,
        kode_satker=kode_satker,
        recorded_by=cso.user_id,
        group_title=None,
    )


async def _open(
    svc: Services,
    *,
    channel: str,
    chat_id: int | None,
    message_id: int | None,
    asker: people.User | None,
    text: str,
    lo_user_id: int | None,
    kode_satker: str | None,
    group_title: str | None,
    attachment: tuple[str, str] | None = None,
    recorded_by: int | None = None,
) -> Opened:
    now = svc.clock.now()
    cal = svc.calendar
    due = cal.add_working_hours(now, svc.settings.sla_hours)
    starts = None if cal.is_working_time(now) else cal.next_working_start(now)
    async with svc.db.transaction() as tx:
        if chat_id is not None and message_id is not None:
            # Handling the same message twice (after a crash) must not open a second ticket.
            known = await repo.find_by_message(tx, chat_id, message_id)
            if known is not None:
                lo_known = await people.get_user(tx, known.lo_user_id) if known.lo_user_id else None
                return Opened(known, lo_known, starts)
        number = await repo.next_number(tx, svc.office_id, now.astimezone(svc.tz).year)
        ticket = await repo.insert(
            tx,
            office_id=svc.office_id,
            number=number,
            chat_id=chat_id,
            message_id=message_id,
            asker_id=asker.user_id if asker else None,
            asker_name=asker.full_name if asker else None,
            kode_satker=kode_satker,
            channel=channel,
            text=text,
            attachment_kind=attachment[0] if attachment else None,
            attachment_id=attachment[1] if attachment else None,
            lo_user_id=lo_user_id,
            recorded_by=recorded_by,
            status=OPEN,
            created_at=now,
            clock_start_at=now,
            due_at=due,
            first_due_at=due,
        )
        first = next_due(svc, ticket, 0)
        await repo.update(tx, ticket.id, next_due_at=first)
        ticket = _with(ticket, next_due_at=first)
        await repo.add_event(tx, ticket.id, now, recorded_by or ticket.asker_id, "dibuka", channel)
        lo = await people.get_user(tx, lo_user_id) if lo_user_id else None
        if lo_user_id and recorded_by is None:
            recipient = await _responsible(svc, tx, ticket)
            await outbox.enqueue(
                tx,
                f"ticket:{ticket.id}:new",
                recipient,
                msg.lo_new_ticket(ticket, group_title or "", svc.tz),
                now,
            )
        if chat_id is not None:
            # The asker's reply goes with the ticket: if Telegram fails, it is retried, and
            # a crash cannot leave a ticket the asker was never told about.
            await outbox.enqueue(
                tx,
                f"ticket:{ticket.id}:opened",
                chat_id,
                msg.opened(ticket, lo, starts, now, svc.tz),
                now,
                reply_to_message_id=message_id,
                priority=PRIORITY_REPLY,
                on_sent=f"{BOT_MESSAGE_HOOK}:{ticket.id}",
            )
    return Opened(ticket, lo, starts)


BOT_MESSAGE_HOOK = "ticket_bot_message"


async def record_bot_message(tx: aiosqlite.Connection, ticket_id: str, message_id: int) -> None:
    """Sent hook: remember the bot's reply, so that a reply to it finds the ticket."""
    await repo.update(tx, int(ticket_id), bot_message_id=message_id)


# ---- who may do what ------------------------------------------------------------------------
async def _responsible(svc: Services, conn: aiosqlite.Connection, t: Ticket) -> int:
    """Whoever should act now: the LO, or their backup while the LO is on leave."""
    lo = t.lo_user_id or t.recorded_by
    assert lo is not None
    today = svc.clock.now().astimezone(svc.tz).date()
    backup = await repo.backup_of(conn, lo, today)
    return backup or lo


async def may_answer(svc: Services, t: Ticket, user_id: int) -> bool:
    if await svc.has_role(user_id, "admin", "cso"):
        return True
    if user_id in (t.lo_user_id, t.recorded_by):
        return True
    today = svc.clock.now().astimezone(svc.tz).date()
    if t.lo_user_id and await repo.backup_of(svc.db.reader, t.lo_user_id, today) == user_id:
        return True
    if t.chat_id is not None:
        group = await groups_repo.get(svc.db.reader, t.chat_id)
        return group is not None and group.lo_user_id == user_id
    return False


async def lo_scope(svc: Services, user_id: int) -> list[int]:
    """The LOs whose tickets this user handles: themselves and those they stand in for."""
    today = svc.clock.now().astimezone(svc.tz).date()
    return [user_id, *await repo.backed_up_by(svc.db.reader, user_id, today)]


async def may_view(svc: Services, t: Ticket, user_id: int, chat_id: int, private: bool) -> bool:
    """No one sees another group's ticket: in a group only that group's tickets show."""
    if t.office_id != svc.office_id:
        return False
    if not private:
        return t.chat_id == chat_id
    roles = await svc.roles_of(user_id)
    if roles & OFFICE_WIDE:
        return True
    if t.asker_id == user_id:
        return True
    if "lo" in roles:
        return t.lo_user_id in await lo_scope(svc, user_id) or await may_answer(svc, t, user_id)
    return False


async def find(svc: Services, number: str) -> Ticket | None:
    return await repo.get_by_number(svc.db.reader, svc.office_id, number)


async def find_by_message(svc: Services, chat_id: int, message_id: int) -> Ticket | None:
    return await repo.find_by_message(svc.db.reader, chat_id, message_id)


# ---- answering and closing ----------------------------------------------------------------
async def answer(
    svc: Services, t: Ticket, user: people.User, text: str, *, posted_in_group: bool
) -> Done:
    """Record an answer. Unless the LO already wrote it in the group (a plain reply), the
    answer is posted there as a reply to the question, through the outbox."""
    if not await may_answer(svc, t, user.user_id):
        return Done(Result.REFUSED, t)
    if t.status == ANSWERED and t.answered_by == user.user_id and t.answer_text == text:
        return Done(Result.OK, t)  # the same answer handled again (after a crash): no change
    if t.status == ANSWERED:
        return Done(Result.ALREADY_ANSWERED, t)
    if t.status != OPEN:
        return Done(Result.CLOSED, t)
    now = svc.clock.now()
    # Stored to 0.01 h (36 s): reports group on this value for their percentiles.
    waited = round(t.waited_hours + svc.calendar.working_hours_between(t.clock_start_at, now), 2)
    changes = dict(
        status=ANSWERED,
        answered_at=now,
        answered_by=user.user_id,
        answer_text=text,
        waited_hours=waited,
        on_time=now <= t.due_at,
        stage=0,
    )
    answered = _with(t, **changes)
    autoclose = next_due(svc, answered, 0)
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, **changes, next_due_at=autoclose)
        await repo.add_event(tx, t.id, now, user.user_id, "dijawab", text[:500])
        if t.chat_id is not None:
            body = (
                msg.answered_in_group_note(answered, user)
                if posted_in_group
                else msg.answer_post(answered, user, text)
            )
            await outbox.enqueue(
                tx,
                f"ticket:{t.id}:answer:{t.reopen_count}",
                t.chat_id,
                body,
                now,
                reply_markup=msg.asker_buttons(t.id),
                reply_to_message_id=t.message_id,
            )
    return Done(Result.OK, _with(answered, next_due_at=autoclose))


async def asker_choice(svc: Services, ticket_id: int, user_id: int, choice: str) -> Done:
    """The asker's buttons: 'ok' (selesai), 'more' (reopen) or 'r1'..'r5' (rating)."""
    t = await repo.get(svc.db.reader, ticket_id)
    if t is None or t.office_id != svc.office_id:
        return Done(Result.NOT_FOUND)
    if t.asker_id != user_id:
        return Done(Result.NOT_ASKER, t)
    if choice.startswith("r") and choice[1:].isdigit() and 1 <= int(choice[1:]) <= 5:
        return await _rate(svc, t, int(choice[1:]))
    if t.status != ANSWERED:
        return Done(Result.CLOSED if t.status != OPEN else Result.NOT_ANSWERED, t)
    if choice == "ok":
        return await close(svc, t, user_id, DONE, "selesai")
    if choice == "more":
        return await reopen(svc, t, user_id)
    return Done(Result.NOT_FOUND, t)


async def _rate(svc: Services, t: Ticket, rating: int) -> Done:
    if t.status not in (ANSWERED, DONE):
        return Done(Result.NOT_ANSWERED, t)
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, rating=rating)
        await repo.add_event(tx, t.id, svc.clock.now(), t.asker_id, "dinilai", str(rating))
    return Done(Result.OK, _with(t, rating=rating))


async def close(svc: Services, t: Ticket, actor: int | None, status: str, event: str) -> Done:
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, status=status, closed_at=now, next_due_at=None)
        await repo.add_event(tx, t.id, now, actor, event)
    return Done(Result.OK, _with(t, status=status, closed_at=now, next_due_at=None))


async def close_not_question(svc: Services, t: Ticket, actor: int) -> Done:
    if not await may_answer(svc, t, actor):
        return Done(Result.REFUSED, t)
    if t.status != OPEN:
        return Done(Result.CLOSED, t)
    return await close(svc, t, actor, NOT_A_QUESTION, "bukan_pertanyaan")


async def reopen(svc: Services, t: Ticket, actor: int) -> Done:
    now = svc.clock.now()
    due = svc.calendar.add_working_hours(now, svc.settings.sla_hours)
    changes = dict(
        status=OPEN,
        clock_start_at=now,
        due_at=due,
        stage=0,
        answered_at=None,
        on_time=None,
        reopen_count=t.reopen_count + 1,
    )
    reopened = _with(t, **changes)
    first = next_due(svc, reopened, 0)
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, **changes, next_due_at=first)
        await repo.add_event(tx, t.id, now, actor, "dibuka_kembali")
        if t.lo_user_id:
            await outbox.enqueue(
                tx,
                f"ticket:{t.id}:reopen:{reopened.reopen_count}",
                await _responsible(svc, tx, t),
                msg.lo_reopened(reopened, svc.tz),
                now,
            )
    return Done(Result.OK, _with(reopened, next_due_at=first))


async def reassign(svc: Services, t: Ticket, actor: int, new_lo: people.User) -> Done:
    roles = await svc.roles_of(actor)
    if not (roles & OFFICE_WIDE or actor == t.lo_user_id):
        return Done(Result.REFUSED, t)
    if t.status != OPEN:
        return Done(Result.CLOSED, t)
    if not await svc.has_role(new_lo.user_id, "lo", "cso"):
        return Done(Result.TARGET_NOT_STAFF, t)
    now = svc.clock.now()
    moved = _with(t, lo_user_id=new_lo.user_id)
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, lo_user_id=new_lo.user_id)
        await repo.add_event(tx, t.id, now, actor, "dialihkan", str(new_lo.user_id))
        await outbox.enqueue(
            tx,
            f"ticket:{t.id}:assign:{new_lo.user_id}:{now.timestamp():.0f}",
            new_lo.user_id,
            msg.lo_assigned(moved, svc.tz),
            now,
        )
    return Done(Result.OK, moved)


async def set_backup(
    svc: Services, lo_id: int, backup: people.User, until: datetime | None
) -> Result:
    if not await svc.has_role(lo_id, "lo"):
        return Result.REFUSED
    if not await svc.has_role(backup.user_id, "lo", "cso"):
        return Result.TARGET_NOT_STAFF
    async with svc.db.transaction() as tx:
        if until is None:
            await repo.clear_backup(tx, lo_id)
        else:
            await repo.set_backup(tx, lo_id, backup.user_id, until.date(), svc.clock.now())
    return Result.OK


async def clear_backup(svc: Services, lo_id: int) -> bool:
    async with svc.db.transaction() as tx:
        return await repo.clear_backup(tx, lo_id)


# ---- the tick: reminders, alerts, escalation, auto-close -----------------------------------
class _Batch:
    """The writes of one scan batch, done with executemany, and lookups cached for it:
    a busy tick after downtime must not cost a dozen round trips per ticket."""

    def __init__(self, svc: Services, tx: aiosqlite.Connection, now: datetime) -> None:
        self.svc, self.tx, self.now = svc, tx, now
        self.messages: list[tuple[str, int, str, datetime]] = []
        self.events: list[tuple[int, datetime, int | None, str, str | None]] = []
        self.stages: list[tuple[int, int, datetime | None]] = []
        self._cache: dict[tuple[object, ...], object] = {}

    async def cached(self, key: tuple[object, ...], load: Callable[[], Awaitable[T]]) -> T:
        if key not in self._cache:
            self._cache[key] = await load()
        return self._cache[key]  # type: ignore[return-value]

    async def flush(self) -> None:
        await outbox.enqueue_many(self.tx, self.messages, self.now)
        await repo.add_events(self.tx, self.events)
        await repo.advance_stages(self.tx, self.stages)


async def scan(svc: Services) -> int:
    """Turn every stage that fell due into outbox rows; returns how many stages ran."""
    now = svc.clock.now()
    done = 0
    while True:
        due = await repo.fell_due(svc.db.reader, now, TICK_BATCH)
        if not due:
            return done
        async with svc.db.transaction() as tx:
            batch = _Batch(svc, tx, now)
            for t in due:
                await _run_stage(batch, t)
            await batch.flush()
        done += len(due)
        if len(due) < TICK_BATCH:
            return done


async def _run_stage(b: _Batch, t: Ticket) -> None:
    svc, now = b.svc, b.now
    plan = stages(svc, t)
    if t.stage >= len(plan):
        b.stages.append((t.id, t.stage, None))
        return
    kind, at = plan[t.stage]
    if kind == "autoclose":
        await repo.update(b.tx, t.id, status=DONE, closed_at=now, next_due_at=None)
        b.events.append((t.id, now, None, "ditutup_otomatis", None))
        return
    cal = svc.calendar
    fresh = cal.is_working_time(now) or now - at <= FRESH
    not_before = now if fresh else cal.next_working_start(now)
    for recipient, text in await _stage_messages(b, t, kind):
        key = f"ticket:{t.id}:{t.reopen_count}:{kind}:{recipient}"
        b.messages.append((key, recipient, text, not_before))
    b.events.append((t.id, now, None, kind, None))
    following = plan[t.stage + 1][1] if t.stage + 1 < len(plan) else None
    b.stages.append((t.id, t.stage + 1, following))


async def _stage_messages(b: _Batch, t: Ticket, kind: str) -> list[tuple[int, str]]:
    svc, tx, now = b.svc, b.tx, b.now
    group = (
        await b.cached(("group", t.chat_id), lambda: groups_repo.get(tx, t.chat_id or 0))
        if t.chat_id is not None
        else None
    )
    satker = None
    if t.chat_id is not None and t.kode_satker:
        chat, kode = t.chat_id, t.kode_satker
        satker = await b.cached(
            ("satker", chat, kode), lambda: groups_repo.satker_name(tx, chat, kode)
        )
    lo = None
    if t.lo_user_id:
        lo_id = t.lo_user_id
        lo = await b.cached(("user", lo_id), lambda: people.get_user(tx, lo_id))
    ctx = msg.TicketContext(t, group.title if group else None, satker, lo, svc.tz)
    if kind.startswith("remind"):
        left = svc.calendar.working_hours_between(now, t.due_at)
        lo_key = t.lo_user_id or t.recorded_by
        recipient = await b.cached(("responsible", lo_key), lambda: _responsible(svc, tx, t))
        return [(recipient, msg.reminder(ctx, left))]
    late = svc.calendar.working_hours_between(t.due_at, now)
    level = int(kind[-1])
    text = msg.alert(ctx, level, late)
    recipients = await b.cached(("alert", level), lambda: _alert_recipients(svc, tx, level))
    return [(uid, text) for uid in recipients]


async def _alert_recipients(svc: Services, tx: aiosqlite.Connection, level: int) -> list[int]:
    """Level 1: supervisors; level 2: head of office. Nobody in a role: the next one up
    or down the chain, then the admins, so an alert is never dropped for want of a name."""
    chain = ["supervisor", "kepala"] if level == 1 else ["kepala", "supervisor"]
    for role in chain:
        users = await people.holders(tx, svc.office_id, role)
        if users:
            return [u.user_id for u in users]
    admins = {u.user_id for u in await people.holders(tx, svc.office_id, "admin")}
    return sorted(admins | set(svc.settings.admin_ids))


async def recompute_open(svc: Services) -> None:
    """After a calendar change: open tickets get new deadlines; answered ones keep theirs."""
    ids = await repo.open_ids(svc.db.reader, svc.office_id)
    async with svc.db.transaction() as tx:
        for ticket_id in ids:
            t = await repo.get(tx, ticket_id)
            if t is None:
                continue
            due = svc.calendar.add_working_hours(t.clock_start_at, svc.settings.sla_hours)
            moved = _with(t, due_at=due)
            first_due = due if t.reopen_count == 0 else t.first_due_at
            await repo.update(
                tx,
                t.id,
                due_at=due,
                first_due_at=first_due,
                next_due_at=next_due(svc, moved, t.stage),
            )
