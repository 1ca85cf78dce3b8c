"""Complaint and deadline notices share the staff digest with ticket notices: at most one
private message per person per window, each person's /notifikasi choice kept, nothing
lost or repeated across a restart; the deadline reminder with its button stays separate."""

from __future__ import annotations

from tests.e2e.harness import ADMIN, Harness
from tests.e2e.test_complaints import KEPATUHAN, at, compliance_office, texts
from tests.e2e.test_tickets import after_digest_window
from tests.e2e.world import KEPALA, OPERATOR, SUPERVISOR


async def test_complaint_notices_come_bundled_and_survive_a_restart(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    await h.say(KEPATUHAN, KEPATUHAN, "/notifikasi segera")
    mark = len(h.api.sent)
    for what in ("berkas kami hilang di loket", "antrean <b>lama</b>", "ada pungli di loket"):
        await h.say(OPERATOR, OPERATOR, f"/pengaduan {what}")
    await h.settle()
    # The head of office: the first notice at once, the other two wait for the window.
    first = texts(h, KEPALA, mark)
    assert len(first) == 1 and "Pengaduan baru P-2026-0001" in first[0]
    # The compliance section chose "segera": each complaint as it comes, in full.
    handled = texts(h, KEPATUHAN, mark)
    assert len(handled) == 3 and "antrean <b>lama</b>" in handled[1]

    await h.restart()  # the waiting notices live in the database
    await after_digest_window(h)
    bundled = texts(h, KEPALA, mark)
    assert len(bundled) == 2
    assert "2 pemberitahuan" in bundled[1] and "P-2026-0002" in bundled[1]
    assert "antrean <b>lama</b>" in bundled[1]  # escaped: shown as the operator wrote it
    assert "P-2026-0003" in bundled[1] and "integritas" in bundled[1]
    assert "/tindaklanjut" in bundled[1] and "Jawab" not in bundled[1]  # no ticket in it
    await after_digest_window(h)
    assert len(texts(h, KEPALA, mark)) == 2 and len(texts(h, KEPATUHAN, mark)) == 3
    assert h.api.refusals == []


async def test_overdue_complaint_and_late_deadline_share_one_window(harness: Harness) -> None:
    h = harness
    await compliance_office(h)
    reply = await h.say(
        ADMIN,
        ADMIN,
        "/tahap tambah 2026-11-30 untuk=supervisor pengingat=0 jam=10.00 lapor=kepala "
        "Laporan rekonsiliasi",
    )
    assert "telah ditambahkan" in reply.plain
    await h.say(OPERATOR, OPERATOR, "/pengaduan berkas kami hilang di loket")
    await h.settle()

    # Monday 30 Nov 08.00: the supervisor's reminder keeps its own message and button.
    h.clock.set(at(11, 30, 8, 0))
    mark = len(h.api.sent)
    await h.tick()
    reminders = [s for s in h.api.sent[mark:] if s.chat_id == SUPERVISOR]
    assert len(reminders) == 1 and reminders[0].buttons[0]["text"] == "✅ Sudah disampaikan"

    # 10.00: the complaint is overdue and the deadline has passed, both for the head.
    h.clock.set(at(11, 30, 10, 0))
    mark = len(h.api.sent)
    await h.tick()
    await h.tick()
    now = texts(h, KEPALA, mark)
    assert len(now) == 1 and "belum ditindaklanjuti lebih dari" in now[0]
    await h.restart()
    await after_digest_window(h)
    later = texts(h, KEPALA, mark)
    assert len(later) == 2 and "Laporan rekonsiliasi" in later[1] and "Hendra" in later[1]
    await after_digest_window(h)
    assert len(texts(h, KEPALA, mark)) == 2
