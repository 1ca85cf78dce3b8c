"""Wording a head of office would sign (issue 20): no doubled thanks, no double spaces, a
choice that names what it offers, the CSO not called an LO."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from messages import broadcast, faq, tickets
from storage.models import Ticket
from tests.fakeapi.html_check import plain_text

WIB = ZoneInfo("Asia/Jakarta")


def test_an_announcement_that_already_thanks_is_not_thanked_twice() -> None:
    signed = broadcast.announcement("Rapat besok pukul 09.00.\nTerima kasih.", "KPPN X")
    assert plain_text(signed).count("Terima kasih") == 1
    plain = broadcast.announcement("Rapat besok pukul 09.00.", "KPPN X")
    assert plain_text(plain).endswith("Terima kasih.")


def _ticket(chat_id: int | None) -> Ticket:
    now = datetime(2026, 12, 1, 9, tzinfo=WIB)
    fields = {f.name: None for f in dataclasses.fields(Ticket)}
    fields.update(
        id=1,
        office_id=1,
        number="2026-0001",
        chat_id=chat_id,
        channel="grup",
        text="x",
        status="dijawab",
        created_at=now,
        clock_start_at=now,
        due_at=now,
        first_due_at=now,
        waited_hours=1.0,
        on_time=True,
        reopen_count=0,
        stage=0,
    )
    return Ticket(**fields)  # type: ignore[arg-type]


def test_answer_confirmation_has_no_double_space() -> None:
    private = plain_text(tickets.answer_sent(_ticket(None), WIB))
    assert "telah dicatat (tepat waktu)" in private and "  " not in private
    group = plain_text(tickets.answer_sent(_ticket(-1001), WIB))
    assert "telah dicatat dan dikirim ke grup (tepat waktu)" in group


def test_a_choice_names_entries_by_abbreviation_only_when_there_is_one() -> None:
    tup = SimpleNamespace(id="tambahan-up", title="Tambahan Uang Persediaan (TUP)")
    retur = SimpleNamespace(id="retur-sp2d", title="Retur SP2D (Transfer Dana Gagal)")
    free = SimpleNamespace(
        id="layanan-gratis", title="Seluruh Layanan Bebas Biaya (Zero Cost Services)"
    )
    assert faq.short_name(tup) == "TUP"
    assert faq.short_name(retur) == retur.title and faq.short_name(free) == free.title
    buttons = [row[0]["text"] for row in faq.choose_buttons([tup, retur], 1)["inline_keyboard"]]
    assert buttons[:2] == [tup.title, retur.title]  # no "Transfer Dana Gagal — Retur ..."
    assert "maksud Bapak/Ibu <b>Seluruh Layanan Bebas Biaya" in faq.choose_text([free, tup])
