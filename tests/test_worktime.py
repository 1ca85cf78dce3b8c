"""The working calendar: examples from the domain brief and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.worktime import WorkCalendar
from tests.profiles import at_least

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
CAL = WorkCalendar(WIB)


def at(y: int, m: int, d: int, hh: int, mm: int = 0, tz: ZoneInfo = WIB) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=tz)


def test_monday_morning_is_due_wednesday_same_time() -> None:
    assert CAL.add_working_hours(at(2026, 11, 23, 10), 16) == at(2026, 11, 25, 10)


def test_friday_evening_starts_monday_and_is_due_tuesday_end_of_day() -> None:
    assert CAL.add_working_hours(at(2026, 11, 20, 17, 30), 16) == at(2026, 11, 24, 16)


def test_christmas_cuti_bersama_and_weekend_are_skipped() -> None:
    # Wed 23 Dec 2026 15.00: 1 h that day; 24 (cuti bersama), 25 (Christmas), 26-27 weekend.
    due = CAL.add_working_hours(at(2026, 12, 23, 15), 16)
    assert due == at(2026, 12, 29, 15)


def test_year_end_rolls_into_january_skipping_new_year() -> None:
    due = CAL.add_working_hours(at(2026, 12, 31, 12), 16)
    # 1 Jan holiday, 2-3 Jan weekend, 5 Jan 2027 Isra Mi'raj: 4 h on 31 Dec, 8 h on 4 Jan.
    assert due == at(2027, 1, 6, 12)


def test_eid_joint_leave_week() -> None:
    # Thu 19 Mar 2026 (Nyepi) .. Tue 24 Mar are all off; Wed 25 is the next working day.
    assert not CAL.is_working_day(date(2026, 3, 24))
    assert CAL.next_working_start(at(2026, 3, 18, 17)) == at(2026, 3, 25, 8)


def test_wita_and_wit_offices_count_their_own_hours() -> None:
    wita = WorkCalendar(WITA)
    wit = WorkCalendar(WIT)
    asked = at(2026, 11, 23, 7, 30, WIB)  # 08.30 WITA, 09.30 WIT
    assert wita.add_working_hours(asked, 16) == at(2026, 11, 25, 8, 30, WITA)
    assert wit.add_working_hours(asked, 16) == at(2026, 11, 25, 9, 30, WIT)
    assert not CAL.is_working_time(asked)


def test_after_hours_question_waits_for_the_next_morning() -> None:
    assert CAL.next_working_start(at(2026, 11, 23, 16)) == at(2026, 11, 24, 8)
    assert CAL.next_working_start(at(2026, 11, 23, 6)) == at(2026, 11, 23, 8)
    assert CAL.is_working_time(at(2026, 11, 23, 8))
    assert not CAL.is_working_time(at(2026, 11, 23, 16))


def test_admin_overrides_win() -> None:
    cal = WorkCalendar(
        WIB, extra_holidays={date(2026, 11, 24)}, extra_workdays={date(2026, 12, 24)}
    )
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.is_working_day(date(2026, 12, 24))
    assert cal.add_working_hours(at(2026, 11, 23, 10), 16) == at(2026, 11, 26, 10)


def test_working_hours_between_examples() -> None:
    assert CAL.working_hours_between(at(2026, 11, 20, 15), at(2026, 11, 23, 9)) == 2
    assert CAL.working_hours_between(at(2026, 11, 23, 10), at(2026, 11, 23, 10)) == 0


def test_the_end_of_a_working_day_is_a_valid_instant() -> None:
    # 16.00 on a working day: adding nothing stays there; one hour is 09.00 next morning.
    end = at(2026, 11, 23, 16)
    assert CAL.add_working_hours(end, 0) == end
    assert CAL.add_working_hours(end, 1) == at(2026, 11, 24, 9)
    # 16.00 on a Saturday is not a working day's end: counting starts Monday 08.00.
    assert CAL.add_working_hours(at(2026, 11, 21, 16), 0) == at(2026, 11, 23, 8)
    # The reported failure: 200 h from 1 Jan 2025 ends at 16.00, and 0 more keeps it.
    due = CAL.add_working_hours(DAY_END_CASE, 200)
    assert due.astimezone(WIB).time() == time(16, 0)
    assert CAL.add_working_hours(due, 0) == due


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add_working_hours(datetime(2026, 11, 23, 10), 1)


moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
hours = st.integers(min_value=0, max_value=200 * 60).map(lambda m: m / 60)
PROP = settings(max_examples=at_least(300), deadline=None)
# Found by hypothesis: 200 h from New Year's Day 2025 ends exactly at 16.00 WIB.
DAY_END_CASE = datetime(2025, 1, 1, tzinfo=UTC)


def _in_working_time_or_end(cal: WorkCalendar, t: datetime) -> bool:
    local = t.astimezone(cal.tz)
    end = datetime.combine(local.date(), cal.end, tzinfo=cal.tz)
    return cal.is_working_time(t) or (cal.is_working_day(local.date()) and local == end)


@PROP
@given(moments, hours)
@example(datetime(2026, 11, 23, 9, tzinfo=UTC), 0)
def test_deadline_never_falls_outside_working_time(t: datetime, h: float) -> None:
    assert _in_working_time_or_end(CAL, CAL.add_working_hours(t, h))


@PROP
@given(moments, hours, hours)
@example(DAY_END_CASE, 200, 0)
@example(DAY_END_CASE, 0, 200)
@example(datetime(2026, 11, 23, 9, tzinfo=UTC), 0, 0)  # 16.00 WIB Monday itself
@example(datetime(2026, 11, 20, 9, tzinfo=UTC), 0, 1)  # 16.00 WIB Friday, then one hour
def test_adding_is_additive(t: datetime, a: float, b: float) -> None:
    assert CAL.add_working_hours(CAL.add_working_hours(t, a), b) == CAL.add_working_hours(t, a + b)


@PROP
@given(moments, hours, hours)
def test_adding_is_monotonic(t: datetime, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    assert CAL.add_working_hours(t, lo) <= CAL.add_working_hours(t, hi)


@PROP
@given(moments, hours)
@example(datetime(2026, 11, 23, 9, tzinfo=UTC), 0)
def test_between_inverts_add(t: datetime, h: float) -> None:
    due = CAL.add_working_hours(t, h)
    assert CAL.working_hours_between(t, due) == pytest.approx(h, abs=1e-6)


@PROP
@given(moments, st.integers(min_value=0, max_value=60 * 24 * 30))
def test_between_never_exceeds_wall_clock(t: datetime, minutes: int) -> None:
    later = t + timedelta(minutes=minutes)
    worked = CAL.working_hours_between(t, later)
    assert 0 <= worked <= minutes / 60 + 1e-9


def test_custom_hours() -> None:
    cal = WorkCalendar(WIB, time(7, 30), time(16, 0))
    assert cal.add_working_hours(at(2026, 11, 23, 7, 30), 8.5) == at(2026, 11, 23, 16)
