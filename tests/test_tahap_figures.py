"""The tahap (reporting deadline) lists against a count made here from the presses
(issue 20): for a deadline every satker reports to, which satker have reported and which
not, as the office sees it and as each LO sees it (their own groups' satker only).

The satker, their groups (one inactive now and then), their operators and who pressed
"Sudah disampaikan" (twice, or from another group) are drawn by hypothesis; the expected
lists follow from those events alone.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.common import WIB, services
from bot.deadlines import service
from messages import deadlines as msg
from storage import groups, people
from storage.deadline_model import SATKER
from tests.profiles import at_least
from tests.test_deadlines import spec

ADMIN, LO, LO2, SUPERVISOR = 100, 200, 210, 600
GROUPS = {-1001: LO, -1002: LO2, -1003: LO}  # the third group is Sari's too
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=WIB)


@dataclass(frozen=True)
class SatkerEvent:
    group: int
    presses: int  # how many times its operator pressed the button (0: not reported)
    pressed_from_other_group: bool  # the operator pressed in a group not their satker's


satker_events = st.lists(
    st.builds(
        SatkerEvent,
        st.sampled_from(sorted(GROUPS)),
        st.sampled_from([0, 0, 1, 1, 2]),
        st.booleans(),
    ),
    min_size=1,
    max_size=10,
)


def kode(i: int) -> str:
    return f"{700001 + i}"


def expected(
    events: list[SatkerEvent], inactive: int | None, lo: int | None
) -> tuple[set[str], set[str]]:
    """(reported, pending) kode satker. Pending: satker of active groups (of ``lo``'s
    groups when given) whose operator never pressed in their own group. Reported: those
    who did; the office still sees a report made before its group went inactive (it was
    made), an LO sees their active groups' satker only."""
    pressed = {kode(i): e for i, e in enumerate(events) if e.presses > 0}
    active = {kode(i): e for i, e in enumerate(events) if e.group != inactive}
    if lo is not None:
        active = {k: e for k, e in active.items() if GROUPS[e.group] == lo}
        return set(active) & set(pressed), set(active) - set(pressed)
    return set(pressed), set(active) - set(pressed)


def other_group(group: int) -> int:
    return next(g for g in sorted(GROUPS) if g != group)


async def check(events: list[SatkerEvent], inactive: int | None, folder: Path) -> None:
    svc = await services(folder / "t.sqlite3", NOW)
    try:
        now = svc.clock.now()
        async with svc.db.transaction() as tx:
            for uid, name, role in (
                (ADMIN, "Admin", "admin"),
                (LO, "Sari", "lo"),
                (LO2, "Dewi", "lo"),
                (SUPERVISOR, "Hendra", "supervisor"),
            ):
                await people.upsert_user(tx, uid, None, name, now)
                await people.grant(tx, 1, uid, role, 1, now)
            for chat, lo in GROUPS.items():
                await groups.upsert_joined(tx, chat, f"LO {chat}", now)
                await groups.register(tx, chat, lo, f"K/L {chat}", now)
            for i, e in enumerate(events):
                operator = 3000 + i
                await people.upsert_user(tx, operator, None, f"Operator {i}", now)
                await groups.add_satker(tx, e.group, kode(i), f"Satker {i}")
                await groups.register_operator(tx, operator, e.group, kode(i), now)
        lpj = spec(slug="lpj-november", name="LPJ November", audience=SATKER, roles=())
        outcome, dl = await service.add(svc, ADMIN, lpj)
        assert outcome is service.Outcome.OK and dl is not None
        [st0] = await service.overview(svc, ADMIN) or [None]
        assert st0 is not None
        occurrence = st0.occurrence.id
        for i, e in enumerate(events):
            operator = 3000 + i
            if e.pressed_from_other_group:  # not their satker's group: nothing recorded
                pressed = await service.mark_reported(
                    svc, occurrence, operator, other_group(e.group)
                )
                assert pressed.outcome is not service.Outcome.OK
            for _ in range(e.presses):
                await service.mark_reported(svc, occurrence, operator, e.group)
        if inactive is not None:
            async with svc.db.transaction() as tx:
                await groups.mark_inactive(tx, inactive, svc.clock.now())

        for viewer, lo in ((SUPERVISOR, None), (ADMIN, None), (LO, LO), (LO2, LO2)):
            found = await service.overview(svc, viewer)
            assert found is not None and len(found) == 1
            st = found[0]
            got = (
                {p.key[1:] for p, _ in st.reported},
                {p.key[1:] for p in st.pending},
            )
            assert got == expected(events, inactive, lo), viewer
            # The /tahap text lists the same satker with the same marks.
            text = msg.overview(found, svc.tz, svc.clock.now())
            assert set(re.findall(r"✅ (\d{6}) ", text)) == got[0]
            assert set(re.findall(r"⏳ (\d{6}) ", text)) == got[1]
    finally:
        await svc.db.close()


@settings(max_examples=at_least(25), deadline=None)
@given(satker_events, st.sampled_from([None, None, -1003, -1002]))
def test_tahap_lists_match_an_independent_count(
    events: list[SatkerEvent], inactive: int | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(check(events, inactive, Path(folder)))
