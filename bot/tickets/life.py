"""A ticket's life: opening, answering, closing, reopening, reassigning, backups.

No Telegram here. Every change is one transaction that also writes the outbox rows it
causes (notices to LOs, alerts, the answer posted in the group), so a crash can never
leave a changed ticket without its message or a message without its change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import aiosqlite

from bot import digest
from bot.deadlines import cso_day
from bot.services import Services
from bot.tickets.links import notice_hook
from bot.tickets.schedule import next_due, responsible, with_changes
from messages import tickets as msg
from storage import groups as groups_repo
from storage import outbox, people
from storage import tickets as repo
from storage.models import PRIORITY_REPLY, Group
from storage.tickets import ANSWERED, DONE, NOT_A_QUESTION, OPEN, Ticket

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


# ---- opening ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Opened:
    ticket: Ticket
    lo: people.User | None
    clock_starts: datetime | None  # set when recorded outside working time
    late_record: bool = False  # a CSO recorded it after 17.00 (seed 003)


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
    svc: Services,
    cso: people.User,
    channel: str,
    kode_satker: str,
    text: str,
    received_at: datetime | None = None,
) -> Opened | Result:
    """A CSO records a question that came by desk, phone, letter, e-mail or WhatsApp.

    The SLA runs from ``received_at`` (when the question came in) when given; a record made
    after 17.00 of that day is flagged."""
    if not await svc.has_role(cso.user_id, "cso", "admin"):
        return Result.REFUSED
    received = received_at or svc.clock.now()
    return await _open(
        svc,
        received_at=received,
        late_record=cso_day.is_late_record(svc, received, svc.clock.now()),
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
    received_at: datetime | None = None,
    late_record: bool = False,
) -> Opened:
    now = svc.clock.now()
    start = received_at or now  # the SLA runs from when the question came in
    cal = svc.calendar
    due = cal.add_working_hours(start, svc.settings.sla_hours)
    starts = None if cal.is_working_time(start) else cal.next_working_start(start)
    async with svc.db.transaction() as tx:
        if chat_id is not None and message_id is not None:
            # Handling the same message twice (after a crash) must not open a second ticket.
            known = await repo.by_question(tx, chat_id, message_id)
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
            created_at=start,
            clock_start_at=start,
            due_at=due,
            first_due_at=due,
        )
        first = next_due(svc, ticket, 0)
        await repo.update(tx, ticket.id, next_due_at=first)
        ticket = with_changes(ticket, next_due_at=first)
        await repo.add_event(tx, ticket.id, now, recorded_by or ticket.asker_id, "dibuka", channel)
        if late_record:
            await repo.add_event(tx, ticket.id, now, recorded_by, "dicatat_lewat_batas", None)
        lo = await people.get_user(tx, lo_user_id) if lo_user_id else None
        if lo_user_id and recorded_by is None:
            await digest.notify(
                svc,
                tx,
                key=f"ticket:{ticket.id}:new",
                user_id=await responsible(svc, tx, ticket),
                text=msg.lo_new_ticket(ticket, group_title or "", svc.tz),
                line=msg.new_ticket_line(ticket, group_title or "", svc.tz),
                ticket_id=ticket.id,
            )
        if chat_id is not None:
            # The asker's reply goes with the ticket: if Telegram fails, it is retried, and
            # a crash cannot leave a ticket the asker was never told about.
            await outbox.enqueue(
                tx,
                f"ticket:{ticket.id}:opened",
                chat_id,
                msg.opened(ticket, lo, starts, now, svc.tz, svc.settings.office_name),
                now,
                reply_to_message_id=message_id,
                priority=PRIORITY_REPLY,
                on_sent=f"{BOT_MESSAGE_HOOK}:{ticket.id}",
            )
    return Opened(ticket, lo, starts, late_record)


BOT_MESSAGE_HOOK = "ticket_bot_message"


async def record_bot_message(tx: aiosqlite.Connection, ticket_id: str, message_id: int) -> None:
    """Sent hook: remember the bot's reply, so that a reply to it finds the ticket."""
    await repo.update(tx, int(ticket_id), bot_message_id=message_id)


async def tickets_of_message(svc: Services, chat_id: int, message_id: int) -> list[Ticket]:
    """The tickets a bot message in this chat is about (a notice, a digest, a prompt)."""
    return await repo.linked_to_message(svc.db.reader, chat_id, message_id)


