"""Status updates, per-satker files and broadcasts end to end, through the outbox."""

from __future__ import annotations

import csv
import io
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

from bench import uploads as hostile
from bot import broadcast
from bot.broadcast.progress import EDIT_SECONDS
from storage import groups as groups_repo
from storage import outbox, sql
from storage.models import outbox_key
from storage.timefmt import parse_ts
from tests.e2e.buttons import press
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import GROUP, LO, LO2, OTHER_GROUP, STRANGER, staffed_office
from tests.fakeapi.server import Sent

GOOD_CSV = (
    "Kode Satker;Nomor SP2D;Tanggal;Nilai;Uraian\n"
    "123456;261011301000123;01/12/2026;1.234.567,00;Belanja ATK\n"
    "123456;261011301000124;2026-12-01;2500000;Honor narasumber\n"
    "654321;261011301000200;01-12-2026;15000000,5;Pemeliharaan gedung\n"
    "999999;261011301000300;01/12/2026;100;Satker tanpa grup\n"
)
BAD_CSV = (
    "kode satker,nomor sp2d,tanggal,nilai,uraian\n"
    "123456,261011301000123,01/12/2026,1000,ok\n"
    "12345,261011301000124,2026-12-01,2500000,kode pendek\n"
    "654321,261011301000200,31/02/2026,abc,tanggal dan nilai salah\n"
)


async def second_group(h: Harness) -> None:
    """Dewi (LO2) runs the Kemenkes group with satker 654321."""
    h.api.add_bot(OTHER_GROUP, ADMIN)
    await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran")
    reply = await h.say(OTHER_GROUP, ADMIN, "/daftargrup @dewi_lo Kementerian Kesehatan")
    assert "terdaftar" in reply.plain
    reply = await h.say(OTHER_GROUP, LO2, "/satker 654321 RSUD Kotabumi")
    assert "654321" in reply.plain


async def two_groups_and_admin(h: Harness) -> None:
    """The staffed office with both groups; the admin has started the bot (private chat)."""
    await staffed_office(h)
    await second_group(h)
    await h.say(ADMIN, ADMIN, "/start")


def upload(
    h: Harness, user: int, name: str, content: str | bytes, caption: str = ""
) -> dict[str, Any]:
    file_id = f"doc-{name}-{len(h.api.files)}"
    data = content.encode() if isinstance(content, str) else content
    h.api.files[file_id] = data
    document = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": name,
        "mime_type": "text/csv",
        "file_size": len(data),
    }
    extra: dict[str, Any] = {"document": document}
    if caption:
        extra["caption"] = caption
    return h.api.say(user, user, "", **extra)


def group_texts(h: Harness, chat: int, marker: str) -> list[Sent]:
    return [s for s in h.api.sent_to(chat) if s.method == "sendMessage" and marker in s.plain]


