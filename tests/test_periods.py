from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot import periods

TODAY = date(2026, 11, 22)


def test_named_periods() -> None:
    assert periods.parse("bulan ini", TODAY) == periods.month(2026, 11)
    assert periods.parse("", TODAY) == periods.month(2026, 11)
    assert periods.parse("triwulan ini", TODAY) == periods.quarter(2026, 4)
    assert periods.parse("Hari  Ini", TODAY).days == 1  # type: ignore[union-attr]
    week = periods.parse("minggu ini", TODAY)
    assert week is not None and week.start == date(2026, 11, 16) and week.days == 7
    assert periods.parse("bulan lalu", TODAY) == periods.month(2026, 10)
    assert periods.parse("triwulan lalu", TODAY) == periods.quarter(2026, 3)


def test_explicit_periods() -> None:
    q4 = periods.parse("2026-Q4", TODAY)
    assert q4 is not None and (q4.start, q4.end) == (date(2026, 10, 1), date(2027, 1, 1))
    assert q4.label == "Triwulan IV 2026"
    dec = periods.parse("2026-12", TODAY)
    assert dec is not None and dec.end == date(2027, 1, 1) and dec.label == "Desember 2026"
    rng = periods.parse("2026-11-01..2026-11-15", TODAY)
    assert rng is not None and rng.days == 15
    assert periods.parse("2026-11-01 s.d. 2026-11-15", TODAY) == rng


def test_nonsense_is_refused() -> None:
    for text in (
        "kemarin lusa",
        "2026-13",
        "2026-Q5",
        "2026-11-15..2026-11-01",
        "2026-02-30",
        "2020-01-01..2026-01-01",
        "DROP TABLE",
    ):
        assert periods.parse(text, TODAY) is None, text


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=12))
def test_months_tile_the_year(year: int, m: int) -> None:
    p = periods.month(year, m)
    assert p.start.day == 1 and (p.end - timedelta(days=1)).month == m
    assert periods.quarter_of(p.start).start <= p.start < periods.quarter_of(p.start).end


@given(st.text(max_size=40))
def test_parser_never_raises(text: str) -> None:
    result = periods.parse(text, TODAY)
    assert result is None or result.start < result.end


def test_dates_far_away_are_not_periods() -> None:
    # These used to overflow when turned into UTC bounds for the recap.
    for text in ("0001-01-01", "9999-12-30..9999-12-31", "9999-12-31", "0001-01-01..0001-01-02"):
        assert periods.parse(text, TODAY) is None, text
    assert periods.parse("٢٠٢٦-١١", TODAY) is None


@given(st.dates())
def test_any_accepted_day_has_utc_bounds(day: date) -> None:
    period = periods.parse(day.isoformat(), TODAY)
    if period is not None:
        start, end = period.bounds(ZoneInfo("Asia/Jakarta"))
        assert start.astimezone(UTC) < end.astimezone(UTC)
