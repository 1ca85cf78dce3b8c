"""Which offices the deployment serves, and which office an update belongs to.

At start-up the offices the settings describe (office 1 from the ordinary settings, the
others from LOBOT_OFFICES_FILE) are written to the database, each gets its working
calendar, and the Kanwil supervisors are written as the file says. An office stays in the
database when it leaves the file (its tickets are history); it is then served with what
was last written for it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from enum import Enum

from bot import roles
from bot.services import Services
from bot.worktime import WorkCalendar
from config.offices import OfficeSpec
from storage import offices as repo
from storage import people
from storage.models import Office

log = logging.getLogger(__name__)
SETUP_ACTOR = 0  # the granted_by of roles that come from the settings, not from a person


def _record(spec: OfficeSpec) -> Office:
    return Office(
        spec.id, spec.name, spec.office_type, spec.timezone, spec.work_start, spec.work_end
    )


async def set_up(svc: Services) -> None:
    """Write the configured offices and Kanwil supervisors; build each office's view."""
    s = svc.settings
    now = svc.clock.now()
    specs = {spec.id: spec for spec in s.office_specs}
    async with svc.db.transaction() as tx:
        for spec in specs.values():
            await repo.save(tx, _record(spec))
            for admin_id in spec.admin_ids:
                await people.grant(tx, spec.id, admin_id, "admin", SETUP_ACTOR, now)
        await repo.set_kanwils(
            tx,
            [(u, o, k.name) for k in s.kanwils for u in sorted(k.user_ids) for o in k.offices],
        )
        stored = await repo.all_offices(tx)
    shared = svc.shared
    shared.offices = {o.id: o for o in stored}
    for office in stored:
        found = specs.get(office.id)
        shared.settings[office.id] = replace(
            s,
            office_name=office.name,
            office_type=office.office_type,
            timezone=office.timezone,
            work_start=office.work_start,
            work_end=office.work_end,
            deadlines_file=found.deadlines_file if found else None,
        )
        shared.calendars[office.id] = (
            svc.calendar
            if office.id == svc.office_id
            else WorkCalendar(shared.settings[office.id].tz, office.work_start, office.work_end)
        )
    for view in svc.each_office():
        await view.reload_calendar()


def single(svc: Services) -> bool:
    return len(svc.offices) <= 1


async def of_user(svc: Services, user_id: int) -> int:
    """The office a person's private chat belongs to: where they hold a role, else where
    they are a satker operator, else the first they supervise; office 1 for a stranger."""
    if single(svc):
        return svc.office_id
    everywhere = user_id in svc.settings.admin_ids
    return await repo.of_user(svc.db.reader, user_id, everywhere) or 1


async def of_chat(svc: Services, chat_id: int, private: bool, user_id: int | None) -> int:
    """The office of an update: a registered group's own; for a private chat, or a group
    still waiting for registration, the person's (an admin or LO registering a group
    brings it into their office)."""
    if single(svc):
        return svc.office_id
    if not private:
        found = await repo.of_group(svc.db.reader, chat_id)
        if found is not None and found[1] != "pending":
            return found[0]
        if user_id is None:
            return found[0] if found is not None else 1
    return await of_user(svc, user_id) if user_id is not None else 1


Scan = Callable[[Services], Awaitable[int]]


def per_office(scan: Scan) -> Scan:
    """A tick scanner run once per office, each in its own zone and calendar (the tick
    itself stays one loop over the scanners, bot/tick.py)."""

    async def each(svc: Services) -> int:
        done = 0
        for view in svc.each_office():
            try:
                done += await scan(view)
            except Exception:  # one office's broken data must not stop the others' alerts
                log.exception("scanner %s failed for office %s", scan.__qualname__, view.office_id)
        return done

    each.__qualname__ = scan.__qualname__
    return each


class Choice(Enum):
    SHOWN = "shown"
    CHOSEN = "chosen"
    NOT_THEIRS = "not_theirs"
    NO_OFFICE = "no_office"
    BAD_INPUT = "bad_input"


@dataclass(frozen=True)
class OfficeChoice:
    outcome: Choice
    current: Office  # the office the chat acts for (after the switch, when CHOSEN)
    allowed: tuple[Office, ...] = ()


async def choose(svc: Services, user_id: int, text: str) -> OfficeChoice:
    """/kantor [nomor]: the office the private chat acts for now and the ones the person
    may act for; with a number, switch to it (a person with roles in several offices, a
    Kanwil supervisor, a deployment admin). ``svc`` is the chat's office's view."""
    allowed = tuple(
        svc.offices[o] for o in await roles.acting_offices(svc, user_id) if o in svc.offices
    )
    current = svc.office
    if not allowed:
        return OfficeChoice(Choice.NO_OFFICE, current)
    wanted = text.strip()
    if not wanted:
        return OfficeChoice(Choice.SHOWN, current, allowed)
    if not wanted.isdigit() or len(wanted) > 4:
        return OfficeChoice(Choice.BAD_INPUT, current, allowed)
    office = next((o for o in allowed if o.id == int(wanted)), None)
    if office is None:
        return OfficeChoice(Choice.NOT_THEIRS, current, allowed)
    async with svc.db.transaction() as tx:
        await repo.choose(tx, user_id, office.id, svc.clock.now())
    return OfficeChoice(Choice.CHOSEN, office, allowed)
