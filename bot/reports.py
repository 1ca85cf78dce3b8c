"""The recap (/rekap) and the monthly/quarterly information-service report.

Figures come from storage/reports.py aggregates; the workbook and the chart are built in a
worker thread (xlsxwriter in constant-memory mode streams rows to disk; matplotlib draws
off-screen), so a big office never blocks the bot.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot import kpi, periods
from bot.periods import Period
from bot.services import Services
from bot.tickets import OFFICE_WIDE, lo_scope
from messages import rekap as rekap_msg
from storage import complaints as complaints_repo
from storage import people
from storage import reports as repo
from storage import rollup as rollup_repo
from storage.models import CleanClear
from storage.reports import Scope

log = logging.getLogger(__name__)

REKAP_ROLES = ("admin", "cso", "supervisor", "kepala", "lo")


@dataclass(frozen=True)
class Counts:
    n: int
    answered: int
    on_time: int
    late_open: int


@dataclass
class Line:
    """Counts for one person, group or satker. ``detail``: the person's role (LO, CSO) or
    the satker's name, shown beside ``name`` (the person's name, the kode satker)."""

    name: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    open: int = 0
    open_late: int = 0
    detail: str = ""

    @property
    def judged(self) -> int:
        return kpi.judged(self.answered, self.open_late)

    @property
    def on_time_share(self) -> float | None:
        return kpi.on_time_share(self.on_time, self.answered, self.open_late)

    def add(self, c: Counts) -> None:
        self.received += c.n
        self.answered += c.answered
        self.on_time += c.on_time
        self.open += c.n - c.answered
        self.open_late += c.late_open


@dataclass
class Recap:
    period: Period
    office_wide: bool
    generated_at: datetime
    total: Line = field(default_factory=lambda: Line("Kantor"))
    by_channel: dict[str, int] = field(default_factory=dict)
    per_lo: list[Line] = field(default_factory=list)
    per_group: list[Line] = field(default_factory=list)
    per_satker: list[Line] = field(default_factory=list)
    median_hours: float | None = None
    p90_hours: float | None = None
    rating_avg: float | None = None
    rating_n: int = 0
    kpi_office: kpi.Kpi | None = None
    kpi_cso: list[tuple[str, kpi.Kpi]] = field(default_factory=list)
    scope: Scope | None = None
    # "Clean and clear" complaint counts; office-wide recaps only (complaints may name staff).
    complaints: CleanClear | None = None
    # HAI CSO figures (bot.haicso.rekap.HaiFigures), set by /rekap when it asks for them.
    hai: Any = None
    # Answered tickets per answer-time bucket (storage.rollup.WAIT_EDGES).
    wait_buckets: list[int] = field(default_factory=list)
    # Counts per (LO, channel, recorder, answerer, HAI CSO state, who set it): the CSO's
    # IKU share here, "tercatat di HAI CSO" in bot/haicso/rekap.py.
    kinds: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def answered_late(self) -> int:
        return self.total.answered - self.total.on_time


async def prepare_rollup(svc: Services) -> int | None:
    """Build the office's daily rollup when it is not built in the office's zone (a
    database from before migration 023, or a changed ``LOBOT_TIMEZONE``): the days
    counted, or None when it was up to date. Runs at start, before any ticket changes;
    a million tickets take seconds, once."""
    async with svc.db.transaction() as tx:
        days = await rollup_repo.ensure(tx, svc.office_id, svc.tz.key)
    if days is not None:
        log.info("daily report rollup built: %d days", days)
    return days


async def scope_for(svc: Services, user_id: int, period: Period) -> Scope | None:
    """The office for CSOs, supervisors, heads and admins; an LO sees their own groups."""
    roles = await svc.roles_of(user_id)
    start, end = period.bounds(svc.tz)
    if roles & OFFICE_WIDE:
        return Scope(svc.office_id, start, end)
    if "lo" in roles:
        return Scope(svc.office_id, start, end, tuple(await lo_scope(svc, user_id)))
    return None


def percentile(histogram: list[tuple[float, int]], share: float) -> float | None:
    """The smallest value with at least ``share`` of the counts at or below it (nearest
    rank); kept as the definition ``percentiles`` follows without the histogram."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    rank = share * total
    seen = 0
    for value, n in histogram:
        seen += n
        if seen >= rank:
            return value
    return histogram[-1][0]


