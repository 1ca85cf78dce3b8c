"""The monthly report's sign-off: draft to the CSO, checked by the supervisor, approved by
the head of office, each with a button; reminders inside the 5 working days; /rekap shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from messages.common import button_expired
from tests.e2e.buttons import press
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import CSO, GROUP, KEPALA, LO, SUPERVISOR, staffed_office

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


async def ticks_at(h: Harness, when: datetime) -> int:
    h.clock.set(when)
    mark = len(h.api.sent)
    await h.tick()
    await h.tick()
    return mark


def prompts(h: Harness, chat: int, after: int) -> list[Any]:
    return [s for s in h.api.sent[after:] if s.chat_id == chat and s.buttons]


async def test_report_signoff_chain_with_reminders(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    # Tuesday 1 December: the November report is prepared and reaches the CSO as a draft.
    mark = await ticks_at(h, at(1, 8, 30))
    drafts = prompts(h, CSO, mark)
    assert len(drafts) == 1 and "draf laporan" in drafts[0].plain
    assert "November 2026" in drafts[0].plain
    cso_files = [s for s in h.api.sent[mark:] if s.chat_id == CSO and s.method != "sendMessage"]
    assert len(cso_files) == 2
    assert [s for s in h.api.sent[mark:] if s.chat_id in (SUPERVISOR, KEPALA)] == []

    # Wednesday morning, not yet submitted: the CSO is reminded once; nobody else.
    mark = await ticks_at(h, at(2, 8, 5))
    reminders = prompts(h, CSO, mark)
    assert len(reminders) == 1 and "masih draf di CSO" in reminders[0].plain
    assert prompts(h, SUPERVISOR, mark) == []

    # The supervisor cannot skip the CSO's step.
    assert "peran lain" in (await press(h, CSO, SUPERVISOR, drafts[0]))["text"]
    # The CSO submits: the supervisor gets the report and a button.
    answer = await press(h, CSO, CSO, drafts[0])
    assert "diajukan kepada Kepala Seksi" in answer["text"]
    await h.tick()
    check = await h.api.wait_for(lambda s: s.chat_id == SUPERVISOR and bool(s.buttons))
    assert "Mohon diperiksa" in check.plain
    # The draft's button went away: pressing it again changes nothing.
    assert (await press(h, CSO, CSO, drafts[0]))["text"] == button_expired()

    # Restart, then Thursday: the supervisor (not the CSO) is reminded.
    await h.restart()
    mark = await ticks_at(h, at(3, 9))
    assert len(prompts(h, SUPERVISOR, mark)) == 1 and prompts(h, CSO, mark) == []
    await press(h, SUPERVISOR, SUPERVISOR, check)
    await h.tick()
    approve = await h.api.wait_for(lambda s: s.chat_id == KEPALA and bool(s.buttons))
    assert "persetujuan" in approve.plain
    answer = await press(h, KEPALA, KEPALA, approve)
    assert "disetujui" in answer["text"]
    await h.tick()
    done = await h.api.wait_for(lambda s: s.chat_id == CSO and "telah disetujui" in s.plain)
    assert "Kartika" in done.plain and "Hendra" in done.plain and "Citra" in done.plain

    # No more reminders once approved; /rekap for November shows the approval.
    mark = await ticks_at(h, at(4, 9))
    assert [s for s in h.api.sent[mark:] if s.chat_id in (CSO, SUPERVISOR, KEPALA)] == []
    rekap = await h.say(SUPERVISOR, SUPERVISOR, "/rekap 2026-11")
    assert "Persetujuan laporan bulanan: disetujui" in rekap.plain
    assert "Disetujui Kepala Kantor: Kartika" in rekap.plain
    assert [s for s in h.api.sent if s.chat_id == LO and "Laporan layanan" in s.plain] == []


async def submitted_by_the_cso(h: Harness) -> None:
    """Tuesday 1 December: the November report reaches the CSO, who submits it at once."""
    await staffed_office(h)
    mark = await ticks_at(h, at(1, 8, 30))
    await press(h, CSO, CSO, prompts(h, CSO, mark)[0])
    await h.tick()


def overdue_notes(h: Harness, chat: int, after: int = 0) -> list[Any]:
    return [s for s in h.api.sent[after:] if s.chat_id == chat and "mohon perhatian" in s.plain]


async def test_signoff_stuck_past_the_window_is_escalated_once(harness: Harness) -> None:
    h = harness
    await submitted_by_the_cso(h)
    # The supervisor never checks it. Inside the window (last day Monday 7 December,
    # 16.00) nobody above is told.
    mark = await ticks_at(h, at(7, 15))
    assert overdue_notes(h, KEPALA) == [] and overdue_notes(h, ADMIN) == []
    # Tuesday morning, the window closed: the head of office is told, privately, once,
    # with the report and who holds it; the admins and the group are not.
    mark = await ticks_at(h, at(8, 8, 5))
    notes = overdue_notes(h, KEPALA, mark)
    assert len(notes) == 1
    assert "November 2026" in notes[0].plain and "Hendra" in notes[0].plain
    assert "pemeriksaan Kepala Seksi" in notes[0].plain
    assert overdue_notes(h, ADMIN) == [] and overdue_notes(h, GROUP) == []
    # A restart and later ticks repeat nothing.
    await h.restart()
    await ticks_at(h, at(8, 10))
    await ticks_at(h, at(9, 9))
    assert len(overdue_notes(h, KEPALA)) == 1
    rekap = await h.say(KEPALA, KEPALA, "/rekap 2026-11")
    assert "Melewati batas 5 hari kerja (masih menunggu pemeriksaan Kepala Seksi)" in rekap.plain


async def test_signoff_stuck_with_the_head_of_office_goes_to_the_admins(harness: Harness) -> None:
    h = harness
    await submitted_by_the_cso(h)
    check = await h.api.wait_for(lambda s: s.chat_id == SUPERVISOR and bool(s.buttons))
    await press(h, SUPERVISOR, SUPERVISOR, check)
    await h.tick()
    # Restart just before the window closes: the escalation still comes, once.
    await ticks_at(h, at(7, 15, 59))
    await h.restart()
    await ticks_at(h, at(8, 8, 1))
    await ticks_at(h, at(8, 9))
    notes = overdue_notes(h, ADMIN)
    assert len(notes) == 1 and "Kartika" in notes[0].plain
    assert "persetujuan Kepala Kantor" in notes[0].plain
    assert overdue_notes(h, KEPALA) == []
