from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import parsing
from bot.conversation.questions import is_chatter, is_question


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


FORGED_BUTTONS = [
    "tk:²:ok",  # superscript two: str.isdigit() says yes, int() says no
    "tk:١٢:ok",  # Arabic-Indic digits
    "tk:99999999999999999999999:ok",  # past SQLite's INTEGER
    "tk:9223372036854775808:ok",  # 2**63, one past the largest id
    "tk:12:ok:extra",
    "tk:12:r6",
    "tk:-1:ok",
    "tk::ok",
    "tk:12:ok\n",
    "fv:²:n",
    "fv:1:maybe",
    "fc:²",
    "fc:1234",
    "fa:tambahan-up:²:0",
    "fa:tambahan-up:0:99999999999999999999",
    "fa:TAMBAHAN:0:0",
    "fa:tambahan-up:10:0",
    "fa:x:0:0",
    "fq:²:tambahan-up",
    "fq:1:Tambahan",
    "x" * 64,
    "tk:1:" + "o" * 70,
    "",
]


@pytest.mark.parametrize("data", FORGED_BUTTONS)
def test_forged_button_data_is_refused(data: str) -> None:
    assert parsing.callback(data) is None
    assert not parsing.is_known_callback(data)


def test_the_bots_own_buttons_parse() -> None:
    assert parsing.callback("tk:42:ok") == parsing.Callback("tk", ("42", "ok"))
    assert parsing.callback("tk:9223372036854775807:r5") is not None
    assert parsing.callback("fv:7:n", "fv") is not None
    assert parsing.callback("fv:7:n", "tk") is None
    assert parsing.callback("fc:3") == parsing.Callback("fc", ("3",))
    assert parsing.callback("fa:tambahan-up:2:0") == parsing.Callback(
        "fa", ("tambahan-up", "2", "0")
    )
    assert parsing.callback(None) is None


@given(st.text(max_size=70))
def test_button_numbers_are_safe_for_sqlite(data: str) -> None:
    parsed = parsing.callback(data)
    if parsed is not None:
        for f in parsed.fields:
            if f.isdigit():
                assert f.isascii() and 0 <= int(f) <= parsing.MAX_ID


@pytest.mark.parametrize("text", ["١٢٣٤٥٦", "۱۲۳۴۵۶", "１２３４５６", "12345٦", "123 456"])
def test_only_ascii_digits_make_a_kode_satker(text: str) -> None:
    assert parsing.kode_satker(text) is None


def test_non_ascii_digits_are_not_numbers() -> None:
    assert parsing.user_ref("١٢٣٤٥") is None
    assert parsing.ticket_number("٤٢", 2026) is None
    assert parsing.iso_date("٢٠٢٦-١٢-٣١") is None


def test_iso_date_is_bounded() -> None:
    assert parsing.iso_date("0001-01-01") is None
    assert parsing.iso_date("9999-12-31") is None
    assert parsing.iso_date("1999-12-31") is None
    assert parsing.iso_date("2000-01-01") == parsing.MIN_DATE
    assert parsing.iso_date("2100-12-31") == parsing.MAX_DATE


def test_received_prefix_of_catat() -> None:
    from datetime import date, time

    from bot.parsing import received_prefix

    assert received_prefix("14.30 status SP2D") == (None, time(14, 30), "status SP2D")
    assert received_prefix("2026-11-30 09:05 status") == (date(2026, 11, 30), time(9, 5), "status")
    assert received_prefix("2026-11-30 status") == (None, None, "2026-11-30 status")
    assert received_prefix("24.00 status") == (None, None, "24.00 status")
    assert received_prefix("status 14.30") == (None, None, "status 14.30")


@given(st.text(max_size=60))
def test_received_prefix_never_raises_and_keeps_the_question(text: str) -> None:
    from bot.parsing import received_prefix

    day, at, rest = received_prefix(text)
    assert day is None or at is not None
    assert rest.strip() in text
