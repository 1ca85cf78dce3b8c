"""The FAQ in a group, through the fake Bot API."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from bot import faq
from storage import tickets as tickets_repo
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import GROUP, LO, OPERATOR, STRANGER, registered_group


async def test_question_answered_from_faq_with_aspects_and_votes(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    await h.say(GROUP, OPERATOR, "/operator 123456")

    mark = len(h.api.sent)
    question = h.api.say(GROUP, OPERATOR, "min, syarat pengajuan TUP apa aja ya?")
    answer = await h.api.wait_sent(GROUP, "Tambahan Uang Persediaan", after=mark)
    assert answer.reply_to == question["message_id"]
    assert "Persyaratan" in answer.plain and "Surat permohonan TUP" in answer.plain
    data = [b["callback_data"] for b in answer.buttons]
    assert any(d.startswith("fv:") and d.endswith(":n") for d in data)
    assert all(len(d.encode()) <= 64 for d in data)
    assert await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001") is None

    # Another aspect, by button: the same message now shows the completion time.
    waktu = next(b["callback_data"] for b in answer.buttons if b["text"] == "Waktu penyelesaian")
    h.api.press(GROUP, OPERATOR, answer.message["message_id"], waktu)
    edited = await h.api.wait_for(lambda s: s.method == "editMessageText")
    assert "1 (satu) bulan" in edited.plain

    # Only the asker votes; "Belum terjawab" turns the question into a ticket.
    edited_buttons = [b["callback_data"] for b in edited.buttons]
    belum = next(d for d in edited_buttons if d.startswith("fv:") and d.endswith(":n"))
    h.api.press(GROUP, STRANGER, answer.message["message_id"], belum)
    await h.settle()
    assert await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001") is None
    mark = len(h.api.sent)
    h.api.press(GROUP, OPERATOR, answer.message["message_id"], belum)
    ticket_reply = await h.api.wait_sent(GROUP, "#2026-0001", after=mark)
    assert ticket_reply.reply_to == question["message_id"]
    ticket = await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001")
    assert ticket is not None and ticket.text == "min, syarat pengajuan TUP apa aja ya?"
    assert ticket.kode_satker == "123456"
    assert h.api.refusals == []


async def test_chit_chat_and_unknown_questions(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    social = ("apa kabar", "Apa kabar semuanya? Siapa yang piket hari ini?")
    for text in ("terima kasih min 🙏", "siap pak", "ok noted", "selamat pagi bapak ibu", *social):
        await h.silent(GROUP, OPERATOR, text)
    # A question outside the office's services (issue 17): no FAQ answer, no ticket; put
    # to the office it is logged for the content's curators; said to the group it is chat.
    await h.silent(GROUP, OPERATOR, "mohon info cara membuat paspor di mana ya?")
    await h.silent(GROUP, OPERATOR, "ada yang tahu resep rendang yang enak?")
    assert await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001") is None
    listing = await h.say(ADMIN, ADMIN, "/faqgagal")
    assert "paspor" in listing.plain and "resep rendang" not in listing.plain
    # A question about a service the FAQ does not cover becomes a ticket.
    reply = await h.say(GROUP, OPERATOR, "bagaimana cara mengurus tunjangan anak pegawai?")
    assert "#2026-0001" in reply.plain


async def test_faq_command_browse_and_search(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    menu = await h.say(STRANGER, STRANGER, "/faq")
    assert "kategori" in menu.plain and len(menu.buttons) >= 5
    h.api.press(STRANGER, STRANGER, menu.message["message_id"], menu.buttons[0]["callback_data"])
    category = await h.api.wait_for(lambda s: s.method == "editMessageText")
    assert category.buttons
    found = await h.say(STRANGER, STRANGER, '/faq lupa "password" sakti AND NEAR(')
    assert "Hasil pencarian" in found.plain
    assert any(b["callback_data"].startswith("fa:sakti-akses") for b in found.buttons)
    none = await h.say(STRANGER, STRANGER, "/faq resep rendang")
    assert none.plain.startswith("Mohon maaf")


async def test_admin_reload_refuses_broken_content(harness: Harness, tmp_path: Path) -> None:
    h = harness
    content = tmp_path / "content"
    shutil.copytree(faq.default_content_dir(), content)
    await h.stop()
    h.settings = replace(h.settings, faq_dir=content)
    await h.start()
    await registered_group(h)
    reply = await h.say(ADMIN, ADMIN, "/muatfaq")
    assert "28 entri" in reply.plain
    path = content / "tambahan-up.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "judul:"), encoding="utf-8")
    reply = await h.say(ADMIN, ADMIN, "/muatfaq")
    assert "tidak" in reply.plain and "tambahan-up.yaml" in reply.plain
    assert "kolom 'title'" in reply.plain
    refused = await h.say(OPERATOR, OPERATOR, "/muatfaq")
    assert refused.plain.startswith("Mohon maaf")
    # The previous content still answers.
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, "min, syarat pengajuan TUP apa aja ya?")
    await h.api.wait_sent(GROUP, "Tambahan Uang Persediaan", after=mark)


async def test_private_free_text_gets_an_answer_or_a_pointer(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    answer = await h.say(STRANGER, STRANGER, "lupa password sakti gimana ya?")
    assert "Akses dan Kendala Pengguna SAKTI" in answer.plain
    hint = await h.say(STRANGER, STRANGER, "halo bot")
    assert "/faq" in hint.plain and "grup LO" in hint.plain


async def test_close_entries_get_a_question_back_with_buttons(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    mark = len(h.api.sent)
    question = h.api.say(GROUP, OPERATOR, "syarat gup atau tup apa ya?")
    ask = await h.api.wait_sent(GROUP, "maksud Bapak/Ibu", after=mark)
    assert ask.reply_to == question["message_id"]
    assert "TUP" in ask.plain and "GUP" in ask.plain
    data = [b["callback_data"] for b in ask.buttons]
    assert all(len(d.encode()) <= 64 for d in data)
    assert any(d.startswith("fv:") and d.endswith(":n") for d in data)  # "Bukan semuanya"
    tup = next(d for d in data if d.endswith(":tambahan-up"))
    # Somebody else cannot choose for the asker; every press is answered.
    answered_before = len([c for c in h.api.calls if c[0] == "answered"])
    h.api.press(GROUP, STRANGER, ask.message["message_id"], tup)
    await h.settle()
    assert len([c for c in h.api.calls if c[0] == "answered"]) == answered_before + 1
    h.api.press(GROUP, OPERATOR, ask.message["message_id"], tup)
    edited = await h.api.wait_for(lambda s: s.method == "editMessageText")
    assert "Tambahan Uang Persediaan" in edited.plain and "Persyaratan" in edited.plain
    assert any(b["callback_data"].startswith("fv:") for b in edited.buttons)
    assert len([c for c in h.api.calls if c[0] == "answered"]) == answered_before + 2
    # No ticket was opened for a question the FAQ handled.
    assert await tickets_repo.get_by_number(h.services.db.reader, 1, "2026-0001") is None


async def test_restart_with_unchanged_content_loads_the_stored_index(harness: Harness) -> None:
    h = harness
    first = h.services.faq
    await h.restart()
    again = h.services.faq
    assert again is not first and again.entries.keys() == first.entries.keys()
    assert again.match.weights == first.match.weights


async def test_lo_answer_becomes_an_faq_entry_with_one_button(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    question = "apakah biaya paket meeting fullboard di hotel boleh dibayar sebelum acara selesai?"
    reply = await h.say(GROUP, OPERATOR, question)
    assert "#2026-0001" in reply.plain

    # The LO answers privately; the confirmation carries "Jadikan FAQ".
    await h.settle()
    mark = len(h.api.sent)
    h.api.say(LO, LO, "/jawab 2026-0001 Boleh, selama bukti pemesanan dari hotel sudah lengkap.")
    confirm = await h.api.wait_sent(LO, "telah dicatat", after=mark)
    button = next(b for b in confirm.buttons if b["text"].endswith("Jadikan FAQ"))
    assert len(button["callback_data"].encode()) <= 64
    # Only someone who may answer the ticket can propose it; every press is answered.
    h.api.press(LO, OPERATOR, confirm.message["message_id"], button["callback_data"])
    h.api.press(LO, LO, confirm.message["message_id"], button["callback_data"])
    await h.settle()
    answers = [c[1] for c in h.api.calls if c[0] == "answered"]
    assert any("hanya petugas" in str(a.get("text")) for a in answers)
    assert any("Draf FAQ #1" in str(a.get("text")) for a in answers)

    # Not for operators; the admin sees the draft and approves it.
    refused = await h.say(OPERATOR, OPERATOR, "/faqdraf")
    assert refused.plain.startswith("Mohon maaf")
    listing = await h.say(ADMIN, ADMIN, "/faqdraf")
    assert "#1" in listing.plain and "fullboard" in listing.plain
    approve = next(b["callback_data"] for b in listing.buttons if b["text"].startswith("✅"))
    mark = len(h.api.sent)
    h.api.press(ADMIN, ADMIN, listing.message["message_id"], approve)
    approved = await h.api.wait_sent(ADMIN, "Draf disetujui", after=mark)
    assert "id: lo-1" in approved.plain and "fullboard" in approved.plain
    assert "LENGKAPI" in approved.plain  # the reviewer completes the other aspects

    # The same question, asked again, is now answered from the FAQ with the LO's words,
    # though the learned reader (which never saw the LO's entry) takes this wording for chat.
    mark = len(h.api.sent)
    h.api.say(
        GROUP, STRANGER, "paket meeting fullboard di hotel boleh dibayar sebelum acaranya selesai?"
    )
    answer = await h.api.wait_sent(GROUP, "Jawaban LO", after=mark)
    assert "selama bukti pemesanan dari hotel sudah lengkap" in answer.plain
    # The learned entry survives a restart (it lives in the database, inside the content hash).
    await h.restart()
    assert "lo-1" in h.services.faq.entries


async def test_unanswered_questions_are_grouped_by_theme(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    for text in (
        "bagaimana cara mengesahkan hibah langsung berupa uang?",
        "hibah langsung berupa uang kapan harus disahkan?",
    ):
        await h.say(GROUP, OPERATOR, text)
    await h.silent(GROUP, OPERATOR, "mohon info cara membuat paspor di mana ya?")
    listing = await h.say(ADMIN, ADMIN, "/faqgagal")
    assert "per tema" in listing.plain
    lines = listing.plain.splitlines()
    first_theme = next(line for line in lines if "pertanyaan, terakhir" in line)
    assert first_theme.split(" — ")[1].startswith("2 pertanyaan")
    assert "paspor" in listing.plain
