"""The CSO KPI (IKU CSO): quantity index 40%, on-time index 60%, quarterly target 3.

The seeds give the weights, the minimum ticket counts (A1: 300, A2: 200 per quarter)
and the target, but not the table that turns a percentage into an index; the bands are
therefore settings (``LOBOT_KPI_QUANTITY_BANDS``, ``LOBOT_KPI_ONTIME_BANDS``) with the
defaults below, and every report shows the raw figures beside the indices.
"""

from __future__ import annotations

from dataclasses import dataclass

from config.kpi_bands import (  # noqa: F401  (re-exported for bot/ callers)
    DEFAULT_ON_TIME_BANDS,
    DEFAULT_QUANTITY_BANDS,
    Bands,
    parse_bands,
)

MINIMUM_PER_QUARTER = {"A1": 300, "A2": 200}
WEIGHT_QUANTITY = 0.4
WEIGHT_ON_TIME = 0.6
TARGET = 3.0


def judged(answered: int, open_late: int) -> int:
    """Tickets whose timeliness is known: answered, or still open past the deadline (late
    whatever happens next). Open tickets within their time are neither yet."""
    return answered + open_late


def on_time_share(on_time: int, answered: int, open_late: int) -> float | None:
    """The one definition of "tepat waktu" used by every report, line and chart: answered
    on time out of the tickets that can be judged; None when none can be yet."""
    n = judged(answered, open_late)
    return on_time / n if n else None


def index_for(percent: float, bands: Bands) -> float:
    for lowest, index in bands:
        if percent >= lowest:
            return index
    return bands[-1][1]


@dataclass(frozen=True)
class Kpi:
    tickets: int
    minimum: float
    quantity_percent: float
    quantity_index: float
    judged: int  # answered, or already past the deadline
    on_time: int
    on_time_percent: float
    on_time_index: float
    weighted: float

    @property
    def meets_target(self) -> bool:
        return self.weighted >= TARGET


def compute(
    tickets: int,
    on_time: int,
    judged: int,
    minimum: float,
    quantity_bands: Bands = DEFAULT_QUANTITY_BANDS,
    on_time_bands: Bands = DEFAULT_ON_TIME_BANDS,
) -> Kpi:
    """``judged``: tickets whose timeliness is known (answered, or open past the deadline);
    open tickets still within their time are neither on time nor late yet."""
    quantity_percent = 100.0 * tickets / minimum if minimum > 0 else 100.0
    on_time_percent = 100.0 * on_time / judged if judged else 100.0
    qi = index_for(quantity_percent, quantity_bands)
    ti = index_for(on_time_percent, on_time_bands)
    return Kpi(
        tickets,
        minimum,
        quantity_percent,
        qi,
        judged,
        on_time,
        on_time_percent,
        ti,
        round(WEIGHT_QUANTITY * qi + WEIGHT_ON_TIME * ti, 2),
    )


def minimum_for(office_type: str, period_days: int, quarter_days: int) -> float:
    """The quarterly minimum, prorated when the period is not a whole quarter."""
    full = MINIMUM_PER_QUARTER[office_type]
    return full if period_days >= quarter_days else full * period_days / quarter_days
