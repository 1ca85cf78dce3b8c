"""Tahap deadlines end to end: reminders at each offset, the button, the supervisor's list,
the holiday shift, satker groups, a restart between two reminders, downtime and grace."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from messages.common import button_expired
from storage import audit
from tests.e2e.buttons import press
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import (
    CSO,
    GROUP,
    KEPALA,
    LO,
    LO2,
    OPERATOR,
    OTHER_GROUP,
    STRANGER,
    SUPERVISOR,
    staffed_office,
)

WIB = ZoneInfo("Asia/Jakarta")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def texts(h: Harness, chat: int, after: int, needle: str = "tenggat") -> list[Any]:
    return [s for s in h.api.sent[after:] if s.chat_id == chat and needle in s.plain]


async def run_at(h: Harness, when: datetime) -> int:
    h.clock.set(when)
    mark = len(h.api.sent)
    await h.tick()
    await h.tick()  # a second tick in the same minute sends nothing more
    return mark


async def test_staff_deadline_reminders_button_alert_and_restart(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    reply = await h.say(
        ADMIN,
        ADMIN,
        "/tahap tambah 2026-12-04 untuk=supervisor,cso tahap=I lapor=kepala "
        "Laporan implementasi tahap I ke Kanwil",
    )
    assert "telah ditambahkan" in reply.plain and "Jumat, 4 Desember 2026" in reply.plain
    refused = await h.say(CSO, CSO, "/tahap tambah 2026-12-04 untuk=cso Laporan lain")
    assert refused.plain.startswith("Mohon maaf")

    # Nothing before H-7 (Friday 27 Nov 08.00).
    mark = await run_at(h, at(11, 27, 7, 59))
    assert texts(h, CSO, mark) == [] and texts(h, SUPERVISOR, mark) == []

    # H-7: both get one reminder with the button.
    mark = await run_at(h, at(11, 27, 8))
    cso_msgs = texts(h, CSO, mark, "pengingat tenggat 7 hari lagi")
    assert len(cso_msgs) == 1 and len(texts(h, SUPERVISOR, mark, "7 hari lagi")) == 1
    assert "Laporan implementasi tahap I ke Kanwil" in cso_msgs[0].plain
    assert cso_msgs[0].buttons[0]["text"] == "✅ Sudah disampaikan"

    # Someone not responsible for it cannot report for it.
    assert "tidak termasuk" in (await press(h, CSO, STRANGER, cso_msgs[0]))["text"]
    # The CSO reports: recorded, thanked, the button goes away; pressing again is harmless.
    answer = await press(h, CSO, CSO, cso_msgs[0])
    assert "tercatat sudah menyampaikan" in answer["text"]
    assert ("edited", {"chat_id": CSO, "message_id": cso_msgs[0].message["message_id"]}) in (
        h.api.calls
    )
    again = await press(h, CSO, CSO, cso_msgs[0])
    assert again["text"] == button_expired()

    # H-3 (Tuesday 1 Dec): only the supervisor, who has not reported.
    mark = await run_at(h, at(12, 1, 8))
    assert texts(h, CSO, mark) == []
    assert len(texts(h, SUPERVISOR, mark, "3 hari lagi")) == 1

    # Restart between two reminders: nothing repeats, and H-1 still comes, once.
    await h.restart()
    mark = await run_at(h, at(12, 1, 9))
    assert [s for s in h.api.sent[mark:] if "tenggat" in s.plain] == []
    mark = await run_at(h, at(12, 3, 8))
    assert len(texts(h, SUPERVISOR, mark, "besok")) == 1 and texts(h, CSO, mark) == []
    mark = await run_at(h, at(12, 4, 8))
    assert len(texts(h, SUPERVISOR, mark, "hari ini")) == 1

    # After the due time the head of office gets the list of who has not reported, once.
    mark = await run_at(h, at(12, 4, 16))
    alerts = texts(h, KEPALA, mark, "telah lewat")
    assert len(alerts) == 1
    assert "Hendra" in alerts[0].plain and "Citra" not in alerts[0].plain
    assert texts(h, SUPERVISOR, mark) == [] and texts(h, CSO, mark) == []
    mark = await run_at(h, at(12, 7, 10))
    assert [s for s in h.api.sent[mark:] if "tenggat" in s.plain] == []

    # /tahap shows who has and who has not reported.
    overview = await h.say(SUPERVISOR, SUPERVISOR, "/tahap")
    assert "✅ Citra" in overview.plain and "⏳ Hendra" in overview.plain
    assert "(tahap I)" in overview.plain
    assert (await h.say(STRANGER, STRANGER, "/tahap")).plain.startswith("Mohon maaf")

    # The admin removes it; the change is audited.
    number = overview.plain.split("[", 1)[1].split("]", 1)[0]
    removed = await h.say(ADMIN, ADMIN, f"/tahap hapus {number}")
    assert "telah dihapus" in removed.plain
    assert "tidak ditemukan" in (await h.say(ADMIN, ADMIN, "/tahap hapus 999")).plain
    actions = [r["action"] for r in await audit.recent(h.services.db.reader)]
    assert {"deadline.add", "deadline.reported", "deadline.remove"} <= set(actions)


async def test_reminder_on_a_holiday_moves_to_the_previous_working_day(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    # Due Tuesday 8 Dec; H-1 is Monday 7 Dec, which the admin then declares a holiday.
    await h.say(ADMIN, ADMIN, "/tahap tambah 2026-12-08 untuk=cso pengingat=1 Rekonsiliasi")
    await h.say(ADMIN, ADMIN, "/libur tambah 2026-12-07 Cuti bersama")
    mark = await run_at(h, at(12, 4, 8))  # Friday 4 Dec
    reminder = texts(h, CSO, mark, "Rekonsiliasi")
    assert len(reminder) == 1 and "4 hari lagi" in reminder[0].plain
    mark = await run_at(h, at(12, 7, 8))
    assert texts(h, CSO, mark) == []


async def test_satker_deadline_in_groups_operators_report_lo_sees_who_has_not(
    harness: Harness,
) -> None:
    h = harness
    await staffed_office(h)
    await h.say(GROUP, LO, "/satker 654321 Satker Kedua")
    await h.say(
        ADMIN, ADMIN, "/tahap tambah 2026-12-10 untuk=satker pengingat=1 LPJ Bendahara November"
    )
    mark = await run_at(h, at(12, 9, 8))
    announced = texts(h, GROUP, mark, "LPJ Bendahara November")
    assert len(announced) == 1
    assert "123456" in announced[0].plain and "654321" in announced[0].plain

    # A member who is not an operator cannot report; the operator reports for their satker.
    assert "operator satker" in (await press(h, GROUP, STRANGER, announced[0]))["text"]
    answer = await press(h, GROUP, OPERATOR, announced[0])
    assert "Satker 123456" in answer["text"]

    # The LO's view: which satker of their groups have not reported.
    overview = await h.say(LO, LO, "/tahap")
    assert "✅ 123456" in overview.plain and "⏳ 654321 Satker Kedua" in overview.plain

    # After the date the supervisor and the LO get the satker still missing.
    mark = await run_at(h, at(12, 10, 16))
    for who in (SUPERVISOR, LO):
        alert = texts(h, who, mark, "telah lewat")
        assert len(alert) == 1 and "654321" in alert[0].plain and "123456" not in alert[0].plain
    assert texts(h, GROUP, mark) == []  # internal alerts never reach the group


async def test_an_lo_late_list_counts_only_their_own_satker(harness: Harness) -> None:
    """The LO's list of missing satker says how many of *their* satker reported; the
    office-wide count under an LO's names read as if the LO's own satker had reported."""
    h = harness
    await staffed_office(h)
    await h.say(GROUP, LO, "/satker 654321 Satker Kedua")
    h.api.user(301, "Rina")
    h.api.user(302, "Yanto")
    h.api.add_bot(OTHER_GROUP, ADMIN)
    await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran")
    await h.say(OTHER_GROUP, ADMIN, "/daftargrup @dewi_lo Kementerian Kesehatan")
    for kode in ("777001", "777002"):
        await h.say(OTHER_GROUP, LO2, f"/satker {kode} RS {kode}")
    await h.say(OTHER_GROUP, 301, "/operator 777001")
    await h.say(OTHER_GROUP, 302, "/operator 777002")
    await h.say(ADMIN, ADMIN, "/tahap tambah 2026-12-10 untuk=satker pengingat=1 LPJ November")
    mark = await run_at(h, at(12, 9, 8))
    post = texts(h, OTHER_GROUP, mark, "LPJ November")[0]
    for operator in (301, 302):
        await press(h, OTHER_GROUP, operator, post)
    mark = await run_at(h, at(12, 10, 16))
    mine = texts(h, LO, mark, "telah lewat")
    assert len(mine) == 1 and "Belum tercatat menyampaikan (2)" in mine[0].plain
    assert "Sudah menyampaikan: 0." in mine[0].plain  # LO2's two satker are not Sari's
    office = texts(h, SUPERVISOR, mark, "telah lewat")
    assert len(office) == 1 and "Sudah menyampaikan: 2." in office[0].plain


async def test_missed_reminders_within_grace_are_sent_once_older_ones_never(
    harness: Harness,
) -> None:
    h = harness
    await staffed_office(h)
    await h.say(ADMIN, ADMIN, "/tahap tambah 2026-12-11 untuk=cso Laporan bulanan")
    # The bot was down from before H-7 (4 Dec) until H-3 (8 Dec) 10.00: only H-3 goes out.
    mark = await run_at(h, at(12, 8, 10))
    sent = texts(h, CSO, mark)
    assert len(sent) == 1 and "3 hari lagi" in sent[0].plain
    # Down again over H-1 (10 Dec 08.00) past the 12-hour grace: H-1 is skipped, H comes.
    mark = await run_at(h, at(12, 10, 21))
    assert texts(h, CSO, mark) == []
    mark = await run_at(h, at(12, 11, 8, 30))
    assert len(texts(h, CSO, mark, "hari ini")) == 1


async def test_bad_tahap_commands_change_nothing(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    for text in ("/tahap tambah", "/tahap tambah besok untuk=cso X", "/tahap ubah 3"):
        assert "Contoh penggunaan" in (await h.say(ADMIN, ADMIN, text)).plain
    unknown = await h.say(ADMIN, ADMIN, "/tahap tambah 2026-12-18 untuk=@siapa_ini Laporan")
    assert "belum dikenal" in unknown.plain
    group = await h.say(GROUP, ADMIN, "/tahap")
    assert "chat pribadi" in group.plain
    assert "tidak ada tenggat" in (await h.say(ADMIN, ADMIN, "/tahap")).plain
    h.api.press(GROUP, OPERATOR, 1, "dl:notanumber")
    await h.settle()
    assert h.api.refusals == []


async def test_deadline_file_loaded_at_start_old_years_stay_quiet(
    api: Any, clock: Any, tmp_path: Any
) -> None:
    from bot.deadlines import content
    from tests.e2e.harness import make_settings

    example = content.example_file().read_text(encoding="utf-8")
    ours = (
        "  - id: tahap-1-2026\n    name: Laporan tahap I 2026\n    tahap: I\n"
        "    date: 2026-12-04\n    roles: [cso]\n"
    )
    path = tmp_path / "tenggat.yaml"
    path.write_text(example + ours, encoding="utf-8")
    h = Harness(api, clock, make_settings(api, tmp_path / "f.sqlite3", deadlines_file=path))
    await h.start()
    try:
        await staffed_office(h)
        mark = await run_at(h, at(11, 27, 8))
        sent = texts(h, CSO, mark)
        assert len(sent) == 1 and "Laporan tahap I 2026" in sent[0].plain
        assert [s for s in h.api.sent[mark:] if "2018" in s.plain] == []
        # The entry leaves the file: after a restart it is retired, and audited as such.
        path.write_text(example, encoding="utf-8")
        await h.restart()
        mark = await run_at(h, at(12, 1, 8))
        assert texts(h, CSO, mark, "Laporan tahap I 2026") == []
        actions = [r["action"] for r in await audit.recent(h.services.db.reader, 50)]
        assert "deadline.retire" in actions and "deadline.load" in actions
    finally:
        await h.stop()


def calendar(*entries: tuple[str, str, str, str]) -> str:
    """A deadline file: (id, name, date, roles) per entry, five lines each after line 1."""
    lines = ["deadlines:"]
    for slug, name, day, roles in entries:
        lines += [f"  - id: {slug}", f"    name: {name}", "    tahap: I"]
        lines += [f"    date: {day}", f"    roles: [{roles}]"]
    return "\n".join(lines) + "\n"


async def test_tahap_muat_reloads_the_file_without_repeating_reminders(
    api: Any, clock: Any, tmp_path: Any
) -> None:
    from tests.e2e.harness import make_settings

    path = tmp_path / "tenggat.yaml"
    first = ("tahap-1-2026", "Laporan tahap I 2026", "2026-12-04", "cso")
    old = ("laporan-lama", "Laporan lama", "2026-12-18", "cso")
    path.write_text(calendar(first, old), encoding="utf-8")
    h = Harness(api, clock, make_settings(api, tmp_path / "m.sqlite3", deadlines_file=path))
    await h.start()
    try:
        await staffed_office(h)
        mark = await run_at(h, at(11, 27, 8))
        assert len(texts(h, CSO, mark, "Laporan tahap I 2026")) == 1  # H-7

        # A bad file: the admin hears the first problem and its line; nothing changes.
        bad = calendar(first, ("tahap-2-2026", "Laporan tahap II", "2026-13-11", "cso"))
        path.write_text(bad + "  - id: X\n", encoding="utf-8")
        refusal = await h.say(ADMIN, ADMIN, "/tahap muat")
        assert "belum dapat dimuat (baris 10, entri 'tahap-2-2026', kolom 'date')" in (
            refusal.plain
        )
        assert "Tidak ada yang diubah" in refusal.plain
        overview = await h.say(ADMIN, ADMIN, "/tahap")
        assert "Laporan lama" in overview.plain and "tahap II" not in overview.plain
        # Only admins may reload.
        assert (await h.say(CSO, CSO, "/tahap muat")).plain.startswith("Mohon maaf")

        # The entry renamed, one removed, one added: counted, and audited by the admin.
        renamed = ("tahap-1-2026", "Laporan implementasi tahap I 2026", "2026-12-04", "cso")
        added = ("tahap-2-2026", "Laporan tahap II 2026", "2026-12-08", "supervisor")
        # It also gains an earlier reminder, so its next step is now the H-7 already sent.
        text = calendar(renamed, added)
        text = text.replace("[cso]\n", "[cso]\n    remind: [14, 7, 3, 1, 0]\n", 1)
        path.write_text(text, encoding="utf-8")
        done = await h.say(ADMIN, ADMIN, "/tahap muat")
        assert "dibaca ulang (2 tenggat): 1 baru, 1 diubah, 1 dihapus" in done.plain
        actions = {
            (r["actor_id"], r["action"]) for r in await audit.recent(h.services.db.reader, 20)
        }
        assert {(ADMIN, "deadline.load"), (ADMIN, "deadline.retire")} <= actions
        again = await h.say(ADMIN, ADMIN, "/tahap muat")
        assert "tidak ada perubahan" in again.plain

        # The H-7 already sent is not sent again; the next reminders follow the new file.
        mark = await run_at(h, at(11, 27, 9))
        assert [s for s in h.api.sent[mark:] if s.chat_id in (CSO, SUPERVISOR)] == []
        mark = await run_at(h, at(12, 1, 8))
        renamed_h3 = texts(h, CSO, mark, "Laporan implementasi tahap I 2026")
        assert len(renamed_h3) == 1 and "3 hari lagi" in renamed_h3[0].plain
        assert len(texts(h, SUPERVISOR, mark, "Laporan tahap II 2026")) == 1  # its H-7
        mark = await run_at(h, at(12, 11, 8))
        assert texts(h, CSO, mark, "Laporan lama") == []
    finally:
        await h.stop()


async def test_tahap_muat_without_a_file(harness: Harness) -> None:
    await staffed_office(harness)
    reply = await harness.say(ADMIN, ADMIN, "/tahap muat")
    assert "belum memakai berkas kalender tenggat" in reply.plain


async def test_an_entry_removed_then_restored_reminds_again(
    api: Any, clock: Any, tmp_path: Any
) -> None:
    from tests.e2e.harness import make_settings

    path = tmp_path / "tenggat.yaml"
    first = ("tahap-1-2026", "Laporan tahap I 2026", "2026-12-04", "cso")
    later = ("laporan-lama", "Laporan lama", "2026-12-18", "cso")
    path.write_text(calendar(first, later), encoding="utf-8")
    h = Harness(api, clock, make_settings(api, tmp_path / "m.sqlite3", deadlines_file=path))
    await h.start()
    try:
        await staffed_office(h)
        await run_at(h, at(11, 27, 8))
        path.write_text(calendar(first), encoding="utf-8")  # taken out by mistake ...
        assert "1 dihapus" in (await h.say(ADMIN, ADMIN, "/tahap muat")).plain
        path.write_text(calendar(first, later), encoding="utf-8")  # ... and put back
        assert "1 baru" in (await h.say(ADMIN, ADMIN, "/tahap muat")).plain
        mark = await run_at(h, at(12, 11, 8))  # its H-7
        assert len(texts(h, CSO, mark, "Laporan lama")) == 1
    finally:
        await h.stop()


async def test_a_removed_deadline_can_be_added_again(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    command = "/tahap tambah 2026-12-04 untuk=cso Laporan implementasi tahap I ke Kanwil"
    assert "telah ditambahkan" in (await h.say(ADMIN, ADMIN, command)).plain
    assert "telah dihapus" in (await h.say(ADMIN, ADMIN, "/tahap hapus 1")).plain
    again = await h.say(ADMIN, ADMIN, command)
    assert "telah ditambahkan" in again.plain  # was 'sudah ada', with nothing in /tahap
    assert "Laporan implementasi tahap I" in (await h.say(ADMIN, ADMIN, "/tahap")).plain
