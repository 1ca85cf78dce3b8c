"""HAI CSO files (issue 22): the daily file in the order of HAI CSO's form, and the
reconciliation of an OM-SPAN "Laporan Layanan Permasalahan" export."""

from __future__ import annotations

import io
from typing import Any

from storage import haicso as hai_repo
from storage import tickets as tickets_repo
from tests.e2e.harness import Harness
from tests.e2e.test_haicso_day import CSO, at, tap, three_tickets
from tests.e2e.world import LO


def upload(h: Harness, name: str, content: bytes, caption: str = "/haicso") -> None:
    file_id = f"doc-{name}-{len(h.api.files)}"
    h.api.files[file_id] = content
    document = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": name,
        "file_size": len(content),
    }
    h.api.say(CSO, CSO, "", document=document, caption=caption)


async def replies_to_upload(h: Harness, name: str, content: bytes) -> list[Any]:
    mark = len(h.api.sent)
    upload(h, name, content)
    await h.settle()
    return [s for s in h.api.sent[mark:] if s.chat_id == CSO]


def csv_bytes(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(r) for r in rows).encode("utf-8")


async def entered_day(h: Harness) -> None:
    """Tuesday's three tickets and a fourth; #1 (answered in the group) and #2 entered in
    HAI CSO with numbers 12345 and 12346; #3 and #4 not entered."""
    await three_tickets(h)
    await h.say(CSO, CSO, "/catat telepon 123456 Satker menanyakan jadwal rekonsiliasi e-Rekon")
    h.clock.set(at(1, 16, 0))
    await h.tick()
    await h.tick()
    blocks = [
        s
        for s in h.api.sent
        if s.chat_id == CSO and any("hai:" in b["callback_data"] for b in s.buttons)
    ]
    for block, number in ((blocks[0], "12345"), (blocks[1], "12346")):
        await tap(h, block, "✅ Sudah diinput")
        await h.say(CSO, CSO, number)


EXPORT = [
    ["No", "Nomor Tiket", "Tanggal", "Kode Satker", "Permasalahan", "Status", "CSO"],
    # #1 was answered in the group; HAI CSO still waits for KPPN: a status mismatch.
    [
        "1",
        "12345",
        "01/12/2026",
        "123456",
        "Kapan SPM nomor 12 diproses",
        "Menunggu jawaban KPPN",
        "Citra",
    ],
    ["2", "12346", "01/12/2026", "123456", "Status revisi DIPA", "Menunggu jawaban KPPN", "Citra"],
    # #3 was typed into HAI CSO but its number never given to the bot: proposed.
    [
        "3",
        "12399",
        "01/12/2026",
        "123456",
        "Bagaimana cara mengajukan TUP untuk rapat",
        "Selesai",
        "Citra",
    ],
    # A question that came by phone to HAI CSO directly: in HAI CSO only.
    ["4", "12400", "01/12/2026", "654321", "Reset kata sandi aplikasi SAKTI", "Selesai", "Citra"],
]


