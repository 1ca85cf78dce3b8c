from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot import parsing
from bot.questions import is_chatter, is_question


@given(st.integers(min_value=0, max_value=999_999))
def test_kode_satker_accepts_six_digits(n: int) -> None:
    assert parsing.kode_satker(f"{n:06d}") == f"{n:06d}"


@given(st.text(max_size=20))
def test_kode_satker_rejects_anything_else(text: str) -> None:
    result = parsing.kode_satker(text)
    assert result is None or (len(result) == 6 and result.isdigit() and result.isascii())


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=999_999))
def test_ticket_number_round_trip(year: int, seq: int) -> None:
    canonical = f"{year}-{seq:04d}"
    assert parsing.ticket_number(f"#{canonical}", 2026) == canonical
    assert parsing.ticket_number(f"{year}-{seq}", 2026) == canonical


def test_ticket_number_short_form_means_this_year() -> None:
    assert parsing.ticket_number("42", 2026) == "2026-0042"
    assert parsing.ticket_number("0", 2026) is None
    assert parsing.ticket_number("2026-", 2026) is None
    assert parsing.ticket_number("abc", 2026) is None


@given(st.text(max_size=40))
def test_parsers_never_raise(text: str) -> None:
    parsing.ticket_number(text, 2026)
    parsing.user_ref(text)
    parsing.iso_date(text)
    parsing.split_first(text)
    is_question(text)


def test_user_ref() -> None:
    assert parsing.user_ref("@sari_lo") == "sari_lo"
    assert parsing.user_ref("12345") == 12345
    assert parsing.user_ref("@a") is None


def test_iso_date() -> None:
    assert parsing.iso_date("2026-02-30") is None
    assert str(parsing.iso_date("2026-12-31")) == "2026-12-31"


def test_question_detector() -> None:
    for q in (
        "min, syarat pengajuan TUP apa aja ya?",
        "kenapa SPM saya ditolak",
        "kapan batas rekon bulan ini",
        "izin bertanya terkait revisi DIPA",
        "SAKTI tidak bisa login dari pagi",
        "gmn cara ajukan KKP",
    ):
        assert is_question(q), q
    for chatter in ("terima kasih min", "siap pak", "ok", "🙏🙏", "selamat pagi bapak ibu", ""):
        assert not is_question(chatter), chatter
        assert is_chatter(chatter)