async def percentiles(
    svc: Services, scope: Scope, buckets: list[int], shares: tuple[float, ...]
) -> list[float | None]:
    """``percentile`` of the scope's answer times for each share: the bucket counts (from
    the rollup) say which bucket holds the rank, and one query finds the value in it."""
    total = sum(buckets)
    out: list[float | None] = []
    for share in shares:
        if not total:
            out.append(None)
            continue
        k = max(1, math.ceil(share * total))  # the first value whose count reaches the rank
        before = 0
        for i, n in enumerate(buckets):
            if before + n >= k:
                out.append(await repo.nth_wait(svc.db.reader, scope, i, k - before - 1))
                break
            before += n
    return out


async def build(svc: Services, scope: Scope, period: Period, use_rollup: bool = True) -> Recap:
    """The recap of a scope. Its counts come from the daily rollup (storage/rollup.py)
    unless it cannot answer for the scope (``use_rollup=False`` forces the tickets)."""
    now = svc.clock.now()
    reader = svc.db.reader
    recap = Recap(period, scope.lo_ids is None, now, scope=scope)
    found = await repo.figures(reader, scope, now, use_rollup)
    lo_lines: dict[Any, Line] = defaultdict(lambda: Line(""))
    group_lines: dict[Any, Line] = defaultdict(lambda: Line(""))
    satker_lines: dict[Any, Line] = defaultdict(lambda: Line(""))
    channels: dict[str, int] = defaultdict(int)
    rating_sum = 0
    for r in found.lines:
        counts = _counts(r)
        for line in (
            recap.total,
            lo_lines[r["lo_user_id"]],
            group_lines[r["chat_id"]],
            satker_lines[r["kode_satker"]],
        ):
            line.add(counts)
        rating_sum += r["rating_sum"] or 0
        recap.rating_n += r["rating_n"]
    recap.kinds = found.kinds
    for r in found.kinds:
        channels[r["channel"]] += r["n"]
    recap.by_channel = dict(channels)
    recap.rating_avg = rating_sum / recap.rating_n if recap.rating_n else None
    lo_names = await repo.names(reader, [k for k in lo_lines if k is not None])
    titles = await repo.group_titles(reader, [k for k in group_lines if k is not None])
    recap.per_lo = _named(lo_lines, lambda k: lo_names.get(k, str(k)) if k else "(tanpa LO)")
    await _label_roles(svc, recap.per_lo, lo_lines)
    recap.per_group = _named(group_lines, lambda k: titles.get(k, str(k)) if k else "(kanal lain)")
    recap.per_satker = _named(satker_lines, lambda k: k or "(tanpa kode satker)")
    satker = await repo.satker_names(reader, [k for k in satker_lines if k])
    for kode, line in satker_lines.items():
        line.detail = satker.get(kode, "") if kode else ""
    recap.wait_buckets = await repo.wait_buckets(reader, scope, use_rollup)
    recap.median_hours, recap.p90_hours = await percentiles(
        svc, scope, recap.wait_buckets, (0.5, 0.9)
    )
    await _kpis(svc, recap, scope, period, found.kinds)
    if scope.lo_ids is None:
        recap.complaints = await complaint_figures(svc, scope)
    return recap


async def complaint_figures(svc: Services, scope: Scope) -> CleanClear:
    """The "clean and clear" counts for the scope's period (and satker): the one place
    /rekap, its workbook and the dashboard take them from."""
    return await complaints_repo.clean_clear(
        svc.db.reader, svc.office_id, scope.start, scope.end, scope.kode_satker
    )


def _counts(r: Any) -> Counts:
    return Counts(r["n"], r["answered"], r["on_time"], r["late_open"])


async def _label_roles(svc: Services, lines: list[Line], by_id: dict[Any, Line]) -> None:
    """A ticket's holder is its group's LO, or the CSO who recorded it from another
    channel: say which, so a CSO is not listed as an LO."""
    reader = svc.db.reader
    los = {u.user_id for u in await people.holders(reader, svc.office_id, "lo")}
    csos = {u.user_id for u in await people.holders(reader, svc.office_id, "cso")}
    for uid, line in by_id.items():
        roles = [name for name, ids in (("LO", los), ("CSO", csos)) if uid in ids]
        line.detail = "/".join(roles)


def _named(lines: dict[Any, Line], name: Any) -> list[Line]:
    out = []
    for key, line in lines.items():
        line.name = str(name(key))
        out.append(line)
    return sorted(out, key=lambda line: (-line.received, line.name))


