"""/rekap kanwil: a Kanwil supervisor sees their offices side by side, and only theirs."""

from __future__ import annotations

import re

import pytest

from tests.e2e.harness import Harness
from tests.e2e.two_offices import (
    CSO_B,
    GROUP_A,
    GROUP_B,
    KANWIL,
    KANWIL_B,
    KI_A,
    LO_A,
    LO_B,
    OP_A,
    OP_B,
    two_offices,
)


@pytest.fixture
def h(offices_harness: Harness) -> Harness:
    return offices_harness


async def _activity(h: Harness) -> None:
    """Office 1: two questions, none answered, one complaint. Office 2: one question,
    answered on time."""
    await two_offices(h)
    h.api.user(LO_A + 1, "Joko")
    mark = len(h.api.sent)
    h.api.say(GROUP_A, OP_A, "min, SPM gaji kami nomor 77 kok belum terbit SP2D nya ya?")
    await h.api.wait_sent(LO_A, "Tiket baru #2026-0001", after=mark)
    h.api.say(GROUP_A, LO_A + 1, "pak, berkas kontrak kami nomor 88 yang kemarin sudah diterima?")
    await h.api.wait_sent(GROUP_A, "2026-0002", after=mark)
    h.api.say(GROUP_A, OP_A, "/pengaduan loket tutup sebelum jam 16.00")
    await h.api.wait_sent(KI_A, "Pengaduan baru", after=mark)
    h.api.say(GROUP_B, OP_B, "pak, revisi DIPA kami nomor 12 sudah disetujui belum ya?")
    await h.api.wait_sent(LO_B, "Tiket baru #2026-0001", after=mark)
    await h.act(LO_B, LO_B, "/jawab 2026-0001 Sudah disetujui, Pak.")


def _block(text: str, name: str) -> str:
    """The lines of one office in the side-by-side text."""
    start = text.index(name)
    end = text.find("\n\n", start)
    return text[start : end if end > 0 else None]


async def test_kanwil_sees_its_offices_side_by_side(h: Harness) -> None:
    await _activity(h)
    reply = await h.say(KANWIL, KANWIL, "/rekap kanwil bulan ini")
    text = reply.plain
    assert "Rekap Kanwil DJPb Uji — November 2026" in text
    a, b = _block(text, "KPPN Kotabumi"), _block(text, "KPPN Makassar I")
    assert "tipe A1, WIB" in a and "tipe A2, WITA" in b
    assert "diterima 2, dijawab 0, belum dijawab 2" in a
    assert "diterima 1, dijawab 1, belum dijawab 0" in b
    assert "Tepat waktu: 100,0% (1 dari 1" in b and "terlambat 0" in b
    assert "Pengaduan: diterima 1" in a and "Pengaduan: diterima 0" in b
    assert "IKU: belum dapat dihitung" in a
    # The IKU estimate is the one office 2's CSO sees in their own /rekap.
    own = await h.say(CSO_B, CSO_B, "/rekap bulan ini")
    iku = re.search(r"Kantor: .*<b>IKU ([0-9,]+)</b>", own.text or "")
    assert iku is not None and f"Perkiraan IKU: {iku.group(1)} " in b, (own.text, b)


async def test_kanwil_sees_only_its_own_offices(h: Harness) -> None:
    await _activity(h)
    reply = await h.say(KANWIL_B, KANWIL_B, "/rekap kanwil")
    assert "KPPN Makassar I" in reply.plain and "Kotabumi" not in reply.plain
    refused = await h.say(KANWIL_B, KANWIL_B, "/rekap kanwil 1")
    assert "tidak termasuk kantor yang Bapak/Ibu awasi" in refused.plain
    assert "Kotabumi" not in refused.plain and "diterima" not in refused.plain
    one = await h.say(KANWIL, KANWIL, "/rekap kanwil 2 2026-11")
    assert "KPPN Makassar I" in one.plain and "Kotabumi" not in one.plain
    # Everyone else: a polite refusal; the Kanwil's plain /rekap points to its view.
    for who in (LO_A, CSO_B):
        refused = await h.say(who, who, "/rekap kanwil")
        assert "khusus untuk pejabat Kanwil" in refused.plain
    hint = await h.say(KANWIL, KANWIL, "/rekap")
    assert "/rekap kanwil" in hint.plain
    bad = await h.say(KANWIL, KANWIL, "/rekap kanwil kemarin lusa")
    assert "Format belum sesuai" in bad.plain
