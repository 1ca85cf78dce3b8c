"""What the FAQ does with a group message and with the asker's vote. No Telegram."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from bot import faq, faq_review, roles, textnorm, tickets
from bot.conversation import policy
from bot.conversation.reading import Reading
from bot.services import Services
from storage import faq as repo
from storage import groups as groups_repo
from storage import people
from storage import tickets as tickets_repo
from storage.timefmt import parse_ts

log = logging.getLogger(__name__)

# (match, aspect, question-log id): the same three-tuple as before issue 11.
Considered = tuple[faq.Match, str, int]


async def consider(
    svc: Services, chat_id: int, message_id: int, user_id: int, reading: Reading, text: str
) -> Considered | None:
    """Answer a registered group's question from the FAQ, or None (then it may become a
    ticket). A match with ``alternatives`` is a question back ("TUP atau GUP?"), not an
    answer: the caller shows the choice and opens no ticket. Every question considered is
    logged, answered or not."""
    index = svc.faq
    if index is None:  # the intake asks only for messages it read as general questions
        return None
    group = await groups_repo.get(svc.db.reader, chat_id)
    if group is None or not group.active:
        return None
    # One normalisation and scoring pass for the decision and the log (issue 8 saw two).
    match, best = faq.assess(index, text, svc.settings.faq_threshold)
    if reading.hushed:  # chat to the model: only an entry it never saw may answer
        match = faq.servable(svc, policy.unknown_to_the_model(match))
        if match is None:
            return None  # chat, not a question the FAQ missed: kept out of /faqgagal
    else:
        match = faq.servable(svc, policy.second_opinion(match, reading, index.entries))
    answered = match is not None and not match.alternatives
    # The log names the entry given (the learned reader may have chosen it over the
    # matcher's best), else the matcher's best guess for /faqgagal.
    logged = match if answered else best
    confidence = logged.confidence if logged else 0.0
    async with svc.db.transaction() as tx:
        log_id = await repo.log_question(
            tx,
            svc.clock.now(),
            chat_id,
            message_id,
            user_id,
            text,
            logged.entry.id if logged else None,
            confidence,
            answered,
        )
    if match is None:
        return None
    return match, faq.pick_aspect(text, match.entry), log_id


@dataclass(frozen=True)
class Asked:
    """A question the FAQ answered: its log row, the asker's message and its text."""

    log_id: int
    message_id: int
    question: str


async def missed(svc: Services, log_id: int, ticket_id: int) -> None:
    """The asker said the answer missed ("maksud saya bukan itu"): counted as "belum
    terjawab" for /faqgagal, with the ticket the question became."""
    async with svc.db.transaction() as tx:
        await repo.set_vote(tx, log_id, "belum", ticket_id)


# /faq lists entries down to this share of the automatic-answer threshold.
BROWSE_SHARE = 0.6


async def browse(svc: Services, index: faq.FaqIndex, keyword: str) -> list[faq.Match]:
    """/faq search: looser than an automatic answer (the user chooses), but not a list of
    whatever shares one word with the keyword."""
    found = faq.search(index, keyword, limit=5)
    return [
        m
        for m in found
        if m.confidence >= svc.settings.faq_threshold * BROWSE_SHARE
        and faq_review.servable(svc, m.entry)
    ]


def categories(svc: Services, index: faq.FaqIndex) -> list[str]:
    return sorted({e.category for e in index.entries.values() if faq_review.servable(svc, e)})


def entries_in(svc: Services, index: faq.FaqIndex, category: str) -> list[tuple[str, str]]:
    return sorted(
        (
            (e.id, e.title)
            for e in index.entries.values()
            if e.category == category and faq_review.servable(svc, e)
        ),
        key=lambda pair: pair[1],
    )


def shown_entry(svc: Services, entry_id: str) -> faq.Entry | None:
    """An entry a button asks for, if the office serves it."""
    entry = svc.faq.entries.get(entry_id) if svc.faq else None
    return entry if entry is not None and faq_review.servable(svc, entry) else None


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
    user = await people.get_user(svc.db.reader, user_id) or people.User.by_id(user_id)
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
    entry = svc.faq.entries.get(entry_id) if svc.faq else None
    return faq.pick_aspect(row["question"], entry)


# ---- /faqgagal: unanswered questions by theme -------------------------------------------------
@dataclass(frozen=True)
class Theme:
    name: str
    count: int
    examples: list[str]
    last: datetime


# A miss this close to an entry is about that entry's theme (the content lacks the wording);
# below it the nearest entry is a guess and the question's own words name the theme.
THEME_SHARE = 0.35


