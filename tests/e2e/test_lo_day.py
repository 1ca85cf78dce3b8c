"""The LO's day (issue 10): hold without closing, answer from anywhere, one conversation
one ticket, a bounded number of private messages, and saying what is wrong."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.e2e.test_tickets import ask, at, private_texts, ticket
from tests.e2e.world import GROUP, LO, OPERATOR, staffed_office


async def test_a_holding_reply_keeps_the_ticket_open(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    qid, _ = await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    mark = len(h.api.sent)
    h.api.say(GROUP, LO, "Baik Pak, kami cek dulu ya", reply_to=qid)
    await h.settle()
    t = await ticket(h, "2026-0001")
    assert t.status == "baru" and t.answered_at is None and t.progress_at is not None
    # No rating is asked for an acknowledgement.
    assert not any(s.buttons for s in h.api.sent[mark:] if s.chat_id == GROUP)

    # /proses from the private chat: the asker sees the note in the group.
    reply = await h.say(LO, LO, "/proses 2026-0001 sedang kami cek ke seksi bank")
    assert "sedang diproses" in reply.plain
    note = await h.api.wait_sent(GROUP, "sedang diproses", after=mark)
    assert "seksi bank" in note.plain and note.reply_to == qid
    detail = await h.say(LO, LO, "/tiket 2026-0001")
    assert "sedang diproses" in detail.plain

    # The later real answer is the answer: it stops the clock and asks for the rating.
    h.clock.set(at(23, 15))
    mark = len(h.api.sent)
    answer = "SPM ditolak karena kode akun 521211 tidak sesuai DIPA, Pak."
    h.api.say(GROUP, LO, answer, reply_to=qid)
    answered = await h.api.wait_sent(GROUP, "telah dijawab oleh", after=mark)
    assert answered.buttons
    t = await ticket(h, "2026-0001")
    assert t.status == "dijawab" and t.answer_text is not None and "521211" in t.answer_text
    assert t.waited_hours == 5  # Mon 10.00 -> 15.00: the acknowledgement did not stop it
    assert private_texts(h, OPERATOR) == []


async def test_the_lo_answers_from_the_private_notice(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    qid, _ = await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    notice = await h.api.wait_sent(LO, "Tiket baru #2026-0001")
    assert [b["callback_data"] for b in notice.buttons][:1] == [
        f"jw:{(await ticket(h, '2026-0001')).id}"
    ]

    # A plain reply to the notice is the answer, posted in the group under the question.
    mark = len(h.api.sent)
    h.api.say(LO, LO, "Sudah kami terima kemarin sore, Pak.", reply_to=notice.message["message_id"])
    confirm = await h.api.wait_sent(LO, "telah dicatat", after=mark)
    assert "tepat waktu" in confirm.plain
    posted = await h.api.wait_sent(GROUP, "Sudah kami terima kemarin sore", after=mark)
    assert posted.reply_to == qid
    assert (await ticket(h, "2026-0001")).status == "dijawab"

    # /jawab as a reply never reads the first word as a ticket number.
    await ask(h, "min, surat permohonan kami nomor 46 sudah diterima belum ya?")
    second = await h.api.wait_sent(LO, "Tiket baru #2026-0002")
    mark = len(h.api.sent)
    h.api.say(
        LO, LO, "/jawab Selamat siang, sudah kami terima.", reply_to=second.message["message_id"]
    )
    await h.api.wait_sent(LO, "telah dicatat", after=mark)
    t = await ticket(h, "2026-0002")
    assert t.status == "dijawab" and t.answer_text == "Selamat siang, sudah kami terima."

    # The "Jawab" button opens a ForceReply prompt; the reply to the prompt is the answer.
    await ask(h, "mohon info, undangan sosialisasi minggu depan untuk siapa saja?")
    third = await h.api.wait_sent(LO, "Tiket baru #2026-0003")
    t3 = await ticket(h, "2026-0003")
    mark = len(h.api.sent)
    h.api.press(LO, LO, third.message["message_id"], f"jw:{t3.id}")
    prompt = await h.api.wait_sent(LO, "Silakan tulis jawaban", after=mark)
    assert prompt.params["reply_markup"]["force_reply"] is True
    await h.settle()
    h.api.say(LO, LO, "Kamis depan pukul 09.00, Pak.", reply_to=prompt.message["message_id"])
    await h.api.wait_sent(GROUP, "Kamis depan pukul 09.00", after=mark)
    assert (await ticket(h, "2026-0003")).status == "dijawab"
    assert h.api.refusals == []
