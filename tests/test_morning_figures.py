"""The morning summary's counts against a count made here from the tickets (issue 20).

Each LO's open tickets, those falling due from now to the end of today's working hours,
and those already past their deadline, with the same rule the recap uses: a ticket is
late only once its deadline has passed (answered at the deadline is on time).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.common import WIB, services
from bot.digest import morning
from storage import groups, people, sql
from storage import tickets as tickets_repo
from tests.profiles import at_least

LO, LO2 = 200, 210
GROUP, GROUP2 = -1001, -1002
NOW = datetime(2026, 12, 8, 8, 5, tzinfo=WIB)  # Tuesday, a working day
END_OF_DAY = datetime(2026, 12, 8, 16, 0, tzinfo=WIB)

# Deadlines an office sees at 08.05: exactly now and exactly at the close among them.
deadlines = st.one_of(
    st.sampled_from(
        [NOW, END_OF_DAY, NOW - timedelta(seconds=1), END_OF_DAY + timedelta(seconds=1)]
    ),
    st.integers(-3 * 24 * 60, 3 * 24 * 60).map(lambda m: NOW + timedelta(minutes=m)),
)
tickets = st.lists(
    st.tuples(
        st.sampled_from([LO, LO, LO2]),
        st.sampled_from(["baru", "baru", "dijawab", "selesai", "bukan_pertanyaan"]),
        deadlines,
    ),
    max_size=25,
)


def expected(made: list[tuple[int, str, datetime]], lo: int) -> tuple[int, int, int]:
    mine = [due for holder, status, due in made if holder == lo and status == "baru"]
    late = sum(1 for due in mine if due < NOW)
    today = sum(1 for due in mine if NOW <= due <= END_OF_DAY)
    return len(mine), today, late


_COUNTS = re.compile(
    r"Ringkasan pagi</b>: (\d+) tiket terbuka, (\d+) jatuh tempo hari ini"
    r"(?:, (\d+) sudah melewati batas waktu)?\."
)


async def check(made: list[tuple[int, str, datetime]], folder: Path) -> None:
    svc = await services(folder / "m.sqlite3", NOW - timedelta(days=5))
    try:
        now = svc.clock.now()
        async with svc.db.transaction() as tx:
            for chat, lo, name in ((GROUP, LO, "Sari"), (GROUP2, LO2, "Dewi")):
                await people.upsert_user(tx, lo, None, name, now)
                await people.grant(tx, 1, lo, "lo", 1, now)
                await groups.upsert_joined(tx, chat, f"LO {name}", now)
                await groups.register(tx, chat, lo, name, now)
            for i, (holder, status, due) in enumerate(made):
                created = due - timedelta(days=2)
                await tickets_repo.insert(
                    tx,
                    office_id=1,
                    number=f"2026-{i + 1:04d}",
                    chat_id=GROUP if holder == LO else GROUP2,
                    channel="grup",
                    text=f"pertanyaan {i}",
                    status=status,
                    created_at=created,
                    clock_start_at=created,
                    due_at=due,
                    first_due_at=due,
                    lo_user_id=holder,
                )
        svc.clock.set(NOW)
        await morning.scan(svc)
        for lo in (LO, LO2):
            row = await sql.one(
                svc.db.reader,
                "SELECT text FROM digest_items WHERE key = ?",
                [f"morning:{lo}:{NOW.date().isoformat()}"],
            )
            want = expected(made, lo)
            if want[0] == 0:
                assert row is None  # nothing open: no summary
                continue
            assert row is not None
            m = _COUNTS.search(row["text"])
            assert m is not None, row["text"]
            got = (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
            assert got == want, (lo, row["text"])
            # The marks on the listed tickets follow the same rule as the counts.
            assert row["text"].count("⚠️") == min(want[2], morning.LISTED)
    finally:
        await svc.db.close()


@settings(max_examples=at_least(40), deadline=None)
@given(tickets)
def test_morning_counts_match_an_independent_count(made: list[tuple[int, str, datetime]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(check(made, Path(folder)))
