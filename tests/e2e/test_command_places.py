"""/alihkan and /cuti are private-only (as the help says): in a group they are refused
and change nothing."""

from __future__ import annotations

from storage import sql
from tests.e2e.harness import Harness
from tests.e2e.world import GROUP, LO, LO2, OPERATOR, staffed_office


async def test_private_only_commands_are_refused_in_a_group(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    h.api.say(GROUP, OPERATOR, "Mohon info pak, SPM kami nomor 12 kapan diproses?")
    await h.api.wait_sent(LO, "Tiket baru #2026-0001")
    moved = await h.say(GROUP, LO, "/alihkan 2026-0001 @dewi_lo")
    assert "hanya dapat digunakan melalui chat pribadi" in moved.plain
    leave = await h.say(GROUP, LO2, "/cuti @sari_lo 2026-12-31")
    assert "hanya dapat digunakan melalui chat pribadi" in leave.plain
    await h.settle()
    row = await sql.one(h.services.db.reader, "SELECT lo_user_id FROM tickets")
    assert row is not None and row[0] == LO
    assert not any("dialihkan" in s.plain for s in h.api.sent_to(LO2))
    # In private they work.
    moved = await h.say(LO, LO, "/alihkan 2026-0001 @dewi_lo")
    assert "telah dialihkan kepada Dewi" in moved.plain


async def test_a_role_command_is_refused_by_the_same_check(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    refused = await h.say(OPERATOR, OPERATOR, "/alihkan 2026-0001 @dewi_lo")
    assert refused.plain.startswith("Mohon maaf, perintah ini khusus untuk")
