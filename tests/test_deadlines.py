"""Deadline content, schedule computation and the /tahap tambah parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.deadlines import commands, content, schedule
from bot.worktime import WorkCalendar
from storage.deadline_model import LATE, MONTHLY, ONCE, QUARTERLY, SATKER, STAFF, DeadlineSpec

WIB = ZoneInfo("Asia/Jakarta")
PLAIN = WorkCalendar(WIB, use_national_holidays=False)


def spec(**kw: object) -> DeadlineSpec:
    base: dict[str, object] = dict(
        slug="x",
        name="Laporan",
        audience=STAFF,
        recurrence=ONCE,
        due_time=time(16, 0),
        due_date=date(2026, 12, 18),
        roles=("supervisor",),
    )
    base.update(kw)
    return DeadlineSpec(**base)  # type: ignore[arg-type]


def wib(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=WIB).astimezone(UTC)


# ---- content ---------------------------------------------------------------------------


def test_example_file_is_the_2018_tahap_schedule() -> None:
    specs = content.load_file(content.example_file())
    dates = {s.slug: s.due_date for s in specs if s.recurrence == ONCE}
    assert dates["kppn-kanwil-tahap-1-2018"] == date(2018, 6, 27)
    assert dates["kppn-kanwil-tahap-2-2018"] == date(2018, 7, 18)
    assert dates["kppn-kanwil-tahap-3-2018"] == date(2018, 8, 8)
    assert dates["kanwil-pusat-tahap-1-2018"] == date(2018, 7, 4)
    assert dates["kanwil-pusat-tahap-2-2018"] == date(2018, 7, 25)
    assert dates["kanwil-pusat-tahap-3-2018"] == date(2018, 8, 15)
    lpj = next(s for s in specs if s.slug == "lpj-bendahara")
    assert lpj.recurrence == MONTHLY and lpj.due_day == 10 and lpj.audience == SATKER
    assert {s.tahap for s in specs if s.tahap} == {"I", "II", "III"}


@pytest.mark.parametrize(
    ("entry", "field_name"),
    [
        ("{id: a-b, name: X, roles: [cso]}", "date"),
        ("{id: a-b, name: X, date: 2026-13-01, roles: [cso]}", "date"),
        ("{id: a-b, name: X, monthly: 32, roles: [cso]}", "monthly"),
        ("{id: a-b, name: X, date: 2026-12-01, roles: [boss]}", "roles"),
        ("{id: a-b, name: X, date: 2026-12-01}", "roles"),
        ("{id: a-b, name: X, date: 2026-12-01, roles: [cso], remind: [-1]}", "remind"),
        ("{id: a-b, name: X, date: 2026-12-01, roles: [cso], time: 16:00}", "time"),
        ("{id: A B, name: X, date: 2026-12-01, roles: [cso]}", "id"),
        ("{id: a-b, name: X, date: 2026-12-01, roles: [cso], colour: red}", "colour"),
        ("{id: a-b, name: X, date: 2026-12-01, satker: true, roles: [cso]}", "satker"),
    ],
)
def test_content_errors_name_file_entry_and_field(
    tmp_path: Path, entry: str, field_name: str
) -> None:
    path = tmp_path / "tenggat.yaml"
    path.write_text(f"deadlines:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(content.DeadlineContentError) as err:
        content.load_file(path)
    assert "tenggat.yaml" in str(err.value) and f"kolom '{field_name}'" in str(err.value)
    assert err.value.line == 2 and str(err.value).endswith("(baris 2)")


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    one = "{id: a-b, name: X, date: 2026-12-01, roles: [cso]}"
    path.write_text(f"deadlines:\n  - {one}\n  - {one}\n", encoding="utf-8")
    with pytest.raises(content.DeadlineContentError, match="lebih dari sekali") as err:
        content.load_file(path)
    assert err.value.line == 3


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # The field's own line, in block style.
        ("deadlines:\n  - id: a-b\n    name: X\n    date: 2026-12-01\n    roles: [boss]\n", 5),
        # A field that is missing: the entry's first line.
        ("# kalender\ndeadlines:\n  - id: a-b\n    name: X\n    roles: [cso]\n", 3),
        # Broken YAML: where the parser stopped.
        ("deadlines:\n  - id: a-b\n    name: [X\n", 4),
        # No list at all.
        ("\n\ntenggat: []\n", 3),
    ],
)
def test_content_errors_tell_the_line(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(content.DeadlineContentError) as err:
        content.load_file(path)
    assert err.value.line == line, str(err.value)


# ---- schedule --------------------------------------------------------------------------


def test_default_offsets_at_eight_on_working_days() -> None:
    steps = schedule.steps(spec(), date(2026, 12, 18), PLAIN)  # Friday
    assert [(s.label, s.at) for s in steps] == [
        ("h7", wib(date(2026, 12, 11), 8)),
        ("h3", wib(date(2026, 12, 15), 8)),
        ("h1", wib(date(2026, 12, 17), 8)),
        ("h0", wib(date(2026, 12, 18), 8)),
        (LATE, wib(date(2026, 12, 18), 16)),
    ]


def test_weekend_and_holiday_move_a_reminder_to_the_previous_working_day() -> None:
    cal = WorkCalendar(WIB, use_national_holidays=False, extra_holidays=[date(2026, 12, 4)])
    # Due Monday 7 Dec: H-1 is Sunday -> Saturday -> Friday 4 Dec (holiday) -> Thursday 3 Dec.
    steps = schedule.steps(spec(due_date=date(2026, 12, 7), offsets=(1,)), date(2026, 12, 7), cal)
    assert steps[0].at == wib(date(2026, 12, 3), 8)


def test_national_holidays_count_too() -> None:
    cal = WorkCalendar(WIB)
    # Due Monday 28 Dec 2026; H-1 Sunday; 26 Sat; 25 Christmas; 24 cuti bersama -> 23 Dec.
    steps = schedule.steps(spec(due_date=date(2026, 12, 28), offsets=(1,)), date(2026, 12, 28), cal)
    assert steps[0].at == wib(date(2026, 12, 23), 8)


def test_monthly_day_31_is_the_last_day_of_short_months() -> None:
    s = spec(recurrence=MONTHLY, due_date=None, due_day=31)
    assert schedule.occurrence_on_or_after(s, date(2026, 11, 5)) == date(2026, 11, 30)
    assert schedule.next_occurrence(s, date(2026, 11, 30)) == date(2026, 12, 31)
    assert schedule.next_occurrence(s, date(2027, 1, 31)) == date(2027, 2, 28)


def test_quarterly_falls_in_the_month_after_each_quarter() -> None:
    s = spec(recurrence=QUARTERLY, due_date=None, due_day=15)
    assert schedule.occurrence_on_or_after(s, date(2026, 12, 1)) == date(2027, 1, 15)
    assert schedule.next_occurrence(s, date(2027, 1, 15)) == date(2027, 4, 15)


def test_first_occurrence_skips_one_already_due_today() -> None:
    s = spec(recurrence=MONTHLY, due_date=None, due_day=1)
    now = wib(date(2026, 12, 1), 17)  # after 16.00 on the 1st
    assert schedule.first_occurrence(s, now, PLAIN) == date(2027, 1, 1)


holiday_sets = st.sets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(
    due=st.dates(date(2026, 3, 1), date(2027, 12, 31)),
    offsets=st.sets(st.integers(0, 30), min_size=1, max_size=6),
    holidays=holiday_sets,
    hour=st.integers(0, 23),
)
def test_reminders_come_in_order_on_working_days_never_after_the_due_moment(
    due: date, offsets: set[int], holidays: set[date], hour: int
) -> None:
    cal = WorkCalendar(WIB, use_national_holidays=False, extra_holidays=holidays)
    s = spec(due_date=due, offsets=tuple(sorted(offsets, reverse=True)), due_time=time(hour))
    steps = schedule.steps(s, due, cal)
    due_at = schedule.due_at(s, due, cal)
    assert steps[-1] == steps[-1].__class__(LATE, due_at)
    assert [x.at for x in steps] == sorted(x.at for x in steps)
    assert len(steps) == len(offsets) + 1
    for step, offset in zip(steps, sorted(offsets, reverse=True), strict=False):
        local = step.at.astimezone(WIB)
        assert step.at <= due_at
        if step.at < due_at:  # not clamped: 08.00 on a working day, not after H-offset
            assert local.time() == time(8) and cal.is_working_day(local.date())
            assert local.date() <= due - timedelta(days=offset)
            # ... and the latest such day: everything between is not a working day.
            d = local.date() + timedelta(days=1)
            while d <= due - timedelta(days=offset):
                assert not cal.is_working_day(d)
                d += timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(
    day=st.integers(1, 31),
    start=st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    quarterly=st.booleans(),
)
def test_occurrences_are_increasing_and_in_the_right_months(
    day: int, start: date, quarterly: bool
) -> None:
    s = spec(recurrence=QUARTERLY if quarterly else MONTHLY, due_date=None, due_day=day)
    first = schedule.occurrence_on_or_after(s, start)
    assert first is not None and first >= start
    second = schedule.next_occurrence(s, first)
    assert second is not None and second > first
    months = (second.year - first.year) * 12 + second.month - first.month
    assert months == (3 if quarterly else 1)
    assert first.day == min(day, 28) or first.day >= 28
    if quarterly:
        assert first.month in schedule.QUARTER_MONTHS


# ---- /tahap tambah -----------------------------------------------------------------------


def test_parse_add_with_options() -> None:
    req = commands.parse_add(
        "2026-12-18 untuk=supervisor,cso,@budi_lo tahap=I jam=15.30 pengingat=3,1 Laporan tahap I"
    )
    assert isinstance(req, commands.AddRequest)
    assert req.spec.due_date == date(2026, 12, 18) and req.spec.due_time == time(15, 30)
    assert req.spec.roles == ("supervisor", "cso") and req.user_refs == ("budi_lo",)
    assert req.spec.offsets == (3, 1) and req.spec.tahap == "I"
    assert req.spec.name == "Laporan tahap I"
    assert req.spec.slug == "laporan-tahap-i-2026-12-18"


def test_parse_add_recurring_for_satker() -> None:
    req = commands.parse_add("bulanan:10 untuk=satker LPJ Bendahara")
    assert isinstance(req, commands.AddRequest)
    assert req.spec.recurrence == MONTHLY and req.spec.due_day == 10
    assert req.spec.audience == SATKER


@pytest.mark.parametrize(
    "text",
    [
        "",
        "besok untuk=cso Laporan",
        "2026-12-18 Laporan",
        "2026-12-18 untuk=bos Laporan",
        "2026-12-18 untuk=cso",
        "2026-12-18 untuk=cso jam=25.00 Laporan",
        "2026-12-18 untuk=cso pengingat=a Laporan",
        "bulanan:0 untuk=cso Laporan",
        "2026-12-18 untuk=cso lapor=siapa Laporan",
    ],
)
def test_parse_add_refuses_bad_input_with_a_reason(text: str) -> None:
    assert isinstance(commands.parse_add(text), str)


@given(st.text(max_size=80))
def test_parse_add_never_raises(text: str) -> None:
    result = commands.parse_add(text)
    assert isinstance(result, str | commands.AddRequest)


def test_check_content_validates_the_deadline_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.__main__ import main

    assert main(["check-content"]) == 0
    assert "deadlines OK: 8 entries" in capsys.readouterr().out
    bad = tmp_path / "tenggat.yaml"
    bad.write_text("deadlines:\n  - {id: x1, name: X, monthly: 40, roles: [cso]}\n")
    assert main(["check-content", "--deadlines", str(bad)]) == 1
    assert "tenggat.yaml, entri 'x1', kolom 'monthly'" in capsys.readouterr().err
