"""What a person may list and see of tickets, read for the handlers. No Telegram.

The scope rule lives here once: in a group, that group's open tickets; in private, the
whole office for office-wide roles, an LO's own (and those they stand in for), anyone
else only what they asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.conversation.reading import is_specific
from bot.services import Services
from bot.tickets.life import OFFICE_WIDE, lo_scope
from storage import groups as groups_repo
from storage import people
from storage import tickets as repo
from storage.models import Ticket, User


async def open_list(
    svc: Services, user_id: int, chat_id: int, private: bool
) -> tuple[list[Ticket], int]:
    """(the open tickets shown, how many there are in all) for this caller and chat."""
    reader, office = svc.db.reader, svc.office_id
    if not private:
        return await repo.open_tickets(reader, office, chat_id=chat_id)
    roles = await svc.roles_of(user_id)
    if roles & OFFICE_WIDE:
        return await repo.open_tickets(reader, office)
    if "lo" in roles:
        return await repo.open_tickets(reader, office, lo_ids=await lo_scope(svc, user_id))
    return await repo.open_tickets(reader, office, asker_id=user_id)


@dataclass(frozen=True)
class Detail:
    ticket: Ticket
    group_title: str | None
    satker_name: str | None
    lo: User | None
    events: list[tuple[datetime, str, str | None]]
    files: list[repo.Followup] = field(default_factory=list)  # follow-ups with a file


async def detail(svc: Services, t: Ticket) -> Detail:
    reader = svc.db.reader
    group = await groups_repo.get(reader, t.chat_id) if t.chat_id is not None else None
    satker = (
        await groups_repo.satker_name(reader, t.chat_id, t.kode_satker)
        if t.chat_id is not None and t.kode_satker
        else None
    )
    lo = await people.get_user(reader, t.lo_user_id) if t.lo_user_id else None
    events = await repo.events(reader, t.id)
    files = await repo.followup_files(reader, t.id)
    return Detail(t, group.title if group else None, satker, lo, events, files)


async def answerer(svc: Services, t: Ticket) -> User:
    """Who answered the ticket (for re-rendering the answer post)."""
    uid = t.answered_by or 0
    return await people.get_user(svc.db.reader, uid) or User(uid, None, "petugas KPPN")


def may_become_faq(t: Ticket) -> bool:
    """Whether its answer is worth offering as an FAQ entry: a general question is, a case
    about one satker's own document, amount or error message is not."""
    return not is_specific(t.text)
