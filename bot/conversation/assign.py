"""Which open ticket a staff message without an explicit link answers. No Telegram.

An LO often types the answer in the group without "reply". The group's short memory (its
open tickets, their askers and questions) decides when it is certain: a ticket number in
the text, the asker named or mentioned, the only open question on that subject. When it is
not certain, the text is kept as a draft and its author is asked privately, with one tap
per candidate ticket (bot/conversation/drafts.py); the group never sees the doubt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.conversation.reading import Reading
from bot.services import Services
from bot.textnorm import tokens
from bot.tickets import life
from storage import tickets as repo
from storage.models import Ticket

# The open tickets of a group looked at for one staff message (newest first).
MEMORY = 20
# At most this many tickets are offered as buttons when the bot has to ask.
ASK_AT_MOST = 6
# An LO's answer typed in the group follows the question it answers: a ticket opened this
# recently is "the question just asked"; when it is the only one, the answer is its.
RECENT = timedelta(hours=3)
# Shared subject words that make the best candidate certain among several.
CLEAR_LEAD = 2


@dataclass(frozen=True)
class Candidates:
    """The tickets a staff message may answer, best first, and whether the first is certain."""

    tickets: tuple[Ticket, ...]
    certain: bool


def overlap(question: str, answer: str) -> int:
    """Subject words the answer shares with the question (stems, stop words out)."""
    return len(set(tokens(question)) & set(tokens(answer)))


async def for_staff_message(
    svc: Services, chat_id: int, message_id: int, author_id: int, text: str, reading: Reading
) -> Candidates:
    """Open tickets of this group asked before ``message_id`` that the author may answer."""
    opened, _ = await repo.open_tickets(svc.db.reader, svc.office_id, chat_id=chat_id, limit=MEMORY)
    mine = [
        t
        for t in opened
        if t.message_id is not None
        and t.message_id < message_id
        and await life.may_answer(svc, t, author_id)
    ]
    if not mine:
        return Candidates((), False)
    named = [t for t in mine if t.number in reading.ticket_numbers]
    if named:
        return Candidates(tuple(named[:1]), True)
    addressed = [t for t in mine if _addressed(t, reading)]
    if len(addressed) == 1:
        return Candidates(tuple(addressed), True)
    return rank(addressed or mine, text)


def rank(pool: Sequence[Ticket], text: str) -> Candidates:
    """``pool`` ordered by how well ``text`` answers each, and whether the first is certain:
    the only one sharing a subject word, or clearly ahead of the runner-up."""
    if not pool:
        return Candidates((), False)
    marks = [identifiers(t.text) for t in pool]
    said = identifiers(text)

    def score(i: int) -> int:
        # A document number or amount the answer repeats, found in no other candidate,
        # is the strongest lead there is ("SPM 00843B ... sudah kami setujui").
        others = set().union(*(m for j, m in enumerate(marks) if j != i))
        unique = (marks[i] & said) - others
        return overlap(pool[i].text, text) + CLEAR_LEAD * len(unique)

    scores = [score(i) for i in range(len(pool))]
    order = sorted(range(len(pool)), key=lambda i: (scores[i], pool[i].id), reverse=True)
    best = scores[order[0]]
    runner_up = scores[order[1]] if len(order) > 1 else 0
    certain = (len(order) == 1 and best >= 1) or (
        best >= CLEAR_LEAD and best - runner_up >= CLEAR_LEAD
    )
    return Candidates(tuple(pool[i] for i in order[:ASK_AT_MOST]), certain)


# "Rp50.200.000" and "50,200,000" are one number: drop thousands separators first.
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")
_MARK = re.compile(r"[a-z0-9]*\d[a-z0-9]*")
_RUPIAH = re.compile(r"\brp\.?\s*")


def identifiers(text: str) -> frozenset[str]:
    """Document numbers, codes and amounts in ``text`` (five characters or more, with a
    digit): what a question about one case and its answer both repeat."""
    flat = _RUPIAH.sub("", _THOUSANDS.sub("", text.lower()))
    return frozenset(m for m in _MARK.findall(flat) if len(m) >= 5)


def _addressed(t: Ticket, reading: Reading) -> bool:
    """The staff message names the asker: "@andi ..." or "Pak Andi, ..."."""
    first = (t.asker_name or "").split()[:1]
    if reading.addressed_to and first and first[0].lower() == reading.addressed_to:
        return True
    return False