async def miss_themes(svc: Services, limit: int = 8) -> list[Theme]:
    """Unanswered questions grouped so the content grows where users ask: by the entry they
    nearly matched, else by the content word they share with other misses."""
    rows = await repo.misses(svc.db.reader)
    index = svc.faq
    groups: dict[str, list[tuple[datetime, str]]] = {}
    loose: list[tuple[datetime, str, list[str]]] = []
    for r in rows:
        at, question = parse_ts(r["at"]), r["question"]
        entry = index.entries.get(r["entry_id"]) if index and r["entry_id"] else None
        if entry is not None and r["confidence"] >= svc.settings.faq_threshold * THEME_SHARE:
            groups.setdefault(entry.title, []).append((at, question))
        else:
            loose.append((at, question, textnorm.content_words(question)))
    counts = Counter(w for _, _, ws in loose for w in set(ws) if len(w) > 3)
    for at, question, ws in loose:
        shared = [w for w in ws if counts[w] > 1]
        name = max(shared, key=lambda w: counts[w]) if shared else "lainnya"
        groups.setdefault(f"“{name}”" if shared else "Lainnya", []).append((at, question))
    themes = [
        Theme(name, len(items), [q for _, q in items[:3]], max(a for a, _ in items))
        for name, items in groups.items()
    ]
    themes.sort(key=lambda t: (t.name == "Lainnya", -t.count, t.name))
    return themes[:limit]


# ---- drafts from LO answers ("Jadikan FAQ") -----------------------------------------------------
class DraftResult(Enum):
    CREATED = "created"
    ALREADY = "already"
    NOT_ALLOWED = "not_allowed"
    NOT_ANSWERED = "not_answered"


async def draft_from_ticket(
    svc: Services, ticket_id: int, user_id: int
) -> tuple[DraftResult, int | None]:
    """An answered ticket's question and answer become an FAQ draft for an admin to review.
    Who may: whoever may answer the ticket (its LO, a stand-in, CSO, admin)."""
    ticket = await tickets_repo.get(svc.db.reader, ticket_id)
    if ticket is None or not await tickets.may_answer(svc, ticket, user_id):
        return DraftResult.NOT_ALLOWED, None
    if not ticket.answer_text:
        return DraftResult.NOT_ANSWERED, None
    async with svc.db.transaction() as tx:
        draft_id = await repo.create_draft(
            tx, ticket.id, ticket.text, ticket.answer_text, user_id, svc.clock.now()
        )
    return (DraftResult.CREATED if draft_id else DraftResult.ALREADY), draft_id


async def may_curate(svc: Services, user_id: int) -> bool:
    """Approving content, reloading it and reading the misses is an admin's job: the
    content speaks for the office."""
    return await roles.is_admin(svc, user_id)


async def pending_drafts(svc: Services) -> list[Any]:
    return await repo.pending_drafts(svc.db.reader)


LEARNED_CATEGORY = "Jawaban LO"


def learned_entry(draft_id: int, question: str, answer: str) -> faq.Entry:
    """An approved draft as an entry: the LO's answer, the question as its sample question."""
    words = list(dict.fromkeys(textnorm.content_words(question)))[:6] or ["jawaban lo"]
    title = " ".join(question.split())
    return faq.Entry(
        id=f"lo-{draft_id}",
        title=title if len(title) <= 100 else title[:99] + "…",
        category=LEARNED_CATEGORY,
        keywords=tuple(words),
        questions=(question,),
        aspects={"jawaban": answer},
        dasar_hukum=None,  # an LO's answer cites no rule of its own
        catatan="Jawaban LO atas pertanyaan satker; mohon konfirmasi kepada LO bila ragu.",
        source_file="database",
        sources=(f"Jawaban LO pada tiket, draf FAQ #{draft_id}",),
    )


async def approve_draft(svc: Services, draft_id: int, user_id: int) -> faq.Entry | None:
    """Approve a pending draft into the database and put it in service at once. None when
    the draft is gone or was already decided."""
    row = await repo.get_draft(svc.db.reader, draft_id)
    if row is None or row["status"] != "draf":
        return None
    entry = learned_entry(draft_id, row["question"], row["answer"])
    async with svc.db.transaction() as tx:
        if not await repo.decide_draft(
            tx, draft_id, "disetujui", user_id, svc.clock.now(), entry.id
        ):
            return None
        await repo.add_learned(tx, entry.id, draft_id, entry.as_data(), user_id, svc.clock.now())
    try:
        await faq.reload(svc)
        await svc.changed("faq")
    except faq.ContentError as exc:
        # The files are broken right now: the entry is stored and joins at the next good load.
        log.warning("approved draft %d waits for valid content files: %s", draft_id, exc)
    return entry


async def reject_draft(svc: Services, draft_id: int, user_id: int) -> bool:
    async with svc.db.transaction() as tx:
        return await repo.decide_draft(tx, draft_id, "ditolak", user_id, svc.clock.now(), None)
