"""/rekap's HAI CSO figures: "tercatat di HAI CSO: x dari y", per CSO, and the IKU
estimate computed on the entered tickets beside the one on all tickets.

HAI CSO counts a ticket for the CSO who entered it, so the estimate on entered tickets
is the nearer one to the official IKU. It still differs: HAI CSO's clock runs from the
time of input, the bot's from the time the question came in (the bot's verdict is the
stricter one), and HAI CSO also holds questions that never reached the bot.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bot import kpi, periods
from bot.reports import Recap
from bot.services import Services
from storage import people
from storage.models import HAI_ENTERED, HAI_NOT_NEEDED


@dataclass
class _Tally:
    of: int = 0  # tickets that belong in HAI CSO (not marked "tidak perlu")
    entered: int = 0
    on_time: int = 0  # of the entered ones
    judged: int = 0  # of the entered ones
    not_needed: int = 0


@dataclass(frozen=True)
class CsoFigures:
    name: str
    entered: int
    of: int
    kpi_entered: kpi.Kpi


@dataclass(frozen=True)
class HaiFigures:
    entered: int
    of: int
    not_needed: int
    kpi_entered: kpi.Kpi | None  # office-wide recaps only
    per_cso: tuple[CsoFigures, ...] = ()


async def figures(svc: Services, recap: Recap) -> HaiFigures:
    scope = recap.scope
    assert scope is not None
    # The recap's own counts (from the daily rollup, keyed on the HAI CSO state too): the
    # period's tickets are not read again.
    rows = [dict(r, state=r["hai_state"], by_user=r["hai_by"]) for r in recap.kinds]
    csos = await people.holders(svc.db.reader, svc.office_id, "cso")
    ids = {u.user_id for u in csos}
    total = _Tally()
    per: dict[int, _Tally] = defaultdict(_Tally)
    for r in rows:
        _add(total, r, entered=r["state"] == HAI_ENTERED)
        # /rekap's rule: a ticket is the CSO's who recorded it, else who answered it; for
        # HAI CSO also the CSO's who entered it, and counts as entered only for that CSO.
        holder = r["recorded_by"] if r["recorded_by"] in ids else r["answered_by"]
        for c in {c for c in (holder, r["by_user"]) if c in ids}:
            _add(per[c], r, entered=r["state"] == HAI_ENTERED and r["by_user"] == c)
    if scope.lo_ids is not None:  # an LO's share: the count, no IKU (it belongs to CSOs)
        return HaiFigures(total.entered, total.of, total.not_needed, None)
    minimum, qb, tb = _kpi_terms(svc, recap)

    def estimate(t: _Tally) -> kpi.Kpi:
        return kpi.compute(t.entered, t.on_time, t.judged, minimum, qb, tb)

    per_cso = tuple(
        CsoFigures(u.full_name, per[u.user_id].entered, per[u.user_id].of, estimate(per[u.user_id]))
        for u in csos
    )
    return HaiFigures(total.entered, total.of, total.not_needed, estimate(total), per_cso)


def _add(tally: _Tally, r: Any, entered: bool) -> None:
    n = r["n"]
    if r["state"] == HAI_NOT_NEEDED:
        tally.not_needed += n
        return
    tally.of += n
    if entered:
        tally.entered += n
        tally.on_time += r["on_time"] or 0
        tally.judged += kpi.judged(r["answered"] or 0, r["late_open"] or 0)


def _kpi_terms(svc: Services, recap: Recap) -> tuple[float, kpi.Bands, kpi.Bands]:
    """The same minimum and bands as /rekap's estimate on all tickets."""
    s = svc.settings
    quarter = periods.quarter_of(recap.period.start)
    minimum = kpi.minimum_for(s.office_type, recap.period.days, quarter.days)
    return minimum, kpi.parse_bands(s.kpi_quantity_bands), kpi.parse_bands(s.kpi_ontime_bands)


SHEET_HEADERS = [
    ("", 34),
    ("Tercatat di HAI CSO", 14),
    ("Tiket yang perlu diinput", 14),
    ("Perkiraan IKU (tiket tercatat)", 16),
    ("Perkiraan IKU (semua tiket)", 16),
]


def write_sheet(book: Any, recap: Recap, fmt: dict[str, Any]) -> None:
    """The workbook's "HAI CSO" sheet (in the report worker): the office, then per CSO."""
    fig = recap.hai
    if fig is None:
        return
    sheet = book.add_worksheet("HAI CSO")
    for c, (name, width) in enumerate(SHEET_HEADERS):
        sheet.set_column(c, c, width)
        sheet.write_string(0, c, name, fmt["head"])
    sheet.write_string(0, 0, "Kantor / CSO", fmt["head"])
    all_tickets = dict(recap.kpi_cso)
    rows = [("Kantor", fig.entered, fig.of, fig.kpi_entered, recap.kpi_office)]
    rows += [(c.name, c.entered, c.of, c.kpi_entered, all_tickets.get(c.name)) for c in fig.per_cso]
    for r, (name, entered, of, on_entered, on_all) in enumerate(rows, start=1):
        sheet.write_string(r, 0, name)
        sheet.write_number(r, 1, entered)
        sheet.write_number(r, 2, of)
        for c, k in ((3, on_entered), (4, on_all)):
            if k is not None and k.judged:
                sheet.write_number(r, c, k.weighted, fmt["num"])
    sheet.write_string(len(rows) + 2, 0, f"Tidak perlu diinput: {fig.not_needed}")
    sheet.write_string(len(rows) + 3, 0, f"Periode: {recap.period.label}")
