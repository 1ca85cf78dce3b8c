"""Complaints end to end: intake in a group, call-back follow-ups, the overdue alert."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from storage import complaints as repo
from storage.models import COMPLAINT_DONE, COMPLAINT_IN_PROGRESS
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import GROUP, KEPALA, OPERATOR, STRANGER, staffed_office

WIB = ZoneInfo("Asia/Jakarta")
KEPATUHAN = 800
COMPLAINT = "petugas loket meminta kami menunggu 3 jam tanpa kejelasan <urgent>"


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


async def compliance_office(h: Harness) -> None:
    await staffed_office(h)
    h.api.user(KEPATUHAN, "Rina", "rina_ki")
    await h.say(KEPATUHAN, KEPATUHAN, "/start")
    reply = await h.say(ADMIN, ADMIN, "/beriperan kepatuhan @rina_ki")
    assert "diberikan" in reply.plain
    await h.say(OPERATOR, OPERATOR, "/start")  # the complainant can be written to privately


def texts(h: Harness, chat: int, after: int) -> list[str]:
    return [s.plain for s in h.api.sent[after:] if s.chat_id == chat]


async def test_complaint_from_intake_to_done(harness: Harness) -> None:
    h = harness
    await compliance_office(h)

    # Intake in the group: thanks and a number; the text is not repeated there.
    mark = len(h.api.sent)
    original = h.api.say(GROUP, OPERATOR, f"/pengaduan {COMPLAINT}")
    ack = await h.api.wait_sent(GROUP, "P-2026-0001", after=mark)
    assert ack.reply_to == original["message_id"]
    assert "menunggu 3 jam" not in ack.plain and "terima kasih" in ack.plain.lower()
    assert ack.buttons[0]["url"].startswith("https://t.me/")
    # The compliance section and the head of office are told, with the text.
    for staff in (KEPATUHAN, KEPALA):
        notice = await h.api.wait_sent(staff, "Pengaduan baru", after=mark)
        assert COMPLAINT in notice.plain and "MTsN" not in notice.plain
        assert "123456" in notice.plain

    # The handler lists complaints by status.
    listing = await h.say(KEPATUHAN, KEPATUHAN, "/pengaduan")
    assert "P-2026-0001" in listing.plain and "belum ditindaklanjuti: 1" in listing.plain
    # Nobody else may follow up; a stranger cannot even see it exists.
    refused = await h.say(STRANGER, STRANGER, "/tindaklanjut P-2026-0001 sudah beres")
    assert "khusus untuk" in refused.plain
    hidden = await h.say(STRANGER, STRANGER, "/pengaduan P-2026-0001")
    assert "tidak ditemukan" in hidden.plain

    # First follow-up: in process. Call-back privately, a neutral note in the group.
    mark = len(h.api.sent)
    done = await h.say(
        KEPATUHAN, KEPATUHAN, "/tindaklanjut P-2026-0001 petugas loket telah kami tegur"
    )
    assert "dalam proses" in done.plain
    call = await h.api.wait_sent(OPERATOR, "Tindak lanjutnya", after=mark)
    assert "Kami telah menerima pengaduan Bapak/Ibu pada Senin, 23 November 2026" in call.plain
    assert "petugas loket telah kami tegur" in call.plain and "dalam proses" in call.plain
    assert call.plain.startswith("Selamat pagi Bapak/Ibu Budi, kami dari KPPN Kotabumi")
    note = await h.api.wait_sent(GROUP, "telah ditindaklanjuti", after=mark)
    assert note.reply_to == original["message_id"]
    assert "tegur" not in note.plain and "Budi" not in note.plain
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.status == COMPLAINT_IN_PROGRESS and c.handler_id == KEPATUHAN

    # Second follow-up closes it; the complainant hears that too.
    mark = len(h.api.sent)
    await h.say(KEPATUHAN, KEPATUHAN, "/tindaklanjut p-2026-1 selesai antrean kini dipantau")
    closing = await h.api.wait_sent(OPERATOR, "Tindak lanjutnya", after=mark)
    assert "antrean kini dipantau" in closing.plain and "selesai" in closing.plain
    await h.api.wait_sent(GROUP, "status: selesai", after=mark)
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.status == COMPLAINT_DONE and c.closed_at is not None
    again = await h.say(KEPATUHAN, KEPATUHAN, "/tindaklanjut P-2026-0001 tambahan")
    assert "sudah berstatus selesai" in again.plain

    # The complainant sees the history of their own complaint.
    mine = await h.say(OPERATOR, OPERATOR, "/pengaduan P-2026-0001")
    assert "selesai" in mine.plain and "telah kami tegur" in mine.plain


async def test_integrity_complaint_points_to_official_channels(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    reply = await h.say(OPERATOR, OPERATOR, "/pengaduan ada pungli saat pengambilan SP2D")
    assert "P-2026-0001" in reply.plain and "SIPANDU" in reply.plain and "WISE" in reply.plain
    c = await repo.get_by_number(h.services.db.reader, 1, "P-2026-0001")
    assert c is not None and c.category == "integritas" and c.channel == "pribadi"


async def test_overdue_complaint_alerts_head_once_in_working_time(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    reply = await h.say(OPERATOR, OPERATOR, "/pengaduan berkas kami hilang di loket")
    assert "P-2026-0001" in reply.plain
    await h.api.wait_sent(KEPALA, "Pengaduan baru")

    def alerts() -> list[str]:
        return [t for t in texts(h, KEPALA, 0) if "belum ditindaklanjuti lebih dari" in t]

    # Five working days from Monday 10.00 is the next Monday 10.00.
    h.clock.set(at(11, 30, 9, 59))
    await h.tick()
    assert alerts() == []
    # Past due but after office hours: still nothing.
    h.clock.set(at(11, 30, 16, 30))
    await h.tick()
    assert alerts() == []
    # Next working morning: one alert, and never again (also across a restart).
    h.clock.set(at(12, 1, 8, 0))
    await h.tick()
    await h.tick()
    assert len(alerts()) == 1 and "P-2026-0001" in alerts()[0]
    await h.restart()
    h.clock.set(at(12, 2, 9, 0))
    await h.tick()
    assert len(alerts()) == 1
