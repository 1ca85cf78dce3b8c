"""The dashboard's views (a Telegram Mini App): what each role may see, and its figures.

Every figure of a period comes from the recap /rekap builds (bot.reports.build) for the
same caller and period, so the two can never disagree; the LO and satker filters pick
lines of that recap. Current state (open tickets, complaints past their follow-up time,
tahap deadlines, broadcasts) is read through the functions the chat commands use, with
their role rules. No Telegram, no SQL here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot import periods, reports
from bot import roles as role_rules
from bot.broadcast import core as broadcasts
from bot.complaints import audience as complaint_audience
from bot.complaints.scanner import followup_due
from bot.deadlines import service as deadlines
from bot.haicso import day as hai_day
from bot.haicso import entries as hai_entries
from bot.periods import Period
from bot.reports import ChartBar, Recap
from bot.services import Services
from bot.tickets.life import OFFICE_WIDE, lo_scope
from storage import broadcasts as broadcast_repo
from storage import complaints as complaint_repo
from storage import groups as groups_repo
from storage import people
from storage import reports as report_repo
from storage import tickets as ticket_repo
from storage.deadline_model import OccurrenceStatus
from storage.models import COMPLAINT_RECEIVED, Broadcast, Complaint, DeliveryCounts, Ticket
from storage.reports import Scope
from storage.rollup import WAIT_EDGES

TICKETS, PERFORMANCE, KPI, COMPLAINTS, DEADLINES, BROADCASTS, HAICSO, KANWIL = (
    "tiket",
    "kinerja",
    "iku",
    "pengaduan",
    "tahap",
    "siaran",
    "haicso",
    "kanwil",
)
VIEWS = (TICKETS, PERFORMANCE, KPI, COMPLAINTS, DEADLINES, BROADCASTS, HAICSO, KANWIL)
DEFAULT_PERIOD = {KPI: "triwulan ini"}  # the IKU is a quarterly figure
OPEN_LISTED = 100
LATE_IN_HOURS = timedelta(days=14)


@dataclass(frozen=True)
class Filters:
    period_text: str = ""
    lo_id: int | None = None
    kode_satker: str | None = None


async def views_for(svc: Services, user_id: int) -> list[str]:
    """The views this user may open, in menu order; empty for operators and strangers."""
    roles = await svc.roles_of(user_id)
    shown: list[str] = []
    if roles & (OFFICE_WIDE | {"lo"}):
        shown += [TICKETS, PERFORMANCE]
    if roles & OFFICE_WIDE:
        shown.append(KPI)
    if await complaint_audience.is_handler(svc, user_id):
        shown.append(COMPLAINTS)
    if await deadlines.may_view(svc, user_id):
        shown.append(DEADLINES)
    if await broadcasts.may_send(svc, user_id):
        shown.append(BROADCASTS)
    if await hai_entries.may_keep(svc, user_id):
        shown.append(HAICSO)
    if await role_rules.is_kanwil(svc, user_id):
        shown.append(KANWIL)  # the supervised offices side by side (bot/kanwil.py)
    return shown


def period_of(svc: Services, view: str, text: str) -> Period | None:
    today = svc.clock.now().astimezone(svc.tz).date()
    return periods.parse(text or DEFAULT_PERIOD.get(view, ""), today)


# ---- open tickets -------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenTicket:
    ticket: Ticket
    lo_name: str
    group_title: str
    # Working hours to the deadline, negative when late; None when late by more than
    # LATE_IN_HOURS (the list then shows the deadline's date: counting the working hours
    # of months walks every day of them).
    hours_left: float | None
    escalated: bool


@dataclass(frozen=True)
class LoLoad:
    name: str
    open: int
    late: int
    escalated: int


@dataclass
class TicketsView:
    now: datetime
    per_lo: list[LoLoad]
    tickets: list[OpenTicket]
    total: int
    late: int
    escalated: int
    lo_choices: list[tuple[int, str]] = field(default_factory=list)


def escalation_stage(svc: Services) -> int:
    """A ticket's stage once the head of office was alerted (bot.tickets.schedule.stages:
    the reminders, the first alert at the deadline, then the escalation)."""
    return len(svc.settings.reminder_shares) + 2


async def open_tickets(svc: Services, user_id: int, f: Filters) -> TicketsView | None:
    allowed, lo_ids = await _lo_ids(svc, user_id, f.lo_id)
    if not allowed:
        return None
    now, reader = svc.clock.now(), svc.db.reader
    stage = escalation_stage(svc)
    loads = await ticket_repo.open_by_lo(
        reader, svc.office_id, now, stage, lo_ids=lo_ids, kode_satker=f.kode_satker
    )
    listed, total = await ticket_repo.open_tickets(
        reader, svc.office_id, lo_ids=lo_ids, kode_satker=f.kode_satker, limit=OPEN_LISTED
    )
    names = await report_repo.names(reader, [k for k, *_ in loads if k is not None])
    titles = await report_repo.group_titles(
        reader, sorted({t.chat_id for t in listed if t.chat_id is not None})
    )
    rows = [
        OpenTicket(
            t,
            names.get(t.lo_user_id or 0, "(tanpa LO)") if t.lo_user_id else "(tanpa LO)",
            titles.get(t.chat_id or 0, "") if t.chat_id else "(kanal lain)",
            _hours_left(svc, now, t),
            t.stage >= stage,
        )
        for t in listed
    ]
    per_lo = sorted(
        (
            LoLoad(names.get(k, str(k)) if k else "(tanpa LO)", n, late, esc)
            for k, n, late, esc in loads
        ),
        key=lambda x: (-x.late, -x.open, x.name),
    )
    view = TicketsView(
        now,
        per_lo,
        rows,
        sum(x.open for x in per_lo),
        sum(x.late for x in per_lo),
        sum(x.escalated for x in per_lo),
    )
    if await svc.roles_of(user_id) & OFFICE_WIDE:
        view.lo_choices = sorted(
            ((k, names.get(k, str(k))) for k, *_ in loads if k is not None), key=lambda x: x[1]
        )
    return view


async def hai_open(svc: Services, user_id: int) -> hai_day.OpenList | None:
    """The tickets not entered in HAI CSO yet, as /haicso lists them (CSOs and admins)."""
    if not await hai_entries.may_keep(svc, user_id):
        return None
    return await hai_day.open_list(svc, svc.clock.now(), limit=OPEN_LISTED)


def _hours_left(svc: Services, now: datetime, t: Ticket) -> float | None:
    if t.due_at >= now:
        return svc.calendar.working_hours_between(now, t.due_at)
    if now - t.due_at > LATE_IN_HOURS:
        return None
    return -svc.calendar.working_hours_between(t.due_at, now)


async def _lo_ids(svc: Services, user_id: int, wanted: int | None) -> tuple[bool, list[int] | None]:
    """(may see tickets, the LOs whose tickets: None for the whole office), narrowed to
    ``wanted``. An LO's filter cannot widen their own scope."""
    roles = await svc.roles_of(user_id)
    if roles & OFFICE_WIDE:
        return True, [wanted] if wanted else None
    if "lo" in roles:
        own = await lo_scope(svc, user_id)
        return True, [wanted] if wanted in own else own
    return False, None


