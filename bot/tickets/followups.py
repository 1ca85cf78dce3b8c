"""One conversation, one ticket: details and follow-ups join the ticket they belong to.

A member's reply to any message about an open ticket (the question, the bot's posts, an
earlier follow-up) is a detail of that ticket; the asker's question replying to an answer
reopens it; a new question from the same asker in the same group on the same day, while
their ticket is open, is attached too, with a button to split it off as a new ticket.
No Telegram here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from bot import digest
from bot.services import Services
from bot.tickets import life
from bot.tickets.links import notice_hook
from bot.tickets.schedule import responsible
from messages import tickets as msg
from storage import outbox
from storage import tickets as repo
from storage.models import PRIORITY_REPLY, Ticket, User


@dataclass(frozen=True)
class Attached:
    ticket: Ticket
    followup_id: int


# After "Masih ada pertanyaan" the asker's next message is taken as the follow-up, even
# when it is not phrased as a question, if it comes this soon (the bot has just asked for it).
AFTER_REOPEN = timedelta(minutes=30)


async def awaiting_after_reopen(svc: Services, chat_id: int, asker_id: int) -> Ticket | None:
    """The asker's ticket reopened within AFTER_REOPEN whose follow-up has not come yet."""
    since = svc.clock.now() - AFTER_REOPEN
    return await repo.reopened_awaiting(svc.db.reader, chat_id, asker_id, since)


async def same_day_open(svc: Services, chat_id: int, asker_id: int) -> Ticket | None:
    """The asker's open ticket in this group whose clock started today (office time)."""
    today = svc.clock.now().astimezone(svc.tz).date()
    since = datetime.combine(today, time(0), tzinfo=svc.tz)
    return await repo.open_of_asker_since(svc.db.reader, chat_id, asker_id, since)


async def attach(
    svc: Services,
    t: Ticket,
    chat_id: int,
    message_id: int,
    author: User,
    text: str,
    *,
    offer_split: bool,
    attachment: tuple[str, str] | None = None,
) -> Attached:
    """Attach a member's message to ``t`` (reopening it first when it was answered):
    history shows it, the group is told where it went, the LO gets it with the buttons.
    ``attachment`` (kind, file id): the photo or document the caption ``text`` came with."""
    if t.status == life.ANSWERED:
        reopened = await life.reopen(svc, t, author.user_id)
        t = reopened.ticket or t
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        followup_id, new = await repo.add_followup(
            tx, t.id, chat_id, message_id, author.user_id, author.full_name, text, now, attachment
        )
        if not new:
            return Attached(t, followup_id)  # the same update handled again
        await repo.add_event(tx, t.id, now, author.user_id, "tambahan", text[:500])
        await repo.link_message(tx, chat_id, message_id, [t.id])
        await outbox.enqueue(
            tx,
            f"followup:{followup_id}:noted",
            chat_id,
            msg.followup_noted(t, offer_split),
            now,
            reply_markup=msg.split_buttons(followup_id) if offer_split else None,
            reply_to_message_id=message_id,
            priority=PRIORITY_REPLY,
            on_sent=notice_hook(chat_id, [t.id]),
        )
        if t.lo_user_id:
            await digest.notify(
                svc,
                tx,
                key=f"followup:{followup_id}:lo",
                user_id=await responsible(svc, tx, t),
                text=msg.lo_followup(t, author, text, attachment),
                line=msg.followup_line(t, author, text, attachment),
                ticket_id=t.id,
            )
    return Attached(t, followup_id)


async def split(svc: Services, followup_id: int, user_id: int) -> life.Opened | life.Result:
    """ "Ini pertanyaan baru": the follow-up becomes a ticket of its own (its asker only)."""
    f = await repo.get_followup(svc.db.reader, followup_id)
    if f is None:
        return life.Result.NOT_FOUND
    if f.author_id != user_id:
        return life.Result.NOT_ASKER
    asker = User(user_id, None, f.author_name or "")
    opened = await life.open_in_group(svc, f.chat_id, f.message_id, asker, f.text, f.attachment)
    if isinstance(opened, life.Opened) and f.split_ticket_id is None:
        async with svc.db.transaction() as tx:
            await repo.mark_split(tx, followup_id, opened.ticket.id)
            await repo.add_event(
                tx, f.ticket_id, svc.clock.now(), user_id, "dipisah", opened.ticket.number
            )
    return opened
