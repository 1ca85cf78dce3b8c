from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import kpi


def test_bands_and_weights() -> None:
    k = kpi.compute(tickets=310, on_time=270, judged=300, minimum=300)
    assert k.quantity_index == 4 and round(k.on_time_percent) == 90 and k.on_time_index == 3
    assert k.weighted == pytest.approx(0.4 * 4 + 0.6 * 3) and k.meets_target
    low = kpi.compute(tickets=100, on_time=10, judged=100, minimum=200)
    assert (low.quantity_index, low.on_time_index, low.weighted) == (1, 1, 1)
    assert not low.meets_target


def test_parse_bands() -> None:
    assert kpi.parse_bands("0:1,100:4,80:3") == ((100, 4), (80, 3), (0, 1))
    with pytest.raises(ValueError):
        kpi.parse_bands("100:4,50:2")
    with pytest.raises(ValueError):
        kpi.parse_bands("abc")


def test_minimum_is_prorated() -> None:
    assert kpi.minimum_for("A1", 92, 92) == 300
    assert kpi.minimum_for("A2", 46, 92) == 100


@given(st.integers(0, 2000), st.integers(0, 2000), st.integers(0, 2000))
def test_index_is_bounded_and_monotonic(tickets: int, on_time: int, judged: int) -> None:
    on_time = min(on_time, judged)
    k = kpi.compute(tickets, on_time, judged, 300)
    more = kpi.compute(tickets + 1, on_time, judged, 300)
    assert 1 <= k.weighted <= 4 and more.weighted >= k.weighted
