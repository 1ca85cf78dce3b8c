"""A staff member's reply, in private chat, to a message of the bot. No Telegram.

Such a reply is never a question for the FAQ: the replied message itself says which
ticket it is about, through the link recorded when it was sent, or, when the reply came
before that link was written, through the ticket numbers in its text. A reply to a notice
about several tickets keeps the text and asks which one, with one tap each.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot import roles
from bot.conversation import assign, drafts
from bot.conversation.holding import is_holding
from bot.conversation.reading import TICKET_NUMBER
from bot.services import Services
from bot.tickets import life
from storage.models import OPEN, Ticket, User


class Kind(Enum):
    NOT_OURS = "not_ours"  # not about a ticket, not from staff: the FAQ may take it
    HINT = "hint"  # staff replying to a bot message that names no ticket
    DONE = "done"  # answered or marked in progress (see ``done``)
    ASKED = "asked"  # several tickets: the text is kept, the author asked which


@dataclass(frozen=True)
class PrivateReply:
    kind: Kind
    done: life.Done | None = None
    ticket: Ticket | None = None


@dataclass(frozen=True)
class Replied:
    """The message replied to: its id, its text and whether the bot wrote it."""

    message_id: int
    text: str
    from_bot: bool


async def on_reply(
    svc: Services, user: User, chat_id: int, message_id: int, replied: Replied, text: str
) -> PrivateReply:
    linked = await life.tickets_of_message(svc, chat_id, replied.message_id)
    if not linked and replied.from_bot:
        linked = await _named_in(svc, replied.text)
    if not linked:
        staff = replied.from_bot and await roles.is_staff(svc, user.user_id)
        return PrivateReply(Kind.HINT if staff else Kind.NOT_OURS)
    open_ones = [t for t in linked if t.status == OPEN]
    if len(linked) > 1 and len(open_ones) != 1:
        ranked = _which(open_ones or linked, text)
        if not ranked.certain:
            candidates = ranked.tickets
            await drafts.ask(svc, user, chat_id, message_id, text, candidates, in_group=False)
            return PrivateReply(Kind.ASKED)
        ticket = ranked.tickets[0]
    else:
        ticket = open_ones[0] if open_ones else linked[0]
    step = life.hold if is_holding(text) else life.answer
    done = await step(svc, ticket, user, text, posted_in_group=False)
    return PrivateReply(Kind.DONE, done, ticket)


def _which(tickets: list[Ticket], text: str) -> assign.Candidates:
    """Which of a bundle's tickets the reply answers: one it names by number, else the one
    it clearly answers by its words or a document number it repeats."""
    named = [t for t in tickets if t.number in TICKET_NUMBER.findall(text)]
    if len(named) == 1:
        return assign.Candidates((named[0],), True)
    return assign.rank(tickets, text)


async def _named_in(svc: Services, text: str) -> list[Ticket]:
    found = []
    for number in dict.fromkeys(TICKET_NUMBER.findall(text)):
        t = await life.find(svc, number)
        if t is not None:
            found.append(t)
    return found
