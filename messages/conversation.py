"""Texts of the conversation reading: the private "which ticket?" question, the asker's
own tickets, and the hint to staff who reply to a bot message that names no ticket."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from messages.format import esc, excerpt, fmt_short_datetime
from messages.tickets import no, status_word
from storage.models import AnswerDraft, Ticket

NO_ANSWER_DATA = 0


def draft_question(
    draft: AnswerDraft, candidates: tuple[Ticket, ...], group_title: str | None
) -> tuple[str, dict[str, Any]]:
    """To the staff member who wrote ``draft``: which ticket does it answer? One tap."""
    where = f" di grup <b>{esc(group_title)}</b>" if group_title else ""
    lines = [
        f"Pesan Bapak/Ibu{where}:",
        f"<i>{esc(excerpt(draft.text, 160))}</i>",
        "",
    ]
    if len(candidates) == 1:
        t = candidates[0]
        lines.append(f"Apakah ini jawaban untuk tiket <b>{no(t)}</b>?")
        lines.append(f"Pertanyaan: <i>{esc(excerpt(t.text, 120))}</i>")
    else:
        lines.append("Pesan ini jawaban untuk tiket yang mana?")
        for t in candidates:
            asker = f" ({esc(t.asker_name)})" if t.asker_name else ""
            lines.append(f"• <b>{no(t)}</b>{asker}: <i>{esc(excerpt(t.text, 80))}</i>")
    lines.append("")
    lines.append("Teksnya sudah kami simpan; Bapak/Ibu tidak perlu mengetik ulang.")
    rows: list[list[dict[str, str]]] = []
    if len(candidates) == 1:
        rows.append(
            [
                {
                    "text": f"✅ Ya, jawaban {no(candidates[0])}",
                    "callback_data": _data(draft, candidates[0].id),
                }
            ]
        )
    else:
        rows += [
            [{"text": f"Jawaban {no(t)}", "callback_data": _data(draft, t.id)}] for t in candidates
        ]
    rows.append([{"text": "Bukan jawaban", "callback_data": _data(draft, NO_ANSWER_DATA)}])
    return "\n".join(lines), {"inline_keyboard": rows}


def _data(draft: AnswerDraft, ticket_id: int) -> str:
    return f"cv:{draft.id}:{ticket_id}"


def draft_answered(t: Ticket) -> str:
    verdict = "tepat waktu" if t.on_time else "melewati batas waktu"
    return f"Terima kasih. Jawaban tiket {no(t)} telah dicatat ({verdict})."


def draft_held(t: Ticket) -> str:
    return f"Terima kasih. Tiket {no(t)} kami catat sedang diproses; batas waktunya tetap berjalan."


def draft_dismissed() -> str:
    return "Baik, pesan tersebut tidak kami catat sebagai jawaban."


def draft_already() -> str:
    return "Pilihan untuk pesan ini sudah tercatat sebelumnya."


def draft_not_yours() -> str:
    return "Mohon maaf, pilihan ini hanya untuk penulis pesan tersebut."


def own_tickets(tickets: list[Ticket], tz: ZoneInfo) -> str:
    """The asker's own recent tickets in this group, for "sudah dijawab belum?"."""
    if not tickets:
        return (
            "Mohon maaf Bapak/Ibu, kami belum menemukan pertanyaan Bapak/Ibu yang tercatat "
            "sebagai tiket di grup ini. Silakan tuliskan kembali pertanyaannya, kami bantu."
        )
    lines = ["Berikut pertanyaan Bapak/Ibu yang tercatat di grup ini:"]
    for t in tickets:
        when = fmt_short_datetime(t.created_at, tz)
        lines.append(
            f"• <b>{no(t)}</b> ({when}): {esc(excerpt(t.text, 70))} — <b>{status_word(t)}</b>"
        )
    lines.append("Rincian dan jawabannya dapat dilihat dengan <code>/tiket nomor</code>.")
    return "\n".join(lines)


def staff_reply_hint() -> str:
    return (
        "Pesan yang Bapak/Ibu balas tidak memuat nomor tiket. Untuk menjawab, balas pesan "
        "pemberitahuan tiketnya atau gunakan <code>/jawab nomor isi jawaban</code>."
    )
