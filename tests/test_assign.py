"""Which open ticket a staff answer without an explicit link belongs to (assign.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.conversation.assign import identifiers, overlap, rank
from storage.models import Ticket

_T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
_BASE = Ticket(
    id=0, office_id=1, number="", chat_id=-1, message_id=1, bot_message_id=None, asker_id=1,
    asker_name="Sri", kode_satker="400151", channel="grup", text="", attachment_kind=None,
    attachment_id=None, lo_user_id=200, recorded_by=None, status="baru", created_at=_T0,
    clock_start_at=_T0, due_at=_T0, first_due_at=_T0, answered_at=None, answered_by=None,
    answer_text=None, waited_hours=0.0, on_time=None, closed_at=None, rating=None,
    reopen_count=0, stage=0, next_due_at=None,
)  # fmt: skip


def _tickets(*texts: str) -> list[Ticket]:
    return [
        replace(_BASE, id=i + 1, number=f"2026-{i + 1:04d}", text=t) for i, t in enumerate(texts)
    ]


def test_amounts_and_document_numbers_are_read_whatever_their_spelling() -> None:
    assert (
        identifiers("selisih Rp50.200.000") == identifiers("selisih Rp 50,200,000") == {"50200000"}
    )
    assert identifiers("SPM 00843B/400230/2026") == {"00843b", "400230"}
    assert identifiers("tahun 2026, 12 SPM") == frozenset()  # years and counts are no marks


def test_a_document_number_the_answer_repeats_decides_among_tickets() -> None:
    pool = _tickets(
        "spm ls kontrak 00528c/400221/2026 statusnya masih di kppn",
        "rekon bulan Oktober kami ditolak krn selisih Rp50.200.000, mohon bantuannya",
        "spm ls kontrak 00843b/400230/2026 statusnya masih di kppn, mohon dicek",
    )
    got = rank(pool, "Selamat siang, SPM 00843B/400230/2026 sudah kami setujui, SP2D terbit sore.")
    assert got.certain and got.tickets[0].number == "2026-0003"
    got = rank(pool, "Selisih Rp 50.200.000 itu dari setoran yang belum dicatat di SAKTI.")
    assert got.certain and got.tickets[0].number == "2026-0002"


def test_a_number_shared_by_every_ticket_is_no_lead() -> None:
    """The satker code is in both questions: it points at neither."""
    pool = _tickets("SPM 400151 belum terbit", "SPM 400151 ditolak")
    got = rank(pool, "Untuk satker 400151 sudah kami cek.")
    assert not got.certain


def test_an_answer_sharing_nothing_is_never_certain_among_several() -> None:
    pool = _tickets("retur sp2d rekening salah", "revisi DIPA pergeseran akun")
    assert not rank(pool, "Baik Pak, sudah kami tindak lanjuti.").certain


@given(st.lists(st.text(max_size=60), min_size=2, max_size=6), st.text(max_size=80))
def test_ranking_keeps_every_ticket_once_and_certainty_needs_a_lead(
    questions: list[str], answer: str
) -> None:
    pool = _tickets(*questions)
    got = rank(pool, answer)
    assert len({t.id for t in got.tickets}) == len(got.tickets) == min(len(pool), 6)
    if got.certain:  # a certain pick always shares something with the answer
        first = got.tickets[0]
        assert overlap(first.text, answer) or identifiers(first.text) & identifiers(answer)