async def test_reconciliation_counts_matched_proposed_missing_extra_and_mismatched(
    harness: Harness,
) -> None:
    h = harness
    await entered_day(h)
    h.clock.set(at(2, 9, 0))
    got = await replies_to_upload(h, "laporan.csv", csv_bytes(EXPORT))
    summary = got[0].plain
    assert "Rekonsiliasi HAI CSO" in summary and "4 baris" in summary
    for line in (
        "Cocok: 2",
        "Perlu konfirmasi (mirip, belum pasti): 1",
        "Ada di bot, belum ada di HAI CSO: 1",
        "Ada di HAI CSO saja (tidak melalui grup; wajar): 1",
        "Status berbeda: 1",
        "Baris HAI CSO saja: 5.",
    ):
        assert line in summary, summary
    proposal = next(s for s in got if s.plain.startswith("❓"))
    assert "#2026-0003" in proposal.plain and "12399" in proposal.plain
    missing = next(s for s in got if "Tiket #2026-0004" in s.plain)
    assert [b["text"] for b in missing.buttons] == ["✅ Sudah diinput", "Tidak perlu"]
    mismatch = next(s for s in got if "di HAI CSO masih" in s.plain)
    assert "#2026-0001" in mismatch.plain and "sudah dijawab di grup" in mismatch.plain
    assert "Sudah diproses, silakan cek OM-SPAN." in mismatch.plain

    # "Cocok": the ticket takes the row's HAI number, counted as entered.
    h.api.press(CSO, CSO, proposal.message["message_id"], "hr:1:4:y")
    await h.settle()
    t3 = await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0003")
    assert t3 is not None
    e = (await hai_repo.listed(h.services.db.reader, t3.id)).entry  # type: ignore[union-attr]
    assert e.state == "diinput" and e.hai_number == "12399" and e.by_user == CSO
    assert (
        "Dicatat sama dengan tiket #2026-0003"
        in h.api.messages[(CSO, proposal.message["message_id"])]["text"]
    )
    # A second tap changes nothing.
    h.api.press(CSO, CSO, proposal.message["message_id"], "hr:1:4:n")
    await h.settle()
    assert (await hai_repo.import_row(h.services.db.reader, 1, 1, 4)).how == "dikonfirmasi"  # type: ignore[union-attr]

    # The missing one is marked "tidak perlu"; the same export again: nothing left over.
    await tap(h, missing, "Tidak perlu")
    await tap(h, missing, "Lainnya")
    # #3, now matched, is "Selesai" in HAI CSO but not answered here: a second mismatch.
    again = await replies_to_upload(h, "laporan.csv", csv_bytes(EXPORT))
    for line in (
        "Cocok: 3",
        "konfirmasi (mirip, belum pasti): 0",
        "belum ada di HAI CSO: 0",
        "HAI CSO saja (tidak melalui grup; wajar): 1",
        "Status berbeda: 2",
    ):
        assert line in again[0].plain, again[0].plain
    assert any("/jawab 2026-0003" in s.plain for s in again)


async def test_an_unknown_layout_is_refused_naming_its_columns(harness: Harness) -> None:
    h = harness
    await entered_day(h)
    odd = csv_bytes([["Nama", "Alamat", "=HYPERLINK(1)"], ["a", "b", "c"]])
    got = await replies_to_upload(h, "lain.csv", odd)
    assert len(got) == 1
    text = got[0].plain
    assert "tidak dikenali" in text and "Nama, Alamat, =HYPERLINK(1)" in text
    assert "pertanyaan/permasalahan" in text and "nomor tiket atau kode satker" in text
    # Only CSOs (and admins) may upload; the file is not even downloaded for others.
    mark = len(h.api.sent)
    h.api.say(
        LO,
        LO,
        "",
        document={"file_id": "x", "file_unique_id": "x", "file_name": "a.csv", "file_size": 3},
        caption="/haicso",
    )
    await h.settle()
    assert "khusus untuk Customer Service Officer" in h.api.sent_to(LO)[-1].plain
    assert len([s for s in h.api.sent[mark:] if s.chat_id == LO]) == 1


async def test_the_daily_file_follows_the_layout(harness: Harness) -> None:
    h = harness
    await entered_day(h)
    mark = len(h.api.sent)
    h.api.say(CSO, CSO, "/haicso berkas 2026-12-01 csv")
    await h.settle()
    sent = next(s for s in h.api.sent[mark:] if s.method == "sendDocument")
    assert sent.message["document"]["file_name"] == "haicso-2026-12-01.csv"
    text = h.api.files[sent.message["document"]["file_id"]].decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "Tanggal;Kode Satker;Nama Satker;Media;Kategori Layanan;Pertanyaan;Jawaban;"
        "Liaison Officer;Nomor Tiket Bot;Input HAI CSO"
    )
    assert len(lines) == 5
    assert lines[1].startswith("01/12/2026 09.00;123456;MTsN 1 Lampung Utara;grup LO;")
    assert lines[1].endswith(";Sari Lestari;2026-0001;Sudah diinput (12345)")
    assert lines[4].endswith(";2026-0004;Belum diinput")
    assert "4 baris" in sent.plain

    mark = len(h.api.sent)
    h.api.say(CSO, CSO, "/haicso berkas")  # today, XLSX
    await h.settle()
    sent = next(s for s in h.api.sent[mark:] if s.method == "sendDocument")
    content = h.api.files[sent.message["document"]["file_id"]]
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Tanggal" and rows[1][1] == "123456" and len(rows) == 5


