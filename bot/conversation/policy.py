"""What a member's new message (no reply, no ticket number, no open context) gets, from
its reading and the FAQ's best match. Pure: the intake and bench/conversation_eval.py
both ask this, so the evaluation measures the decision the bot really takes."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from bot import faq
from bot.conversation.learned import model as learned
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
    if kind is Kind.CASE or (kind is Kind.DETAIL and _a_case_alone(reading)):
        return Route.TICKET  # this satker's own document or error: only the LO knows
    if kind is not Kind.QUESTION:
        return Route.SILENCE
    if match is None:
        return Route.TICKET if _on_topic(reading) else Route.SILENCE
    if not match.alternatives:
        return Route.FAQ_ANSWER
    # A choice between entries is offered only when the question itself names a choice
    # ("syarat GUP atau TUP?"). A choice between merely close scores mostly ended in "none
    # of these", with no ticket meanwhile (issue 17: 11 of 14 menus): the LO takes those.
    return Route.ASK_BACK if reading.names_a_choice else Route.TICKET


# A detail with nothing before it to join ("nomor SPM 00777 kami nyangkut status 'draft
# KPPN' 2 hari" opens with "nomor SPM"): a case when the model is this sure of it.
CASE_ALONE = 0.9


def _a_case_alone(reading: Reading) -> bool:
    if reading.reported:
        return True
    return reading.guess is not None and reading.guess.share(learned.CASE) > CASE_ALONE


# The model learned the office's questions from its services' words and more ("GU nya
# telat", "BAR udh terbit"): a question it gives one of the entries this share of is on
# topic. Its share of questions as a whole says how a message is put, not what about
# ("mohon info cara membuat paspor" is a question, 0.55, of no entry, 0.09). Leave one
# set out over 32 sets, 0.2 of an entry against 0.5 of questions: 4 fewer tickets for
# chat, 1 more ticket for an FAQ-type question that was silence, nothing else moved.
ON_TOPIC = 0.2


def _on_topic(reading: Reading) -> bool:
    guess = reading.guess
    return reading.on_topic or (guess is not None and guess.entry_share > ON_TOPIC)


# The model's share of one entry at which it answers a question the matcher was unsure of.
# Leave-one-set-out, every such answer above this share was the right entry
# (docs/BENCHMARKS.md).
SURE = 0.8
# ... and at which it answers a question the matcher could not place at all: no entry of
# the matcher's to weigh against. Leave-one-set-out over 20 sets (2,280 FAQ-type
# questions), 0.8 -> 0.7 answered 36 more with the right entry and none with a wrong one;
# 0.6 answered 63 more and 2 wrong.
PLACE = 0.7


def second_opinion(
    match: faq.Match | None, reading: Reading, entries: Mapping[str, faq.Entry]
) -> faq.Match | None:
    """The matcher's answer weighed with the learned reader's entry. An answer needs both
    to agree, or the model to be sure of its own entry (leave-one-set-out, each time the
    two disagreed and the model was sure, the model was right); a question the matcher
    could not place, or placed among close entries the asker did not name, is answered
    when the model is sure. Otherwise a ticket: a wrong entry is worse. Entries the model
    never saw (approved from an LO's answer, an office's own content) keep the matcher's
    word."""
    guess = reading.guess
    if guess is None or guess.entry not in entries:
        return match
    model = faq.Match(entries[guess.entry], guess.entry_share)
    sure = model if guess.entry_share >= SURE else None
    if match is None:  # the matcher could not place it: a ticket unless the model can
        return model if guess.entry_share >= PLACE else None
    if not match.alternatives:
        agrees = match.entry.id == guess.entry or not learned.knows(match.entry.id)
        return match if agrees else sure
    offered = {match.entry.id, *(e.id for e in match.alternatives)}
    unknown = not all(learned.knows(e) for e in offered)  # the model cannot vouch for one
    if reading.names_a_choice and (guess.entry in offered or unknown):
        return match  # "GUP atau TUP?": the asker's own choice is offered back
    # Close entries the asker did not name, or a choice without the model's entry
    # ("berbayar atau tidak" offered Renkas or SP2D): answered when the model is sure.
    return sure or (None if reading.names_a_choice else match)


def unknown_to_the_model(match: faq.Match | None) -> faq.Match | None:
    """A question the model hushed as chat is answered only by an entry it never saw
    (approved from an LO's answer, an office's own): on those its "chat" says nothing."""
    if match is None or match.alternatives or learned.knows(match.entry.id):
        return None
    return match
