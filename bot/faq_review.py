"""Review of the FAQ by the office (issue 20). No Telegram.

A reviewer (role ``peninjau``, or the head of office) approves an entry or sends it back
with a note. A decision is about the content it was shown: its fingerprint covers what
the entry *says* (title, aspects, legal basis, sources, notes), not the words it is found
by (keywords, synonyms, sample questions), so a new synonym does not undo a review while a
changed sentence does. The approval in force is shown with the answer; the setting
``faq_only_reviewed`` makes the bot answer only approved entries.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from bot import roles
from bot.services import Services
from storage import faq as repo
from storage import people
from storage.timefmt import parse_ts

if TYPE_CHECKING:
    from bot.faq import Entry, FaqIndex

APPROVED, SENT_BACK = "disetujui", "dikembalikan"
REVIEWED_FIELDS = ("title", "category", "produk", "aspects", "dasar_hukum", "catatan", "sources")


def reviewed_content(entry: Entry) -> dict[str, Any]:
    data = entry.as_data()
    content = {k: data[k] for k in REVIEWED_FIELDS}
    content["panduan_umum"] = list(getattr(entry, "panduan_umum", ()))
    return content


def fingerprint(entry: Entry) -> str:
    raw = json.dumps(reviewed_content(entry), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


class Status(Enum):
    REVIEWED = "ditinjau"
    DUE = "perlu ditinjau ulang"  # approved once; the content changed since
    SENT_BACK = "dikembalikan"  # this very content was sent back; waits for a change
    NEVER = "belum pernah ditinjau"


@dataclass(frozen=True)
class Review:
    entry_id: str
    fingerprint: str
    content: dict[str, Any]
    decision: str
    note: str | None
    reviewer_name: str
    decided_at: datetime


@dataclass(frozen=True)
class State:
    status: Status
    decision: Review | None  # the latest decision about the current content
    last_approved: Review | None  # the latest approval, of whatever content

    @property
    def waiting(self) -> bool:
        """Offered to the reviewer: never reviewed, or changed since."""
        return self.status in (Status.NEVER, Status.DUE)


def states(entries: list[Entry], reviews: list[Review]) -> dict[str, State]:
    """Each entry's review state from the decision history (oldest first)."""
    out = {}
    for e in entries:
        fp = fingerprint(e)
        mine = [r for r in reviews if r.entry_id == e.id]
        on_this = [r for r in mine if r.fingerprint == fp]
        approved = [r for r in mine if r.decision == APPROVED]
        decision = on_this[-1] if on_this else None
        last_approved = approved[-1] if approved else None
        if decision is not None:
            status = Status.REVIEWED if decision.decision == APPROVED else Status.SENT_BACK
        else:
            status = Status.DUE if last_approved else Status.NEVER
        out[e.id] = State(status, decision, last_approved)
    return out


async def load(svc: Services) -> list[Review]:
    return [
        Review(
            r["entry_id"],
            r["fingerprint"],
            json.loads(r["content"]),
            r["decision"],
            r["note"],
            r["reviewer_name"],
            parse_ts(r["decided_at"]),
        )
        for r in await repo.reviews(svc.db.reader)
    ]


def overlay(index: FaqIndex, found: dict[str, State], tz: Any) -> None:
    """The approval in force on each entry (shown with the answer); none elsewhere."""
    for eid, entry in list(index.entries.items()):
        st = found.get(eid)
        ok = st is not None and st.status is Status.REVIEWED and st.decision is not None
        by = st.decision.reviewer_name if ok and st and st.decision else None
        on: date | None = (
            st.decision.decided_at.astimezone(tz).date() if ok and st and st.decision else None
        )
        index.entries[eid] = replace(entry, reviewed_by=by, reviewed_at=on)


async def refresh(svc: Services) -> None:
    """Put the stored decisions on the content in service (after every load and decision)."""
    if svc.faq is None:
        return
    overlay(svc.faq, states(list(svc.faq.entries.values()), await load(svc)), svc.tz)


async def current(svc: Services) -> dict[str, State]:
    entries = list(svc.faq.entries.values()) if svc.faq else []
    return states(entries, await load(svc))


async def waiting(svc: Services) -> list[Entry]:
    """Entries to review: those changed since their approval first (answers already rely
    on them), then those never reviewed; by title within each."""
    found = await current(svc)
    entries = svc.faq.entries.values() if svc.faq else []
    return sorted(
        (e for e in entries if found[e.id].waiting),
        key=lambda e: (found[e.id].status is Status.NEVER, e.title),
    )


async def may_review(svc: Services, user_id: int) -> bool:
    return await roles.may_review_faq(svc, user_id)


class Outcome(Enum):
    DONE = "done"
    REFUSED = "refused"
    UNKNOWN = "unknown"
    CHANGED = "changed"  # the content changed after the reviewer was shown it
    NO_NOTE = "no_note"


async def decide(
    svc: Services,
    user_id: int,
    entry_id: str,
    approve: bool,
    note: str | None = None,
    shown: str | None = None,
) -> tuple[Outcome, Entry | None]:
    """Approve, or send back with a note, the entry as it is in service. ``shown``: the
    fingerprint prefix the reviewer's message carried; a different one means the text
    changed after it was sent and nothing is recorded."""
    if not await may_review(svc, user_id):
        return Outcome.REFUSED, None
    entry = svc.faq.entries.get(entry_id) if svc.faq else None
    if entry is None:
        return Outcome.UNKNOWN, None
    fp = fingerprint(entry)
    if shown is not None and not fp.startswith(shown):
        return Outcome.CHANGED, entry
    if not approve and not (note or "").strip():
        return Outcome.NO_NOTE, entry
    user = await people.get_user(svc.db.reader, user_id) or people.User.by_id(user_id)
    async with svc.db.transaction() as tx:
        await repo.record_review(
            tx,
            entry.id,
            fp,
            reviewed_content(entry),
            APPROVED if approve else SENT_BACK,
            None if approve else (note or "").strip()[:1000],
            user_id,
            user.full_name,
            svc.clock.now(),
        )
    await refresh(svc)
    return Outcome.DONE, svc.faq.entries.get(entry_id) if svc.faq else entry


def servable(svc: Services, entry: Entry) -> bool:
    """With ``faq_only_reviewed`` on, only approved entries answer (README go-live list)."""
    return not svc.settings.faq_only_reviewed or entry.reviewed_by is not None
