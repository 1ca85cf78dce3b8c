"""Group messages have one owner: this decides what a member's message is. No Telegram.

In order, and the first that applies wins:
1. the group is not registered (or inactive): a question gets one polite note per hour
   (so the asker knows why nobody answers), anything else silence;
2. a staff member's reply to a ticketed question is that ticket's answer, or, when it only
   acknowledges it ("kami cek dulu"), marks it "sedang diproses" and keeps it open;
3. anything else from staff is their own conversation: silence;
4. a member's reply to a message about an open (or answered) ticket joins that ticket
   (a photo's or document's caption too, with its file);
5. the asker's next message within half an hour of "Masih ada pertanyaan" joins the
   reopened ticket, question or not (the bot has just asked for it), unless it is only
   thanks or chatter;
6. a question the FAQ answers confidently is answered from the FAQ;
7. a question from someone whose ticket in this group opened today joins that ticket;
8. any other question (or problem report) becomes a ticket;
9. the rest (thanks, greetings, chatter) gets silence.
The group row and the author's roles are read once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from bot import faq, faq_flow, tickets
from bot.holding import is_holding
from bot.questions import is_chatter, is_question, is_social
from bot.services import Services
from bot.tickets import followups
from messages import common as common_msg
from storage import groups as groups_repo
from storage import outbox
from storage.models import PRIORITY_REPLY, ROLES, Group, User
from storage.timefmt import parse_ts


class Outcome(Enum):
    NOT_REGISTERED = "not_registered"
    STAFF_ANSWER = "staff_answer"
    HOLDING = "holding"
    FOLLOW_UP = "follow_up"
    FAQ_ANSWER = "faq_answer"
    TICKET = "ticket"
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


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    faq: tuple[faq.Match, str, int] | None = None  # match, aspect, log id
    opened: tickets.Opened | None = None
    answered: tickets.Done | None = None
    attached: followups.Attached | None = None


async def decide(svc: Services, m: GroupMessage) -> Decision:
    group = await groups_repo.get(svc.db.reader, m.chat_id)
    if group is None or not group.active:
        if m.text and is_question(m.text):
            await _note_not_registered(svc, m)
        return Decision(Outcome.NOT_REGISTERED)
    staff = bool(await svc.roles_of(m.author.user_id) & set(ROLES))
    if m.reply_to_message_id is not None and not m.is_caption:
        answered = await _reply_answer(svc, m, m.reply_to_message_id)
        if answered is not None:
            held = is_holding(m.text)
            return Decision(Outcome.HOLDING if held else Outcome.STAFF_ANSWER, answered=answered)
    if staff or not m.text:
        return Decision(Outcome.SILENCE)
    if m.reply_to_message_id is not None and not is_chatter(m.text):
        attached = await _reply_detail(svc, m, m.reply_to_message_id)
        if attached is not None:
            return Decision(Outcome.FOLLOW_UP, attached=attached)
    if not is_chatter(m.text) and not is_social(m.text):
        reopened = await followups.awaiting_after_reopen(svc, m.chat_id, m.author.user_id)
        if reopened is not None:
            return Decision(Outcome.FOLLOW_UP, attached=await _attach(svc, reopened, m, False))
    if not m.is_caption:
        found = await faq_flow.consider(svc, m.chat_id, m.message_id, m.author.user_id, m.text)
        if found is not None:
            return Decision(Outcome.FAQ_ANSWER, faq=found)
    if not is_question(m.text):
        return Decision(Outcome.SILENCE)
    earlier = await followups.same_day_open(svc, m.chat_id, m.author.user_id)
    if earlier is not None:
        return Decision(Outcome.FOLLOW_UP, attached=await _attach(svc, earlier, m, True))
    return Decision(Outcome.TICKET, opened=await _open(svc, m, group))


async def _reply_detail(
    svc: Services, m: GroupMessage, replied_to: int
) -> followups.Attached | None:
    """A member's reply about a ticket: a detail of an open one, or (the asker's question
    to the answer) a follow-up that reopens an answered one."""
    ticket = await tickets.find_by_message(svc, m.chat_id, replied_to)
    if ticket is None:
        return None
    reopens = (
        ticket.status == tickets.ANSWERED
        and ticket.asker_id == m.author.user_id
        and is_question(m.text)
    )
    if ticket.status != tickets.OPEN and not reopens:
        return None
    return await _attach(svc, ticket, m, False)


async def _attach(
    svc: Services, t: tickets.Ticket, m: GroupMessage, offer_split: bool
) -> followups.Attached:
    """The message joins ``t``: its text or caption, and its photo or document if any."""
    return await followups.attach(
        svc,
        t,
        m.chat_id,
        m.message_id,
        m.author,
        m.text,
        offer_split=offer_split,
        attachment=m.attachment,
    )


async def _reply_answer(svc: Services, m: GroupMessage, replied_to: int) -> tickets.Done | None:
    """A reply to a ticketed question by someone who may answer it is the answer (or, if
    it only acknowledges the question, the ticket is marked in progress)."""
    ticket = await tickets.find_by_message(svc, m.chat_id, replied_to)
    if ticket is None or ticket.status != tickets.OPEN:
        return None
    if not await tickets.may_answer(svc, ticket, m.author.user_id):
        return None
    if is_holding(m.text):
        done = await tickets.hold(svc, ticket, m.author, m.text, posted_in_group=True)
    else:
        done = await tickets.answer(svc, ticket, m.author, m.text, posted_in_group=True)
    return done if done.result is tickets.Result.OK else None


async def _open(svc: Services, m: GroupMessage, group: Group) -> tickets.Opened:
    opened = await tickets.open_in_group(
        svc, m.chat_id, m.message_id, m.author, m.text, m.attachment, group=group
    )
    assert isinstance(opened, tickets.Opened)  # the group was checked above
    return opened


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
