"""The admin's note on a holiday is kept and shown (issue #10: it was lost)."""

from __future__ import annotations

from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import people


async def test_holiday_note_is_shown_and_survives_a_restart(harness: Harness) -> None:
    h = harness
    people(h)
    reply = await h.say(ADMIN, ADMIN, "/libur tambah 2026-12-23 Cuti bersama akhir tahun")
    assert "Cuti bersama akhir tahun" in reply.plain and "hari libur" in reply.plain
    await h.restart()
    listing = await h.say(ADMIN, ADMIN, "/libur")
    line = [x for x in listing.plain.splitlines() if "Desember 2026" in x and "23" in x]
    assert line and "Cuti bersama akhir tahun" in line[0]
