"""Offices as tenants: two offices in one deployment see nothing of each other, and each
office's deadlines follow its own zone and calendar (issue 23)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from storage import tickets as tickets_repo
from tests.e2e.harness import ADMIN, Harness, query
from tests.e2e.two_offices import (
    ADMIN_B,
    CSO_A,
    CSO_B,
    GROUP_A,
    GROUP_B,
    KI_A,
    KI_B,
    LO_A,
    LO_B,
    OP_A,
    OP_B,
    two_offices,
)

WIB, WITA = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Makassar")
Q_A = "min, SPM gaji kami nomor 77 kok belum terbit SP2D nya ya?"
Q_B = "pak, revisi DIPA kami nomor 12 sudah disetujui belum ya?"


@pytest.fixture
def h(offices_harness: Harness) -> Harness:
    return offices_harness


def texts(h: Harness, chat: int, after: int = 0) -> str:
    return "\n".join(s.plain for s in h.api.sent[after:] if s.chat_id == chat)


async def _questions(h: Harness) -> None:
    mark = len(h.api.sent)
    h.api.say(GROUP_A, OP_A, Q_A)
    await h.api.wait_sent(LO_A, "Tiket baru #2026-0001", after=mark)
    h.api.say(GROUP_B, OP_B, Q_B)
    await h.api.wait_sent(LO_B, "Tiket baru #2026-0001", after=mark)


async def test_the_migration_keeps_office_one_and_the_file_adds_office_two(h: Harness) -> None:
    rows = query(
        h.settings.database,
        "SELECT id, name, office_type, timezone, work_start, work_end FROM offices ORDER BY id",
    )
    assert rows == [
        (1, "KPPN Kotabumi", "A1", "Asia/Jakarta", "08:00", "16:00"),
        (2, "KPPN Makassar I", "A2", "Asia/Makassar", "08:00", "16:00"),
    ]
    assert query(
        h.settings.database, "SELECT office_id, role FROM roles WHERE user_id = ?", (ADMIN_B,)
    ) == [(2, "admin")]


async def test_each_office_sees_only_its_own(h: Harness) -> None:
    await two_offices(h)
    assert query(h.settings.database, "SELECT chat_id, office_id FROM groups ORDER BY chat_id") == [
        (GROUP_B, 2),
        (GROUP_A, 1),
    ]
    # What an office's admin does is audited in that office.
    assert query(
        h.settings.database,
        "SELECT DISTINCT office_id FROM audit_log WHERE actor_id = ?",
        (ADMIN_B,),
    ) == [(2,)]
    await _questions(h)
    # Each office numbers its own tickets; the LO notice names only its own question.
    assert Q_B not in texts(h, LO_A) and Q_A not in texts(h, LO_B)
    rows = query(h.settings.database, "SELECT office_id, number, chat_id FROM tickets ORDER BY 1")
    assert rows == [(1, "2026-0001", GROUP_A), (2, "2026-0001", GROUP_B)]

    # /tiket: the open list of each LO and CSO, and a number looked up from the other office.
    for who, own, other in (
        (LO_A, Q_A, Q_B),
        (LO_B, Q_B, Q_A),
        (CSO_A, Q_A, Q_B),
        (CSO_B, Q_B, Q_A),
    ):
        reply = await h.say(who, who, "/tiket")
        assert own[:20] in reply.plain and other[:20] not in reply.plain, (who, reply.plain)
        reply = await h.say(who, who, "/tiket 2026-0001")
        assert other[:20] not in reply.plain, (who, reply.plain)

    # /jawab in office 2 answers office 2's 2026-0001, not office 1's.
    await h.act(LO_B, LO_B, "/jawab 2026-0001 Sudah disetujui, Pak.")
    assert "Sudah disetujui" in texts(h, GROUP_B) and "Sudah disetujui" not in texts(h, GROUP_A)
    a = await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001")
    assert a is not None and a.status == "baru"

    # /rekap: the counts, the office name and the workbook of the CSO's own office only.
    mark = len(h.api.sent)
    summary = await h.say(CSO_B, CSO_B, "/rekap bulan ini")
    assert "Diterima: 1" in summary.plain and "Dijawab: 1" in summary.plain, summary.plain
    doc = await h.api.wait_for(
        lambda s: s.method == "sendDocument" and s.chat_id == CSO_B and h.api.sent.index(s) > mark
    )
    book = openpyxl.load_workbook(
        io.BytesIO(h.api.files[doc.message["document"]["file_id"]]), read_only=True
    )
    cells = " ".join(
        str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    )
    book.close()
    assert "654321" in cells and "123456" not in cells and Q_A[:20] not in cells
    summary = await h.say(CSO_A, CSO_A, "/rekap bulan ini")
    assert "Diterima: 1" in summary.plain and "Dijawab: 0" in summary.plain, summary.plain


async def test_complaints_and_broadcasts_stay_in_their_office(h: Harness) -> None:
    await two_offices(h)
    mark = len(h.api.sent)
    h.api.say(GROUP_A, OP_A, "/pengaduan loket Kotabumi tutup sebelum jam 16.00")
    await h.api.wait_sent(KI_A, "Pengaduan baru", after=mark)
    h.api.say(GROUP_B, OP_B, "/pengaduan antrean Makassar tidak dipanggil urut")
    await h.api.wait_sent(KI_B, "Pengaduan baru", after=mark)
    assert "Kotabumi" not in texts(h, KI_B, mark) and "Makassar" not in texts(h, KI_A, mark)
    listing = await h.say(KI_B, KI_B, "/pengaduan")
    assert "antrean Makassar" in listing.plain or "P-2026-0001" in listing.plain
    assert "Kotabumi" not in listing.plain and "belum ditindaklanjuti: 1" in listing.plain
    # Office 1's compliance section cannot follow up office 2's P-2026-0001: theirs is another.
    await h.say(KI_A, KI_A, "/tindaklanjut P-2026-0001 Sudah kami tegur petugasnya")
    assert query(
        h.settings.database,
        "SELECT c.office_id FROM complaint_followups f JOIN complaints c ON c.id = f.complaint_id",
    ) == [(1,)]

    # An announcement to every group of office 2 reaches office 2's group only.
    mark = len(h.api.sent)
    preview = await h.say(ADMIN_B, ADMIN_B, "/umumkan semua\nRapat koordinasi satker Makassar")
    assert "1 grup" in preview.plain, preview.plain
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    h.api.press(ADMIN_B, ADMIN_B, preview.message["message_id"], ok["callback_data"])
    await h.api.wait_sent(GROUP_B, "Rapat koordinasi", after=mark)
    await h.settle()
    for _ in range(3):
        h.clock.advance(seconds=30)
        await h.tick()
    assert "Rapat koordinasi" not in texts(h, GROUP_A, mark)

    # A status update names a satker: office 2 reaches its own satker's group, and office
    # 1's satker is unknown to it (nothing is sent to office 1's group).
    mark = len(h.api.sent)
    reply = await h.say(ADMIN_B, ADMIN_B, "/status SP2D 123456 SP2D nomor 77 sudah terbit")
    assert "123456" in reply.plain and "SP2D nomor 77" not in texts(h, GROUP_A, mark)
    await h.say(ADMIN_B, ADMIN_B, "/status SP2D 654321 SP2D nomor 12 sudah terbit")
    for _ in range(3):
        h.clock.advance(seconds=30)
        await h.tick()
    await h.api.wait_sent(GROUP_B, "SP2D nomor 12", after=mark)
    assert "SP2D nomor" not in texts(h, GROUP_A, mark)


async def test_deadlines_follow_each_office_zone_and_calendar(h: Harness) -> None:
    await two_offices(h)
    # Monday 15.30 WIB is 16.30 WITA: Kotabumi still counts half an hour today, Makassar
    # has closed and starts counting at 08.00 WITA on Tuesday.
    h.clock.set(datetime(2026, 11, 23, 15, 30, tzinfo=WIB))
    await _questions(h)
    a = await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001")
    b = await tickets_repo.get_by_number(h.services.db.reader, 2, "2026-0001")
    assert a is not None and b is not None
    assert a.due_at == datetime(2026, 11, 25, 15, 30, tzinfo=WIB).astimezone(UTC)
    assert b.due_at == datetime(2026, 11, 25, 16, 0, tzinfo=WITA).astimezone(UTC)
    assert "WITA" in texts(h, LO_B) and "WITA" not in texts(h, LO_A)

    # A holiday set by office 2's admin moves office 2's deadline only.
    reply = await h.say(ADMIN_B, ADMIN_B, "/libur tambah 2026-11-24 Cuti bersama (SK Makassar)")
    assert "hari libur" in reply.plain
    a2 = await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001")
    b2 = await tickets_repo.get_by_number(h.services.db.reader, 2, "2026-0001")
    assert a2 is not None and b2 is not None and a2.due_at == a.due_at
    assert b2.due_at == datetime(2026, 11, 26, 16, 0, tzinfo=WITA).astimezone(UTC)
    assert query(h.settings.database, "SELECT office_id, day FROM calendar_overrides") == [
        (2, "2026-11-24")
    ]

    # Reminders: half of Kotabumi's time has passed on Tuesday 15.30 WIB (8 of 16 hours),
    # Makassar's ticket (its Tuesday is a holiday now) has not started counting.
    mark = len(h.api.sent)
    h.clock.set(datetime(2026, 11, 24, 15, 31, tzinfo=WIB))
    await h.tick()
    await h.settle()
    h.clock.advance(minutes=61)  # past the notice window: the bundled notices go out
    await h.tick()
    await h.settle()
    assert "2026-0001" in texts(h, LO_A, mark)
    assert "2026-0001" not in texts(h, LO_B, mark)


async def test_tahap_deadlines_belong_to_their_office(h: Harness) -> None:
    await two_offices(h)
    reply = await h.say(
        ADMIN_B, ADMIN_B, "/tahap tambah 2026-12-04 untuk=cso tahap=I Laporan tahap I Makassar"
    )
    assert "telah ditambahkan" in reply.plain
    own = await h.say(CSO_B, CSO_B, "/tahap")
    assert "Laporan tahap I Makassar" in own.plain
    other = await h.say(CSO_A, CSO_A, "/tahap")
    assert "Makassar" not in other.plain
    # The H-7 reminder (Friday 27 November, 08.00 in Makassar: 07.00 WIB) reaches office
    # 2's CSO only.
    mark = len(h.api.sent)
    h.clock.set(datetime(2026, 11, 27, 8, 1, tzinfo=WITA))
    await h.tick()
    await h.settle()
    assert "Laporan tahap I Makassar" in texts(h, CSO_B, mark)
    assert "Makassar" not in texts(h, CSO_A, mark)


async def test_haicso_lists_come_at_each_office_four_oclock_with_its_own_tickets(
    h: Harness,
) -> None:
    await two_offices(h)
    h.clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=WIB))
    await _questions(h)

    def lists(who: int, mark: int) -> str:
        return "\n".join(
            s.plain
            for s in h.api.sent[mark:]
            if s.chat_id == who
            and ("belum diinput ke HAI CSO" in s.plain or s.plain.startswith("Tiket #"))
        )

    # 15.00 WIB is 16.00 WITA: Makassar's CSO gets Makassar's list, Kotabumi's nothing yet.
    mark = len(h.api.sent)
    h.clock.set(datetime(2026, 12, 1, 15, 0, tzinfo=WIB))
    await h.tick()
    await h.tick()
    assert Q_B[:30] in lists(CSO_B, mark) and lists(CSO_A, mark) == ""
    assert Q_A[:30] not in lists(CSO_B, mark)
    mark = len(h.api.sent)
    h.clock.set(datetime(2026, 12, 1, 16, 0, tzinfo=WIB))
    await h.tick()
    await h.tick()
    assert Q_A[:30] in lists(CSO_A, mark) and Q_B[:30] not in lists(CSO_A, mark)


async def test_kantor_switches_the_private_chat_of_who_may_act_for_several(h: Harness) -> None:
    await two_offices(h)
    # The deployment's admin (LOBOT_ADMIN_IDS) is office 1's until they choose.
    shown = await h.say(ADMIN, ADMIN, "/kantor")
    assert "Kantor aktif di chat ini: 1. KPPN Kotabumi (WIB)" in shown.plain
    assert "2. KPPN Makassar I (WITA)" in shown.plain
    chosen = await h.say(ADMIN, ADMIN, "/kantor 2")
    assert "KPPN Makassar I" in chosen.plain
    h.api.user(1600, "Rudi", "rudi_cso")
    await h.say(1600, 1600, "/start")
    reply = await h.say(ADMIN, ADMIN, "/beriperan cso @rudi_cso")
    assert "diberikan" in reply.plain
    assert query(h.settings.database, "SELECT office_id FROM roles WHERE user_id = 1600") == [(2,)]
    # /tiket now lists office 2's.
    await _questions(h)
    listing = await h.say(ADMIN, ADMIN, "/tiket")
    assert Q_B[:20] in listing.plain and Q_A[:20] not in listing.plain
    # Back to office 1; an LO of office 1 cannot pick office 2; bad input is explained.
    await h.say(ADMIN, ADMIN, "/kantor 1")
    listing = await h.say(ADMIN, ADMIN, "/tiket")
    assert Q_A[:20] in listing.plain and Q_B[:20] not in listing.plain
    refused = await h.say(LO_A, LO_A, "/kantor 2")
    assert "tidak memegang peran di kantor tersebut" in refused.plain
    assert "Makassar" not in refused.plain
    assert "Contoh" in (await h.say(ADMIN, ADMIN, "/kantor dua")).plain
    h.api.user(1700, "Tono")
    stranger = await h.say(1700, 1700, "/kantor")
    assert "belum memegang peran" in stranger.plain
