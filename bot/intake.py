"""Group messages have one owner: this decides what a message does. No Telegram.

Each message is read once (bot/conversation/reading.py: question, case, answer, holding,
detail, clarification, complaint, status request, chat; ticket numbers and a person it is
addressed to). Then it is assigned with the group's short memory: explicit signals first
(the replied message's ticket, a ticket number in the text), then the conversation (the
group's open tickets and their askers, the asker's latest FAQ answer). In order:

1. an unregistered (or inactive) group: a question gets one polite note per hour;
2. staff: a reply to (or the number of) an open ticket answers it, or marks it "sedang
   diproses" when it only acknowledges; an answer typed without reply is assigned to the
   open ticket it certainly answers, or kept and its author asked privately with one tap;
   anything else from staff is their own conversation;
3. members: chat, and anything said to a named colleague, is silence;
4. a reply to (or the number of) a ticket joins it as a detail, or reopens an answered one
   when its asker asks again;
5. a complaint is recorded as a complaint (its handlers are told, not the LO);
6. "sudah dijawab belum?" gets the asker's own tickets in this group;
7. the asker's next message within half an hour of "Masih ada pertanyaan" joins the
   reopened ticket;
8. a detail (a screenshot, "ini pak", a number) joins the asker's ticket opened today, or
   turns their question the FAQ just answered into a ticket;
9. "maksud saya bukan itu" after an FAQ answer makes that question a ticket;
10. a specific case is a ticket; a general question the FAQ answers confidently is
    answered; any other question is a ticket: a new question is a new ticket, never folded
    into the asker's earlier one.
The group row and the author's roles are read once, here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from bot import complaints, faq, faq_flow, roles, tickets
from bot.conversation import assign, drafts, policy
from bot.conversation.reading import Kind, Reading, read
from bot.services import Services
from bot.tickets import followups
from messages import common as common_msg
from storage import faq as faq_repo
from storage import groups as groups_repo
from storage import outbox, people
from storage import tickets as tickets_repo
from storage.models import PRIORITY_REPLY, Group, Ticket, User
from storage.timefmt import parse_ts


class Outcome(Enum):
    NOT_REGISTERED = "not_registered"
    STAFF_ANSWER = "staff_answer"
    HOLDING = "holding"
    ASKED_AUTHOR = "asked_author"  # a staff text kept; its author asked which ticket
    FOLLOW_UP = "follow_up"
    FAQ_ANSWER = "faq_answer"
    TICKET = "ticket"
    COMPLAINT = "complaint"
    STATUS = "status"
    SILENCE = "silence"


@dataclass(frozen=True)
class GroupMessage:
    chat_id: int
    message_id: int
    author: User
    text: str  # the text, or a photo's or document's caption
    is_caption: bool = False
    reply_to_message_id: int | None = None
    attachment: tuple[str, str] | None = None  # (kind, Telegram file id)
    bot_username: str = ""


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    faq: tuple[faq.Match, str, int] | None = None  # match, aspect, log id
    opened: tickets.Opened | None = None
    answered: tickets.Done | None = None
    attached: followups.Attached | None = None
    own_tickets: tuple[Ticket, ...] = ()
    reading: Reading | None = None


SILENCE = Decision(Outcome.SILENCE)
# A detail ("ini pak" + screenshot) or "maksud saya bukan itu" refers to an FAQ answer
# given to the same person this recently.
FAQ_MEMORY = timedelta(minutes=30)
# "Sudah dijawab belum?" lists this many of the asker's latest tickets.
STATUS_LIST = 5


async def decide(svc: Services, m: GroupMessage) -> Decision:
    group = await groups_repo.get(svc.db.reader, m.chat_id)
    staff = await roles.is_staff(svc, m.author.user_id)
    text = without_bot_mention(m.text, m.bot_username)
    reading = read(text, from_staff=staff, has_media=m.attachment is not None)
    if group is None or not group.active:
        if reading.kind in (Kind.QUESTION, Kind.CASE):
            await _note_not_registered(svc, m)
        return Decision(Outcome.NOT_REGISTERED, reading=reading)
    pointed = await _pointed(svc, m, reading)
    if staff:
        return await _from_staff(svc, m, reading, pointed)
    return await _from_member(svc, m, reading, pointed, group)


def without_bot_mention(text: str, bot_username: str) -> str:
    """ "@lobot_bot mohon info ...": said to the bot, not to a member named Lobot."""
    head = f"@{bot_username}".lower()
    if bot_username and text.lstrip().lower().startswith(head):
        return text.lstrip()[len(head) :].lstrip(" ,:")
    return text


async def _pointed(svc: Services, m: GroupMessage, reading: Reading) -> Ticket | None:
    """The ticket the message explicitly points at: the replied message's, else a ticket
    number written in the text (of this group)."""
    if m.reply_to_message_id is not None:
        found = await tickets.find_by_message(svc, m.chat_id, m.reply_to_message_id)
        if found is not None:
            return found
    for number in reading.ticket_numbers:
        t = await tickets.find(svc, number)
        if t is not None and t.chat_id == m.chat_id:
            return t
    return None


# ---- staff ------------------------------------------------------------------------------
async def _from_staff(
    svc: Services, m: GroupMessage, reading: Reading, pointed: Ticket | None
) -> Decision:
    if reading.kind not in (Kind.ANSWER, Kind.HOLDING):
        return Decision(Outcome.SILENCE, reading=reading)
    if pointed is not None:
        return await _staff_on(svc, m, reading, pointed)
    found = await assign.for_staff_message(
        svc, m.chat_id, m.message_id, m.author.user_id, m.text, reading
    )
    if not found.tickets:
        return Decision(Outcome.SILENCE, reading=reading)
    if found.certain:
        return await _staff_on(svc, m, reading, found.tickets[0])
    if reading.kind is Kind.HOLDING:
        return Decision(Outcome.SILENCE, reading=reading)  # not worth a question to the LO
    await drafts.ask(svc, m.author, m.chat_id, m.message_id, m.text, found.tickets, in_group=True)
    return Decision(Outcome.ASKED_AUTHOR, reading=reading)


async def _staff_on(svc: Services, m: GroupMessage, reading: Reading, t: Ticket) -> Decision:
    """A staff message about ``t``: its answer, or "sedang diproses"."""
    if t.status != tickets.OPEN or not await tickets.may_answer(svc, t, m.author.user_id):
        return Decision(Outcome.SILENCE, reading=reading)
    if reading.kind is Kind.HOLDING:
        done = await tickets.hold(svc, t, m.author, m.text, posted_in_group=True)
        outcome = Outcome.HOLDING
    else:
        done = await tickets.answer(svc, t, m.author, m.text, posted_in_group=True)
        outcome = Outcome.STAFF_ANSWER
    if done.result is not tickets.Result.OK:
        return Decision(Outcome.SILENCE, reading=reading)
    return Decision(outcome, answered=done, reading=reading)


# ---- members ----------------------------------------------------------------------------
async def _from_member(
    svc: Services, m: GroupMessage, reading: Reading, pointed: Ticket | None, group: Group
) -> Decision:
    kind = reading.kind
    if await _said_to_colleague(svc, reading, group):
        return Decision(Outcome.SILENCE, reading=reading)
    if kind is Kind.CHAT:
        return await _hushed(svc, m, reading) if reading.hushed else _silence(reading)
    if pointed is not None and kind is not Kind.STATUS:
        attached = await _on_ticket(svc, m, reading, pointed)
        if attached is not None:
            return Decision(Outcome.FOLLOW_UP, attached=attached, reading=reading)
    if kind is Kind.COMPLAINT:
        return await _complaint(svc, m, reading)
    if kind is Kind.STATUS:
        own = await tickets_repo.recent_of_asker(
            svc.db.reader, m.chat_id, m.author.user_id, STATUS_LIST
        )
        return Decision(Outcome.STATUS, own_tickets=tuple(own), reading=reading)
    reopened = await followups.awaiting_after_reopen(svc, m.chat_id, m.author.user_id)
    if reopened is not None:
        return _followup(await _attach(svc, reopened, m), reading)
    if kind is Kind.DETAIL:
        return await _detail(svc, m, reading, group)
    if kind is Kind.STATEMENT:
        return Decision(Outcome.SILENCE, reading=reading)  # the group's own talk
    if kind is Kind.CLARIFY:
        return await _clarify(svc, m, reading, group)
    return await _question(svc, m, reading, group)


def _silence(reading: Reading) -> Decision:
    return Decision(Outcome.SILENCE, reading=reading)


async def _hushed(svc: Services, m: GroupMessage, reading: Reading) -> Decision:
    """A question the model took for chat: answered only from an entry it never saw (an
    LO's approved answer), else the silence chat gets."""
    if m.is_caption:
        return _silence(reading)
    found = await faq_flow.consider(svc, m.chat_id, m.message_id, m.author.user_id, reading, m.text)
    if found is None:
        return _silence(reading)
    return Decision(Outcome.FAQ_ANSWER, faq=found, reading=reading)


async def _said_to_colleague(svc: Services, reading: Reading, group: Group) -> bool:
    """ "Pak Budi, ..." said to someone who is not the group's LO."""
    if reading.addressed_to is None:
        return False
    lo = await people.get_user(svc.db.reader, group.lo_user_id) if group.lo_user_id else None
    if lo is None:
        return True
    first = lo.full_name.split()[:1]
    # By first name ("Pak Budi, ...") or by username ("@budi_kppn ...": its letters).
    names = {first[0].lower()} if first else set()
    if lo.username:
        names.add(re.split(r"[^a-z]", lo.username.lower(), maxsplit=1)[0])
    return reading.addressed_to not in names


async def _on_ticket(
    svc: Services, m: GroupMessage, reading: Reading, t: Ticket
) -> followups.Attached | None:
    """A member's message about a ticket: a detail of an open one, or (its asker asking
    again after the answer) a follow-up that reopens an answered one."""
    asks_again = reading.kind in (Kind.QUESTION, Kind.CASE, Kind.CLARIFY)
    reopens = t.status == tickets.ANSWERED and t.asker_id == m.author.user_id and asks_again
    if t.status != tickets.OPEN and not reopens:
        return None
    return await _attach(svc, t, m)


async def _complaint(svc: Services, m: GroupMessage, reading: Reading) -> Decision:
    filed = await complaints.file(svc, m.author, m.text, m.message_id, m.chat_id, m.bot_username)
    if isinstance(filed, complaints.Result):
        return Decision(Outcome.SILENCE, reading=reading)
    return Decision(Outcome.COMPLAINT, reading=reading)


async def _detail(svc: Services, m: GroupMessage, reading: Reading, group: Group) -> Decision:
    """A screenshot or "ini pak": it belongs to what the asker asked last."""
    earlier = await followups.same_day_open(svc, m.chat_id, m.author.user_id)
    if earlier is not None:
        return _followup(await _attach(svc, earlier, m), reading)
    asked = await _recent_faq_answer(svc, m)
    if asked is not None:
        return await _ticket_after_faq(svc, m, reading, group, asked)
    if policy.route(reading, None) is policy.Route.TICKET:
        return await _open(svc, m, reading, group, m.text)  # a case of its own
    return _silence(reading)


async def _clarify(svc: Services, m: GroupMessage, reading: Reading, group: Group) -> Decision:
    """ "Maksud saya bukan itu": the FAQ answer missed; the LO takes the question."""
    asked = await _recent_faq_answer(svc, m)
    if asked is not None:
        return await _ticket_after_faq(svc, m, reading, group, asked)
    earlier = await followups.same_day_open(svc, m.chat_id, m.author.user_id)
    if earlier is not None:
        return _followup(await _attach(svc, earlier, m), reading)
    return await _open(svc, m, reading, group, m.text)


async def _question(svc: Services, m: GroupMessage, reading: Reading, group: Group) -> Decision:
    found = None
    if reading.kind is Kind.QUESTION and not m.is_caption:
        found = await faq_flow.consider(
            svc, m.chat_id, m.message_id, m.author.user_id, reading, m.text
        )
    match = found[0] if found is not None else None
    to = policy.route(reading, match)
    if to in (policy.Route.FAQ_ANSWER, policy.Route.ASK_BACK):
        return Decision(Outcome.FAQ_ANSWER, faq=found, reading=reading)
    if to is policy.Route.TICKET:
        return await _open(svc, m, reading, group, m.text)
    return Decision(Outcome.SILENCE, reading=reading)


async def _recent_faq_answer(svc: Services, m: GroupMessage) -> faq_flow.Asked | None:
    since = svc.clock.now() - FAQ_MEMORY
    row = await faq_repo.last_answered(svc.db.reader, m.chat_id, m.author.user_id, since)
    if row is None or row["message_id"] is None:
        return None
    return faq_flow.Asked(row["id"], row["message_id"], row["question"])


async def _ticket_after_faq(
    svc: Services, m: GroupMessage, reading: Reading, group: Group, asked: faq_flow.Asked
) -> Decision:
    """The question the FAQ answered becomes a ticket with this message as its detail."""
    text = f"{asked.question}\n{m.text}".strip()
    decision = await _open(svc, m, reading, group, text)
    if decision.opened is not None:
        await faq_flow.missed(svc, asked.log_id, decision.opened.ticket.id)
    return decision


def _followup(attached: followups.Attached, reading: Reading) -> Decision:
    return Decision(Outcome.FOLLOW_UP, attached=attached, reading=reading)


async def _attach(svc: Services, t: Ticket, m: GroupMessage) -> followups.Attached:
    """The message joins ``t``: its text or caption, and its photo or document if any."""
    return await followups.attach(
        svc,
        t,
        m.chat_id,
        m.message_id,
        m.author,
        m.text,
        offer_split=False,
        attachment=m.attachment,
    )


async def _open(
    svc: Services, m: GroupMessage, reading: Reading, group: Group, text: str
) -> Decision:
    opened = await tickets.open_in_group(
        svc, m.chat_id, m.message_id, m.author, text, m.attachment, group=group
    )
    assert isinstance(opened, tickets.Opened)  # the group was checked above
    return Decision(Outcome.TICKET, opened=opened, reading=reading)


NOTE_EVERY = timedelta(hours=1)


async def _note_not_registered(svc: Services, m: GroupMessage) -> None:
    """At most one note an hour per group: "belum terdaftar", and who can fix it."""
    now = svc.clock.now()
    prefix = f"unregistered:{m.chat_id}:"
    async with svc.db.transaction() as tx:
        last = await outbox.last_created_with_prefix(tx, prefix)
        if last is not None and now - parse_ts(last) < NOTE_EVERY:
            return
        await outbox.enqueue(
            tx,
            f"{prefix}{m.message_id}",
            m.chat_id,
            common_msg.group_not_registered(),
            now,
            reply_to_message_id=m.message_id,
            priority=PRIORITY_REPLY,
        )
