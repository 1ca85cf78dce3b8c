"""The daily rollup (storage/rollup.py) against the tickets themselves (issues 19 and 21).

Random histories are written through the storage functions every feature uses (new
tickets, answers with the working time waited and the on-time verdict of the calendar,
closing, reopening, moving to another LO, group or satker, ratings, "not a question", a
group moving to a new chat id, a holiday added later with the real calendar hook that
moves open tickets' deadlines, HAI CSO states recorded). Then, for random periods, scopes
and moments, every figure /rekap, its chart and the dashboard show is computed by
``bot.reports`` from the rollup, and again here in plain Python from the ticket rows: they
must be equal (/rekap's HAI CSO counts: against storage.haicso.period_counts, which reads
the tickets). The rollup rebuilt from scratch must equal the one kept change by change.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.common import WIB, services
from bot import kpi, periods, reports
from bot.haicso import rekap as haicso_rekap
from bot.services import Services, make_calendar
from bot.tickets import schedule
from storage import groups, people, rollup
from storage import haicso as haicso_repo
from storage import tickets as tickets_repo
from storage.models import HAI_ENTERED, HAI_NOT_ENTERED, HAI_NOT_NEEDED
from storage.reports import Scope
from storage.timefmt import parse_ts
from tests.profiles import at_least

LO1, LO2, CSO = 201, 202, 501
CHATS = (-1001, -1002)
NEW_CHAT = -100999
SATKER = ("111111", "222222", None)
CHANNELS = ("grup", "telepon", "email")
BASE = datetime(2026, 11, 2, 0, 0, tzinfo=WIB)  # a Monday
SLA = 16.0  # the 2-working-day norm, in working hours

new_ticket = st.tuples(
    st.just("new"),
    st.integers(0, 75 * 24 * 4),  # quarter hours after BASE (into January)
    st.sampled_from((0, 1, None)),  # group index, None: another channel
    st.sampled_from((LO1, LO2, None)),
    st.sampled_from(SATKER),
    st.sampled_from(CHANNELS),
    st.booleans(),  # recorded by the CSO
)
change = st.tuples(
    st.sampled_from(
        (
            "answer",
            "answer",
            "close",
            "reopen",
            "not_question",
            "move_lo",
            "move_satker",
            "rate",
            "holiday",
            "migrate",
            "hai",
            "hai",
        )
    ),
    st.integers(0, 10_000),  # which ticket (modulo), or which day for a holiday
    st.integers(1, 40 * 4),  # quarter hours later (answers); a rating; a new LO
)
histories = st.lists(st.one_of(new_ticket, change), min_size=1, max_size=40)
queries = st.lists(
    st.tuples(
        st.integers(0, 75),  # first day
        st.integers(1, 70),  # days (whole months read from the monthly rows)
        st.sampled_from((None, (LO1,), (LO2, LO1), ())),  # LO scope
        st.integers(0, 80 * 24),  # "now", hours after BASE
    ),
    min_size=1,
    max_size=4,
)


async def office(path: Path) -> Services:
    svc = await services(path, BASE)
    svc.settings = replace(svc.settings, sla_hours=SLA)
    async with svc.db.transaction() as tx:
        for uid, name, role in ((LO1, "Sari", "lo"), (LO2, "Dewi", "lo"), (CSO, "Citra", "cso")):
            await people.upsert_user(tx, uid, None, name, BASE)
            await people.grant(tx, 1, uid, role, 1, BASE)
        for i, chat in enumerate(CHATS):
            await groups.upsert_joined(tx, chat, f"Grup {i}", BASE)
            await groups.register(tx, chat, (LO1, LO2)[i], "K/L", BASE)
    await reports.prepare_rollup(svc)
    return svc


async def play(svc: Services, history: list[tuple[Any, ...]]) -> None:
    cal = svc.calendar
    ids: list[int] = []
    chats = list(CHATS)
    for op in history:
        kind = op[0]
        if kind == "new":
            _, quarter, g, lo, kode, channel, by_cso = op
            created = BASE + timedelta(minutes=15 * quarter)
            chat = chats[g] if g is not None else None
            async with svc.db.transaction() as tx:
                t = await tickets_repo.insert(
                    tx,
                    office_id=1,
                    number=f"2026-{len(ids) + 1:04d}",
                    chat_id=chat,
                    channel="grup" if chat else channel,
                    text="pertanyaan",
                    status="baru",
                    created_at=created,
                    clock_start_at=created,
                    due_at=cal.add_working_hours(created, SLA),
                    first_due_at=cal.add_working_hours(created, SLA),
                    lo_user_id=lo,
                    kode_satker=kode,
                    recorded_by=CSO if by_cso and chat is None else None,
                )
            ids.append(t.id)
            continue
        if kind == "holiday":
            # A holiday added after the fact: open tickets' deadlines move (the real hook);
            # answered ones keep the verdict they were given.
            hol, work = {BASE.date() + timedelta(days=op[1] % 75)}, set()
            cal.set_overrides(hol | set(cal._extra_holidays), work)  # noqa: SLF001
            await schedule.recompute_open(svc)
            continue
        if kind == "migrate" and chats[0] != NEW_CHAT:
            async with svc.db.transaction() as tx:
                await groups.migrate_chat(tx, chats[0], NEW_CHAT)
            chats[0] = NEW_CHAT
            continue
        if not ids:
            continue
        if kind == "hai":  # the CSO records the ticket's HAI CSO state (or an LO does)
            state = (HAI_ENTERED, HAI_NOT_NEEDED, HAI_NOT_ENTERED)[op[2] % 3]
            async with svc.db.transaction() as tx:
                await haicso_repo.set_state(
                    tx, 1, ids[op[1] % len(ids)], state, (CSO, LO1)[op[2] % 2], BASE
                )
            continue
        t = await tickets_repo.get(svc.db.reader, ids[op[1] % len(ids)])
        assert t is not None
        values = changes(svc, t, kind, op[2])
        if values:
            async with svc.db.transaction() as tx:
                await tickets_repo.update(tx, t.id, **values)


def changes(svc: Services, t: Any, kind: str, n: int) -> dict[str, Any]:
    if kind == "answer" and t.status == "baru":
        at = t.clock_start_at + timedelta(minutes=15 * n)
        waited = round(t.waited_hours + svc.calendar.working_hours_between(t.clock_start_at, at), 2)
        return dict(
            status="dijawab",
            answered_at=at,
            answered_by=t.lo_user_id or CSO,
            waited_hours=waited,
            on_time=at <= t.due_at,
        )
    if kind == "close" and t.status == "dijawab":
        return dict(status="selesai")
    if kind == "reopen" and t.status in ("dijawab", "selesai"):
        start = t.answered_at or t.created_at
        return dict(
            status="baru",
            on_time=None,
            clock_start_at=start,
            due_at=svc.calendar.add_working_hours(start, SLA),
            reopen_count=t.reopen_count + 1,
        )
    if kind == "not_question" and t.status == "baru":
        return dict(status="bukan_pertanyaan")
    if kind == "move_lo":
        return dict(lo_user_id=(LO1, LO2, None)[n % 3])
    if kind == "move_satker":
        return dict(kode_satker=SATKER[n % 3])
    if kind == "rate" and t.status in ("dijawab", "selesai"):
        return dict(rating=n % 5 + 1)
    return {}


# ---- the figures counted from the ticket rows, in plain Python ------------------------------
async def ticket_rows(svc: Services) -> list[dict[str, Any]]:
    return [dict(r) for r in await svc.db.fetchall("SELECT * FROM tickets")]


def expected(
    svc: Services, rows: list[dict[str, Any]], scope: Scope, now: datetime
) -> dict[str, Any]:
    mine = [
        r
        for r in rows
        if r["status"] != "bukan_pertanyaan"
        and scope.start <= parse_ts(r["created_at"]) < scope.end
        and (scope.lo_ids is None or r["lo_user_id"] in scope.lo_ids)
        and (scope.kode_satker is None or r["kode_satker"] == scope.kode_satker)
    ]

    def counts(items: list[dict[str, Any]]) -> tuple[int, int, int, int, int]:
        answered = [r for r in items if r["status"] in ("dijawab", "selesai")]
        late = [r for r in items if r["status"] == "baru" and parse_ts(r["due_at"]) < now]
        return (
            len(items),
            len(answered),
            sum(1 for r in items if r["on_time"] == 1),
            sum(1 for r in items if r["status"] == "baru"),
            len(late),
        )

    def by(key: str) -> dict[Any, tuple[int, int, int, int, int]]:
        groups_: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for r in mine:
            groups_[r[key]].append(r)
        return {k: counts(v) for k, v in groups_.items()}

    waits = sorted(r["waited_hours"] for r in mine if r["status"] in ("dijawab", "selesai"))
    histogram = sorted(Counter(waits).items())
    ratings = [r["rating"] for r in mine if r["rating"] is not None]
    per_cso: list[dict[str, Any]] = []
    for r in mine:
        cso = r["recorded_by"] if r["recorded_by"] == CSO else r["answered_by"]
        if cso == CSO:
            per_cso.append(r)
    total = counts(mine)
    days: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for r in mine:
        days[parse_ts(r["created_at"]).astimezone(WIB).date()].append(r)
    return dict(
        total=total,
        share=kpi.on_time_share(total[2], total[1], total[4]),
        lo=by("lo_user_id"),
        chat=by("chat_id"),
        satker=by("kode_satker"),
        channel=dict(Counter(r["channel"] for r in mine)),
        rating=(len(ratings), sum(ratings)),
        median=reports.percentile(histogram, 0.5),
        p90=reports.percentile(histogram, 0.9),
        buckets=[sum(1 for w in waits if rollup.bucket_of(w) == i) for i in range(6)],
        cso=counts(per_cso),
        days={
            d: (
                *counts(v)[:3],
                counts(v)[4],
                sum(r["waited_hours"] for r in v if r["status"] in ("dijawab", "selesai")),
            )
            for d, v in days.items()
        },
    )


async def got(
    svc: Services, scope: Scope, period: periods.Period, use_rollup: bool
) -> dict[str, Any]:
    r = await reports.build(svc, scope, period, use_rollup)
    chart = await reports.chart_data(svc, r, use_rollup)

    def line(x: reports.Line) -> tuple[int, int, int, int, int]:
        return (x.received, x.answered, x.on_time, x.open, x.open_late)

    names = {LO1: "Sari", LO2: "Dewi"}
    cso = dict(r.kpi_cso)["Citra"] if r.kpi_cso else None
    return dict(
        total=line(r.total),
        share=r.total.on_time_share,
        lo={next((k for k, v in names.items() if v == x.name), None): line(x) for x in r.per_lo},
        chat=sorted(line(x) for x in r.per_group),  # titles: a moved group keeps its own
        satker={None if x.name.startswith("(") else x.name: line(x) for x in r.per_satker},
        channel=r.by_channel,
        rating=(r.rating_n, round((r.rating_avg or 0) * r.rating_n)),
        median=r.median_hours,
        p90=r.p90_hours,
        buckets=r.wait_buckets,
        cso=(cso.tickets, cso.on_time, cso.judged) if cso else None,
        bars=[
            (b.received, b.answered, b.on_time, b.open_late, round(b.waited_hours, 6))
            for b in chart.bars
        ],
        kpi=(r.kpi_office.tickets, r.kpi_office.judged, r.kpi_office.on_time)
        if r.kpi_office
        else None,
    )


async def hai_rows(svc: Services, r: reports.Recap, now: datetime) -> tuple[list[Any], list[Any]]:
    """/rekap's HAI CSO counts from the recap (the rollup) and from the tickets."""
    assert r.scope is not None
    mine: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for k in r.kinds:
        key = (k["hai_state"], k["hai_by"], k["recorded_by"], k["answered_by"])
        for i, c in enumerate(("n", "answered", "on_time", "late_open")):
            mine[key][i] += k[c]
    raw = await haicso_repo.period_counts(
        svc.db.reader, 1, r.scope.start, r.scope.end, now, r.scope.lo_ids, r.scope.kode_satker
    )
    want = [
        (
            (x["state"], x["by_user"], x["recorded_by"], x["answered_by"]),
            [x["n"], x["answered"], x["on_time"], x["late_open"]],
        )
        for x in raw
    ]
    await haicso_rekap.figures(svc, r)  # and the figures /rekap shows build from them
    have = [(k, v) for k, v in mine.items() if v[0]]
    return sorted(have, key=repr), sorted(want, key=repr)


