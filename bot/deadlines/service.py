"""Deadline rules: who must report, who may change the calendar, what a button press means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path

import aiosqlite

from bot import roles
from bot.deadlines import commands, content, schedule
from bot.groups import resolve_user
from bot.services import Services
from messages.groups import unseen_name
from storage import audit, people
from storage import deadlines as repo
from storage import groups as groups_repo
from storage.deadline_model import (
    ONCE,
    SATKER,
    SOURCE_ADMIN,
    SOURCE_FILE,
    Deadline,
    DeadlineSpec,
    Occurrence,
    OccurrenceStatus,
    Party,
    Step,
)

SYSTEM_ACTOR = 0  # the audit's actor for changes made by loading the reviewed file
VIEWERS = ("admin", "lo", "cso", "supervisor", "kepala")
# /tahap shows what fell due in the last days too, so late reports stay visible.
LOOK_BACK = timedelta(days=7)
LOOK_AHEAD = timedelta(days=62)


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"
    EXISTS = "exists"
    NOT_FOUND = "not_found"
    NOT_RESPONSIBLE = "not_responsible"
    NOT_OPERATOR = "not_operator"
    ALREADY = "already"
    NO_FILE = "no_file"
    INVALID = "invalid"


@dataclass(frozen=True)
class Pressed:
    outcome: Outcome
    deadline: Deadline | None = None
    party: Party | None = None
    at: datetime | None = None


def steps_of(svc: Services, dl: Deadline, occ_date: date) -> list[Step]:
    return schedule.steps(dl.spec, occ_date, svc.calendar, svc.settings.work_start)


def _name(user: people.User | None, user_id: int = 0) -> str:
    """A party's name; someone known only by id is labelled, not a bare number."""
    if user is not None and user.seen:
        return user.full_name
    return unseen_name(user.user_id if user else user_id)


async def parties(svc: Services, conn: aiosqlite.Connection, dl: Deadline) -> list[Party]:
    """Who must report for this deadline, as the office stands now (roles can change)."""
    if dl.spec.audience == SATKER:
        found: dict[str, Party] = {}
        for kode, name, chat_id, lo in await groups_repo.satker_in_active_groups(
            conn, svc.office_id
        ):
            found.setdefault(f"s{kode}", Party(f"s{kode}", f"{kode} {name}", chat_id, lo))
        return list(found.values())
    users: dict[int, str] = {}
    for role in dl.spec.roles:
        for u in await people.holders(conn, svc.office_id, role):
            users.setdefault(u.user_id, _name(u))
    if "admin" in dl.spec.roles:
        for admin_id in svc.settings.admin_ids:
            users.setdefault(admin_id, _name(await people.get_user(conn, admin_id), admin_id))
    for uid in dl.spec.user_ids:
        if uid not in users:
            users[uid] = _name(await people.get_user(conn, uid), uid)
    return [Party(f"u{uid}", name) for uid, name in sorted(users.items(), key=lambda x: x[1])]


async def status(
    svc: Services, conn: aiosqlite.Connection, occ: Occurrence, dl: Deadline
) -> OccurrenceStatus:
    done = await repo.reports(conn, occ.id)
    everyone = await parties(svc, conn, dl)
    known = {p.key for p in everyone}
    # Someone who reported and later lost the role still shows as reported.
    extra = [Party(key, key[1:]) for key in done if key not in known]
    reported = [(p, done[p.key]) for p in everyone + extra if p.key in done]
    pending = [p for p in everyone if p.key not in done]
    return OccurrenceStatus(dl, occ, reported, pending)


async def track(svc: Services, tx: aiosqlite.Connection, dl: Deadline, now: datetime) -> None:
    """Make sure the occurrence to watch exists, with its next step on the current calendar."""
    first = schedule.first_occurrence(dl.spec, now, svc.calendar)
    if first is None:
        return
    await repo.drop_open_occurrences(tx, dl.id, first)
    steps = steps_of(svc, dl, first)
    await repo.add_occurrence(
        tx, dl.id, first, schedule.due_at(dl.spec, first, svc.calendar), steps[0].at
    )
    for occ in await repo.occurrences_of(tx, dl.id):
        # Paused by a removal (next_due_at cleared, steps still to come) counts as open:
        # a deadline put back must remind again. One whose steps all ran stays done.
        if occ.occurrence == first and occ.next_step < len(steps):
            await _reschedule(svc, tx, dl, occ)


