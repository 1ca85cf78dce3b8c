"""Every figure of /rekap against an independent count, and the month and quarter charts
read back from the drawn figure (issue 20).

Tickets are written straight into the table from a random but fixed specification; the
expected figures are counted here in plain Python from that specification, never through
the report code's queries.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bench.common import WIB, services
from bot import periods, report_files, reports
from bot.services import Services
from storage import groups, people
from storage import tickets as tickets_repo

LO, LO2, CSO = 200, 210, 500
GROUP, GROUP2 = -1001, -1002
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=WIB)


@dataclass(frozen=True)
class Spec:
    created: datetime
    status: str
    due: datetime
    on_time: bool | None
    waited: float
    holder: int | None
    kode: str | None
    chat: int | None
    rating: int | None = None

    @property
    def counted(self) -> bool:
        return self.status != "bukan_pertanyaan"

    @property
    def answered(self) -> bool:
        return self.status in ("dijawab", "selesai")

    @property
    def late_open(self) -> bool:
        return self.status == "baru" and self.due < NOW


def specs(n: int = 240) -> list[Spec]:
    rng = random.Random(20)
    stars = random.Random(21)  # apart, so the tickets above stay as they were
    out = []
    for _ in range(n):
        day = date(2026, 10, 1) + timedelta(days=rng.randrange(92))
        created = datetime(2026, day.month, day.day, rng.randrange(6, 20), 0, tzinfo=WIB)
        if created > NOW:
            created = NOW - timedelta(hours=1)
        status = rng.choice(["baru", "dijawab", "selesai", "selesai", "bukan_pertanyaan"])
        due = created + timedelta(hours=rng.randrange(2, 120))
        answered = status in ("dijawab", "selesai")
        holder = rng.choice([LO, LO, LO2, CSO, None])
        chat = None if holder in (CSO, None) else (GROUP if holder == LO else GROUP2)
        out.append(
            Spec(
                created,
                status,
                due,
                rng.random() < 0.8 if answered else None,
                round(rng.uniform(0.5, 30), 2) if answered else 0.0,
                holder,
                rng.choice(["123456", "654321", "777001", None]),
                chat,
                stars.choice([None, 1, 3, 4, 5, 5]) if answered else None,
            )
        )
    return out


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[tuple[Services, list[Spec]]]:
    svc = await services(tmp_path / "f.sqlite3", datetime(2026, 10, 1, 7, tzinfo=WIB))
    now = svc.clock.now()
    made = specs()
    async with svc.db.transaction() as tx:
        for chat, lo, title in ((GROUP, LO, "LO Kemenag"), (GROUP2, LO2, "LO Kemenkes")):
            await groups.upsert_joined(tx, chat, title, now)
            await groups.register(tx, chat, lo, title, now)
        await groups.add_satker(tx, GROUP, "123456", "MTsN 1")
        await groups.add_satker(tx, GROUP2, "654321", "RSUD Kotabumi")
        for uid, name, role in ((LO, "Sari", "lo"), (LO2, "Dewi", "lo"), (CSO, "Citra", "cso")):
            await people.upsert_user(tx, uid, None, name, now)
            await people.grant(tx, 1, uid, role, 1, now)
        for i, s in enumerate(made):
            await tickets_repo.insert(
                tx,
                office_id=1,
                number=f"2026-{i + 1:04d}",
                chat_id=s.chat,
                channel="grup" if s.chat else "telepon",
                text=f"pertanyaan {i}",
                status=s.status,
                created_at=s.created,
                clock_start_at=s.created,
                due_at=s.due,
                first_due_at=s.due,
                waited_hours=s.waited,
                on_time=s.on_time,
                lo_user_id=s.holder,
                recorded_by=CSO if s.chat is None and s.holder == CSO else None,
                answered_by=s.holder if s.answered else None,
                answered_at=s.created + timedelta(hours=1) if s.answered else None,
                kode_satker=s.kode,
                rating=s.rating,
            )
    svc.clock.set(NOW)
    yield svc, made
    await svc.db.close()


def in_period(made: list[Spec], period: periods.Period) -> list[Spec]:
    return [s for s in made if s.counted and period.start <= s.created.date() < period.end]


def count(items: list[Spec]) -> tuple[int, int, int, int, int]:
    answered = [s for s in items if s.answered]
    return (
        len(items),
        len(answered),
        sum(1 for s in answered if s.on_time),
        sum(1 for s in items if s.status == "baru"),
        sum(1 for s in items if s.late_open),
    )


def band(percent: float, bands: list[tuple[float, float]]) -> float:
    return next(index for lowest, index in sorted(bands, reverse=True) if percent >= lowest)


async def recap_for(svc: Services, period: periods.Period) -> reports.Recap:
    scope = await reports.scope_for(svc, CSO, period)
    assert scope is not None
    return await reports.build(svc, scope, period)


def line_tuple(line: reports.Line) -> tuple[int, int, int, int, int]:
    return (line.received, line.answered, line.on_time, line.open, line.open_late)


@pytest.mark.parametrize("period", [periods.quarter(2026, 4), periods.month(2026, 12)])
async def test_every_recap_figure_matches_an_independent_count(
    office: tuple[Services, list[Spec]], period: periods.Period
) -> None:
    svc, made = office
    mine = in_period(made, period)
    r = await recap_for(svc, period)
    assert line_tuple(r.total) == count(mine)
    received, answered, on_time, _, late = count(mine)
    assert r.total.on_time_share == pytest.approx(on_time / (answered + late))
    # By channel; ratings; answer time in working hours (nearest-rank percentiles).
    assert r.by_channel == dict(Counter("grup" if s.chat else "telepon" for s in mine))
    rated = [s.rating for s in mine if s.rating is not None]
    assert r.rating_n == len(rated)
    assert r.rating_avg == (pytest.approx(sum(rated) / len(rated)) if rated else None)
    waits = sorted(s.waited for s in mine if s.answered)
    assert r.median_hours == pytest.approx(waits[math.ceil(0.5 * len(waits)) - 1])
    assert r.p90_hours == pytest.approx(waits[math.ceil(0.9 * len(waits)) - 1])
    # Per holder, with the role that says who holds it; per satker, with its name.
    by_holder = {line.name: line for line in r.per_lo}
    names = {LO: ("Sari", "LO"), LO2: ("Dewi", "LO"), CSO: ("Citra", "CSO")}
    for uid, (name, role) in names.items():
        expected = count([s for s in mine if s.holder == uid])
        if expected[0]:
            assert line_tuple(by_holder[name]) == expected and by_holder[name].detail == role
    by_kode = {line.name: line for line in r.per_satker}
    assert by_kode["123456"].detail == "MTsN 1" and by_kode["777001"].detail == ""
    for kode in ("123456", "654321", "777001"):
        assert line_tuple(by_kode[kode]) == count([s for s in mine if s.kode == kode])
    # The office's estimated IKU from the same counts, with bands looked up here.
    minimum = 300 * min(1.0, period.days / periods.quarter_of(period.start).days)
    quantity = band(100 * received / minimum, [(100, 4), (80, 3), (60, 2), (0, 1)])
    timeliness = band(100 * on_time / (answered + late), [(95, 4), (85, 3), (70, 2), (0, 1)])
    k = r.kpi_office
    assert k is not None and (k.tickets, k.on_time, k.judged) == (
        received,
        on_time,
        answered + late,
    )
    assert k.weighted == pytest.approx(round(0.4 * quantity + 0.6 * timeliness, 2))
    # Per CSO: the tickets Citra recorded (by phone) or answered.
    cso = [s for s in mine if s.holder == CSO]
    name, cso_kpi = r.kpi_cso[0]
    assert name == "Citra" and cso_kpi.tickets == len(cso)
    n, c_answered, c_on_time, _, c_late = count(cso)
    assert (cso_kpi.on_time, cso_kpi.judged) == (c_on_time, c_answered + c_late)
    c_quantity = band(100 * n / minimum, [(100, 4), (80, 3), (60, 2), (0, 1)])
    c_judged = c_answered + c_late
    c_timeliness = band(100 * c_on_time / c_judged, [(95, 4), (85, 3), (70, 2), (0, 1)])
    assert cso_kpi.weighted == pytest.approx(round(0.4 * c_quantity + 0.6 * c_timeliness, 2))


async def test_the_quarter_chart_has_a_bar_per_week_and_agrees_with_the_summary(
    office: tuple[Services, list[Spec]],
) -> None:
    svc, made = office
    period = periods.quarter(2026, 4)
    r = await recap_for(svc, period)
    data = await reports.chart_data(svc, r)
    assert data.per_week
    # Q4 2026 starts on a Thursday and ends on a Thursday: 14 weeks touch it.
    assert len(data.bars) == 14
    assert data.bars[0].label == "1–2 Okt" and data.bars[-1].label == "28–31 Des"
    assert data.bars[9].label == "30 Nov–4 Des"  # a week across two months
    # Every ticket counted once, on the week of the working day its clock starts.
    expected: dict[date, list[Spec]] = defaultdict(list)
    for s in in_period(made, period):
        d = s.created.date()
        while not svc.calendar.is_working_day(d):
            d += timedelta(days=1)
        expected[d - timedelta(days=d.weekday())].append(s)
    got = {}
    for b in data.bars:
        first = min(d for d in b.days if svc.calendar.is_working_day(d))
        got[first - timedelta(days=first.weekday())] = b
    for monday, items in expected.items():
        bar = got[monday]
        assert (bar.received, bar.answered, bar.on_time) == count(items)[:3]
        assert bar.open_late == count(items)[4]
    # One on-time rule: the bars add up to the summary's share.
    on_time = sum(b.on_time for b in data.bars)
    judged = sum(b.answered + b.open_late for b in data.bars)
    assert on_time / judged == pytest.approx(r.total.on_time_share)
    assert sum(b.received for b in data.bars) == r.total.received
    assert data.target_share == pytest.approx(0.85) and data.norm_hours == 16
    _check_figure(data)


async def test_the_month_chart_has_a_bar_per_working_day(
    office: tuple[Services, list[Spec]], tmp_path: Path
) -> None:
    svc, _ = office
    period = periods.month(2026, 12)
    r = await recap_for(svc, period)
    data = await reports.chart_data(svc, r)
    working = [
        date(2026, 12, d) for d in range(1, 32) if svc.calendar.is_working_day(date(2026, 12, d))
    ]
    assert not data.per_week and [b.label for b in data.bars] == [f"{d.day} Des" for d in working]
    assert "24 Des" not in [b.label for b in data.bars]  # cuti bersama: no bar
    assert sum(b.received for b in data.bars) == r.total.received
    _check_figure(data)
    report_files.chart(tmp_path / "c.png", data)
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"


def _check_figure(data: reports.ChartData) -> None:
    """Labels and values as drawn, read from the figure itself."""
    import matplotlib.pyplot as plt

    fig = report_files.build_figure(data)
    try:
        by_label = {ax.get_ylabel(): ax for ax in fig.axes}
        volume, rate, hours = (
            by_label["Tiket diterima"],
            by_label["% tepat waktu"],
            by_label["jam kerja"],
        )
        ticks = [t.get_text() for t in hours.get_xticklabels()]
        assert ticks == [b.label for b in data.bars]
        assert not any("Minggu" in t for t in ticks)
        assert [p.get_height() for p in volume.patches] == [b.received for b in data.bars]
        drawn = list(rate.lines[0].get_ydata())
        for value, bar in zip(drawn, data.bars, strict=True):
            share = bar.on_time_share
            assert (value != value) if share is None else value == pytest.approx(100 * share)
        assert rate.lines[1].get_ydata()[0] == pytest.approx(100 * (data.target_share or 0))
        assert hours.lines[0].get_ydata()[0] == data.norm_hours
        averages = [b.average_hours or 0.0 for b in data.bars]
        assert [p.get_height() for p in hours.patches] == pytest.approx(averages)
        assert data.label in volume.get_title()
        legend = [t.get_text() for t in volume.get_legend().get_texts()]
        assert any("target IKU" in t for t in legend)
        assert any("Norma 2 hari kerja" in t.get_text() for t in hours.get_legend().get_texts())
    finally:
        plt.close(fig)
