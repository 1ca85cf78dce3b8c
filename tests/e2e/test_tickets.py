"""A ticket's whole life through the fake Bot API, with the clock under test control."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage import outbox as outbox_repo
from storage import tickets as repo
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import (
    CSO,
    GROUP,
    KEPALA,
    LO,
    LO2,
    OPERATOR,
    OTHER_GROUP,
    STRANGER,
    SUPERVISOR,
    staffed_office,
)
from tests.fakeapi.server import Sent

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


async def ask(h: Harness, text: str, user: int = OPERATOR) -> tuple[int, str]:
    """An operator asks in the group; returns (question message id, the bot's reply)."""
    mark = len(h.api.sent)
    question = h.api.say(GROUP, user, text)
    reply = await h.api.wait_sent(GROUP, "tiket", after=mark)
    assert reply.reply_to == question["message_id"]
    # The LO's notice goes into their digest (at once after a quiet window, else bundled);
    # wait until every handler is done so the chats are quiet again.
    await h.settle()
    return question["message_id"], reply.plain


async def after_digest_window(h: Harness) -> None:
    """Let the digest window pass and tick: bundled staff notices go out."""
    h.clock.advance(timedelta(minutes=h.settings.digest_minutes))
    await h.tick()


async def ticket(h: Harness, number: str) -> repo.Ticket:
    t = await repo.get_by_number(h.services.db.reader, 1, number)
    assert t is not None
    return t


def private_texts(h: Harness, user: int, after: int = 0) -> list[str]:
    return [s.plain for s in h.api.sent[after:] if s.chat_id == user]


# A ticket's life, as several tests that each rebuild the state they start from: Monday
# 23 November 10.00 a question becomes a ticket due Wednesday 10.00.


async def catch_up(h: Harness) -> None:
    """After a jump of the clock: each tick moves a ticket one step of its schedule
    (reminder, reminder, alert), as after downtime."""
    for _ in range(3):
        await h.tick()


async def opened(h: Harness) -> tuple[int, str]:
    await staffed_office(h)
    return await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")


async def answered_late(h: Harness) -> tuple[int, Sent]:
    """Alerted Wednesday, escalated Thursday, answered from the LO's private chat then."""
    qid, _ = await opened(h)
    for moment in (at(25, 10), at(26, 10)):
        h.clock.set(moment)
        await catch_up(h)
    mark = len(h.api.sent)
    await h.say(LO, LO, "/jawab 2026-0001 SPM ditolak karena <b>kode akun</b> salah")
    return qid, await h.api.wait_sent(GROUP, "SPM ditolak", after=mark)


async def test_a_question_becomes_a_ticket_and_chatter_gets_nothing(harness: Harness) -> None:
    h = harness
    _, text = await opened(h)
    assert "#2026-0001" in text and "Sari Lestari" in text
    assert "Batas waktu jawaban: Rabu, 25 November 2026 pukul 10.00 WIB" in text
    notice = await h.api.wait_sent(LO, "Tiket baru")
    assert "surat permohonan kami nomor 45" in notice.plain
    await h.silent(GROUP, OPERATOR, "terima kasih min 🙏")
    await h.silent(GROUP, STRANGER, "siap pak")


async def test_reminders_at_half_and_three_quarters_once_across_a_restart(
    harness: Harness,
) -> None:
    h = harness
    await opened(h)
    # 50% (Tuesday 10.00) and 75% (Tuesday 14.00): private reminders, each once.
    mark = len(h.api.sent)
    h.clock.set(at(24, 10))
    await h.tick()
    await h.tick()
    reminders = [t for t in private_texts(h, LO, mark) if t.startswith("Pengingat")]
    assert len(reminders) == 1 and "Sisa waktu 8 jam" in reminders[0]
    h.clock.set(at(24, 14, 5))
    await h.tick()
    reminders = [t for t in private_texts(h, LO, mark) if t.startswith("Pengingat")]
    assert len(reminders) == 2
    # Restart in the middle: nothing is lost, nothing repeats.
    await h.restart()
    mark = len(h.api.sent)
    await h.tick()
    assert h.api.sent[mark:] == []


async def test_after_downtime_over_both_reminders_the_lo_gets_one(harness: Harness) -> None:
    """Down from before the first reminder (Tue 10.00) until after the second (14.00)."""
    h = harness
    await opened(h)
    mark = len(h.api.sent)
    h.clock.set(at(24, 14, 10))
    await catch_up(h)
    await after_digest_window(h)
    reminders = [t for t in private_texts(h, LO, mark) if t.startswith("Pengingat")]
    assert len(reminders) == 1 and "Sisa waktu 3 jam 50 menit" in reminders[0]
    assert private_texts(h, SUPERVISOR, mark) == []  # the deadline has not passed


async def test_late_ticket_alerts_the_supervisor_once_then_the_head(harness: Harness) -> None:
    h = harness
    await opened(h)
    mark = len(h.api.sent)
    # Deadline: the supervisor is alerted once, in private, with the group and the excerpt.
    h.clock.set(at(25, 10))
    await catch_up(h)
    alerts = private_texts(h, SUPERVISOR, mark)
    assert len(alerts) == 1
    assert "melewati batas waktu" in alerts[0] and "LO Kemenag <Kotabumi>" in alerts[0]
    assert "MTsN 1 Lampung Utara" in alerts[0]
    assert private_texts(h, GROUP, mark) == []  # internal alerts never reach the group
    # One working day later (Thursday 10.00) it escalates to the head of office.
    h.clock.set(at(25, 20))
    await h.tick()
    assert private_texts(h, KEPALA, mark) == []
    h.clock.set(at(26, 10))
    await h.tick()
    escalations = private_texts(h, KEPALA, mark)
    assert len(escalations) == 1 and "Terlambat: 8 jam" in escalations[0]


async def test_the_lo_answers_late_from_private_chat(harness: Harness) -> None:
    h = harness
    qid, _ = await opened(h)
    h.clock.set(at(26, 10))
    refusal = await h.say(STRANGER, STRANGER, "/jawab 2026-0001 coba lagi")
    assert "khusus untuk petugas KPPN" in refusal.plain  # the same for any number
    mark = len(h.api.sent)
    confirm = await h.say(LO, LO, "/jawab 2026-0001 SPM ditolak karena <b>kode akun</b> salah")
    assert "melewati batas waktu" in confirm.plain
    answer = await h.api.wait_sent(GROUP, "SPM ditolak", after=mark)
    assert answer.reply_to == qid
    assert "SPM ditolak karena <b>kode akun</b> salah" in answer.plain  # escaped: as typed
    t = await ticket(h, "2026-0001")
    assert t.status == "dijawab" and t.on_time is False
    assert t.waited_hours == 3 * 8  # Mon 10.00 -> Thu 10.00 in working hours


async def test_only_the_asker_rates_and_reopens(harness: Harness) -> None:
    h = harness
    _, answer = await answered_late(h)
    t = await ticket(h, "2026-0001")
    answer_id = answer.message["message_id"]
    h.api.press(GROUP, STRANGER, answer_id, f"tk:{t.id}:ok")
    await h.settle()
    assert (await ticket(h, "2026-0001")).status == "dijawab"  # only the asker may close
    h.api.press(GROUP, OPERATOR, answer_id, f"tk:{t.id}:r4")
    await h.settle()
    assert (await ticket(h, "2026-0001")).rating == 4
    mark = len(h.api.sent)
    h.api.press(GROUP, OPERATOR, answer_id, f"tk:{t.id}:more")
    reopened = await h.api.wait_sent(GROUP, "dibuka kembali", after=mark)
    assert "Senin, 30 November 2026 pukul 10.00 WIB" in reopened.plain
    await after_digest_window(h)  # the LO's notice: at once, or in the next digest
    await h.api.wait_sent(LO, "dibuka kembali", after=mark)


async def test_a_reply_in_the_group_answers_and_the_history_shows_every_step(
    harness: Harness,
) -> None:
    h = harness
    qid, answer = await answered_late(h)
    t = await ticket(h, "2026-0001")
    for data in (f"tk:{t.id}:r4", f"tk:{t.id}:more"):
        h.api.press(GROUP, OPERATOR, answer.message["message_id"], data)
        await h.settle()
    # The LO answers by simply replying to the question in the group.
    mark = len(h.api.sent)
    h.api.say(GROUP, LO, "Silakan perbaiki kode akunnya lalu kirim ulang, Pak.", reply_to=qid)
    note = await h.api.wait_sent(GROUP, "telah dijawab oleh", after=mark)
    t = await ticket(h, "2026-0001")
    assert t.status == "dijawab" and t.on_time is True
    h.api.press(GROUP, OPERATOR, note.message["message_id"], f"tk:{t.id}:ok")
    await h.settle()
    t = await ticket(h, "2026-0001")
    assert t.status == "selesai" and t.rating == 4
    detail = await h.say(LO, LO, "/tiket 2026-0001")
    for word in ("selesai", "dibuka kembali", "peringatan ke supervisor", "eskalasi"):
        assert word in detail.plain
    assert h.api.refusals == []


async def test_alert_due_while_down_is_sent_once_in_working_time(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    await h.stop()
    h.clock.set(at(25, 19))  # the deadline (Wed 10.00) passed while the bot was down
    await h.start()
    mark = len(h.api.sent)
    await h.tick()
    assert private_texts(h, SUPERVISOR, mark) == []  # evening: held until working time
    h.clock.set(at(26, 8, 1))
    await h.tick()
    await h.tick()
    assert len(private_texts(h, SUPERVISOR, mark)) == 1
    keys = await h.services.db.fetchall("SELECT key FROM digest_items WHERE key LIKE '%alert1%'")
    assert len(keys) == 1


async def test_after_hours_question_and_attachment(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    h.clock.set(at(27, 17, 30))  # Friday evening
    mark = len(h.api.sent)
    photo = h.api.send_photo(GROUP, OPERATOR, "SAKTI error terus pas login, kenapa ya?")
    reply = await h.api.wait_sent(GROUP, "tiket", after=mark)
    assert reply.reply_to == photo["message_id"]
    assert "di luar jam layanan" in reply.plain
    assert "Senin, 30 November 2026 pukul 08.00 WIB" in reply.plain
    assert "Selasa, 1 Desember 2026 pukul 16.00 WIB" in reply.plain
    mark = len(h.api.sent)
    detail = await h.say(LO, LO, "/tiket 2026-0001")
    shown = await h.api.wait_for(lambda s: s.method == "sendPhoto" and s.chat_id == LO)
    assert "2026-0001" in shown.plain
    # The photo follows the ticket's details, not the other way round.
    assert detail.method == "sendMessage" and h.api.sent.index(shown) > h.api.sent.index(detail)


async def test_no_group_sees_another_groups_ticket(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await ask(h, "kenapa nama satker kami di daftar hadir salah ya?")
    h.api.add_bot(OTHER_GROUP, ADMIN)
    await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran")
    await h.say(OTHER_GROUP, LO2, "/daftargrup Kementerian Kesehatan")
    reply = await h.say(OTHER_GROUP, LO2, "/tiket 2026-0001")
    assert "tidak ditemukan" in reply.plain and "daftar hadir" not in reply.plain
    listing = await h.say(OTHER_GROUP, STRANGER, "/tiket")
    assert "Tidak ada tiket terbuka" in listing.plain
    listing = await h.say(LO2, LO2, "/tiket")
    assert "Tidak ada tiket terbuka" in listing.plain  # Dewi is not this group's LO
    reply = await h.say(LO2, LO2, "/jawab 2026-0001 ini jawabannya")
    assert "tidak ditemukan" in reply.plain
    listing = await h.say(SUPERVISOR, SUPERVISOR, "/tiket")
    assert "2026-0001" in listing.plain and "daftar hadir" in listing.plain


async def test_cso_records_other_channels_and_reassign_and_backup(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    reply = await h.say(CSO, CSO, "/catat telepon 123456 Menanyakan status SP2D gaji")
    assert "#2026-0001" in reply.plain and "telepon" in reply.plain
    reply = await h.say(CSO, CSO, "/catat merpati 123456 salah kanal")
    assert "Format perintah belum sesuai" in reply.plain
    reply = await h.say(OPERATOR, OPERATOR, "/catat telepon 123456 boleh?")
    assert reply.plain.startswith("Mohon maaf")
    t = await ticket(h, "2026-0001")
    assert t.channel == "telepon" and t.chat_id is None and t.recorded_by == CSO

    await ask(h, "mohon info, undangan sosialisasi minggu depan untuk siapa saja?")
    await h.api.wait_sent(LO, "Tiket baru #2026-0002")
    reply = await h.say(LO, LO, "/alihkan 2026-0002 @dewi_lo")
    assert "telah dialihkan kepada Dewi" in reply.plain
    await h.api.wait_sent(LO2, "dialihkan kepada Bapak/Ibu")
    assert (await ticket(h, "2026-0002")).lo_user_id == LO2

    # Dewi goes on leave; Sari stands in and gets Dewi's reminders.
    reply = await h.say(LO2, LO2, "/cuti @sari_lo 2026-12-31")
    assert "diteruskan" in reply.plain
    mark = len(h.api.sent)
    h.clock.set(at(24, 10))
    await h.tick()
    assert any(t.startswith("Pengingat") for t in private_texts(h, LO, mark))
    assert not any(t.startswith("Pengingat") for t in private_texts(h, LO2, mark))
    reply = await h.say(LO, LO, "/jawab 2026-0002 Syarat TUP: surat permohonan dan rincian.")
    assert "tepat waktu" in reply.plain


async def test_calendar_change_moves_open_deadlines_only(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    # Another asker: the same asker's second question the same day joins the first ticket.
    await ask(h, "min, surat permohonan kami nomor 46 sudah diterima belum ya?", user=STRANGER)
    await h.act(LO, LO, "/jawab 2026-0002 Besok pagi, Pak.")
    before = await ticket(h, "2026-0002")
    reply = await h.say(ADMIN, ADMIN, "/libur tambah 2026-11-24 Cuti bersama (SK baru)")
    assert "hari libur" in reply.plain
    moved = await ticket(h, "2026-0001")
    assert moved.due_at == at(26, 10).astimezone(moved.due_at.tzinfo)
    kept = await ticket(h, "2026-0002")
    assert (kept.due_at, kept.on_time) == (before.due_at, before.on_time)
    await h.say(ADMIN, ADMIN, "/libur hapus 2026-11-24")
    assert (await ticket(h, "2026-0001")).due_at == at(25, 10).astimezone(moved.due_at.tzinfo)


async def test_answered_tickets_close_themselves(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    await h.act(LO, LO, "/jawab 2026-0001 Ajukan melalui aplikasi.")
    h.clock.advance(timedelta(days=6))
    await h.tick()
    assert (await ticket(h, "2026-0001")).status == "selesai"
    counts = await outbox_repo.count_by_status(h.services.db.reader)
    assert counts.get("failed", 0) == 0


async def test_an_alert_waiting_for_the_window_is_dropped_when_the_ticket_is_answered(
    harness: Harness,
) -> None:
    """The supervisor's first alert opens their digest window; the second ticket's alert
    waits for it to pass, the LO answers meanwhile: "masih belum dijawab" is never sent."""
    h = harness
    await opened(h)  # #2026-0001, due Wednesday 10.00
    h.clock.set(at(23, 10, 20))
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?", user=STRANGER)
    mark = len(h.api.sent)
    h.clock.set(at(25, 10, 5))
    await catch_up(h)
    assert len(private_texts(h, SUPERVISOR, mark)) == 1  # #0001's alert: the window opens
    h.clock.set(at(25, 10, 25))
    await catch_up(h)  # #0002's alert is written, and waits for the window
    await h.act(LO, LO, "/jawab 2026-0002 Sudah kami terima kemarin, Pak.")
    h.clock.set(at(25, 12))  # the window has passed: what waited goes out
    await catch_up(h)
    later = private_texts(h, SUPERVISOR, mark)[1:]
    assert not any("2026-0002" in t for t in later), later
    assert (await ticket(h, "2026-0002")).status == "dijawab"
