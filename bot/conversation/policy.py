"""What a member's new message (no reply, no ticket number, no open context) gets, from
its reading and the FAQ's best match. Pure: the intake and bench/conversation_eval.py
both ask this, so the evaluation measures the decision the bot really takes."""

from __future__ import annotations

from enum import Enum

from bot import faq
from bot.conversation.reading import Kind


class Route(Enum):
    FAQ_ANSWER = "faq_answer"
    ASK_BACK = "ask_back"  # "TUP atau GUP?": two entries the question itself names
    TICKET = "ticket"
    COMPLAINT = "complaint"
    STATUS = "status"
    SILENCE = "silence"


def route(kind: Kind, match: faq.Match | None, threshold: float) -> Route:
    if kind is Kind.COMPLAINT:
        return Route.COMPLAINT
    if kind is Kind.STATUS:
        return Route.STATUS
    if kind is Kind.CASE:
        return Route.TICKET  # this satker's own document or error: only the LO knows
    if kind is not Kind.QUESTION:
        return Route.SILENCE
    if match is None:
        return Route.TICKET
    if not match.alternatives:
        return Route.FAQ_ANSWER
    # A choice between entries is offered only when the best one alone would have been
    # answered and the question also names another; a choice between merely close scores
    # mostly ended in "none of these" with no ticket meanwhile: the LO takes those.
    return Route.ASK_BACK if match.confidence >= threshold else Route.TICKET
