"""/rekap and the scheduled reports through the fake Bot API."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot import report_files
from tests.e2e.harness import Harness
from tests.e2e.world import CSO, GROUP, LO, OPERATOR, STRANGER, SUPERVISOR, staffed_office

WIB = ZoneInfo("Asia/Jakarta")


async def _one_answered_ticket(h: Harness) -> None:
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
    await h.api.wait_sent(GROUP, "tiket", after=mark)
    await h.api.wait_sent(LO, "Tiket baru", after=mark)
    command = await h.act(LO, LO, "/jawab 2026-0001 Sudah kami terima, Pak.")
    assert h.api.reactions[(LO, command["message_id"])] == ["👍"]  # answered on time


async def test_cso_gets_summary_workbook_and_chart(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await _one_answered_ticket(h)
    mark = len(h.api.sent)
    summary = await h.say(CSO, CSO, "/rekap bulan ini")
    assert "Rekap layanan konsultasi — November 2026" in summary.plain
    assert "Diterima: 1" in summary.plain and "IKU CSO" in summary.plain
    document = await h.api.wait_for(lambda s: s.method == "sendDocument" and s.chat_id == CSO)
    photo = await h.api.wait_for(lambda s: s.method == "sendPhoto" and s.chat_id == CSO)
    assert h.api.sent.index(document) > mark and photo.plain.startswith("Grafik")
    content = h.api.files[document.message["document"]["file_id"]]
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book["Terselesaikan"].iter_rows(values_only=True))
    assert rows[1][0] == "2026-0001" and rows[1][13] == "Ya"
    book.close()


async def test_rekap_refusals(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    reply = await h.say(STRANGER, STRANGER, "/rekap")
    assert reply.plain.startswith("Mohon maaf")
    reply = await h.say(CSO, CSO, "/rekap kemarin lusa")
    assert "Format periode belum sesuai" in reply.plain
    reply = await h.say(GROUP, CSO, "/rekap")
    assert "chat pribadi" in reply.plain


async def test_scheduled_reports_once_across_restart(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await _one_answered_ticket(h)
    # Friday 1 January 2027 is New Year's Day; Monday 4 January is the first working day.
    h.clock.set(datetime(2027, 1, 1, 9, 0, tzinfo=WIB))
    mark = len(h.api.sent)
    await h.tick()
    assert [s for s in h.api.sent[mark:] if s.chat_id == SUPERVISOR] == []
    h.clock.set(datetime(2027, 1, 4, 8, 30, tzinfo=WIB))
    await h.tick()
    await h.restart()
    await h.tick()
    # The reports reach the CSO as drafts for the sign-off chain (tests/e2e/test_signoff.py);
    # the supervisor gets them when the CSO passes them on.
    assert [s for s in h.api.sent[mark:] if s.chat_id == SUPERVISOR] == []
    for uid in (CSO,):
        got = [s for s in h.api.sent[mark:] if s.chat_id == uid]
        texts = [s.plain for s in got if s.method == "sendMessage" and not s.buttons]
        assert sorted(t.split(" —")[0] for t in texts) == [
            "Laporan layanan informasi bulanan",
            "Laporan layanan informasi triwulanan",
        ]
        assert any("Desember 2026" in t for t in texts)
        assert any("Triwulan IV 2026" in t for t in texts)
        assert sum(s.method == "sendDocument" for s in got) == 2
        assert sum(s.method == "sendPhoto" for s in got) == 2
    assert [s for s in h.api.sent[mark:] if s.chat_id in (LO, GROUP)] == []


async def test_split_workbook_reaches_the_cso_in_parts(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook over a file's budget (Telegram takes 50 MB) comes as several documents,
    each saying which part it is and what it holds, in /rekap and in the scheduled report."""
    h = harness
    await staffed_office(h)
    await _one_answered_ticket(h)
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, "min, surat permohonan kami nomor 46 sudah diterima belum ya?")
    await h.api.wait_sent(GROUP, "tiket", after=mark)
    monkeypatch.setattr(report_files, "PART_ROWS", 1)
    mark = len(h.api.sent)
    await h.say(CSO, CSO, "/rekap bulan ini")
    await h.api.wait_for(lambda s: s.method == "sendPhoto" and s.chat_id == CSO)
    docs = [s for s in h.api.sent[mark:] if s.method == "sendDocument"]
    assert [d.message["document"]["file_name"] for d in docs] == [
        "rekap-2026-11-bagian-1.xlsx",
        "rekap-2026-11-bagian-2.xlsx",
    ]
    assert "berkas 1 dari 2" in docs[0].plain and "Terselesaikan: 1 tiket" in docs[0].plain
    assert "berkas 2 dari 2" in docs[1].plain and "Belum Terselesaikan: 1 tiket" in docs[1].plain
    second = h.api.files[docs[1].message["document"]["file_id"]]
    book = openpyxl.load_workbook(io.BytesIO(second), read_only=True)
    assert book.sheetnames == ["Belum Terselesaikan"]
    rows = list(book["Belum Terselesaikan"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["2026-0002"]
    book.close()
    # The scheduled November report (Tuesday 1 December) is split the same way.
    h.clock.set(datetime(2026, 12, 1, 8, 30, tzinfo=WIB))
    mark = len(h.api.sent)
    await h.tick()
    await h.tick()
    docs = [s for s in h.api.sent[mark:] if s.method == "sendDocument" and s.chat_id == CSO]
    assert [d.message["document"]["file_name"] for d in docs] == [
        "rekap-2026-11-bagian-1.xlsx",
        "rekap-2026-11-bagian-2.xlsx",
    ]
    assert "berkas 2 dari 2" in docs[1].plain
