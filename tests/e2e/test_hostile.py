"""Hostile input from the issue's attack list: forged buttons, foreign digits, far dates."""

from __future__ import annotations

import logging

import pytest

from storage import groups as groups_repo
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import CSO, GROUP, LO, OPERATOR, office_with_bot_message, staffed_office
from tests.test_parsing import FORGED_BUTTONS


async def test_forged_buttons_are_answered_and_nothing_reaches_the_group(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    bot_message = await office_with_bot_message(h)
    caplog.set_level(logging.INFO)
    mark = len(h.api.sent)
    for data in [d for d in FORGED_BUTTONS if d]:
        press = h.api.press(GROUP, OPERATOR, bot_message, data)
        answer = await h.api.wait_answered(press)
        assert answer.get("text"), data  # a polite line, not a silent spinner
    # Well-formed data naming rows that do not exist is answered too.
    for data in ("tk:1:ok", "tk:9223372036854775807:r5", "fv:1:y", "fc:999"):
        await h.api.wait_answered(h.api.press(GROUP, OPERATOR, bot_message, data))
    await h.settle()
    assert [s.plain for s in h.api.sent[mark:] if s.chat_id == GROUP] == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert h.api.refusals == []


async def test_arabic_indic_digits_are_not_a_kode_satker(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    reply = await h.say(GROUP, LO, "/satker ١٢٣٤٥٦ Satker Palsu")
    assert "Format perintah belum sesuai" in reply.plain
    satker = await groups_repo.satker_of(h.services.db.reader, GROUP)
    assert [kode for kode, _ in satker] == ["123456"]


@pytest.mark.parametrize("period", ["0001-01-01", "9999-12-30..9999-12-31", "9999-12-31"])
async def test_far_dates_in_rekap_get_the_usage(harness: Harness, period: str) -> None:
    h = harness
    await staffed_office(h)
    reply = await h.say(CSO, CSO, f"/rekap {period}")
    assert "Format periode belum sesuai" in reply.plain


async def test_far_dates_in_libur_get_the_usage(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    for day in ("0001-01-01", "9999-12-31", "٢٠٢٦-١٢-٣١"):
        reply = await h.say(ADMIN, ADMIN, f"/libur tambah {day} Libur palsu")
        assert "Format perintah belum sesuai" in reply.plain, day
    reply = await h.say(ADMIN, ADMIN, "/libur")
    assert "Libur palsu" not in reply.plain


async def test_an_enormous_ticket_number_is_not_echoed_back(harness: Harness) -> None:
    # Found by tests/e2e/test_fuzz.py: the refusal echoed 4,106 characters inside <b>, the
    # split cut the tag in two, and Telegram refused the reply.
    h = harness
    await staffed_office(h)
    reply = await h.say(GROUP, LO, "/jawab " + "x" * 4106)
    assert "tidak ditemukan" in reply.plain and len(reply.plain) < 200
    await h.settle()
    assert h.api.refusals == []
