"""The CSO's day: the 16.00 reminder to record other channels with /catat before 17.00,
the time of receipt on /catat, and records after 17.00 flagged."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from storage import tickets as tickets_repo
from tests.e2e.harness import Harness
from tests.e2e.world import CSO, LO, SUPERVISOR, staffed_office

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


async def reminders_at(h: Harness, when: datetime) -> list[str]:
    h.clock.set(when)
    mark = len(h.api.sent)
    await h.tick()
    await h.tick()
    return [s.plain for s in h.api.sent[mark:] if "/catat" in s.plain]


async def test_cso_reminder_at_four_once_per_working_day(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    assert await reminders_at(h, at(1, 15, 59)) == []
    mark = len(h.api.sent)
    sent = await reminders_at(h, at(1, 16, 0))
    assert len(sent) == 1 and "sebelum pukul 17.00" in sent[0]
    assert [s.chat_id for s in h.api.sent[mark:] if "/catat" in s.plain] == [CSO]
    assert not any(s.chat_id in (LO, SUPERVISOR) for s in h.api.sent[mark:])
    await h.restart()
    assert await reminders_at(h, at(1, 16, 30)) == []  # once, across a restart
    # Down over 16.00-17.00 on Wednesday: after 17.00 the reminder is no use, none is sent.
    assert await reminders_at(h, at(2, 17, 5)) == []
    assert await reminders_at(h, at(5, 16, 0)) == []  # Saturday
    assert len(await reminders_at(h, at(7, 16, 1))) == 1  # Monday


async def test_catat_takes_the_time_received_and_flags_late_records(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    h.clock.set(at(1, 16, 30))  # Tuesday
    reply = await h.say(CSO, CSO, "/catat telepon 123456 14.30 Satker menanyakan status SP2D")
    # The SLA runs from receipt: 14.30 Tuesday + 16 working hours = 14.30 Thursday.
    assert "Kamis, 3 Desember 2026 pukul 14.30" in reply.plain
    assert "terlambat" not in reply.plain
    ticket = await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001")
    assert ticket is not None and ticket.created_at == at(1, 14, 30)
    assert ticket.text == "Satker menanyakan status SP2D"

    future = await h.say(CSO, CSO, "/catat telepon 123456 18.00 Pertanyaan dari masa depan")
    assert "masa depan" in future.plain
    assert await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0002") is None

    h.clock.set(at(1, 17, 20))
    late = await h.say(CSO, CSO, "/catat wa 123456 15.10 Revisi DIPA sudah sampai mana")
    assert "dicatat setelah pukul 17.00" in late.plain
    ticket = await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0002")
    assert ticket is not None
    kinds = [kind for _, kind, _ in await tickets_repo.events(h.services.db.reader, ticket.id)]
    assert "dicatat_lewat_batas" in kinds

    # Without a time the question counts from now, as before.
    h.clock.set(at(2, 9, 0))
    plain = await h.say(CSO, CSO, "/catat meja 123456 Cara mengajukan TUP")
    assert "Jumat, 4 Desember 2026 pukul 09.00" in plain.plain
