"""When a deadline falls due and when its reminders go out. Pure: no database, no Telegram.

A reminder H-n goes out at the start of the working day n days before the due date; when
that day is a weekend or holiday it moves to the previous working day (never later, so the
reminder still comes before the date). The last step, LATE, is the due moment itself: then
the supervisor gets the list of who did not report.
"""

from __future__ import annotations

import calendar as _cal
from datetime import UTC, date, datetime, time, timedelta

from bot.worktime import WorkCalendar
from storage.deadline_model import LATE, MONTHLY, ONCE, QUARTERLY, DeadlineSpec, Step, offset_label

QUARTER_MONTHS = (1, 4, 7, 10)  # quarterly duties fall in the month after each quarter


def _day_in_month(year: int, month: int, day: int) -> date:
    """Day ``day`` of the month, or its last day when the month is shorter (31 -> 30 Nov)."""
    return date(year, month, min(day, _cal.monthrange(year, month)[1]))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def occurrence_on_or_after(spec: DeadlineSpec, start: date) -> date | None:
    """The first due date on or after ``start``; None for a one-off deadline already past."""
    if spec.recurrence == ONCE:
        assert spec.due_date is not None
        return spec.due_date if spec.due_date >= start else None
    assert spec.due_day is not None
    year, month = start.year, start.month
    for _ in range(24):
        if spec.recurrence == MONTHLY or (spec.recurrence == QUARTERLY and month in QUARTER_MONTHS):
            d = _day_in_month(year, month, spec.due_day)
            if d >= start:
                return d
        year, month = _next_month(year, month)
    raise AssertionError("no occurrence within two years")  # unreachable for valid specs


def due_at(spec: DeadlineSpec, occurrence: date, cal: WorkCalendar) -> datetime:
    return datetime.combine(occurrence, spec.due_time, tzinfo=cal.tz).astimezone(UTC)


def reminder_day(occurrence: date, offset: int, cal: WorkCalendar) -> date:
    day = occurrence - timedelta(days=offset)
    return day if cal.is_working_day(day) else cal.previous_working_day(day)


def steps(
    spec: DeadlineSpec, occurrence: date, cal: WorkCalendar, remind_time: time | None = None
) -> list[Step]:
    """Reminders (largest offset first) then LATE; the times never decrease.

    The list has one entry per offset whatever the calendar says, so a stored step index
    keeps its meaning when holidays change; a reminder that would come at or after the due
    moment is left to the scanner to skip.
    """
    at_time = remind_time or cal.start
    due = due_at(spec, occurrence, cal)
    found = []
    for offset in sorted(set(spec.offsets), reverse=True):
        day = reminder_day(occurrence, offset, cal)
        at = datetime.combine(day, at_time, tzinfo=cal.tz).astimezone(UTC)
        found.append(Step(offset_label(offset), min(at, due)))
    found.append(Step(LATE, due))
    return found


def first_occurrence(spec: DeadlineSpec, now: datetime, cal: WorkCalendar) -> date | None:
    """The occurrence to track now: the next one whose due moment has not passed.

    A one-off deadline is tracked even when past (the scanner then closes it quietly).
    """
    if spec.recurrence == ONCE:
        return spec.due_date
    today = now.astimezone(cal.tz).date()
    d = occurrence_on_or_after(spec, today)
    while d is not None and due_at(spec, d, cal) < now:
        d = occurrence_on_or_after(spec, d + timedelta(days=1))
    return d


def next_occurrence(spec: DeadlineSpec, after: date) -> date | None:
    return occurrence_on_or_after(spec, after + timedelta(days=1))
