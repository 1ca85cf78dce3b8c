"""The working calendar: office hours, weekends, national holidays, cuti bersama, overrides.

Everything that counts working time (ticket deadlines, reminders, escalation, reports)
asks this module. It is pure: no Telegram, no database. Admin overrides are handed in as
two sets of dates and can be replaced at run time with ``set_overrides``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import holidays

_HOUR = timedelta(hours=1)


@cache
def _national_holidays() -> Mapping[date, str]:
    """Indonesia's national holidays, one data set for every office's calendar (the
    holidays are national; each office's zone, hours and overrides are its own)."""
    import holidays

    return holidays.country_holidays(  # type: ignore[no-any-return]
        "ID", categories=("public", "government"), language="id"
    )


class WorkCalendar:
    def __init__(
        self,
        tz: ZoneInfo,
        start: time = time(8, 0),
        end: time = time(16, 0),
        *,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        use_national_holidays: bool = True,
    ) -> None:
        if end <= start:
            raise ValueError("end of working day must be after its start")
        self.tz = tz
        self.start = start
        self.end = end
        self._use_national = use_national_holidays
        self._national_days: Mapping[date, str] | None = None
        self._extra_holidays: frozenset[date] = frozenset()
        self._extra_workdays: frozenset[date] = frozenset()
        self.set_overrides(extra_holidays, extra_workdays)

    @property
    def _national(self) -> holidays.HolidayBase | None:
        """Indonesia's national holidays, built on first use: importing the holidays
        package loads every country's module (about a second of a fresh start-up here);
        the bot warms it in a thread while polling starts (``warm``)."""
        if self._use_national and self._national_days is None:
            self._national_days = _national_holidays()
        return self._national_days  # type: ignore[return-value]

    def warm(self) -> None:
        """Import and build the national holidays now (a worker thread at start-up). The
        year's dates are still computed on first use, on the caller's thread."""
        _ = self._national

    @property
    def day_length(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def set_overrides(self, extra_holidays: Iterable[date], extra_workdays: Iterable[date]) -> None:
        """Admin decisions win over the holiday data set (decrees move cuti bersama).
        ``extra_holidays`` may map each day to the admin's note ("Cuti bersama ...")."""
        notes = extra_holidays if isinstance(extra_holidays, Mapping) else {}
        self._holiday_notes: dict[date, str] = {d: n for d, n in notes.items() if n}
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)

    def holiday_name(self, d: date) -> str | None:
        if d in self._extra_holidays:
            return self._holiday_notes.get(d) or "libur (ditetapkan admin)"
        national = self._national
        if national is not None and d in national and d not in self._extra_workdays:
            return str(national.get(d))
        return None

    def is_working_day(self, d: date) -> bool:
        if d in self._extra_holidays:
            return False
        if d in self._extra_workdays:
            return True
        if d.weekday() >= 5:
            return False
        national = self._national
        return national is None or d not in national

    def _local(self, t: datetime) -> datetime:
        if t.tzinfo is None:
            raise ValueError("naive datetime given to the working calendar")
        return t.astimezone(self.tz)

    def _day_bounds(self, d: date) -> tuple[datetime, datetime]:
        return (
            datetime.combine(d, self.start, tzinfo=self.tz),
            datetime.combine(d, self.end, tzinfo=self.tz),
        )

    def next_working_day(self, d: date) -> date:
        d += timedelta(days=1)
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def previous_working_day(self, d: date) -> date:
        d -= timedelta(days=1)
        while not self.is_working_day(d):
            d -= timedelta(days=1)
        return d

    def first_working_day_on_or_after(self, d: date) -> date:
        return d if self.is_working_day(d) else self.next_working_day(d)

    def is_working_time(self, t: datetime) -> bool:
        local = self._local(t)
        if not self.is_working_day(local.date()):
            return False
        start, end = self._day_bounds(local.date())
        return start <= local < end

    def next_working_start(self, t: datetime) -> datetime:
        """``t`` itself when it is working time, else the start of the next working period."""
        local = self._local(t)
        d = local.date()
        if self.is_working_day(d):
            start, end = self._day_bounds(d)
            if local < start:
                return start.astimezone(UTC)
            if local < end:
                return t.astimezone(UTC)
        start, _ = self._day_bounds(self.next_working_day(d))
        return start.astimezone(UTC)

    def _resume_point(self, t: datetime) -> datetime:
        """Where counting working time from ``t`` starts.

        The end of a working day (16.00) is a valid instant of its own: a deadline can fall
        there, so adding zero hours to it must not jump to 08.00 the next morning (that
        broke additivity: add(add(t, a), 0) != add(t, a)).
        """
        local = self._local(t)
        if self.is_working_day(local.date()) and local == self._day_bounds(local.date())[1]:
            return t.astimezone(UTC)
        return self.next_working_start(t)

    def add_working_hours(self, t: datetime, hours: float) -> datetime:
        """The moment ``hours`` of working time after ``t`` (UTC).

        A period that exactly uses up a day ends at the end of that day (16.00), not at
        the start of the next one, so "due 16.00 Tuesday" reads as people expect.
        """
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = timedelta(hours=hours)
        cursor = self._local(self._resume_point(t))
        while True:
            _, end = self._day_bounds(cursor.date())
            available = end - cursor
            if remaining <= available:
                return (cursor + remaining).astimezone(UTC)
            remaining -= available
            cursor, _ = self._day_bounds(self.next_working_day(cursor.date()))

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Working hours in [a, b); negative when b is before a."""
        if b < a:
            return -self.working_hours_between(b, a)
        la, lb = self._local(a), self._local(b)
        total = timedelta()
        d = la.date()
        while d <= lb.date():
            if self.is_working_day(d):
                start, end = self._day_bounds(d)
                lo, hi = max(start, la), min(end, lb)
                if hi > lo:
                    total += hi - lo
            d += timedelta(days=1)
        return total / _HOUR
