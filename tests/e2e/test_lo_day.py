"""The LO's day (issue 10): hold without closing, answer from anywhere, one conversation
one ticket, a bounded number of private messages, and saying what is wrong."""

from __future__ import annotations

from datetime import timedelta

from bot import digest
from messages.common import private_only, refused
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.test_tickets import after_digest_window, ask, at, private_texts, ticket
from tests.e2e.world import (
    GROUP,
    LO,
    OPERATOR,
    OTHER_GROUP,
    STRANGER,
    SUPERVISOR,
    people,
    staffed_office,
)


async def test_a_holding_reply_keeps_the_ticket_open(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    qid, opened = await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    assert "terima kasih telah menghubungi KPPN Kotabumi" in opened
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
    # It is acknowledged with a reaction on the LO's message, not another private message.
    mark = len(h.api.sent)
    answer = h.api.say(
        LO, LO, "Sudah kami terima kemarin sore, Pak.", reply_to=notice.message["message_id"]
    )
    assert await h.api.wait_reaction(LO, answer["message_id"]) == ["👍"]
    posted = await h.api.wait_sent(GROUP, "Sudah kami terima kemarin sore", after=mark)
    assert posted.reply_to == qid
    assert (await ticket(h, "2026-0001")).status == "dijawab"

    # /jawab as a reply never reads the first word as a ticket number.
    await ask(h, "min, surat permohonan kami nomor 46 sudah diterima belum ya?")
    await after_digest_window(h)
    second = await h.api.wait_sent(LO, "Tiket baru #2026-0002")
    command = h.api.say(
        LO, LO, "/jawab Selamat siang, sudah kami terima.", reply_to=second.message["message_id"]
    )
    assert await h.api.wait_reaction(LO, command["message_id"]) == ["👍"]  # a case: no FAQ offer
    await h.settle()  # its post in the group is out before the next question
    t = await ticket(h, "2026-0002")
    assert t.status == "dijawab" and t.answer_text == "Selamat siang, sudah kami terima."

    # The "Jawab" button opens a ForceReply prompt; the reply to the prompt is the answer.
    await ask(h, "mohon info, undangan sosialisasi minggu depan untuk siapa saja?")
    await after_digest_window(h)
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


async def test_a_follow_up_and_a_detail_join_the_original_ticket(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    qid, opened = await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    bot_reply = next(s for s in h.api.sent if s.chat_id == GROUP and "#2026-0001" in s.plain)

    # A detail sent as a reply to the bot's ticket message is kept on the ticket.
    mark = len(h.api.sent)
    h.api.say(
        GROUP, OPERATOR, "Nomor SPM-nya 00123T ya pak", reply_to=bot_reply.message["message_id"]
    )
    noted = await h.api.wait_sent(GROUP, "kami catat pada tiket", after=mark)
    assert "#2026-0001" in noted.plain and noted.buttons == []
    await after_digest_window(h)
    lo_note = await h.api.wait_sent(LO, "Keterangan tambahan", after=mark)
    assert "00123T" in lo_note.plain

    # The LO answers by replying to the detail in the group.
    await h.say(
        GROUP, LO, "Berkasnya sudah kami terima, Pak.", reply_to=bot_reply.message["message_id"]
    )
    await h.settle()
    assert (await ticket(h, "2026-0001")).status == "dijawab"


async def test_a_new_question_from_the_same_asker_is_a_new_ticket(harness: Harness) -> None:
    """Issue 17: folding a different question into the asker's open ticket let one answer
    close two questions and the KPI undercount."""
    h = harness
    await staffed_office(h)
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    mark = len(h.api.sent)
    follow = h.api.say(
        GROUP, OPERATOR, "oh iya pak, sekalian mau tanya, surat nomor 46 juga sudah?"
    )
    reply = await h.api.wait_sent(GROUP, "#2026-0002", after=mark)
    assert reply.reply_to == follow["message_id"]
    assert not any("kami catat pada tiket" in s.plain for s in h.api.sent[mark:])
    first, second = await ticket(h, "2026-0001"), await ticket(h, "2026-0002")
    assert first.status == second.status == "baru"
    assert "surat nomor 46" in second.text and "surat nomor 46" not in first.text
    assert h.api.refusals == []


async def test_ten_groups_send_a_bounded_number_of_private_messages(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    groups = [GROUP] + [-2000 - i for i in range(9)]
    for i, chat in enumerate(groups[1:]):
        h.api.group(chat, f"LO Satker {i}")
        h.api.add_bot(chat, ADMIN)
        await h.api.wait_sent(chat, "menunggu pendaftaran")
        await h.say(chat, LO, f"/daftargrup Kementerian {i}")
    mark = len(h.api.sent)
    questions = [
        "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?",
        "min, surat permohonan kami nomor 46 sudah diterima belum ya?",
        "mohon info, undangan sosialisasi minggu depan untuk siapa saja?",
    ]
    h.api.user(800, "Wati")
    askers = [OPERATOR, STRANGER, 800]  # three people, so each question is its own ticket
    for chat in groups:
        for asker, question in zip(askers, questions, strict=True):
            h.api.say(chat, asker, question)
    await h.settle()
    await after_digest_window(h)
    total = await h.services.db.fetchall("SELECT count(*) AS n FROM tickets")
    assert total[0]["n"] == 30
    # 30 new tickets: the first notice at once, the other 29 in one digest.
    assert len(private_texts(h, LO, mark)) == 2
    digest = private_texts(h, LO, mark)[-1]
    assert "29 pemberitahuan" in digest and "dan 14 lainnya" in digest

    # The next day the reminders (2 stages x 30 tickets) come bundled, and the supervisor's
    # deadline alerts arrive as one message, not thirty.
    mark = len(h.api.sent)
    for day, hour in ((24, 10), (24, 14), (25, 10), (25, 10)):
        h.clock.set(at(day, hour, 1))
        await h.tick()
        await after_digest_window(h)
    assert len(private_texts(h, LO, mark)) <= 4
    alerts = private_texts(h, SUPERVISOR, mark)
    assert len(alerts) == 1 and "30 pemberitahuan" in alerts[0]
    assert all("Sari" not in text for text in private_texts(h, LO, mark))  # not who she is

    # /notifikasi segera: each notice goes out at once.
    reply = await h.say(LO, LO, "/notifikasi segera")
    assert "segera" in reply.plain
    mark = len(h.api.sent)
    h.api.say(-2001, OPERATOR, "pak, map berkas kami yang biru itu sudah dikembalikan belum?")
    h.api.say(-2001, STRANGER, "min, surat permohonan kami nomor 47 sudah diterima belum ya?")
    await h.settle()
    assert len(private_texts(h, LO, mark)) == 2


async def test_privacy_mode_is_explained_in_the_group_and_to_the_adder(harness: Harness) -> None:
    h = harness
    h.api.privacy_mode = True
    await h.restart()  # getMe is read at start-up
    people(h)
    await h.say(LO, LO, "/start")
    mark = len(h.api.sent)
    h.api.add_bot(OTHER_GROUP, LO)  # a plain member: with privacy mode it reads nothing
    warning = await h.api.wait_sent(OTHER_GROUP, "belum dapat membaca", after=mark)
    assert "admin" in warning.plain
    how = await h.api.wait_sent(LO, "Administrator", after=mark)
    assert "LO Kemenkes" in how.plain and "/daftargrup" in how.plain
    # Added as an administrator, it can read the group: no warning.
    mark = len(h.api.sent)
    h.api.add_bot(GROUP, LO, status="administrator")
    await h.api.wait_sent(GROUP, "menunggu pendaftaran", after=mark)
    await h.settle()
    assert not any("belum dapat membaca" in s.plain for s in h.api.sent[mark:])


async def test_an_unregistered_group_gets_one_note_an_hour(harness: Harness) -> None:
    h = harness
    people(h)
    h.api.add_bot(OTHER_GROUP, ADMIN)
    await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran")
    question = "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?"
    note = await h.say(OTHER_GROUP, OPERATOR, question)
    assert "belum terdaftar" in note.plain and "/daftargrup" in note.plain
    await h.silent(OTHER_GROUP, STRANGER, "min, surat permohonan kami nomor 46 sudah diterima?")
    await h.silent(OTHER_GROUP, OPERATOR, "terima kasih pak")
    h.clock.advance(timedelta(minutes=61))
    again = await h.say(OTHER_GROUP, OPERATOR, question)
    assert "belum terdaftar" in again.plain


async def test_an_unknown_command_points_to_bantuan(harness: Harness) -> None:
    h = harness
    people(h)
    reply = await h.say(LO, LO, "/jwab 2026-0001 sudah kami terima")
    assert "/jwab" in reply.plain and "/bantuan" in reply.plain
    mark = len(h.api.sent)
    await h.say(LO, LO, "/peran")
    await h.settle()
    assert not any("tidak dikenal" in s.plain for s in h.api.sent[mark:])


async def test_the_receiver_of_a_role_is_told_what_to_do(harness: Harness) -> None:
    h = harness
    people(h)
    await h.say(LO, LO, "/start")
    mark = len(h.api.sent)
    await h.say(ADMIN, ADMIN, "/beriperan lo @sari_lo")
    notice = await h.api.wait_sent(LO, "Langkah pertama", after=mark)
    assert "Liaison Officer (LO)" in notice.plain and "KPPN Kotabumi" in notice.plain
    assert "admin" in notice.plain and "/daftargrup" in notice.plain
    guide = await h.say(LO, LO, "/bantuan")
    assert "/daftargrup" in guide.plain and "Sedang diproses" in guide.plain
    refusal = await h.say(OPERATOR, OPERATOR, "/beriperan lo @budi_satker")
    assert "khusus untuk Admin" in refusal.plain and " atau " not in refusal.plain


async def test_the_morning_summary_says_what_is_due_today(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    mark = len(h.api.sent)
    h.clock.set(at(25, 8, 5))  # Wednesday: the ticket is due at 10.00
    await h.tick()
    await h.tick()
    texts = private_texts(h, LO, mark)
    assert len(texts) == 1 and "Ringkasan pagi: 1 tiket terbuka, 1 jatuh tempo hari ini" in texts[0]
    # The reminder that fell due meanwhile follows once the window has passed: one, the
    # later of the two (the first one is superseded, not sent as well).
    await after_digest_window(h)
    await after_digest_window(h)
    texts = private_texts(h, LO, mark)
    assert len(texts) == 2 and texts[1].startswith("Pengingat") and "Sisa waktu" in texts[1]
    assert "Ringkasan pagi" not in texts[1]  # the summary: once a day


async def test_notifikasi_is_for_staff_in_private_only(harness: Harness) -> None:
    """In a group the choice would show to everyone; a satker operator has no notices."""
    h = harness
    await staffed_office(h)
    before = await digest.mode_of(h.services, LO)
    in_group = await h.say(GROUP, LO, "/notifikasi segera")
    assert in_group.plain == private_only()
    stranger = await h.say(OPERATOR, OPERATOR, "/notifikasi segera")
    assert stranger.plain == refused([])
    assert await digest.mode_of(h.services, LO) == before
    assert await digest.mode_of(h.services, OPERATOR) != "segera"


async def test_the_morning_summary_counts_every_ticket_due_today(harness: Harness) -> None:
    """It lists the first ten; the count must cover the ones not listed too."""
    h = harness
    await staffed_office(h)
    for n in range(12):  # twelve askers: one asker's questions of a day join one ticket
        asker = 910_000 + n
        h.api.user(asker, f"Operator {n + 1}")
        await ask(h, f"pak, berkas nomor {n + 1} yang kami titipkan sudah sampai?", user=asker)
    mark = len(h.api.sent)
    h.clock.set(at(25, 8, 5))  # Wednesday: all twelve are due at about 10.00
    await h.tick()
    summary = next(t for t in private_texts(h, LO, mark) if "Ringkasan pagi" in t)
    assert "12 tiket terbuka, 12 jatuh tempo hari ini" in summary


async def test_the_morning_summary_counts_late_tickets_apart(harness: Harness) -> None:
    """A ticket due yesterday is not 'jatuh tempo hari ini': it is late, and said so."""
    h = harness
    await staffed_office(h)
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    h.clock.set(at(24, 9))  # Tuesday: a second ticket, due Thursday
    h.api.user(910_001, "Operator Dua")
    await ask(h, "pak, surat kami nomor 5 yang dikirim minggu lalu sudah diterima?", user=910_001)
    mark = len(h.api.sent)
    h.clock.set(at(26, 8, 5))  # Thursday: the first was due Wednesday, the second today
    await h.tick()
    summary = next(t for t in private_texts(h, LO, mark) if "Ringkasan pagi" in t)
    assert "2 tiket terbuka, 1 jatuh tempo hari ini, 1 sudah melewati batas waktu." in summary
    assert summary.count("⚠️") == 1 and summary.count("⏰") == 1