async def _reschedule(
    svc: Services, tx: aiosqlite.Connection, dl: Deadline, occ: Occurrence
) -> None:
    steps = steps_of(svc, dl, occ.occurrence)
    index = min(occ.next_step, len(steps) - 1)
    due = schedule.due_at(dl.spec, occ.occurrence, svc.calendar)
    await repo.set_progress(tx, occ.id, index, steps[index].at, due)


async def recompute_open(svc: Services) -> None:
    """Calendar hook: a new holiday moves the reminders still to come."""
    async with svc.db.transaction() as tx:
        for occ, dl in await repo.open_occurrences(tx, svc.office_id):
            await _reschedule(svc, tx, dl, occ)


@dataclass(frozen=True)
class Loaded:
    """What loading the file did: entries in it, and how many were new, edited, retired."""

    total: int
    added: int
    changed: int
    removed: int


async def load_file(svc: Services, path: Path, actor: int = SYSTEM_ACTOR) -> Loaded:
    """Load the reviewed file: new and changed entries saved, removed ones retired, audited.

    A deadline keeps its id (by slug) and an occurrence its date, so the outbox keys of
    reminders already sent (deadline, date, step, recipient) stay the same: nothing is sent
    again; a changed date is a new occurrence with its own reminders."""
    specs = content.load_file(path)  # raises DeadlineContentError, nothing changed then
    now = svc.clock.now()
    added = changed = 0
    async with svc.db.transaction() as tx:
        before = await repo.file_slugs(tx, svc.office_id)
        for spec in specs:
            saved, edited = await repo.save(tx, svc.office_id, spec, SOURCE_FILE, None, now)
            if edited:
                changed += spec.slug in before
                added += spec.slug not in before
                await audit.record(
                    tx, actor, "deadline.load", spec.slug, now, path.name, office_id=svc.office_id
                )
                await track(svc, tx, saved, now)
        gone = [(slug, i) for slug, i in before.items() if slug not in {s.slug for s in specs}]
        for slug, deadline_id in gone:
            await repo.deactivate(tx, deadline_id)
            await audit.record(
                tx, actor, "deadline.retire", slug, now, path.name, office_id=svc.office_id
            )
    return Loaded(len(specs), added, changed, len(gone))


@dataclass(frozen=True)
class Reloaded:
    outcome: Outcome
    loaded: Loaded | None = None
    file: str | None = None
    error: content.DeadlineContentError | None = None


async def reload(svc: Services, actor: int) -> Reloaded:
    """`/tahap muat`: read the configured file again; a bad file changes nothing."""
    if not await roles.may_reload_deadlines(svc, actor):
        return Reloaded(Outcome.REFUSED)
    path = svc.settings.deadlines_file
    if path is None:
        return Reloaded(Outcome.NO_FILE)
    try:
        return Reloaded(Outcome.OK, await load_file(svc, path, actor), path.name)
    except content.DeadlineContentError as exc:
        return Reloaded(Outcome.INVALID, file=path.name, error=exc)


async def add(svc: Services, actor: int, spec: DeadlineSpec) -> tuple[Outcome, Deadline | None]:
    if not await roles.may_edit_deadlines(svc, actor):
        return Outcome.REFUSED, None
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        # A removed deadline of the same name and date may be added again (save revives it).
        existing = await repo.get_by_slug(tx, svc.office_id, spec.slug)
        if existing is not None and existing.active:
            return Outcome.EXISTS, None
        saved, _ = await repo.save(tx, svc.office_id, spec, SOURCE_ADMIN, actor, now)
        await track(svc, tx, saved, now)
        await audit.record(
            tx, actor, "deadline.add", str(saved.id), now, spec.slug, office_id=svc.office_id
        )
    return Outcome.OK, saved


