"""Messages to people or groups the bot cannot reach are handed on, never dropped."""

from __future__ import annotations

from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import GROUP, KEPALA, LO, OPERATOR, SUPERVISOR, staffed_office

QUESTION = "Mohon info pak, berkas SPM kami nomor 77 sudah diproses belum?"


async def test_notice_for_an_lo_who_left_the_chat_goes_to_the_supervisor(
    harness: Harness,
) -> None:
    h = harness
    await staffed_office(h)
    h.api.chats[LO].started = False  # the LO blocked the bot / never pressed Start
    mark = len(h.api.sent)
    await h.say(GROUP, OPERATOR, QUESTION)
    await h.settle()
    handed = [s.plain for s in h.api.sent[mark:] if s.chat_id == SUPERVISOR]
    assert len(handed) == 1
    assert "Pesan untuk Sari" in handed[0] and "Tiket baru" in handed[0]
    listing = await h.say(ADMIN, ADMIN, "/peran")
    assert "belum dapat dihubungi bot" in listing.plain
    # Once the LO opens the chat again, they are reachable and no longer listed.
    h.api.chats[LO].started = True
    await h.say(LO, LO, "/start")
    listing = await h.say(ADMIN, ADMIN, "/peran")
    assert "belum dapat dihubungi bot" not in listing.plain


async def test_answer_for_a_group_that_removed_the_bot_reaches_the_lo(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await h.say(GROUP, OPERATOR, QUESTION)
    await h.settle()
    h.api.chats[GROUP].bot_status = "kicked"  # removed, and we were not told yet
    mark = len(h.api.sent)
    await h.act(LO, LO, "/jawab 2026-0001 Sudah terbit SP2D-nya, silakan cek OM-SPAN.")
    await h.settle()
    to_lo = [s.plain for s in h.api.sent[mark:] if s.chat_id == LO]
    assert any("tidak terkirim" in t and "Sudah terbit SP2D-nya" in t for t in to_lo)
    assert not [s for s in h.api.sent[mark:] if s.chat_id == GROUP]


async def test_when_the_supervisor_cannot_be_reached_either_the_head_of_office_is_told(
    harness: Harness,
) -> None:
    h = harness
    await staffed_office(h)
    h.api.chats[LO].started = False
    h.api.chats[SUPERVISOR].started = False
    mark = len(h.api.sent)
    await h.say(GROUP, OPERATOR, QUESTION)
    await h.settle()
    await h.settle()
    to_kepala = [s.plain for s in h.api.sent[mark:] if s.chat_id == KEPALA]
    assert len(to_kepala) == 1
    assert "Pesan untuk Hendra" in to_kepala[0] and "Pesan untuk Sari" in to_kepala[0]
    assert "Tiket baru" in to_kepala[0]