# ---- figures of a period: the recap ---------------------------------------------------------
@dataclass
class PeriodView:
    recap: Recap
    # The bars of /rekap's chart (bot.reports.chart_data): a working day or a week each,
    # with the same on-time rule as the summary.
    weeks: list[ChartBar]
    waits: list[tuple[tuple[float, float | None], int]]  # answer-time buckets (working h)
    sla_hours: float


async def scope_of(svc: Services, user_id: int, view: str, f: Filters) -> Scope | None:
    """The scope /rekap gives this user for the period, narrowed by the filters (an LO
    filter never widens an LO's own scope)."""
    period = period_of(svc, view, f.period_text)
    scope = await reports.scope_for(svc, user_id, period) if period else None
    if scope is None:
        return None
    if f.lo_id is not None:
        _, lo_ids = await _lo_ids(svc, user_id, f.lo_id)
        scope = replace(scope, lo_ids=tuple(lo_ids) if lo_ids is not None else None)
    if f.kode_satker:
        scope = replace(scope, kode_satker=f.kode_satker)
    return scope


async def recap_for(
    svc: Services, user_id: int, view: str, f: Filters, *, charts: bool = True
) -> PeriodView | None:
    """The recap /rekap builds (bot.reports.build) for this scope, with (``charts``) the
    weekly figures and the answer-time distribution from the queries /rekap's chart and
    percentiles use (the IKU and complaint views do without: a third of the time)."""
    scope = await scope_of(svc, user_id, view, f)
    period = period_of(svc, view, f.period_text)
    if scope is None or period is None:
        return None
    recap = await reports.build(svc, scope, period)
    if not charts:
        return PeriodView(recap, [], [], svc.settings.sla_hours)
    weeks = (await reports.chart_data(svc, recap)).bars
    return PeriodView(recap, weeks, bucket(recap.wait_buckets), svc.settings.sla_hours)


