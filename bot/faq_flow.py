"""What the FAQ does with a group message and with the asker's vote. No Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot import faq, tickets
from bot.questions import is_question
from bot.services import Services
from storage import faq as repo
from storage import groups as groups_repo
from storage import people

# (match, aspect, question-log id): the same three-tuple as before issue 11.
Considered = tuple[faq.Match, str, int]


async def consider(
    svc: Services, chat_id: int, message_id: int, user_id: int, text: str
) -> Considered | None:
    """Answer a registered group's question from the FAQ, or None (then it may become a
    ticket). A match with ``alternatives`` is a question back ("TUP atau GUP?"), not an
    answer: the caller shows the choice and opens no ticket. Every question considered is
    logged, answered or not."""
    index = svc.faq
    if index is None or not is_question(text):
        return None
    group = await groups_repo.get(svc.db.reader, chat_id)
    if group is None or not group.active:
        return None
    match, confidence = faq.decide(index, text, svc.settings.faq_threshold)
    best = match or next(iter(faq.search(index, text, limit=1)), None)
    answered = match is not None and not match.alternatives
    async with svc.db.transaction() as tx:
        log_id = await repo.log_question(
            tx,
            svc.clock.now(),
            chat_id,
            message_id,
            user_id,
            text,
            best.entry.id if best else None,
            confidence,
            answered,
        )
    if match is None:
        return None
    return match, faq.pick_aspect(text), log_id


# /faq lists entries down to this share of the automatic-answer threshold.
BROWSE_SHARE = 0.6


async def browse(svc: Services, index: faq.FaqIndex, keyword: str) -> list[faq.Match]:
    """/faq search: looser than an automatic answer (the user chooses), but not a list of
    whatever shares one word with the keyword."""
    found = faq.search(index, keyword, limit=5)
    return [m for m in found if m.confidence >= svc.settings.faq_threshold * BROWSE_SHARE]


def categories(index: faq.FaqIndex) -> list[str]:
    return sorted({e.category for e in index.entries.values()})


def entries_in(index: faq.FaqIndex, category: str) -> list[tuple[str, str]]:
    return sorted(
        ((e.id, e.title) for e in index.entries.values() if e.category == category),
        key=lambda pair: pair[1],
    )


class VoteResult(Enum):
    OK = "ok"
    NOT_ASKER = "not_asker"
    ALREADY = "already"


@dataclass(frozen=True)
class VoteOutcome:
    result: VoteResult
    opened: tickets.Opened | None = None


async def vote_open(svc: Services, log_id: int) -> bool:
    row = await repo.get_log(svc.db.reader, log_id)
    return row is not None and row["vote"] is None


async def vote(svc: Services, log_id: int, user_id: int, answered: bool) -> VoteOutcome:
    """Record the asker's vote; "belum terjawab" opens a ticket for the question."""
    row = await repo.get_log(svc.db.reader, log_id)
    if row is None or row["user_id"] != user_id:
        return VoteOutcome(VoteResult.NOT_ASKER)
    async with svc.db.transaction() as tx:
        claimed = await repo.claim_vote(tx, log_id, "terjawab" if answered else "belum")
    if not claimed:
        return VoteOutcome(VoteResult.ALREADY)
    if answered:
        return VoteOutcome(VoteResult.OK)
    user = await people.get_user(svc.db.reader, user_id) or people.User(user_id, None, str(user_id))
    opened = await tickets.open_in_group(
        svc, row["chat_id"], row["message_id"], user, row["question"]
    )
    if isinstance(opened, tickets.Result):
        return VoteOutcome(VoteResult.OK)
    async with svc.db.transaction() as tx:
        await repo.set_vote(tx, log_id, "belum", opened.ticket.id)
    return VoteOutcome(VoteResult.OK, opened)


async def choose(svc: Services, log_id: int, user_id: int, entry_id: str) -> str | None:
    """The asker chose an entry among close ones: log it as answered by that entry and
    return the aspect to show; None when somebody else pressed."""
    row = await repo.get_log(svc.db.reader, log_id)
    if row is None or row["user_id"] != user_id:
        return None
    async with svc.db.transaction() as tx:
        await repo.set_choice(tx, log_id, entry_id)
    return faq.pick_aspect(row["question"])


async def misses(svc: Services) -> list[tuple[datetime, str, str | None, str]]:
    return await repo.misses(svc.db.reader)
