"""What a member's new message (no reply, no ticket number, no open context) gets, from
its reading and the FAQ's best match. Pure: the intake and bench/conversation_eval.py
both ask this, so the evaluation measures the decision the bot really takes."""

from __future__ import annotations

from enum import Enum

from bot import faq
from bot.conversation.reading import Kind, Reading


class Route(Enum):
    FAQ_ANSWER = "faq_answer"
    ASK_BACK = "ask_back"  # "TUP atau GUP?": two entries the question itself names
    TICKET = "ticket"
    COMPLAINT = "complaint"
    STATUS = "status"
    SILENCE = "silence"


def route(reading: Reading, match: faq.Match | None) -> Route:
    kind = reading.kind
    if kind is Kind.COMPLAINT:
        return Route.COMPLAINT
    if kind is Kind.STATUS:
        return Route.STATUS
    if kind is Kind.CASE:
        return Route.TICKET  # this satker's own document or error: only the LO knows
    if kind is not Kind.QUESTION:
        return Route.SILENCE
    if match is None:
        return Route.TICKET if reading.on_topic else Route.SILENCE
    if not match.alternatives:
        return Route.FAQ_ANSWER
    # A choice between entries is offered only when the question itself names a choice
    # ("syarat GUP atau TUP?"). A choice between merely close scores mostly ended in "none
    # of these", with no ticket meanwhile (issue 17: 11 of 14 menus): the LO takes those.
    return Route.ASK_BACK if reading.names_a_choice else Route.TICKET
