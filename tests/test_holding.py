"""Holding replies: acknowledgements keep a ticket open, answers do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversation.holding import HOLDING_MAX_WORDS, is_holding


@pytest.mark.parametrize(
    "text",
    [
        "Baik Pak, kami cek dulu ya",
        "Mohon ditunggu, Bu",
        "siap pak, sedang kami proses",
        "Izin cek dulu ya pak 🙏",
        "Akan kami konfirmasikan ke seksi bank dulu",
        "Baik, saya tanyakan ke PDMS",
    ],
)
def test_acknowledgements_hold(text: str) -> None:
    assert is_holding(text)


@pytest.mark.parametrize(
    "text",
    [
        "Silakan perbaiki kode akunnya lalu kirim ulang, Pak.",
        "SPM ditolak karena kode akun salah",
        "Sudah kami terima, Pak. SP2D terbit besok pagi.",
        "",
    ],
)
def test_answers_do_not_hold(text: str) -> None:
    assert not is_holding(text)


@given(st.lists(st.sampled_from(["kode", "akun", "spm", "revisi", "dipa"]), min_size=1))
def test_a_long_reply_is_an_answer_even_with_a_holding_phrase(extra: list[str]) -> None:
    body = " ".join(extra * (HOLDING_MAX_WORDS + 1))
    assert not is_holding(f"Baik pak kami cek dulu. {body}")