async def rekap_of_the_day(h: Harness) -> tuple[str, list[tuple[Any, ...]]]:
    """/rekap of Tuesday 1 December: the summary's HAI CSO part and the workbook's sheet."""
    mark = len(h.api.sent)
    h.api.say(CSO, CSO, "/rekap 2026-12-01..2026-12-01")
    await h.settle()
    sent = [s for s in h.api.sent[mark:] if s.chat_id == CSO]
    summary = next(s for s in sent if "Rekap layanan konsultasi" in s.plain).plain
    document = next(s for s in sent if s.method == "sendDocument")
    import openpyxl

    content = h.api.files[document.message["document"]["file_id"]]
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(book["HAI CSO"].iter_rows(values_only=True))
    book.close()
    return summary[summary.index("HAI CSO\n") :], rows


async def test_rekap_follows_what_was_entered(harness: Harness) -> None:
    h = harness
    await entered_day(h)  # #1 and #2 entered by the CSO; #3 and #4 not
    h.clock.set(at(2, 9, 0))
    text, rows = await rekap_of_the_day(h)
    assert "Tercatat di HAI CSO: 2 dari 4 tiket." in text
    assert "Perkiraan IKU kantor atas tiket yang tercatat di HAI CSO:" in text
    # Citra recorded #2-#4 (/catat) and entered #1 (answered by the LO): all four are hers.
    assert "CSO Citra: tercatat 2 dari 4; perkiraan IKU" in text
    assert rows[0][:3] == ("Kantor / CSO", "Tercatat di HAI CSO", "Tiket yang perlu diinput")
    assert rows[1][:3] == ("Kantor", 2, 4) and rows[2][:3] == ("Citra", 2, 4)

    # #4 is not to be entered, #3 is entered: the figures follow.
    mark = len(h.api.sent)
    h.api.say(CSO, CSO, "/haicso")
    await h.settle()
    blocks = {
        s.plain.split("\n")[1 if s.plain.startswith("⚠️") else 0]: s
        for s in h.api.sent[mark:]
        if s.chat_id == CSO and s.buttons
    }
    await tap(h, blocks["Tiket #2026-0004 · telepon"], "Tidak perlu")
    await tap(h, blocks["Tiket #2026-0004 · telepon"], "Duplikat")
    await tap(h, blocks["Tiket #2026-0003 · meja layanan"], "✅ Sudah diinput")
    await h.say(CSO, CSO, "12399")
    text, rows = await rekap_of_the_day(h)
    assert "Tercatat di HAI CSO: 3 dari 3 tiket (1 ditandai tidak perlu)." in text
    assert "CSO Citra: tercatat 3 dari 3" in text
    assert rows[1][:3] == ("Kantor", 3, 3) and rows[2][:3] == ("Citra", 3, 3)


async def test_a_ticket_said_entered_but_missing_from_the_export_is_flagged(
    harness: Harness,
) -> None:
    h = harness
    await entered_day(h)
    only_first = csv_bytes(EXPORT[:2])  # #2 was entered as 12346, HAI CSO does not have it
    got = await replies_to_upload(h, "laporan.csv", only_first)
    assert "Ada di bot, belum ada di HAI CSO: 3" in got[0].plain
    flagged = next(s for s in got if "Tiket #2026-0002" in s.plain)
    assert "tidak ada di ekspor HAI CSO" in flagged.plain and not flagged.buttons
    assert "HAI-12346" not in flagged.plain and "12346" in flagged.plain
