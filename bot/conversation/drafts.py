"""Answer drafts: when the bot cannot be sure which ticket a staff text answers, it keeps
the text and asks its author, privately, with one tap per candidate. No Telegram.

The question goes out through the outbox in the transaction that stores the draft, so a
crash neither loses the text nor asks twice; the tap resolves the draft exactly once and
records the answer through the tickets' own path (``life.answer``), so the SLA verdict,
the group's note and the asker's buttons are the same as for any answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.conversation.holding import is_holding
from bot.services import Services
from bot.tickets import life
from messages import conversation as msg
from storage import drafts as repo
from storage import groups as groups_repo
from storage import outbox
from storage.models import PRIORITY_REPLY, AnswerDraft, Ticket, User

NO_ANSWER = 0  # the button "Bukan jawaban"


async def ask(
    svc: Services,
    author: User,
    chat_id: int,
    message_id: int,
    text: str,
    candidates: tuple[Ticket, ...],
    *,
    in_group: bool,
) -> AnswerDraft:
    """Keep ``text`` and ask its author which of ``candidates`` it answers."""
    now = svc.clock.now()
    title = None
    if in_group:
        group = await groups_repo.get(svc.db.reader, chat_id)
        title = group.title if group else None
    async with svc.db.transaction() as tx:
        draft, new = await repo.insert(
            tx,
            office_id=svc.office_id,
            author_id=author.user_id,
            chat_id=chat_id,
            message_id=message_id,
            text=text,
            candidates=[t.id for t in candidates],
            in_group=in_group,
            now=now,
        )
        if new:
            body, buttons = msg.draft_question(draft, candidates, title)
            await outbox.enqueue(
                tx,
                f"draft:{draft.id}:ask",
                author.user_id,
                body,
                now,
                reply_markup=buttons,
                reply_to_message_id=None if in_group else message_id,
                priority=PRIORITY_REPLY,
            )
    return draft


class Result(Enum):
    ANSWERED = "answered"
    HELD = "held"
    DISMISSED = "dismissed"
    NOT_YOURS = "not_yours"
    ALREADY = "already"  # an earlier tap decided it
    REFUSED = "refused"  # the ticket could not take the answer (answered meanwhile, closed)


@dataclass(frozen=True)
class Resolved:
    result: Result
    ticket: Ticket | None = None
    refusal: life.Result | None = None


async def resolve(svc: Services, draft_id: int, user: User, ticket_id: int) -> Resolved:
    """The author's tap: ``ticket_id`` is the ticket the text answers, or NO_ANSWER."""
    draft = await repo.get(svc.db.reader, draft_id)
    if draft is None or draft.author_id != user.user_id:
        return Resolved(Result.NOT_YOURS)
    if draft.outcome is not None:
        return Resolved(Result.ALREADY)
    if ticket_id == NO_ANSWER or ticket_id not in draft.candidates:
        async with svc.db.transaction() as tx:
            claimed = await repo.claim(tx, draft.id, "none", svc.clock.now())
        return Resolved(Result.DISMISSED if claimed else Result.ALREADY)
    ticket = await life.find_by_id(svc, ticket_id)
    if ticket is None:
        return Resolved(Result.REFUSED, refusal=life.Result.NOT_FOUND)
    # Recorded first, claimed second: a crash in between leaves the draft open, and a
    # second tap finds the same answer already recorded (life.answer is idempotent).
    holding = is_holding(draft.text)
    step = life.hold if holding else life.answer
    done = await step(svc, ticket, user, draft.text, posted_in_group=draft.in_group)
    async with svc.db.transaction() as tx:
        await repo.claim(tx, draft.id, f"answer:{ticket.id}", svc.clock.now())
    if done.result is not life.Result.OK:
        return Resolved(Result.REFUSED, done.ticket, done.result)
    return Resolved(Result.HELD if holding else Result.ANSWERED, done.ticket)
