"""A user the bot never saw is named by a mention link and a hint, never by a bare id:
role confirmations, /peran, a reassigned ticket, the supervisor's alert, a handed-on note."""

from __future__ import annotations

from tests.e2e.harness import ADMIN, Harness
from tests.e2e.test_tickets import ask, at
from tests.e2e.world import LO, SUPERVISOR, staffed_office

NEW = 777001
LINK = f'<a href="tg://user?id={NEW}">pengguna {NEW}</a>'


async def test_a_user_never_seen_gets_a_label_not_a_number(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    mark = len(h.api.sent)
    granted = await h.say(ADMIN, ADMIN, f"/beriperan lo {NEW}")
    assert LINK in granted.text and "belum pernah menulis ke bot" in granted.plain
    # Their role notice cannot reach them: it is handed on (to the supervisor), by label.
    await h.settle()
    handed = [s for s in h.api.sent[mark:] if "tidak dapat dikirim" in s.plain]
    assert handed and LINK in handed[0].text
    listing = await h.say(ADMIN, ADMIN, "/peran")
    assert LINK in listing.text and f"{NEW}," not in listing.plain
    again = await h.say(ADMIN, ADMIN, f"/beriperan lo {NEW}")
    assert LINK in again.text

    await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
    moved = await h.say(LO, LO, f"/alihkan 2026-0001 {NEW}")
    assert LINK in moved.text
    mark = len(h.api.sent)
    h.clock.set(at(25, 10, 1))  # past the deadline: the supervisor's alert names the LO
    await h.tick()
    alert = next(s for s in h.api.sent[mark:] if s.chat_id == SUPERVISOR)
    assert LINK in alert.text and f"LO: {NEW}" not in alert.plain
    # Only the messages to the person who never started the bot are refused (no bad HTML).
    assert {reason for _, _, reason in h.api.refusals} == {"Bad Request: chat not found"}
