"""The Kanwil's view: the offices a supervisor oversees, side by side (/rekap kanwil).

Each office's figures are its own recap (bot.reports.build, the one that /rekap and the
dashboard use), built in the office's zone with its type's IKU minimum, so the Kanwil
sees exactly what each office's CSO sees. Who may see which offices: bot/roles.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot import periods, reports, roles
from bot.reports import Recap
from bot.services import Services
from storage.models import Office
from storage.reports import Scope


class Outcome(Enum):
    OK = "ok"
    NOT_KANWIL = "not_kanwil"
    BAD_PERIOD = "bad_period"
    NOT_THEIRS = "not_theirs"


@dataclass(frozen=True)
class OfficeFigures:
    office: Office
    recap: Recap

    @property
    def late(self) -> int:
        """Late tickets: answered after the deadline, or still open past it."""
        return self.recap.answered_late + self.recap.total.open_late


@dataclass(frozen=True)
class KanwilView:
    outcome: Outcome
    kanwil: str = ""
    label: str = ""
    offices: tuple[OfficeFigures, ...] = ()


def split_office(text: str) -> tuple[int | None, str]:
    """``/rekap kanwil [office id] [period]``: the office id when the text starts with one
    (a period never starts with a bare number: 2026-11 has its dash)."""
    head, _, rest = text.strip().partition(" ")
    if head.isdigit() and len(head) <= 4:
        return int(head), rest
    return None, text


async def points_to_kanwil(svc: Services, user_id: int) -> bool:
    """Refused an office's /rekap, a Kanwil supervisor is pointed to /rekap kanwil rather
    than told the office roles they lack."""
    return await roles.is_kanwil(svc, user_id)


async def side_by_side(svc: Services, user_id: int, text: str) -> KanwilView:
    """The figures of the user's offices (or the one named) for the period in ``text``."""
    theirs = await roles.supervised_offices(svc, user_id)
    if not theirs:
        return KanwilView(Outcome.NOT_KANWIL)
    office_id, period_text = split_office(text)
    if office_id is not None and office_id not in dict(theirs):
        return KanwilView(Outcome.NOT_THEIRS)
    chosen = [o for o, _ in theirs if office_id in (None, o) and o in svc.offices]
    found: list[OfficeFigures] = []
    label = ""
    for oid in chosen:
        view = svc.for_office(oid)
        period = periods.parse(period_text, svc.clock.now().astimezone(view.tz).date())
        if period is None:
            return KanwilView(Outcome.BAD_PERIOD)
        start, end = period.bounds(view.tz)  # each office's days in its own zone
        recap = await reports.build(view, Scope(oid, start, end), period)
        found.append(OfficeFigures(view.office, recap))
        label = period.label
    return KanwilView(Outcome.OK, theirs[0][1], label, tuple(found))
