"""A complaint stays between the complainant and those who handle it: the group message
is removed when the bot may, the group hears of a follow-up only once the complainant
has, and an integrity complaint reaches the compliance section, not the head of office."""

from __future__ import annotations

from storage import complaints as repo
from tests.e2e.harness import Harness
from tests.e2e.test_complaints import KEPATUHAN, compliance_office, texts
from tests.e2e.world import GROUP, KEPALA, OPERATOR, SUPERVISOR

COMPLAINT = "petugas loket meminta kami menunggu 3 jam tanpa kejelasan"
BRIBE = "petugas minta uang rokok saat ambil SP2D"


async def test_group_complaint_is_removed_when_the_bot_is_admin(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    h.api.chats[GROUP].bot_status = "administrator"
    mark = len(h.api.sent)
    original = h.api.say(GROUP, OPERATOR, f"/pengaduan {COMPLAINT}")
    ack = await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    note = await h.api.wait_sent(OPERATOR, "P-2026-0001", after=mark)
    assert (GROUP, original["message_id"]) in h.api.deleted
    assert "hapus dari grup" in ack.plain and COMPLAINT not in ack.plain
    assert "telah kami hapus" in note.plain and COMPLAINT in note.plain


async def test_group_complaint_kept_when_the_bot_may_not_remove_it(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    original = h.api.say(GROUP, OPERATOR, f"/pengaduan {COMPLAINT}")
    await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    note = await h.api.wait_sent(OPERATOR, "P-2026-0001", after=mark)
    assert (GROUP, original["message_id"]) not in h.api.deleted
    assert "tidak dapat menghapus" in note.plain and "chat pribadi" in note.plain


async def test_details_replied_in_the_group_are_removed_too(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    h.api.chats[GROUP].bot_status = "administrator"
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, f"/pengaduan {COMPLAINT}")
    ack = await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    await h.settle()
    detail = h.api.say(GROUP, OPERATOR, "di loket 2 kemarin", reply_to=ack.message["message_id"])
    await h.api.wait_sent(GROUP, "tambahan keterangan", after=mark)
    assert (GROUP, detail["message_id"]) in h.api.deleted


async def test_group_note_waits_for_the_private_callback(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    h.api.chats[OPERATOR].started = False  # the complainant cannot be written to
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, f"/pengaduan {COMPLAINT}")
    await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    await h.settle()
    h.api.chats[OPERATOR].started = False
    mark = len(h.api.sent)
    await h.say(KEPATUHAN, KEPATUHAN, "/tindaklanjut P-2026-0001 petugas telah kami tegur")
    await h.settle()
    await h.tick()
    assert not any("telah ditindaklanjuti" in t for t in texts(h, GROUP, mark))
    # Once the complainant can be reached, the next follow-up reaches both, in order.
    h.api.chats[OPERATOR].started = True
    await h.say(OPERATOR, OPERATOR, "/start")
    mark = len(h.api.sent)
    await h.say(KEPATUHAN, KEPATUHAN, "/tindaklanjut P-2026-0001 selesai antrean dipantau")
    call = await h.api.wait_sent(OPERATOR, "Tindak lanjutnya", after=mark)
    note = await h.api.wait_sent(GROUP, "telah ditindaklanjuti", after=mark)
    assert h.api.sent.index(call) < h.api.sent.index(note)


async def test_integrity_complaint_goes_to_compliance_not_to_the_head(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, f"/pengaduan {BRIBE}")
    ack = await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    assert ack.plain.index("WISE") < ack.plain.index("P-2026-0001")  # the pointer first
    full = await h.api.wait_sent(KEPATUHAN, "P-2026-0001", after=mark)
    assert BRIBE in full.plain and "Budi" in full.plain
    head = await h.api.wait_sent(KEPALA, "P-2026-0001", after=mark)
    assert BRIBE not in head.plain and "Budi" not in head.plain and "123456" not in head.plain
    # What the head may look up: that it exists and its status, not who or what.
    shown = await h.say(KEPALA, KEPALA, "/pengaduan P-2026-0001")
    assert "P-2026-0001" in shown.plain and "diterima" in shown.plain
    assert "uang rokok" not in shown.plain and "123456" not in shown.plain
    listed = await h.say(KEPALA, KEPALA, "/pengaduan semua")
    assert "P-2026-0001" in listed.plain and "uang rokok" not in listed.plain
    refused = await h.say(KEPALA, KEPALA, "/tindaklanjut P-2026-0001 sudah saya cek")
    assert "Kepatuhan" in refused.plain
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.status == "diterima"
    # The compliance section's follow-up: the head still sees the status only.
    await h.say(KEPATUHAN, KEPATUHAN, "/tindaklanjut P-2026-0001 sedang kami periksa")
    shown = await h.say(KEPALA, KEPALA, "/pengaduan P-2026-0001")
    assert "dalam proses" in shown.plain and "periksa" not in shown.plain
    assert not any("uang rokok" in t for t in texts(h, KEPALA, 0))
    assert not any("uang rokok" in t for t in texts(h, SUPERVISOR, 0))


async def test_integrity_notice_not_handed_to_the_head_when_compliance_unreachable(
    harness: Harness,
) -> None:
    h = harness
    await compliance_office(h)
    h.api.chats[KEPATUHAN].started = False  # blocked the bot
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, f"/pengaduan {BRIBE}")
    await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    await h.settle()
    await h.tick()
    for person in (KEPALA, SUPERVISOR):
        assert not any("uang rokok" in t for t in texts(h, person, mark))
