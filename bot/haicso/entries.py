"""A ticket's HAI CSO state, changed by the CSO's taps and one-line replies.

"✅ Sudah diinput" records the ticket as entered at once (who, when) and waits for HAI
CSO's own number in the CSO's next message; "Lewati" leaves it without one. "Tidak
perlu" takes a reason (a duplicate, no question after all, other). Every change is
committed before the bot answers; a tap on a ticket already decided changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from bot.services import Services
from messages import haicso as msg
from storage import haicso as repo
from storage.haicso import Listed
from storage.models import HAI_ENTERED, HAI_NOT_ENTERED, HAI_NOT_NEEDED, HAI_REASONS

# Who keeps HAI CSO: the CSOs (seed 003); admins may act for them.
ROLES = ("cso", "admin")
# HAI CSO's ticket numbers: letters, digits and separators, at least one digit. Nothing
# in the seeds gives their form, so anything shaped like a reference is taken.
HAI_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._-]{0,39}", re.ASCII)
# A prompt older than this no longer takes a bare number (a reply to the block still does).
PROMPT_FOR = timedelta(hours=2)


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"  # not a CSO or admin
    NOT_FOUND = "not_found"
    ALREADY = "already"  # decided before (by this tap's twin, or someone else)
    NUMBER_TAKEN = "number_taken"  # the HAI number is another ticket's
    BAD_NUMBER = "bad_number"


@dataclass(frozen=True)
class Done:
    outcome: Outcome
    ticket: Listed | None = None
    other: str | None = None  # NUMBER_TAKEN: the ticket that has the number


def parse_number(text: str) -> str | None:
    """A HAI CSO number as typed ('No. 12345' and '#12345' too), or None."""
    # "No. 12345", "nomor 12345", "#12345"; "NO12345" is a number of its own (hypothesis
    # found "NO0" read as "0").
    cleaned = re.sub(r"^(?:(?:no|nomor)(?:\.\s*|\s+)|#\s*)", "", text.strip(), flags=re.IGNORECASE)
    if HAI_NUMBER.fullmatch(cleaned) and any(c.isdigit() for c in cleaned):
        return cleaned
    return None


async def may_keep(svc: Services, user_id: int) -> bool:
    return await svc.has_role(user_id, *ROLES)


async def _open(svc: Services, user_id: int, ticket_id: int) -> Done | Listed:
    if not await may_keep(svc, user_id):
        return Done(Outcome.REFUSED)
    ticket = await repo.listed(svc.db.reader, ticket_id)
    if ticket is None:
        return Done(Outcome.NOT_FOUND)
    return ticket


async def entered(svc: Services, user_id: int, ticket_id: int) -> Done:
    """ "✅ Sudah diinput": entered now, by ``user_id``; the HAI number is asked next."""
    got = await _open(svc, user_id, ticket_id)
    if isinstance(got, Done):
        return got
    if got.entry.state != HAI_NOT_ENTERED:
        return Done(Outcome.ALREADY, got)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        await repo.set_state(tx, svc.office_id, ticket_id, HAI_ENTERED, user_id, now)
        await repo.set_prompt(tx, user_id, ticket_id, now)
    return Done(Outcome.OK, await repo.listed(svc.db.reader, ticket_id))


async def not_needed(svc: Services, user_id: int, ticket_id: int, reason: str) -> Done:
    assert reason in HAI_REASONS, reason
    got = await _open(svc, user_id, ticket_id)
    if isinstance(got, Done):
        return got
    if got.entry.state != HAI_NOT_ENTERED:
        return Done(Outcome.ALREADY, got)
    async with svc.db.transaction() as tx:
        await repo.set_state(
            tx, svc.office_id, ticket_id, HAI_NOT_NEEDED, user_id, svc.clock.now(), reason=reason
        )
    return Done(Outcome.OK, await repo.listed(svc.db.reader, ticket_id))


async def skip_number(svc: Services, user_id: int, ticket_id: int) -> Done:
    """ "Lewati": entered without HAI's number; the prompt ends."""
    got = await _open(svc, user_id, ticket_id)
    if isinstance(got, Done):
        return got
    async with svc.db.transaction() as tx:
        await repo.clear_prompt(tx, user_id)
    return Done(Outcome.OK, got)


_BLOCK_TICKET = re.compile(r"Tiket #([0-9]{4}-[0-9]{4,6})\b")


async def replied_ticket(svc: Services, replied_text: str) -> int | None:
    """The ticket of a list block the CSO replied to (its "Tiket #2026-0001" line). Only
    a block: a reply to a ticket notice ("Tiket #2026-0001 dibuka kembali") is an answer
    for the ticket's handlers, never a HAI number."""
    m = _BLOCK_TICKET.search(replied_text)
    if m is None or msg.BLOCK_MARK not in replied_text:
        return None
    return await repo.ticket_id_of(svc.db.reader, svc.office_id, m.group(1))


async def prompted_ticket(svc: Services, user_id: int) -> int | None:
    """The ticket whose HAI number this CSO was asked for, while the prompt is fresh."""
    found = await repo.prompt_of(svc.db.reader, user_id)
    if found is None:
        return None
    ticket_id, at = found
    return ticket_id if svc.clock.now() - at <= PROMPT_FOR else None


async def give_number(svc: Services, user_id: int, ticket_id: int, text: str) -> Done:
    """The HAI number for an entered ticket (a ticket not entered yet is entered now)."""
    got = await _open(svc, user_id, ticket_id)
    if isinstance(got, Done):
        return got
    number = parse_number(text)
    if number is None:
        return Done(Outcome.BAD_NUMBER, got)
    if got.entry.state == HAI_NOT_NEEDED:
        return Done(Outcome.ALREADY, got)
    holder = await repo.by_hai_number(svc.db.reader, svc.office_id, number)
    if holder is not None and holder != ticket_id:
        other = await repo.listed(svc.db.reader, holder)
        return Done(Outcome.NUMBER_TAKEN, got, other.number if other else None)
    by = got.entry.by_user if got.entry.state == HAI_ENTERED and got.entry.by_user else user_id
    at = got.entry.at if got.entry.state == HAI_ENTERED and got.entry.at else svc.clock.now()
    async with svc.db.transaction() as tx:
        await repo.set_state(tx, svc.office_id, ticket_id, HAI_ENTERED, by, at, hai_number=number)
        await repo.clear_prompt(tx, user_id)
    return Done(Outcome.OK, await repo.listed(svc.db.reader, ticket_id))