async def test_status_update_goes_to_the_satker_groups(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await second_group(h)
    reply = await h.say(LO, LO, "/status sp2d 123456 SP2D nomor 261011301000123 telah terbit")
    assert "dikirim ke 1 grup" in reply.plain
    update = await h.api.wait_sent(GROUP, "Status layanan Penerbitan SP2D")
    assert "123456 MTsN 1 Lampung Utara" in update.plain and "OM-SPAN" in update.plain
    await h.settle()
    assert group_texts(h, OTHER_GROUP, "Status layanan") == []
    # Rekonsiliasi carries its own monitoring pointer; a free service name works too.
    await h.say(LO2, LO2, "/status rekonsiliasi 654321 BAR rekonsiliasi Desember terbit")
    rekon = await h.api.wait_sent(OTHER_GROUP, "Rekonsiliasi (e-Rekon)")
    assert "e-mail" in rekon.plain
    # An LO cannot post to another LO's satker; strangers cannot post at all.
    other = await h.say(LO, LO, "/status sp2d 654321 terbit")
    assert "belum terdaftar" in other.plain
    refused = await h.say(STRANGER, STRANGER, "/status sp2d 123456 terbit")
    assert "khusus untuk" in refused.plain  # the one check (handlers/commands.py)
    usage = await h.say(LO, LO, "/status sp2d terbit")
    assert "Format" in usage.plain


async def test_bad_file_refused_good_file_delivered_per_group(harness: Harness) -> None:
    h = harness
    await two_groups_and_admin(h)

    # A bad row: the whole file is refused, each error named by its row; nothing is sent.
    mark = len(h.api.sent)
    upload(h, ADMIN, "sp2d-buruk.csv", BAD_CSV)
    refusal = await h.api.wait_sent(ADMIN, "belum dapat diproses", after=mark)
    assert "Baris 3: kode satker '12345' harus 6 angka" in refusal.plain
    assert "Baris 4: tanggal '31/02/2026' tidak dikenali; nilai 'abc'" in refusal.plain
    assert "tidak ada yang dikirim" in refusal.plain
    await h.settle()
    assert group_texts(h, GROUP, "SP2D") == [] and group_texts(h, OTHER_GROUP, "SP2D") == []

    # A good file: a preview with counts per group and the satker without a group.
    mark = len(h.api.sent)
    upload(h, ADMIN, "sp2d-hari-ini.csv", GOOD_CSV)
    preview = await h.api.wait_sent(ADMIN, "Pratinjau berkas", after=mark)
    assert "4 baris valid, 2 grup tujuan" in preview.plain
    assert "LO Kemenag <Kotabumi>: 2 baris" in preview.plain
    assert "LO Kemenkes: 1 baris" in preview.plain and "999999" in preview.plain
    await h.settle()
    assert group_texts(h, GROUP, "SP2D terbit") == []  # nothing before confirmation
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    kemenag = await h.api.wait_sent(GROUP, "Informasi SP2D terbit")
    assert "261011301000123" in kemenag.plain and "Rp1.234.567,00" in kemenag.plain
    assert "Rp2.500.000,00" in kemenag.plain and "261011301000200" not in kemenag.plain
    kemenkes = await h.api.wait_sent(OTHER_GROUP, "Informasi SP2D terbit")
    assert "Rp15.000.000,50" in kemenkes.plain and "261011301000123" not in kemenkes.plain
    # A second press sends nothing more.
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    await h.settle()
    await h.tick()
    assert len(group_texts(h, GROUP, "Informasi SP2D terbit")) == 1
    report = await h.api.wait_sent(ADMIN, "Laporan pengiriman")
    assert "Terkirim: 2 grup" in report.plain


async def fifty_groups(h: Harness) -> list[int]:
    """50 registered groups (written straight to the database: the set-up is not the test)."""
    chats = [-2000 - i for i in range(50)]
    now = h.clock.now()
    async with h.services.db.transaction() as tx:
        for i, chat in enumerate(chats):
            h.api.group(chat, f"LO Grup {i:02d}").bot_status = "member"
            await groups_repo.upsert_joined(tx, chat, f"LO Grup {i:02d}", now)
            await groups_repo.register(tx, chat, LO, f"K/L {i % 5}", now)
    return chats


async def test_broadcast_to_fifty_groups_with_429s_and_a_restart(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    chats = await fifty_groups(h)
    await h.say(ADMIN, ADMIN, "/start")
    # One group removed the bot without us noticing.
    h.api.chats[chats[7]].bot_status = "kicked"

    preview = await h.say(ADMIN, ADMIN, "/umumkan semua\nRapat koordinasi satker Kamis pukul 09.00")
    assert "Pratinjau" in preview.plain and "51 grup" in preview.plain  # the 50 and GROUP
    # Between preview and confirmation a group becomes inactive: it is skipped.
    async with h.services.db.transaction() as tx:
        await groups_repo.mark_inactive(tx, chats[9], h.clock.now())
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    for _ in range(3):
        h.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    # Part of it is out; the rows that met flood control wait for the clock. Restart now.
    await h.api.wait_for(lambda s: "Rapat koordinasi" in s.plain and s.chat_id < -1999)
    await h.restart()
    found = await broadcast.progress(h.services, 1)
    assert found is not None
    waiting = [d for d in found[1] if d.state == "pending"]
    assert len(waiting) >= 3  # the flood-controlled rows are still to go after the restart
    edits = [s for s in h.api.sent if s.method == "editMessageText" and s.chat_id == ADMIN]
    assert edits and "Sedang mengirim" in edits[0].plain  # the preview became the status
    for _ in range(5):
        h.clock.advance(seconds=6)
        await h.tick()
    report = await h.api.wait_sent(ADMIN, "Laporan pengiriman")

    reachable = [c for c in chats if c not in (chats[7], chats[9])] + [GROUP]
    for chat in reachable:
        assert len(group_texts(h, chat, "Rapat koordinasi")) == 1, chat
    assert group_texts(h, chats[7], "Rapat") == [] and group_texts(h, chats[9], "Rapat") == []
    assert "Terkirim: 49 grup" in report.plain
    assert "Gagal: 1 grup" in report.plain and "LO Grup 07: bot telah dikeluarkan" in report.plain
    assert "Dilewati: 1 grup" in report.plain and "LO Grup 09: grup tidak aktif" in report.plain
    assert (await groups_repo.get(h.services.db.reader, chats[7])).status == "inactive"  # type: ignore[union-attr]
    sent_keys = [s for s in h.api.sent if s.chat_id in reachable and "Rapat" in s.plain]
    assert len(sent_keys) == len(reachable)
    assert outbox_key(1, GROUP) == "bc:1:-1001"


async def test_announcement_with_photo_to_one_group_and_cancel(harness: Harness) -> None:
    h = harness
    await two_groups_and_admin(h)
    mark = len(h.api.sent)
    h.api.send_photo(ADMIN, ADMIN, f"/umumkan grup {OTHER_GROUP} | Jadwal layanan <baru>")
    preview = await h.api.wait_sent(ADMIN, "Pratinjau", after=mark)
    assert "1 grup" in preview.plain and "LO Kemenkes" in preview.plain
    assert "Lampiran: ada" in preview.plain and "Jadwal layanan <baru>" in preview.plain
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    photo = await h.api.wait_for(lambda s: s.method == "sendPhoto" and s.chat_id == OTHER_GROUP)
    assert "Jadwal layanan <baru>" in photo.plain
    await h.settle()
    assert [s for s in h.api.sent_to(GROUP) if "Jadwal" in s.plain] == []

    # An LO's "semua" reaches only their own groups; a cancelled draft sends nothing.
    preview = await h.say(LO2, LO2, "/umumkan semua\nRapat internal")
    assert "1 grup" in preview.plain and "LO Kemenkes" in preview.plain
    no = next(b for b in preview.buttons if b["callback_data"].endswith(":no"))
    h.api.press(LO2, LO2, preview.message["message_id"], no["callback_data"])
    await h.settle()
    assert [s for s in h.api.sent_to(OTHER_GROUP) if "Rapat internal" in s.plain] == []
    assert any("dibatalkan" in s.plain for s in h.api.sent_to(LO2))
    usage = await h.say(LO2, LO2, "/umumkan")
    assert "Format pengumuman" in usage.plain


def status_edits(h: Harness, after: int = 0) -> list[Sent]:
    return [s for s in h.api.sent[after:] if s.method == "editMessageText" and s.chat_id == ADMIN]


async def test_broadcast_progress_goes_on_after_a_restart(harness: Harness) -> None:
    """The status message is edited from the database: after a restart too, only when the
    counts changed, at most one edit per EDIT_SECONDS, the finished counts last."""
    h = harness
    await staffed_office(h)
    chats = await fifty_groups(h)
    await h.say(ADMIN, ADMIN, "/start")
    preview = await h.say(ADMIN, ADMIN, "/umumkan semua\nRapat koordinasi satker")
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    # Two groups meet flood control: one for 5 s, one for 30 s (on the fake clock).
    for chat, wait in ((chats[3], 5), (chats[4], 30)):
        h.api.fail_next("sendMessage", 429, f"Too Many Requests: retry after {wait}", wait, chat)
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    await h.api.wait_for(lambda s: "Rapat koordinasi" in s.plain and s.chat_id < -1999)
    assert "Sedang mengirim" in status_edits(h)[0].plain  # the preview became the status
    await h.restart()
    mark = len(h.api.sent)
    await h.tick()
    assert status_edits(h, mark) == []  # the counts moved, but the last edit was just now
    for _ in range(40):  # a tick a second, twice each: nothing else moves the clock
        h.clock.advance(seconds=1)
        await h.tick()
        await h.tick()
    edits = status_edits(h, mark)
    assert len(edits) >= 2 and "Sedang mengirim" in edits[0].plain
    assert "Pengiriman selesai" in edits[-1].plain and "terkirim 51, gagal 0" in edits[-1].plain
    assert all(a.plain != b.plain for a, b in pairwise(edits))
    assert len([e for e in edits if "Pengiriman selesai" in e.plain]) == 1
    # Every edit went through the outbox and was taken; none closer than EDIT_SECONDS.
    rows = await sql.rows(
        h.services.db.reader,
        "SELECT status, sent_at FROM outbox WHERE key LIKE 'bc:1:progress:%' ORDER BY id",
    )
    assert [r["status"] for r in rows] == ["sent"] * len(edits)
    times = [parse_ts(r["sent_at"]) for r in rows]
    assert all((b - a).total_seconds() >= EDIT_SECONDS for a, b in pairwise(times))
    # Finished: later ticks edit nothing more.
    mark = len(h.api.sent)
    h.clock.advance(seconds=60)
    await h.tick()
    await h.restart()
    await h.tick()
    assert status_edits(h, mark) == []
    # The same edit again (a crash inside the send window): Telegram answers "message is
    # not modified", and the row counts as done rather than failed.
    async with h.services.db.transaction() as tx:
        again = "bc:1:progress:again"
        message_id = preview.message["message_id"]
        await outbox.enqueue(
            tx, again, ADMIN, edits[-1].text, h.clock.now(), edit_message_id=message_id
        )
    await h.tick()
    row = await sql.one(h.services.db.reader, "SELECT status FROM outbox WHERE key = ?", [again])
    assert row["status"] == "sent" and status_edits(h, mark) == []


def long_csv(*satker: str, count: int, first: int = 0) -> str:
    """More lines per satker than fit in a message: each group gets a CSV file."""
    rows = [
        f"{kode};26101130{first + 100 * k + i:07d};01/12/2026;1000;Belanja {i}"
        for k, kode in enumerate(satker)
        for i in range(count)
    ]
    return "Kode Satker;Nomor SP2D;Tanggal;Nilai;Uraian\n" + "\n".join(rows) + "\n"


async def outbox_status(h: Harness, key: str) -> str:
    row = await sql.one(h.services.db.reader, "SELECT status FROM outbox WHERE key = ?", [key])
    return str(row["status"])


def broadcast_files(h: Harness) -> list[Path]:
    root = h.settings.database.parent / "broadcasts"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_attachment_files_removed_once_no_row_needs_them(harness: Harness) -> None:
    h = harness
    await two_groups_and_admin(h)
    # 40 lines each for two groups: each group's list goes as its own CSV file.
    mark = len(h.api.sent)
    upload(h, ADMIN, "sp2d-panjang.csv", long_csv("123456", "654321", count=40))
    preview = await h.api.wait_sent(ADMIN, "Pratinjau berkas", after=mark)
    assert len(broadcast_files(h)) == 2
    # One group meets flood control for a minute: its row still needs its file.
    h.api.fail_next("sendDocument", 429, "Too Many Requests: retry after 60", 60, OTHER_GROUP)
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    await h.api.wait_for(lambda s: s.method == "sendDocument" and s.chat_id == GROUP)
    ticks_while_pending = 0
    for i in range(10):  # a tick every 20 s (and a restart) until the last row went out
        if await outbox_status(h, outbox_key(1, OTHER_GROUP)) != "pending":
            break
        assert len(broadcast_files(h)) == 2  # that row still needs its file
        if i == 1:
            await h.restart()
        h.clock.advance(seconds=20)
        await h.tick()
        ticks_while_pending += 1
    assert ticks_while_pending >= 2
    assert await outbox_status(h, outbox_key(1, OTHER_GROUP)) == "sent"
    await h.tick()  # the broadcast is finished: its files go
    root = h.settings.database.parent / "broadcasts"
    assert broadcast_files(h) == [] and list(root.iterdir()) == []  # its folder went too

    # A draft left unconfirmed keeps its file for a week, then expires with it.
    mark = len(h.api.sent)
    upload(h, ADMIN, "sp2d-draf.csv", long_csv("123456", count=35, first=500))
    draft = await h.api.wait_sent(ADMIN, "Pratinjau berkas", after=mark)
    h.clock.advance(days=6)
    await h.tick()
    assert len(broadcast_files(h)) == 1
    h.clock.advance(days=1, seconds=1)
    await h.tick()
    assert broadcast_files(h) == []
    answer = await press(h, ADMIN, ADMIN, draft)  # "Kirim", a week late
    assert "sudah dikonfirmasi atau dibatalkan" in answer["text"]
    await h.tick()
    assert len([s for s in h.api.sent_to(GROUP) if s.method == "sendDocument"]) == 1


async def test_group_csv_holds_no_formula(harness: Harness) -> None:
    """Issue 18, item 3: an export whose nomor, uraian and satker name look like formulas
    gives the group a CSV in which no field starts a formula."""
    h = harness
    await two_groups_and_admin(h)
    async with h.services.db.transaction() as tx:
        await groups_repo.add_satker(tx, GROUP, "123456", '=HYPERLINK("http://x","klik")')
    rows = [
        f'123456;=1+{i};01/12/2026;1000;"=HYPERLINK(""http://x"",""klik"") belanja {i}"'
        for i in range(35)
    ]
    content = "Kode Satker;Nomor SP2D;Tanggal;Nilai;Uraian\n" + "\n".join(rows) + "\n"
    mark = len(h.api.sent)
    upload(h, ADMIN, "sp2d-rumus.csv", content)
    preview = await h.api.wait_sent(ADMIN, "Pratinjau berkas", after=mark)
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    sent = await h.api.wait_for(lambda s: s.method == "sendDocument" and s.chat_id == GROUP)
    text = h.api.files[sent.message["document"]["file_id"]].decode("utf-8-sig")
    fields = [f for row in csv.reader(io.StringIO(text), delimiter=";") for f in row]
    assert len(fields) == 6 * 36
    assert [f for f in fields if f[:1] in "=+-@"] == []
    assert fields.count('\'=HYPERLINK("http://x","klik")') == 35  # the satker name
    assert "'=1+7" in fields


async def test_hostile_workbook_answered_at_once(harness: Harness) -> None:
    """Issue 18, item 4: a 0.5 MB workbook with a value in column XFD on 20,000 rows took
    31 s and 2.5 GiB; the uploader now hears at once which cell is out of bounds, and the
    bot keeps answering others meanwhile."""
    h = harness
    await two_groups_and_admin(h)
    mark = len(h.api.sent)
    started = time.monotonic()
    upload(h, ADMIN, "omspan.xlsx", hostile.xfd_every_row(20_000))
    refusal = await h.api.wait_sent(ADMIN, "belum dapat diproses", after=mark, timeout=5)
    assert time.monotonic() - started < 5
    assert "Baris 2, kolom XFD: ada isi di luar 64 kolom pertama" in refusal.plain
    await h.settle()
    assert group_texts(h, GROUP, "SP2D") == []


async def test_error_flood_is_one_message_and_a_file(harness: Harness) -> None:
    """Issue 18, item 5: 1,000 bad rows, each with a 2,000-character value, gave message
    after message quoting every value whole; now one message quotes at most 60
    characters per value for the first errors, and the full list comes as one file."""
    h = harness
    await two_groups_and_admin(h)
    rows = [f"123456;{i};01/12/2026;{'9' * 1000}abc{'x' * 997};u" for i in range(1_000)]
    content = "Kode Satker;Nomor SP2D;Tanggal;Nilai;Uraian\n" + "\n".join(rows) + "\n"
    mark = len(h.api.sent)
    upload(h, ADMIN, "sp2d-banjir.csv", content)
    document = await h.api.wait_for(
        lambda s: s.method == "sendDocument" and s.chat_id == ADMIN, timeout=10
    )
    await h.settle()
    texts = [s for s in h.api.sent[mark:] if s.chat_id == ADMIN and s.method == "sendMessage"]
    assert len(texts) == 1
    [refusal] = texts
    assert len(refusal.text) <= 4096
    bullets = [line for line in refusal.plain.splitlines() if line.startswith("• ")]
    assert 1 <= len(bullets) <= 20
    assert bullets[0] == "• Baris 2: nilai '" + "9" * 59 + "…' bukan angka rupiah"
    assert f"dan {1_000 - len(bullets)} kesalahan lainnya" in refusal.plain.replace(".", "")
    assert "1.000 kesalahan" in document.plain
    listed = h.api.files[document.message["document"]["file_id"]].decode().splitlines()
    assert len([line for line in listed if line.startswith("Baris ")]) == 1_000
    assert listed[-1] == "Baris 1001: nilai '" + "9" * 59 + "…' bukan angka rupiah"


async def test_one_huge_cell_gives_one_short_answer(harness: Harness) -> None:
    """The reported case: one cell of 4 MiB gave 1,077 messages."""
    h = harness
    await two_groups_and_admin(h)
    mark = len(h.api.sent)
    upload(h, ADMIN, "sp2d-besar.csv", hostile.long_cell_csv(4 * 1024 * 1024))
    refusal = await h.api.wait_sent(ADMIN, "belum dapat diproses", after=mark)
    await h.settle()
    assert [s for s in h.api.sent[mark:] if s.chat_id == ADMIN] == [refusal]
    assert "Baris 2: isi sel lebih dari 2.000 karakter" in refusal.plain
    assert len(refusal.text) < 500