async def prompt_answer(svc: Services, key: str, user_id: int, t: Ticket) -> None:
    """The "Jawab" button: a ForceReply prompt whose reply is the ticket's answer."""
    async with svc.db.transaction() as tx:
        await outbox.enqueue(
            tx,
            key,
            user_id,
            msg.answer_prompt(t),
            svc.clock.now(),
            reply_markup=msg.answer_prompt_markup(t),
            priority=PRIORITY_REPLY,
            on_sent=notice_hook(user_id, [t.id]),
        )


# ---- who may do what ------------------------------------------------------------------------
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


async def find_by_id(svc: Services, ticket_id: int) -> Ticket | None:
    t = await repo.get(svc.db.reader, ticket_id)
    return t if t is not None and t.office_id == svc.office_id else None


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
        progress_at=None,
        progress_note=None,
    )
    answered = with_changes(t, **changes)
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
                on_sent=notice_hook(t.chat_id, [t.id]),
            )
    return Done(Result.OK, with_changes(answered, next_due_at=autoclose))


DEFAULT_PROGRESS_NOTE = "sedang diproses"


async def hold(
    svc: Services, t: Ticket, user: people.User, note: str, *, posted_in_group: bool
) -> Done:
    """Mark an open ticket "sedang diproses": the asker is told (unless the LO's own reply
    in the group already says so); the SLA clock keeps running and no rating is asked."""
    if not await may_answer(svc, t, user.user_id):
        return Done(Result.REFUSED, t)
    if t.status != OPEN:
        return Done(Result.ALREADY_ANSWERED if t.status == ANSWERED else Result.CLOSED, t)
    note = note.strip() or DEFAULT_PROGRESS_NOTE
    if t.progress_at is not None and t.progress_note == note:
        return Done(Result.OK, t)  # the same update handled again: no change
    now = svc.clock.now()
    held = with_changes(t, progress_at=now, progress_note=note)
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, progress_at=now, progress_note=note)
        await repo.add_event(tx, t.id, now, user.user_id, "diproses", note[:500])
        if t.chat_id is not None and not posted_in_group:
            await outbox.enqueue(
                tx,
                f"ticket:{t.id}:progress:{now.timestamp():.0f}",
                t.chat_id,
                msg.progress_post(held, user, note, svc.tz),
                now,
                reply_to_message_id=t.message_id,
                on_sent=notice_hook(t.chat_id, [t.id]),
            )
    return Done(Result.OK, held)


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
    return Done(Result.OK, with_changes(t, rating=rating))


async def close(svc: Services, t: Ticket, actor: int | None, status: str, event: str) -> Done:
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, status=status, closed_at=now, next_due_at=None)
        await repo.add_event(tx, t.id, now, actor, event)
    return Done(Result.OK, with_changes(t, status=status, closed_at=now, next_due_at=None))


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
    reopened = with_changes(t, **changes)
    first = next_due(svc, reopened, 0)
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, **changes, next_due_at=first)
        await repo.add_event(tx, t.id, now, actor, "dibuka_kembali")
        if t.lo_user_id:
            await digest.notify(
                svc,
                tx,
                key=f"ticket:{t.id}:reopen:{reopened.reopen_count}",
                user_id=await responsible(svc, tx, t),
                text=msg.lo_reopened(reopened, svc.tz),
                line=msg.reopened_line(reopened, svc.tz),
                ticket_id=t.id,
            )
    return Done(Result.OK, with_changes(reopened, next_due_at=first))


async def reassign(svc: Services, t: Ticket, actor: int, new_lo: people.User) -> Done:
    roles = await svc.roles_of(actor)
    if not (roles & OFFICE_WIDE or actor == t.lo_user_id):
        return Done(Result.REFUSED, t)
    if t.status != OPEN:
        return Done(Result.CLOSED, t)
    if not await svc.has_role(new_lo.user_id, "lo", "cso"):
        return Done(Result.TARGET_NOT_STAFF, t)
    now = svc.clock.now()
    moved = with_changes(t, lo_user_id=new_lo.user_id)
    async with svc.db.transaction() as tx:
        await repo.update(tx, t.id, lo_user_id=new_lo.user_id)
        await repo.add_event(tx, t.id, now, actor, "dialihkan", str(new_lo.user_id))
        await digest.notify(
            svc,
            tx,
            key=f"ticket:{t.id}:assign:{new_lo.user_id}:{now.timestamp():.0f}",
            user_id=new_lo.user_id,
            text=msg.lo_assigned(moved, svc.tz),
            line=msg.assigned_line(moved, svc.tz),
            ticket_id=t.id,
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