async def _kpis(svc: Services, recap: Recap, scope: Scope, period: Period, rows: list[Any]) -> None:
    s = svc.settings
    qb, tb = kpi.parse_bands(s.kpi_quantity_bands), kpi.parse_bands(s.kpi_ontime_bands)
    quarter = periods.quarter_of(period.start)
    minimum = kpi.minimum_for(s.office_type, period.days, quarter.days)
    t = recap.total
    recap.kpi_office = kpi.compute(t.received, t.on_time, t.judged, minimum, qb, tb)
    if scope.lo_ids is not None:
        return
    csos = await people.holders(svc.db.reader, svc.office_id, "cso")
    ids = {u.user_id for u in csos}
    per: dict[int, Line] = defaultdict(lambda: Line(""))
    for r in rows:
        # A ticket counts for the CSO who recorded it (/catat), else the CSO who answered.
        cso = r["recorded_by"] if r["recorded_by"] in ids else r["answered_by"]
        if cso in ids:
            per[cso].add(_counts(r))
    for user in csos:
        line = per.get(user.user_id) or Line("")
        recap.kpi_cso.append(
            (user.full_name, kpi.compute(line.received, line.on_time, line.judged, minimum, qb, tb))
        )


# ---- the chart's figures ------------------------------------------------------------------
@dataclass(frozen=True)
class ChartBar:
    """One bar: a working day, or the working days of one week inside the period."""

    label: str
    days: tuple[date, ...]
    received: int = 0
    answered: int = 0
    on_time: int = 0
    open_late: int = 0
    waited_hours: float = 0.0

    @property
    def on_time_share(self) -> float | None:
        return kpi.on_time_share(self.on_time, self.answered, self.open_late)

    @property
    def average_hours(self) -> float | None:
        return self.waited_hours / self.answered if self.answered else None


@dataclass(frozen=True)
class ChartData:
    label: str
    per_week: bool
    bars: list[ChartBar]
    norm_hours: float  # the 2-working-day norm, in working hours
    target_share: float | None  # the on-time share that scores the target index
    target_index: float


# Up to a month, one bar per working day; longer periods, one per week.
DAILY_UP_TO_DAYS = 31


def chart_buckets(period: Period, is_working_day: Any) -> list[tuple[str, tuple[date, ...]]]:
    """(label, the calendar days it counts) for each bar. A ticket recorded on a
    non-working day counts on the next working day in the period (its clock starts then),
    or on the last one before when the period ends first."""
    days = [period.start + timedelta(days=i) for i in range(period.days)]
    working = [d for d in days if is_working_day(d)] or days
    owner = {}
    for d in days:
        later = [w for w in working if w >= d]
        owner[d] = later[0] if later else max(w for w in working if w <= d)
    if period.days <= DAILY_UP_TO_DAYS:
        return [(rekap_msg.day_label(w), tuple(d for d in days if owner[d] == w)) for w in working]
    weeks: dict[date, list[date]] = defaultdict(list)
    for w in working:
        weeks[w - timedelta(days=w.weekday())].append(w)
    out = []
    for monday in sorted(weeks):
        ws = weeks[monday]
        out.append((rekap_msg.span_label(ws[0], ws[-1]), tuple(d for d in days if owner[d] in ws)))
    return out


async def chart_data(svc: Services, recap: Recap, use_rollup: bool = True) -> ChartData:
    """The chart's bars from the same tickets, scope and on-time rule as the summary."""
    assert recap.scope is not None
    rows = await repo.daily(svc.db.reader, recap.scope, svc.tz, recap.generated_at, use_rollup)
    by_day = {r["day"]: r for r in rows}
    bars = []
    for label, days in chart_buckets(recap.period, svc.calendar.is_working_day):
        mine = [by_day[d] for d in days if d in by_day]
        bars.append(
            ChartBar(
                label,
                days,
                sum(r["received"] for r in mine),
                sum(r["answered"] for r in mine),
                sum(r["on_time"] for r in mine),
                sum(r["late_open"] for r in mine),
                sum(r["waited"] for r in mine),
            )
        )
    bands = kpi.parse_bands(svc.settings.kpi_ontime_bands)
    needed = [pct for pct, index in bands if index >= kpi.TARGET]
    return ChartData(
        recap.period.label,
        recap.period.days > DAILY_UP_TO_DAYS,
        bars,
        svc.settings.sla_hours,
        min(needed) / 100 if needed else None,
        kpi.TARGET,
    )
