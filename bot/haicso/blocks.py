"""A ticket as a block ready to copy into HAI CSO's input form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import faq
from bot.deadlines.cso_day import is_late_record
from bot.services import Services
from storage import haicso as repo
from storage.haicso import Listed
from storage.models import HAI_NOT_ENTERED

OTHER_CATEGORY = "Lainnya"
# An FAQ entry names the ticket's service category when it matches at least this well;
# below, the CSO picks the category in HAI CSO's form ("Lainnya" in the block).
CATEGORY_CONFIDENCE = 0.3


@dataclass(frozen=True)
class Block:
    ticket: Listed
    satker_name: str
    category: str
    lo_name: str
    late: bool  # the day it belongs to closed (17.00) with it not entered
    by_name: str = ""  # who entered it (or decided it is not needed)


def category_of(svc: Services, text: str) -> str:
    """The service category of the FAQ entry the question is closest to."""
    if svc.faq is None:
        return OTHER_CATEGORY
    found = faq.search(svc.faq, text, limit=1)
    if not found or found[0].confidence < CATEGORY_CONFIDENCE:
        return OTHER_CATEGORY
    return found[0].entry.category


async def blocks_for(svc: Services, tickets: list[Listed], now: datetime) -> list[Block]:
    reader = svc.db.reader
    satker = await repo.satker_names(reader, [t.kode_satker for t in tickets if t.kode_satker])
    people = [t.lo_user_id for t in tickets if t.lo_user_id]
    people += [t.entry.by_user for t in tickets if t.entry.by_user]
    names = await repo.user_names(reader, people)
    return [
        Block(
            t,
            satker.get(t.kode_satker or "", ""),
            category_of(svc, t.text),
            names.get(t.lo_user_id, "") if t.lo_user_id else "",
            is_late(svc, t, now),
            names.get(t.entry.by_user, "") if t.entry.by_user else "",
        )
        for t in tickets
    ]


async def block_of(svc: Services, ticket_id: int) -> Block | None:
    found = await repo.listed(svc.db.reader, ticket_id)
    return (await blocks_for(svc, [found], svc.clock.now()))[0] if found else None


def is_late(svc: Services, ticket: Listed, now: datetime) -> bool:
    """Still not entered after 17.00 of the working day its clock started (seed 003, 7.b:
    CSOs have until 17.00 to enter the day's questions)."""
    return ticket.entry.state == HAI_NOT_ENTERED and is_late_record(svc, ticket.clock_start_at, now)