async def remove(svc: Services, actor: int, deadline_id: int) -> tuple[Outcome, Deadline | None]:
    if not await roles.may_edit_deadlines(svc, actor):
        return Outcome.REFUSED, None
    dl = await repo.get(svc.db.reader, deadline_id)
    if dl is None or not dl.active:
        return Outcome.NOT_FOUND, None
    async with svc.db.transaction() as tx:
        await repo.deactivate(tx, deadline_id)
        await audit.record(
            tx, actor, "deadline.remove", str(deadline_id), svc.clock.now(), office_id=svc.office_id
        )
    return Outcome.OK, dl


async def may_view(svc: Services, user_id: int) -> bool:
    return bool(await svc.roles_of(user_id) & set(VIEWERS))


async def overview(svc: Services, user_id: int) -> list[OccurrenceStatus] | None:
    """Current deadlines with who has and has not reported; None when not staff."""
    if not await may_view(svc, user_id):
        return None
    now = svc.clock.now()
    conn = svc.db.reader
    found = []
    for occ, dl in await repo.current(conn, svc.office_id, now - LOOK_BACK, now + LOOK_AHEAD):
        st = await status(svc, conn, occ, dl)
        if dl.spec.audience == SATKER and "lo" in await svc.roles_of(user_id):
            st = _lo_view(st, user_id, await svc.roles_of(user_id))
        found.append(st)
    return found


def _lo_view(st: OccurrenceStatus, user_id: int, roles: set[str]) -> OccurrenceStatus:
    """An LO who is nothing else sees the satker of their own groups."""
    if roles - {"lo"}:
        return st
    mine = [(p, r) for p, r in st.reported if p.lo_user_id == user_id]
    return OccurrenceStatus(
        st.deadline, st.occurrence, mine, [p for p in st.pending if p.lo_user_id == user_id]
    )


async def mark_reported(svc: Services, occurrence_id: int, user_id: int, chat_id: int) -> Pressed:
    """The "Sudah disampaikan" button: staff report for themselves, operators for their satker."""
    conn = svc.db.reader
    occ = await repo.get_occurrence(conn, occurrence_id)
    dl = await repo.get(conn, occ.deadline_id) if occ else None
    if occ is None or dl is None or not dl.active:
        return Pressed(Outcome.NOT_FOUND)
    if dl.spec.audience == SATKER:
        kode = await groups_repo.operator_satker(conn, user_id, chat_id)
        if kode is None:
            return Pressed(Outcome.NOT_OPERATOR, dl)
        key = f"s{kode}"
    else:
        key = f"u{user_id}"
    party = next((p for p in await parties(svc, conn, dl) if p.key == key), None)
    if party is None:
        return Pressed(Outcome.NOT_RESPONSIBLE, dl)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        recorded = await repo.record_report(tx, occ.id, key, user_id, now)
        if recorded:
            await audit.record(
                tx, user_id, "deadline.reported", f"{occ.id}:{key}", now, office_id=svc.office_id
            )
    if not recorded:
        earlier = (await repo.reports(conn, occ.id)).get(key)
        return Pressed(Outcome.ALREADY, dl, party, earlier.reported_at if earlier else None)
    return Pressed(Outcome.OK, dl, party, now)


def is_recurring(dl: Deadline) -> bool:
    return dl.spec.recurrence != ONCE


@dataclass(frozen=True)
class Added:
    outcome: Outcome
    deadline: Deadline | None = None
    first_due: datetime | None = None
    unknown_ref: str | None = None


async def add_request(svc: Services, actor: int, request: commands.AddRequest) -> Added:
    """`/tahap tambah`: resolve the named users, then add and audit."""
    if not await roles.may_edit_deadlines(svc, actor):
        return Added(Outcome.REFUSED)
    ids: list[int] = []
    for ref in request.user_refs:
        user = await resolve_user(svc, ref)
        if user is None:
            return Added(Outcome.NOT_FOUND, unknown_ref=f"@{ref}")
        ids.append(user.user_id)
    outcome, dl = await add(svc, actor, commands.with_users(request, tuple(ids)))
    if dl is None:
        return Added(outcome)
    occurrences = await repo.occurrences_of(svc.db.reader, dl.id)
    first = next((o.due_at for o in occurrences if o.next_due_at is not None), None)
    return Added(outcome, dl, first)
