"""A complaint however it is written: as a photo's caption, as '/pengaduan' followed by
the text, or as a reply to the bot's acknowledgement. Never a ticket for the LO."""

from __future__ import annotations

from storage import complaints as repo
from storage import sql
from tests.e2e.harness import Harness
from tests.e2e.test_complaints import KEPATUHAN, compliance_office, texts
from tests.e2e.world import GROUP, LO, OPERATOR, STRANGER

BRIBE = "petugas minta uang rokok saat ambil SP2D"


async def ticket_count(h: Harness) -> int:
    row = await sql.one(h.services.db.reader, "SELECT count(*) FROM tickets")
    return int(row[0]) if row else 0


async def test_complaint_in_a_photo_caption_is_a_complaint(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    h.api.send_photo(GROUP, OPERATOR, f"/pengaduan {BRIBE}")
    ack = await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    await h.settle()
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.text == BRIBE and c.attachment_kind == "photo"
    assert await ticket_count(h) == 0
    assert "tiket" not in ack.plain.lower()
    # The compliance section gets the text and the photo; the LO hears nothing of it.
    assert any(BRIBE in t for t in texts(h, KEPATUHAN, mark))
    assert any(s.method == "sendPhoto" for s in h.api.sent[mark:] if s.chat_id == KEPATUHAN)
    assert not any(BRIBE in t for t in texts(h, LO, mark))


async def test_a_document_captioned_with_another_command_is_refused_plainly(
    harness: Harness,
) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    h.api.send_document(GROUP, OPERATOR, "/faq bagaimana cara revisi DIPA?")
    refused = await h.api.wait_sent(GROUP, "/faq", after=mark)
    assert "keterangan" in refused.plain and "pesan teks" in refused.plain
    await h.settle()
    assert await ticket_count(h) == 0
    assert texts(h, LO, mark) == []


async def test_tanya_in_a_caption_is_the_tanya_command(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    h.api.send_photo(GROUP, OPERATOR, "/tanya SPM kami ditolak, apa sebabnya?")
    await h.api.wait_sent(GROUP, "2026-0001", after=mark)
    row = await sql.one(h.services.db.reader, "SELECT text, attachment_kind FROM tickets")
    assert row is not None and row[0] == "SPM kami ditolak, apa sebabnya?" and row[1] == "photo"


async def test_pengaduan_alone_then_the_text_is_one_complaint(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    prompt = await h.say(GROUP, OPERATOR, "/pengaduan")
    assert "pesan berikutnya" in prompt.plain
    h.api.say(GROUP, OPERATOR, "Kenapa petugas loket meminta biaya untuk legalisir?")
    await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    await h.settle()
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.text == "Kenapa petugas loket meminta biaya untuk legalisir?"
    assert await ticket_count(h) == 0
    assert texts(h, LO, mark) == []
    # Only the next message: a later question is a question again.
    h.api.say(GROUP, OPERATOR, "Mohon info pak, SPM kami nomor 12 kapan diproses?")
    await h.settle()
    assert await repo.get_by_number(h.services.db.reader, 1, "P-2026-0002") is None


async def test_someone_else_writing_after_pengaduan_is_not_the_complaint(
    harness: Harness,
) -> None:
    h = harness
    await compliance_office(h)
    await h.say(GROUP, OPERATOR, "/pengaduan")
    h.api.user(STRANGER, "Tono")
    h.api.say(GROUP, STRANGER, "Mohon info pak, SPM kami nomor 12 kapan diproses?")
    await h.settle()
    assert await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001") is None
    assert await ticket_count(h) == 1


async def test_pengaduan_prompt_expires(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    await h.say(GROUP, OPERATOR, "/pengaduan")
    h.clock.advance(minutes=31)
    h.api.say(GROUP, OPERATOR, "Mohon info pak, SPM kami nomor 12 kapan diproses?")
    await h.settle()
    assert await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001") is None
    assert await ticket_count(h) == 1


async def test_reply_to_the_acknowledgement_adds_details(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, "/pengaduan petugas loket tidak ramah")
    ack = await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    await h.settle()
    mark = len(h.api.sent)
    detail = "Kejadiannya kemarin jam 10 di loket 2, kenapa tidak ada yang menegur?"
    h.api.say(GROUP, OPERATOR, detail, reply_to=ack.message["message_id"])
    thanks = await h.api.wait_sent(GROUP, "tambahan keterangan", after=mark)
    assert detail not in thanks.plain
    await h.settle()
    h.clock.advance(minutes=h.settings.digest_minutes)  # notices are bundled (bot/digest)
    await h.tick()
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and "petugas loket tidak ramah" in c.text and detail in c.text
    assert await ticket_count(h) == 0
    assert texts(h, LO, mark) == []
    assert any(detail in t for t in texts(h, KEPATUHAN, mark))


async def test_complaint_with_a_photo_in_private_keeps_the_photo(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    mark = len(h.api.sent)
    h.api.send_photo(OPERATOR, OPERATOR, f"/pengaduan {BRIBE}")
    await h.api.wait_sent(OPERATOR, "P-2026-0001", after=mark)
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.attachment_kind == "photo" and c.channel == "pribadi"
    await h.api.wait_for(lambda s: s.chat_id == KEPATUHAN and s.method == "sendPhoto")


async def test_pengaduan_alone_in_private_then_the_text(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    prompt = await h.say(OPERATOR, OPERATOR, "/pengaduan")
    assert "pesan berikutnya" in prompt.plain
    mark = len(h.api.sent)
    h.api.say(OPERATOR, OPERATOR, "Petugas loket meminta biaya legalisir, apakah benar?")
    ack = await h.api.wait_sent(OPERATOR, "P-2026-0001", after=mark)
    await h.settle()
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.channel == "pribadi" and "legalisir" in c.text
    assert [s.plain for s in h.api.sent[mark:] if s.chat_id == OPERATOR] == [ack.plain]
    # A handler's '/pengaduan' is the list, and their next message is not a complaint.
    listing = await h.say(KEPATUHAN, KEPATUHAN, "/pengaduan")
    assert "P-2026-0001" in listing.plain