def bucket(counts: list[int]) -> list[tuple[tuple[float, float | None], int]]:
    """The recap's answer-time bucket counts with their bounds in working hours."""
    lows = (0.0, *WAIT_EDGES)
    highs: tuple[float | None, ...] = (*WAIT_EDGES, None)
    return [((lo, hi), n) for lo, hi, n in zip(lows, highs, counts, strict=True)]


# ---- complaints, deadlines, broadcasts -----------------------------------------------------
@dataclass
class ComplaintsView:
    recap: Recap
    overdue: list[tuple[Complaint, datetime]]  # not followed up, past the follow-up time


async def complaints(svc: Services, user_id: int, f: Filters) -> ComplaintsView | None:
    """Complaint figures for every complaint handler. The compliance section, who report
    them, hold no ticket role: the view is built without the ticket recap."""
    if not await complaint_audience.is_handler(svc, user_id):
        return None
    period = period_of(svc, COMPLAINTS, f.period_text)
    if period is None:
        return None
    now = svc.clock.now()
    start, end = period.bounds(svc.tz)
    scope = Scope(svc.office_id, start, end, kode_satker=f.kode_satker or None)
    recap = Recap(period, True, now, scope=scope)
    recap.complaints = await reports.complaint_figures(svc, scope)
    # The satker is picked in the query, before the limit (not among the office's first 200).
    waiting = await complaint_repo.by_status(
        svc.db.reader,
        svc.office_id,
        (COMPLAINT_RECEIVED,),
        limit=200,
        kode_satker=f.kode_satker or None,
    )
    overdue = [(c, due) for c in waiting if (due := followup_due(svc, c)) <= now]
    return ComplaintsView(recap, overdue)


async def tahap(svc: Services, user_id: int) -> list[OccurrenceStatus] | None:
    return await deadlines.overview(svc, user_id)


@dataclass(frozen=True)
class BroadcastReport:
    broadcast: Broadcast
    counts: DeliveryCounts
    failed: list[tuple[str, str]]  # (group, Telegram's reason)


async def broadcast_reports(
    svc: Services, user_id: int, f: Filters
) -> tuple[Period, list[BroadcastReport]] | None:
    if not await broadcasts.may_send(svc, user_id):
        return None
    period = period_of(svc, BROADCASTS, f.period_text)
    if period is None:
        return None
    start, end = period.bounds(svc.tz)
    out = []
    for b in await broadcast_repo.recent(svc.db.reader, svc.office_id, start, end):
        found = await broadcasts.progress(svc, b.id)
        deliveries = found[1] if found else []
        counts = DeliveryCounts.of(deliveries)
        failed = [(d.title, d.reason or "") for d in deliveries if d.state == "failed"]
        out.append(BroadcastReport(b, counts, failed))
    return period, out


# ---- filters ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choices:
    los: list[tuple[int, str]]  # empty: no LO filter for this user
    satker: list[tuple[str, str]]  # (kode, name) of the satker this user may filter by


async def choices(svc: Services, user_id: int) -> Choices:
    """What the filter lists offer: the office's LOs and satker for office-wide roles; an LO
    the satker of the groups they handle (no LO list: they see their own)."""
    roles = await svc.roles_of(user_id)
    rows = await groups_repo.satker_in_active_groups(svc.db.reader, svc.office_id)
    if roles & OFFICE_WIDE:
        los = await people.holders(svc.db.reader, svc.office_id, "lo")
        return Choices(
            sorted(((u.user_id, u.full_name) for u in los), key=lambda x: x[1]),
            sorted({(k, n) for k, n, _, _ in rows}),
        )
    own = set(await lo_scope(svc, user_id)) if "lo" in roles else set()
    return Choices([], sorted({(k, n) for k, n, _, lo in rows if lo in own}))


async def launch_url(svc: Services, user_id: int) -> str | None:
    """The address the "📊 Dasbor" button opens, for staff with a view; None when the
    dashboard is not configured or the user has no view (the button is not offered)."""
    url = svc.settings.web_url
    if url is None or svc.settings.web_port is None:
        return None
    return url if await views_for(svc, user_id) else None
