"""The office reviews its FAQ in the bot (issue 20): the reviewer gets each entry with its
sources privately, approves or sends back with a note; the approval shows with the answer;
a content change makes the entry due again, with the diff; /faqstatus; answer-only-reviewed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from bot import faq
from storage import faq as faq_repo
from tests.e2e.buttons import press
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import CSO, GROUP, LO, OPERATOR, SUPERVISOR, staffed_office

QUESTION = "min, syarat pengajuan TUP apa aja ya?"


async def office_with_content(h: Harness, content: Path) -> None:
    shutil.copytree(faq.default_content_dir(), content)
    await h.stop()
    h.settings = replace(h.settings, faq_dir=content)
    await h.start()
    await staffed_office(h)
    reply = await h.say(ADMIN, ADMIN, "/beriperan peninjau @hendra_kasi")
    assert "diberikan" in reply.plain


async def answer_in_group(h: Harness) -> str:
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, QUESTION)
    return (await h.api.wait_sent(GROUP, "Tambahan Uang Persediaan", after=mark)).plain


async def test_review_approve_change_and_due_again(harness: Harness, tmp_path: Path) -> None:
    h = harness
    await office_with_content(h, tmp_path / "content")
    assert "belum ditinjau oleh KPPN" in await answer_in_group(h)

    # Not a reviewer: refused, nothing recorded.
    refused = await h.say(LO, LO, "/tinjaufaq tambahan-up")
    assert refused.plain.startswith("Mohon maaf")
    shown = await h.say(SUPERVISOR, SUPERVISOR, "/tinjaufaq tambahan-up")
    assert "Tinjauan FAQ: Tambahan Uang Persediaan (TUP)" in shown.plain
    assert "Belum pernah ditinjau" in shown.plain and "Sumber: " in shown.plain
    assert "[Persyaratan]" in shown.plain and "Dasar hukum:" in shown.plain
    answer = await press(h, SUPERVISOR, SUPERVISOR, shown)
    assert "text" not in answer or not answer.get("show_alert")
    rows = await faq_repo.reviews(h.services.db.reader)
    assert [(r["entry_id"], r["decision"], r["reviewer_name"]) for r in rows] == [
        ("tambahan-up", "disetujui", "Hendra")
    ]
    assert "Ditinjau oleh Hendra, Senin, 23 November 2026" in await answer_in_group(h)

    # A restart keeps the review (it is in the database, not in memory).
    await h.restart()
    assert "Ditinjau oleh Hendra" in await answer_in_group(h)
    status = await h.say(CSO, CSO, "/faqstatus")
    assert "ditinjau 1" in status.plain and "belum pernah ditinjau 27" in status.plain

    # The content changes: the entry is due again; the reviewer sees what changed.
    path = tmp_path / "content" / "tambahan-up.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("paling lama 1 (satu) bulan", "paling lama 2 (dua) bulan"))
    assert "28 entri" in (await h.say(ADMIN, ADMIN, "/muatfaq")).plain
    assert "belum ditinjau oleh KPPN" in await answer_in_group(h)
    status = await h.say(CSO, CSO, "/faqstatus")
    assert "perlu ditinjau ulang 1" in status.plain and "ditinjau 0" in status.plain
    again = await h.say(SUPERVISOR, SUPERVISOR, "/tinjaufaq")
    assert "Tinjauan FAQ: Tambahan Uang Persediaan (TUP)" in again.plain  # due comes first
    assert "Perubahan sejak disetujui Hendra" in again.plain
    assert "− " in again.plain and "1 (satu) bulan" in again.plain.split("Perubahan")[1]
    assert "+ " in again.plain and "2 (dua) bulan" in again.plain.split("Perubahan")[1]

    # Sent back with a note: recorded, not offered again until the text changes.
    back = await h.say(SUPERVISOR, SUPERVISOR, "/kembalikanfaq tambahan-up Batas waktu dicek lagi.")
    assert "dikembalikan dengan catatan" in back.plain
    status = await h.say(CSO, CSO, "/faqstatus")
    assert "dikembalikan 1" in status.plain and "Batas waktu dicek lagi." in status.plain
    nxt = await h.say(SUPERVISOR, SUPERVISOR, "/tinjaufaq")
    assert "Tambahan Uang Persediaan" not in nxt.plain.split("\n")[0]


async def test_a_stale_approve_button_records_nothing(harness: Harness, tmp_path: Path) -> None:
    h = harness
    await office_with_content(h, tmp_path / "content")
    shown = await h.say(SUPERVISOR, SUPERVISOR, "/tinjaufaq tambahan-up")
    path = tmp_path / "content" / "tambahan-up.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1 (satu) bulan", "dua bulan"))
    await h.say(ADMIN, ADMIN, "/muatfaq")
    answer = await press(h, SUPERVISOR, SUPERVISOR, shown)
    assert "berubah sejak pesan tinjauan dikirim" in answer["text"]
    assert await faq_repo.reviews(h.services.db.reader) == []


async def test_only_reviewed_entries_answer_when_the_setting_is_on(
    harness: Harness, tmp_path: Path
) -> None:
    h = harness
    await office_with_content(h, tmp_path / "content")
    await h.stop()
    h.settings = replace(h.settings, faq_only_reviewed=True)
    await h.start()
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, QUESTION)
    ticket = await h.api.wait_sent(GROUP, "tiket", after=mark)  # no answer: a ticket
    assert "Tambahan Uang Persediaan" not in ticket.plain
    shown = await h.say(SUPERVISOR, SUPERVISOR, "/tinjaufaq tambahan-up")
    await press(h, SUPERVISOR, SUPERVISOR, shown)
    assert "Ditinjau oleh Hendra" in await answer_in_group(h)
