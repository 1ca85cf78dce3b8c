"""The tick's deadline scanner: reminders and the after-deadline list, through the outbox.

Each occurrence row carries ``next_due_at`` (indexed), so a tick reads only what fell
due. Reminders are keyed ``dl:<deadline>:<date>:<step>:<u<user>|c<chat>>``, so however
many ticks or restarts see the same step, it is sent once. After downtime only the latest
missed reminder goes out, and only within the grace period (a stale "3 hari lagi" helps
nobody); steps older than that are passed over quietly.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import aiosqlite

from bot import digest
from bot.deadlines import schedule, service
from bot.services import Services
from messages import deadlines as msg
from storage import deadlines as repo
from storage import outbox, people
from storage.deadline_model import (
    LATE,
    SATKER,
    Deadline,
    Occurrence,
    OccurrenceStatus,
    Party,
    Step,
)


async def scan(svc: Services) -> int:
    now = svc.clock.now()
    enqueued = 0
    for occ, dl in await repo.fell_due(svc.db.reader, svc.office_id, now):
        enqueued += await _advance(svc, occ.id, dl, now)
    return enqueued


async def _advance(svc: Services, occurrence_id: int, dl: Deadline, now: datetime) -> int:
    grace = timedelta(hours=svc.settings.deadline_grace_hours)
    async with svc.db.transaction() as tx:
        occ = await repo.get_occurrence(tx, occurrence_id)
        if occ is None or occ.next_due_at is None or occ.next_due_at > now:
            return 0  # another tick got here first
        steps = service.steps_of(svc, dl, occ.occurrence)
        due = [s for s in steps[occ.next_step :] if s.at <= now]
        reminders = [s for s in due if s.label != LATE and s.at < occ.due_at]
        enqueued = 0
        if dl.active:
            st = await service.status(svc, tx, occ, dl)
            if reminders and now - reminders[-1].at <= grace:
                enqueued += await _remind(svc, tx, st, reminders[-1], now)
            if any(s.label == LATE for s in due) and now - occ.due_at <= grace:
                enqueued += await _alert(svc, tx, st, now)
        await _next(svc, tx, dl, occ, steps, now)
    return enqueued


async def _next(
    svc: Services,
    tx: aiosqlite.Connection,
    dl: Deadline,
    occ: Occurrence,
    steps: list[Step],
    now: datetime,
) -> None:
    later = [i for i in range(occ.next_step, len(steps)) if steps[i].at > now]
    if later:
        await repo.set_progress(tx, occ.id, later[0], steps[later[0]].at)
        return
    await repo.set_progress(tx, occ.id, len(steps), None)
    if dl.active and service.is_recurring(dl):
        following = schedule.next_occurrence(dl.spec, occ.occurrence)
        if following is not None:
            first = service.steps_of(svc, dl, following)[0].at
            due = schedule.due_at(dl.spec, following, svc.calendar)
            await repo.add_occurrence(tx, dl.id, following, due, first)


def _key(st: OccurrenceStatus, step: str, target: str) -> str:
    return f"dl:{st.deadline.id}:{st.occurrence.occurrence.isoformat()}:{step}:{target}"


async def _remind(
    svc: Services, tx: aiosqlite.Connection, st: OccurrenceStatus, step: Step, now: datetime
) -> int:
    button = msg.reported_button(st.occurrence.id)
    count = 0
    if st.deadline.spec.audience == SATKER:
        by_chat: dict[int, list[Party]] = defaultdict(list)
        for party in st.pending:
            if party.chat_id is not None:
                by_chat[party.chat_id].append(party)
        for chat_id, pending in by_chat.items():
            text = msg.satker_reminder(st, pending, now, svc.tz)
            key = _key(st, step.label, f"c{chat_id}")
            count += await outbox.enqueue(tx, key, chat_id, text, now, reply_markup=button)
        return count
    text = msg.staff_reminder(st, now, svc.tz)
    for party in st.pending:
        uid = int(party.key[1:])
        key = _key(st, step.label, f"u{uid}")
        count += await outbox.enqueue(tx, key, uid, text, now, reply_markup=button)
    return count


async def _alert(
    svc: Services, tx: aiosqlite.Connection, st: OccurrenceStatus, now: datetime
) -> int:
    if not st.pending:
        return 0
    everyone = (st.pending, len(st.reported))
    lists: dict[int, tuple[list[Party], int]] = {}
    for role in st.deadline.spec.alert_roles:
        for user in await people.holders(tx, svc.office_id, role):
            lists[user.user_id] = everyone
    if "admin" in st.deadline.spec.alert_roles:
        for admin_id in svc.settings.admin_ids:
            lists[admin_id] = everyone
    if st.deadline.spec.audience == SATKER:
        # Each LO also hears which of their own satker did not report, and how many of
        # their own did: the office-wide count under an LO's four names misleads.
        for party in st.pending:
            lo = party.lo_user_id
            if lo is not None and lo not in lists:
                mine = [p for p in st.pending if p.lo_user_id == lo]
                lists[lo] = (mine, sum(1 for p, _ in st.reported if p.lo_user_id == lo))
    count = 0
    for uid, (pending, done) in lists.items():
        # Through the person's digest (no button to keep); the reminders above keep their
        # own message: the "Sudah disampaikan" press clears the whole keyboard it is on.
        count += await digest.notify(
            svc,
            tx,
            key=_key(st, LATE, f"u{uid}"),
            user_id=uid,
            text=msg.late_alert(st, pending, done, now, svc.tz),
            line=msg.late_alert_line(st, pending),
        )
    return count
