"""The CSO's day with HAI CSO (issue 22): the 16.00 list of tickets not entered yet, each
entered with its HAI number, and the one left carried into the next morning, late."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from storage import haicso as hai_repo
from storage import tickets as tickets_repo
from storage.models import HAI_ENTERED, HAI_NOT_ENTERED, HAI_NOT_NEEDED
from tests.e2e.harness import Harness
from tests.e2e.world import CSO, GROUP, LO, OPERATOR, staffed_office

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


async def tick_at(h: Harness, when: datetime) -> list[Any]:
    """Move the clock, tick twice, return the HAI CSO list messages the CSO got."""
    h.clock.set(when)
    mark = len(h.api.sent)
    await h.tick()
    await h.tick()
    return [s for s in h.api.sent[mark:] if s.chat_id == CSO and is_hai_list(s)]


def is_hai_list(s: Any) -> bool:
    if s.method != "sendMessage":
        return False
    hai_buttons = any(b.get("callback_data", "").startswith("hai:") for b in s.buttons)
    return hai_buttons or "belum diinput ke HAI CSO" in s.plain


async def three_tickets(h: Harness) -> None:
    """Tuesday 1 December: a group question (answered by the LO) and two /catat ones."""
    await staffed_office(h)
    h.clock.set(at(1, 9, 0))
    h.api.say(GROUP, OPERATOR, "Mohon info pak, SPM kami nomor 12 kapan diproses?")
    await h.settle()
    h.clock.set(at(1, 10, 0))
    await h.act(LO, LO, "/jawab 2026-0001 Sudah diproses, silakan cek OM-SPAN.")
    await h.say(CSO, CSO, "/catat telepon 123456 Satker menanyakan status revisi DIPA")
    await h.say(CSO, CSO, "/catat meja 123456 Cara mengajukan TUP untuk kegiatan rapat")
    await h.settle()


async def entry(h: Harness, number: str) -> Any:
    t = await tickets_repo.get_by_number(h.services.db.reader, 1, number)
    assert t is not None
    found = await hai_repo.listed(h.services.db.reader, t.id)
    assert found is not None
    return found.entry


async def tap(h: Harness, sent: Any, text: str) -> None:
    """Press the button ``text`` as the message shows it now (taps edit the buttons)."""
    rows = (current(h, sent).get("reply_markup") or {}).get("inline_keyboard", [])
    data = next(b["callback_data"] for row in rows for b in row if b["text"] == text)
    h.api.press(CSO, CSO, sent.message["message_id"], data)
    await h.settle()


def current(h: Harness, sent: Any) -> dict[str, Any]:
    return h.api.messages[(CSO, sent.message["message_id"])]


async def test_the_day_listed_at_four_entered_one_by_one_and_one_carried_late(
    harness: Harness,
) -> None:
    h = harness
    await three_tickets(h)
    assert await tick_at(h, at(1, 15, 59)) == []
    got = await tick_at(h, at(1, 16, 0))
    header, blocks = got[0], got[1:]
    assert "3" in header.plain and "17.00" in header.plain
    assert [b.plain.split("\n")[0] for b in blocks] == [
        "Tiket #2026-0001 · grup LO",
        "Tiket #2026-0002 · telepon",
        "Tiket #2026-0003 · meja layanan",
    ]
    first = blocks[0].plain
    for field in (
        "Kode satker: 123456",
        "Nama satker: MTsN 1 Lampung Utara",
        "SPM kami nomor 12 kapan diproses?",
        "Jawaban:\nSudah diproses, silakan cek OM-SPAN.",
        "Diterima: 1 Des 2026 09.00 WIB",
        "LO: Sari Lestari",
    ):
        assert field in first
    assert "belum dijawab" in blocks[1].plain
    assert [b["text"] for b in blocks[0].buttons] == ["✅ Sudah diinput", "Tidak perlu"]

    # The first: tapped, then its number as the next message.
    h.clock.set(at(1, 16, 10))
    await tap(h, blocks[0], "✅ Sudah diinput")
    assert "nomor tiket HAI CSO" in current(h, blocks[0])["text"]
    e = await entry(h, "2026-0001")
    assert e.state == HAI_ENTERED and e.by_user == CSO and e.hai_number is None
    reply = await h.say(CSO, CSO, "12345")
    assert "12345" in reply.plain and "#2026-0001" in reply.plain
    assert (await entry(h, "2026-0001")).hai_number == "12345"
    # "Lewati" tapped afterwards keeps the number given.
    await tap(h, blocks[0], "Lewati")
    answered = [c[1] for c in h.api.calls if c[0] == "answered"][-1]
    assert "12345" in str(answered)
    assert (await entry(h, "2026-0001")).hai_number == "12345"

    # The second: tapped, and the number as a reply to its block.
    await tap(h, blocks[1], "✅ Sudah diinput")
    reply = await h.say(CSO, CSO, "HAI-12346", reply_to=blocks[1].message["message_id"])
    assert "HAI-12346" in reply.plain and "#2026-0002" in reply.plain
    e = await entry(h, "2026-0002")
    assert e.state == HAI_ENTERED and e.hai_number == "HAI-12346"
    # The third is not tapped: it is left as not entered.

    # Once a day, across a restart; nothing more after 17.00.
    await h.restart()
    assert await tick_at(h, at(1, 16, 30)) == []
    assert await tick_at(h, at(1, 17, 5)) == []
    e = await entry(h, "2026-0003")
    assert e.state == HAI_NOT_ENTERED and e.late_at == at(1, 17, 0)
    assert (await entry(h, "2026-0001")).late_at is None

    # Wednesday morning: the one left, flagged late; once.
    assert await tick_at(h, at(2, 7, 59)) == []
    morning = await tick_at(h, at(2, 8, 0))
    assert "terlambat" in morning[0].plain and "<b>1</b>" in morning[0].text
    assert len(morning) == 2
    assert morning[1].plain.startswith("⚠️ Terlambat")
    assert "Tiket #2026-0003" in morning[1].plain
    await h.restart()
    assert await tick_at(h, at(2, 9, 0)) == []

    # Entered from the morning list, without a number ("Lewati").
    await tap(h, morning[1], "✅ Sudah diinput")
    await tap(h, morning[1], "Lewati")
    e = await entry(h, "2026-0003")
    assert e.state == HAI_ENTERED and e.hai_number is None and e.late_at == at(1, 17, 0)
    reply = await h.say(CSO, CSO, "/haicso")
    assert "Semua tiket sudah diinput" in reply.plain


async def test_a_hai_number_given_to_another_ticket_is_refused(harness: Harness) -> None:
    h = harness
    await three_tickets(h)
    blocks = (await tick_at(h, at(1, 16, 0)))[1:]
    await tap(h, blocks[0], "✅ Sudah diinput")
    await h.say(CSO, CSO, "12345")
    await tap(h, blocks[2], "✅ Sudah diinput")
    reply = await h.say(CSO, CSO, "12345")
    assert "sudah dicatat untuk tiket #2026-0001" in reply.plain
    assert (await entry(h, "2026-0003")).hai_number is None
    assert (await entry(h, "2026-0001")).hai_number == "12345"


async def test_not_needed_takes_a_reason_and_no_list_on_a_holiday(harness: Harness) -> None:
    h = harness
    await three_tickets(h)
    h.clock.set(at(1, 11, 0))
    mark = len(h.api.sent)
    h.api.say(CSO, CSO, "/haicso")
    await h.settle()
    shown = [s for s in h.api.sent[mark:] if s.chat_id == CSO]
    assert "belum diinput ke HAI CSO: 3" in shown[0].plain
    await tap(h, shown[2], "Tidak perlu")
    await tap(h, shown[2], "Duplikat")
    e = await entry(h, "2026-0002")
    assert e.state == HAI_NOT_NEEDED and e.reason == "duplikat" and e.by_user == CSO
    assert "Tidak perlu diinput ke HAI CSO (duplikat)" in current(h, shown[2])["text"]
    # A second tap on the same block (an old copy of the list) changes nothing.
    h.api.press(CSO, CSO, shown[2].message["message_id"], "hai:2:ok")
    await h.settle()
    assert (await entry(h, "2026-0002")).state == HAI_NOT_NEEDED
    # An LO may not decide for the CSO.
    h.api.press(CSO, LO, shown[3].message["message_id"], "hai:3:ok")
    await h.settle()
    assert (await entry(h, "2026-0003")).state == HAI_NOT_ENTERED

    # Friday 25 December 2026 is Christmas: no list, no carry-over that day.
    h.clock.set(at(24, 10, 0))
    await h.say(CSO, CSO, "/catat telepon 123456 Pertanyaan sehari sebelum libur")
    assert await tick_at(h, at(25, 16, 0)) == []
    assert not await hai_repo.day_closed(h.services.db.reader, 1, at(25, 0).date())
