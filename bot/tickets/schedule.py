"""A ticket's schedule: its stages (reminders, alert, escalation, auto-close), who acts
now, the tick's scan that turns due stages into messages, and moving open deadlines
after a calendar change. No Telegram here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

import aiosqlite

from bot import digest
from bot.services import Services
from messages import tickets as msg
from storage import digest as digest_repo
from storage import groups as groups_repo
from storage import people
from storage import tickets as repo
from storage.models import ANSWERED, DONE, OPEN, Ticket

T = TypeVar("T")
# A stage that fell due while the bot was down is sent at once if it is still this fresh,
# otherwise at the next start of working time (alerts go out in working time only).
FRESH = timedelta(minutes=15)
REMIND = "remind"  # the stage kinds remind0, remind1, ... (one per reminder share)
TICK_BATCH = 500


# ---- the schedule -----------------------------------------------------------------------
def stages(svc: Services, t: Ticket) -> list[tuple[str, datetime]]:
    """What happens to a ticket, and when, in its current state."""
    cal, s = svc.calendar, svc.settings
    if t.status == OPEN:
        plan = [
            (f"{REMIND}{i}", cal.add_working_hours(t.clock_start_at, share * s.sla_hours))
            for i, share in enumerate(s.reminder_shares)
        ]
        plan.append(("alert1", t.due_at))
        plan.append(("alert2", cal.add_working_hours(t.due_at, s.escalation_after_hours)))
        return plan
    if t.status == ANSWERED and t.answered_at is not None:
        return [("autoclose", cal.add_working_hours(t.answered_at, s.autoclose_hours))]
    return []


def next_due(svc: Services, t: Ticket, stage: int) -> datetime | None:
    plan = stages(svc, t)
    return plan[stage][1] if stage < len(plan) else None


def with_changes(t: Ticket, **changes: object) -> Ticket:
    return replace(t, **changes)  # type: ignore[arg-type]


async def responsible(svc: Services, conn: aiosqlite.Connection, t: Ticket) -> int:
    """Whoever should act now: the LO, or their backup while the LO is on leave."""
    lo = t.lo_user_id or t.recorded_by
    assert lo is not None
    today = svc.clock.now().astimezone(svc.tz).date()
    backup = await repo.backup_of(conn, lo, today)
    return backup or lo


# ---- the tick: reminders, alerts, escalation, auto-close -----------------------------------
class _Batch:
    """The writes of one scan batch, done with executemany, and lookups cached for it:
    a busy tick after downtime must not cost a dozen round trips per ticket."""

    def __init__(self, svc: Services, tx: aiosqlite.Connection, now: datetime) -> None:
        self.svc, self.tx, self.now = svc, tx, now
        self.items: list[tuple[str, int, int | None, str, str, datetime]] = []
        self.events: list[tuple[int, datetime, int | None, str, str | None]] = []
        self.stages: list[tuple[int, int, datetime | None]] = []
        self._cache: dict[tuple[object, ...], object] = {}

    async def cached(self, key: tuple[object, ...], load: Callable[[], Awaitable[T]]) -> T:
        if key not in self._cache:
            self._cache[key] = await load()
        return self._cache[key]  # type: ignore[return-value]

    async def flush(self) -> None:
        # Notices become digest items: each person gets one message per window, not one
        # per ticket and stage (bot/digest).
        await digest_repo.add_many(self.tx, self.items, self.now)
        for user_id in sorted({item[1] for item in self.items}):
            await digest.flush(self.svc, self.tx, user_id, self.now)
        await repo.add_events(self.tx, self.events)
        await repo.advance_stages(self.tx, self.stages)


async def scan(svc: Services) -> int:
    """Turn every stage that fell due into outbox rows; returns how many stages ran."""
    now = svc.clock.now()
    done = 0
    while True:
        due = await repo.fell_due(svc.db.reader, svc.office_id, now, TICK_BATCH)
        if not due:
            return done
        async with svc.db.transaction() as tx:
            batch = _Batch(svc, tx, now)
            for t in due:
                await _run_stage(batch, t)
            await batch.flush()
        done += len(due)
        if len(due) < TICK_BATCH:
            return done


async def _run_stage(b: _Batch, t: Ticket) -> None:
    svc, now = b.svc, b.now
    plan = stages(svc, t)
    stage = _latest_reminder(plan, t.stage, now)
    if stage >= len(plan):
        b.stages.append((t.id, stage, None))
        return
    kind, at = plan[stage]
    if kind == "autoclose":
        await repo.update(b.tx, t.id, status=DONE, closed_at=now, next_due_at=None)
        b.events.append((t.id, now, None, "ditutup_otomatis", None))
        return
    cal = svc.calendar
    fresh = cal.is_working_time(now) or now - at <= FRESH
    not_before = now if fresh else cal.next_working_start(now)
    for recipient, text, line in await _stage_messages(b, t, kind):
        key = f"ticket:{t.id}:{t.reopen_count}:{kind}:{recipient}"
        b.items.append((key, recipient, t.id, text, line, not_before))
    b.events.append((t.id, now, None, kind, None))
    following = plan[stage + 1][1] if stage + 1 < len(plan) else None
    b.stages.append((t.id, stage + 1, following))


def _latest_reminder(plan: list[tuple[str, datetime]], stage: int, now: datetime) -> int:
    """Skip reminders that a later reminder, also due, supersedes (the bot was down over
    both): the LO gets the latest one, not two in a row. Alerts are never skipped."""
    while (
        stage + 1 < len(plan)
        and plan[stage][0].startswith(REMIND)
        and plan[stage + 1][0].startswith(REMIND)
        and plan[stage + 1][1] <= now
    ):
        stage += 1
    return stage


async def _stage_messages(b: _Batch, t: Ticket, kind: str) -> list[tuple[int, str, str]]:
    """(recipient, notice, its line in a digest) for one stage."""
    svc, tx, now = b.svc, b.tx, b.now
    group = (
        await b.cached(("group", t.chat_id), lambda: groups_repo.get(tx, t.chat_id or 0))
        if t.chat_id is not None
        else None
    )
    satker = None
    if t.chat_id is not None and t.kode_satker:
        chat, kode = t.chat_id, t.kode_satker
        satker = await b.cached(
            ("satker", chat, kode), lambda: groups_repo.satker_name(tx, chat, kode)
        )
    lo = None
    if t.lo_user_id:
        lo_id = t.lo_user_id
        lo = await b.cached(("user", lo_id), lambda: people.get_user(tx, lo_id))
    ctx = msg.TicketContext(t, group.title if group else None, satker, lo, svc.tz)
    if kind.startswith(REMIND):
        left = svc.calendar.working_hours_between(now, t.due_at)
        lo_key = t.lo_user_id or t.recorded_by
        recipient = await b.cached(("responsible", lo_key), lambda: responsible(svc, tx, t))
        return [(recipient, msg.reminder(ctx, left), msg.reminder_line(ctx, left))]
    late = svc.calendar.working_hours_between(t.due_at, now)
    level = int(kind[-1])
    text, line = msg.alert(ctx, level, late), msg.alert_line(ctx, level, late)
    recipients = await b.cached(("alert", level), lambda: alert_recipients(svc, tx, level))
    return [(uid, text, line) for uid in recipients]


async def alert_recipients(svc: Services, tx: aiosqlite.Connection, level: int) -> list[int]:
    """Level 1: supervisors; level 2: head of office. Nobody in a role: the next one up
    or down the chain, then the admins, so an alert is never dropped for want of a name."""
    chain = ["supervisor", "kepala"] if level == 1 else ["kepala", "supervisor"]
    for role in chain:
        users = await people.holders(tx, svc.office_id, role)
        if users:
            return [u.user_id for u in users]
    admins = {u.user_id for u in await people.holders(tx, svc.office_id, "admin")}
    return sorted(admins | set(svc.settings.admin_ids))


async def recompute_open(svc: Services) -> None:
    """After a calendar change: open tickets get new deadlines; answered ones keep theirs."""
    ids = await repo.open_ids(svc.db.reader, svc.office_id)
    async with svc.db.transaction() as tx:
        for ticket_id in ids:
            t = await repo.get(tx, ticket_id)
            if t is None:
                continue
            due = svc.calendar.add_working_hours(t.clock_start_at, svc.settings.sla_hours)
            moved = with_changes(t, due_at=due)
            first_due = due if t.reopen_count == 0 else t.first_due_at
            await repo.update(
                tx,
                t.id,
                due_at=due,
                first_due_at=first_due,
                next_due_at=next_due(svc, moved, t.stage),
            )