def compare(
    exp: dict[str, Any], have: dict[str, Any], period: periods.Period, svc: Services
) -> None:
    for key in ("total", "share", "lo", "satker", "channel", "rating", "median", "p90", "buckets"):
        assert have[key] == exp[key], key
    assert have["chat"] == sorted(exp["chat"].values())
    t = exp["total"]
    assert have["kpi"] == (t[0], t[1] + t[4], t[2])
    if have["cso"] is not None:
        c = exp["cso"]
        assert have["cso"] == (c[0], c[2], c[1] + c[4])
    # The chart's bars: each sums the days it owns (bot.reports.chart_buckets).
    bars = []
    for _, days in reports.chart_buckets(period, svc.calendar.is_working_day):
        mine = [exp["days"][d] for d in days if d in exp["days"]]
        bars.append(
            (
                sum(x[0] for x in mine),
                sum(x[1] for x in mine),
                sum(x[2] for x in mine),
                sum(x[3] for x in mine),
                round(sum(x[4] for x in mine), 6),
            )
        )
    assert have["bars"] == bars


async def check(history: list[tuple[Any, ...]], asks: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        svc = await office(Path(tmp) / "r.sqlite3")
        try:
            await play(svc, history)
            rows = await ticket_rows(svc)
            kept = await rollup_rows(svc)
            for first, length, lo_ids, hours in asks:
                start = BASE.date() + timedelta(days=first)
                period = periods.Period(start, start + timedelta(days=length), "p", "p")
                svc.clock.set(BASE + timedelta(hours=hours))
                now = svc.clock.now()
                a, b = period.bounds(svc.tz)
                scope = Scope(1, a, b, lo_ids)
                exp = expected(svc, rows, scope, now)
                compare(exp, await got(svc, scope, period, True), period, svc)
                recap = await reports.build(svc, scope, period)
                have, want = await hai_rows(svc, recap, now)
                assert have == want
                compare(exp, await got(svc, scope, period, False), period, svc)
                # One satker (the dashboard's filter): the tickets, through tickets_satker.
                one = replace(scope, kode_satker="111111")
                compare(
                    expected(svc, rows, one, now), await got(svc, one, period, True), period, svc
                )
            # Rebuilt from the tickets, the rollup is the one kept change by change.
            async with svc.db.transaction() as tx:
                await rollup.rebuild(tx, 1, "Asia/Jakarta")
            assert await rollup_rows(svc) == kept
        finally:
            await svc.db.close()


async def rollup_rows(svc: Services) -> list[list[tuple[Any, ...]]]:
    out = []
    for table in (*rollup.DAILY, *rollup.MONTHLY):
        found = await svc.db.fetchall(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4, 5, 6")
        out.append([tuple(r) for r in found])
    return out


@settings(max_examples=at_least(30))
@given(histories, queries)
def test_rollup_figures_equal_the_tickets(history: list[tuple[Any, ...]], asks: Any) -> None:
    asyncio.run(check(history, asks))


async def test_built_at_start_and_again_when_the_zone_changes(tmp_path: Path) -> None:
    """Tickets written before the rollup existed (a database from before migration 023)
    are counted at start; a changed LOBOT_TIMEZONE counts them again in the new zone: a
    question at 23.30 WIB is the next day in WITA."""
    svc = await services(tmp_path / "z.sqlite3", BASE)
    try:
        late = datetime(2026, 11, 3, 23, 30, tzinfo=WIB)
        async with svc.db.transaction() as tx:
            await tickets_repo.insert(
                tx,
                office_id=1,
                number="2026-0001",
                channel="telepon",
                text="pertanyaan",
                status="baru",
                created_at=late,
                clock_start_at=late,
                due_at=late + timedelta(days=2),
                first_due_at=late + timedelta(days=2),
            )
        assert await svc.db.fetchall("SELECT * FROM ticket_days") == []  # not built yet
        assert await reports.prepare_rollup(svc) is not None
        assert await reports.prepare_rollup(svc) is None  # built in this zone: nothing to do
        days = await svc.db.fetchall("SELECT day, received FROM ticket_days")
        assert [tuple(r) for r in days] == [("2026-11-03", 1)]
        svc.settings = replace(svc.settings, timezone="Asia/Makassar")
        svc.calendar = make_calendar(svc.settings)
        assert await reports.prepare_rollup(svc) is not None
        days = await svc.db.fetchall("SELECT day, received FROM ticket_days")
        assert [tuple(r) for r in days] == [("2026-11-04", 1)]
        months = await svc.db.fetchall("SELECT day, received FROM ticket_months")
        assert [tuple(r) for r in months] == [("2026-11-01", 1)]
    finally:
        await svc.db.close()
