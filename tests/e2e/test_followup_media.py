"""Follow-ups beyond plain text: a photo with a caption replying to a ticket's
conversation joins the ticket with its file, and after "Masih ada pertanyaan" the asker's
next message joins the reopened ticket even when it is not phrased as a question."""

from __future__ import annotations

from datetime import timedelta

from storage import tickets as repo
from tests.e2e.harness import Harness
from tests.e2e.test_tickets import after_digest_window, ask, ticket
from tests.e2e.world import GROUP, LO, OPERATOR, STRANGER, staffed_office


async def test_a_photo_reply_joins_the_ticket_with_its_file(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    bot_reply = next(s for s in h.api.sent if s.chat_id == GROUP and "#2026-0001" in s.plain)
    mark = len(h.api.sent)
    photo = h.api.send_photo(
        GROUP, OPERATOR, "Ini tangkapan layar <error>-nya pak", bot_reply.message["message_id"]
    )
    noted = await h.api.wait_sent(GROUP, "kami catat pada tiket", after=mark)
    assert noted.reply_to == photo["message_id"] and "#2026-0001" in noted.plain
    await after_digest_window(h)
    lo_note = await h.api.wait_sent(LO, "Keterangan tambahan", after=mark)
    assert "tangkapan layar <error>-nya" in lo_note.plain and "foto" in lo_note.plain
    await h.settle()
    assert await repo.get_by_number(h.services.db.reader, 1, "2026-0002") is None

    # /tiket in private shows the history and sends the follow-up's photo as well.
    mark = len(h.api.sent)
    h.api.say(LO, LO, "/tiket 2026-0001")
    detail = await h.api.wait_sent(LO, "Riwayat", after=mark)
    assert "tangkapan layar" in detail.plain
    shown = await h.api.wait_for(
        lambda s: s.method == "sendPhoto" and s.chat_id == LO and h.api.sent.index(s) >= mark
    )
    assert "2026-0001" in shown.plain and "Budi" in shown.plain


async def answered_then_reopened(h: Harness) -> None:
    """A staffed office; the operator's ticket is answered, then "Masih ada pertanyaan"."""
    await staffed_office(h)
    qid, _ = await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?")
    mark = len(h.api.sent)
    h.api.say(GROUP, LO, "Kode akun tidak sesuai DIPA, Pak. Silakan diperbaiki.", reply_to=qid)
    post = await h.api.wait_sent(GROUP, "telah dijawab oleh", after=mark)
    more = next(b for b in post.buttons if b["callback_data"].endswith(":more"))
    h.api.press(GROUP, OPERATOR, post.message["message_id"], more["callback_data"])
    await h.api.wait_sent(GROUP, "dibuka kembali", after=mark)
    await h.settle()
    assert (await ticket(h, "2026-0001")).status == "baru"


async def test_after_more_questions_the_next_message_joins_the_ticket(harness: Harness) -> None:
    h = harness
    await answered_then_reopened(h)
    # Thanks is not a follow-up; someone else's remark is not this asker's follow-up.
    await h.silent(GROUP, OPERATOR, "terima kasih pak")
    await h.silent(GROUP, STRANGER, "Kami juga mengalami hal yang sama kemarin")
    # The asker's next message, a statement rather than a question, joins the ticket.
    h.clock.advance(timedelta(minutes=5))
    mark = len(h.api.sent)
    follow = h.api.say(GROUP, OPERATOR, "Akun 521211 sudah sesuai DIPA revisi ke-2 pak")
    noted = await h.api.wait_sent(GROUP, "kami catat pada tiket", after=mark)
    assert noted.reply_to == follow["message_id"] and "#2026-0001" in noted.plain
    mark = len(h.api.sent)
    h.api.say(LO, LO, "/tiket 2026-0001")
    detail = await h.api.wait_sent(LO, "Riwayat", after=mark)
    assert "521211 sudah sesuai" in detail.plain
    # The window closes after that message: a later remark is the group's own talk.
    await h.silent(GROUP, OPERATOR, "Nanti kami kirim berkas fisiknya ke loket")
    assert await repo.get_by_number(h.services.db.reader, 1, "2026-0002") is None


async def test_the_window_after_more_questions_is_short(harness: Harness) -> None:
    h = harness
    await answered_then_reopened(h)
    h.clock.advance(timedelta(hours=2))
    await h.silent(GROUP, OPERATOR, "Akun 521211 sudah sesuai DIPA revisi ke-2 pak")
