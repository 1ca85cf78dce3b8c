"""Texts for consultation tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from messages.format import (
    TELEGRAM_TEXT_LIMIT,
    esc,
    excerpt,
    fmt_datetime,
    fmt_hours,
    fmt_short_datetime,
    greeting,
)
from messages.groups import user_label, user_name
from storage.models import ANSWERED, Ticket, User

STATUS = {
    "baru": "menunggu jawaban",
    "dijawab": "sudah dijawab",
    "selesai": "selesai",
    "bukan_pertanyaan": "ditutup (bukan pertanyaan)",
}
CHANNEL = {
    "grup": "grup LO",
    "meja_layanan": "meja layanan",
    "telepon": "telepon",
    "surat": "surat",
    "email": "e-mail",
    "whatsapp": "WhatsApp",
}
EVENT = {
    "dibuka": "dibuka",
    "dijawab": "dijawab",
    "diproses": "sedang diproses",
    "dibuka_kembali": "dibuka kembali oleh penanya",
    "selesai": "dinyatakan selesai oleh penanya",
    "dinilai": "dinilai penanya",
    "dialihkan": "dialihkan",
    "tambahan": "keterangan tambahan",
    "dipisah": "pertanyaan lanjutan dipisah menjadi tiket baru",
    "bukan_pertanyaan": "ditutup sebagai bukan pertanyaan",
    "ditutup_otomatis": "ditutup otomatis",
    "remind0": "pengingat pertama ke LO",
    "remind1": "pengingat kedua ke LO",
    "remind2": "pengingat ketiga ke LO",
    "alert1": "peringatan ke supervisor",
    "alert2": "eskalasi ke kepala kantor",
}


def status_word(t: Ticket) -> str:
    if t.status == "baru" and t.progress_at is not None:
        return "sedang diproses (belum dijawab)"
    return STATUS[t.status]


def no(t: Ticket) -> str:
    return f"#{t.number}"


@dataclass(frozen=True)
class TicketContext:
    ticket: Ticket
    group_title: str | None
    satker_name: str | None
    lo: User | None
    tz: ZoneInfo

    def lines(self, *, with_lo: bool = True) -> list[str]:
        t = self.ticket
        satker = t.kode_satker or "-"
        if self.satker_name:
            satker = f"{t.kode_satker} {self.satker_name}"
        where = self.group_title or CHANNEL.get(t.channel, t.channel)
        out = [
            f"Grup/kanal: {esc(where)}",
            f"Satker: {esc(satker)}",
            f"LO: {user_label(self.lo) if self.lo else '-'}",
            f"Batas waktu: {fmt_datetime(t.due_at, self.tz)}",
            f"Pertanyaan: <i>{esc(excerpt(t.text, 200))}</i>",
        ]
        if not with_lo:
            del out[2]
        if t.attachment_kind:
            out.append(
                f"Lampiran: ada ({attachment_word(t)}); lihat <code>/tiket {t.number}</code>"
            )
        return out


def attachment_word(t: Ticket) -> str:
    return "foto" if t.attachment_kind == "photo" else "dokumen"


def opened(
    t: Ticket,
    lo: User | None,
    starts: datetime | None,
    now: datetime,
    tz: ZoneInfo,
    office: str = "KPPN",
) -> str:
    lines = [
        f"{greeting(now, tz)} Bapak/Ibu, terima kasih telah menghubungi {esc(office)}.",
        f"Pertanyaan telah kami catat sebagai tiket <b>{no(t)}</b>.",
        f"LO yang menangani: {user_label(lo) if lo else 'petugas KPPN'}",
        f"Batas waktu jawaban: <b>{fmt_datetime(t.due_at, tz)}</b>",
    ]
    if starts is not None:
        lines.append(
            f"Saat ini di luar jam layanan; penghitungan waktu dimulai {fmt_datetime(starts, tz)}."
        )
    return "\n".join(lines)


def recorded(t: Ticket, starts: datetime | None, tz: ZoneInfo) -> str:
    lines = [
        f"Pertanyaan dari {CHANNEL[t.channel]} telah dicatat sebagai tiket <b>{no(t)}</b>.",
        f"Satker: {esc(t.kode_satker or '-')}",
        f"Batas waktu jawaban: <b>{fmt_datetime(t.due_at, tz)}</b>",
        f"Jawab dengan <code>/jawab {t.number} isi jawaban</code>.",
    ]
    if starts is not None:
        lines.append(f"Penghitungan waktu dimulai {fmt_datetime(starts, tz)}.")
    return "\n".join(lines)


def lo_new_ticket(t: Ticket, group_title: str, tz: ZoneInfo) -> str:
    return "\n".join(
        [
            f"Tiket baru <b>{no(t)}</b> di grup <b>{esc(group_title)}</b>.",
            f"Dari: {esc(t.asker_name or '-')} (satker {esc(t.kode_satker or '-')})",
            f"Pertanyaan: <i>{esc(excerpt(t.text, 300))}</i>",
            f"Batas waktu: {fmt_datetime(t.due_at, tz)}",
            "Tekan <b>Jawab</b> atau balas pesan ini untuk menjawab; jawaban dikirim ke grup.",
        ]
    )


def notice_buttons_for(tickets: list[tuple[int, str]]) -> dict[str, Any]:
    """One row per (id, number): answer it (a ForceReply prompt) or mark it in progress."""
    return {
        "inline_keyboard": [
            [
                {"text": f"✍️ Jawab #{number}", "callback_data": f"jw:{tid}"},
                {"text": "⏳ Diproses", "callback_data": f"jp:{tid}"},
            ]
            for tid, number in tickets
        ]
    }


def followup_noted(t: Ticket, offer_split: bool) -> str:
    text = (
        f"Terima kasih, Bapak/Ibu. Keterangan ini kami catat pada tiket <b>{no(t)}</b> dan "
        "kami teruskan kepada LO."
    )
    if offer_split:
        text += " Bila ini pertanyaan baru, mohon tekan tombol di bawah."
    return text


def split_buttons(followup_id: int) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": "🆕 Ini pertanyaan baru", "callback_data": f"ts:{followup_id}"}]
        ]
    }


_KIND_WORD = {"photo": "foto", "document": "dokumen"}


def _with_file(attachment: tuple[str, str] | None) -> str:
    return f" (dengan {_KIND_WORD.get(attachment[0], 'berkas')})" if attachment else ""


def lo_followup(t: Ticket, by: User, text: str, attachment: tuple[str, str] | None = None) -> str:
    lines = [
        f"Keterangan tambahan untuk tiket <b>{no(t)}</b> dari {user_label(by)}"
        f"{_with_file(attachment)}:",
        f"<i>{esc(excerpt(text, 300))}</i>",
    ]
    if attachment:
        lines.append(f"Lampirannya dapat dilihat dengan <code>/tiket {t.number}</code>.")
    lines.append("Tekan <b>Jawab</b> atau balas pesan ini untuk menjawab.")
    return "\n".join(lines)


def answer_prompt(t: Ticket) -> str:
    return (
        f"Silakan tulis jawaban untuk tiket <b>{no(t)}</b> sebagai balasan pesan ini.\n"
        f"Pertanyaan: <i>{esc(excerpt(t.text, 200))}</i>"
    )


def answer_prompt_markup(t: Ticket) -> dict[str, Any]:
    return {"force_reply": True, "input_field_placeholder": f"Jawaban tiket {no(t)}"}


def several_tickets() -> str:
    return (
        "Pesan tersebut memuat beberapa tiket. Mohon tekan tombol <b>Jawab</b> pada tiket yang "
        "dimaksud, atau tulis <code>/jawab nomor isi jawaban</code>."
    )


def _line(icon: str, t: Ticket, what: str) -> str:
    return f"{icon} <b>{no(t)}</b> — {what}: <i>{esc(excerpt(t.text, 70))}</i>"


def new_ticket_line(t: Ticket, group_title: str, tz: ZoneInfo) -> str:
    due = fmt_short_datetime(t.due_at, tz)
    return _line("🆕", t, f"baru di {esc(excerpt(group_title, 40))}, batas {due}")


def reopened_line(t: Ticket, tz: ZoneInfo) -> str:
    return _line("🔁", t, f"dibuka kembali, batas {fmt_short_datetime(t.due_at, tz)}")


def assigned_line(t: Ticket, tz: ZoneInfo) -> str:
    return _line("➡️", t, f"dialihkan kepada Bapak/Ibu, batas {fmt_short_datetime(t.due_at, tz)}")


def followup_line(t: Ticket, by: User, text: str, attachment: tuple[str, str] | None = None) -> str:
    return (
        f"💬 <b>{no(t)}</b> — tambahan dari {user_name(by)}{_with_file(attachment)}: "
        f"<i>{esc(excerpt(text, 70))}</i>"
    )


def reminder_line(ctx: TicketContext, hours_left: float) -> str:
    left = f"sisa {fmt_hours(hours_left)}" if hours_left >= 0.1 else "batas waktu tiba"
    return _line("⏰", ctx.ticket, f"mohon dijawab, {left}")


def alert_line(ctx: TicketContext, level: int, hours_late: float) -> str:
    lo = user_name(ctx.lo) if ctx.lo else "-"
    what = "lewat batas" if level == 1 else "eskalasi"
    return _line("⚠️", ctx.ticket, f"{what} {fmt_hours(hours_late)}, LO {lo}")


def lo_reopened(t: Ticket, tz: ZoneInfo) -> str:
    return (
        f"Tiket <b>{no(t)}</b> dibuka kembali: penanya masih memiliki pertanyaan.\n"
        f"Batas waktu baru: {fmt_datetime(t.due_at, tz)}"
    )


def lo_assigned(t: Ticket, tz: ZoneInfo) -> str:
    return (
        f"Tiket <b>{no(t)}</b> dialihkan kepada Bapak/Ibu.\n"
        f"Pertanyaan: <i>{esc(excerpt(t.text, 300))}</i>\n"
        f"Batas waktu: {fmt_datetime(t.due_at, tz)}"
    )


def reminder(ctx: TicketContext, hours_left: float) -> str:
    """To whoever must act (the LO or their backup): what to do, by when."""
    t = ctx.ticket
    left = (
        f"Sisa waktu {fmt_hours(hours_left)} kerja."
        if hours_left >= 0.1
        else "Batas waktunya sudah tiba."
    )
    held = " (sudah ditandai sedang diproses)" if t.progress_at is not None else ""
    return "\n".join(
        [
            f"Pengingat: mohon jawab tiket <b>{no(t)}</b>{held}. {left}",
            *ctx.lines(with_lo=False),
            "Tekan <b>Jawab</b> atau balas pesan ini untuk menjawab.",
        ]
    )


def alert(ctx: TicketContext, level: int, hours_late: float) -> str:
    t = ctx.ticket
    head = (
        f"⚠️ Tiket <b>{no(t)}</b> melewati batas waktu dan belum dijawab."
        if level == 1
        else f"⚠️ Eskalasi: tiket <b>{no(t)}</b> masih belum dijawab."
    )
    return "\n".join([head, f"Terlambat: {fmt_hours(hours_late)} kerja.", *ctx.lines()])


def progress_post(t: Ticket, by: User, note: str, tz: ZoneInfo) -> str:
    return (
        f"Tiket <b>{no(t)}</b> sedang diproses oleh {user_label(by)}: <i>{esc(note)}</i>\n"
        f"Jawaban kami sampaikan paling lambat {fmt_datetime(t.due_at, tz)}. Terima kasih atas "
        "kesabaran Bapak/Ibu."
    )


def progress_noted(t: Ticket, tz: ZoneInfo) -> str:
    return (
        f"Tiket <b>{no(t)}</b> ditandai sedang diproses; penanya telah diberi tahu. "
        f"Batas waktu jawaban tetap {fmt_datetime(t.due_at, tz)}."
    )


def proses_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n<code>/proses 2026-0042 sedang kami cek ke "
        "seksi bank</code>\nTiket tetap terbuka dan batas waktunya tidak berubah."
    )


def asker_prompt(t: Ticket) -> str:
    """The last line under an answer: what the asker may still do, never a stale request."""
    if t.status == ANSWERED:
        return (
            "Bapak/Ibu penanya, mohon pilih <b>Selesai</b> bila sudah terjawab, dan beri nilai "
            "layanan kami."
        )
    if t.rating:
        return f"Tiket telah selesai. Terima kasih atas penilaian Bapak/Ibu ({t.rating}/5)."
    return "Tiket telah selesai. Bapak/Ibu dapat memberi nilai layanan kami."


def answer_post(t: Ticket, by: User, text: str) -> str:
    return (
        f"Jawaban atas tiket <b>{no(t)}</b> dari {user_label(by)}:\n\n{esc(text)}\n\n"
        + asker_prompt(t)
    )


def answered_in_group_note(t: Ticket, by: User) -> str:
    return f"Tiket <b>{no(t)}</b> telah dijawab oleh {user_label(by)}. " + asker_prompt(t)


def refreshed_post(shown: str, t: Ticket, by: User) -> str | None:
    """The answer post (or in-group note) re-rendered in the ticket's current state, when
    ``shown`` (its plain text) is one of them and still fits in one message; None when it is
    the last part of a split answer, whose text must stay as it is."""
    if shown.startswith("Jawaban atas tiket") and t.answer_text is not None:
        text = answer_post(t, by, t.answer_text)
    elif "telah dijawab oleh" in shown.split("\n", 1)[0]:
        text = answered_in_group_note(t, by)
    else:
        return None
    return text if len(text) <= TELEGRAM_TEXT_LIMIT else None


def asker_buttons(ticket_id: int) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [
                {"text": "✅ Selesai", "callback_data": f"tk:{ticket_id}:ok"},
                {"text": "❓ Masih ada pertanyaan", "callback_data": f"tk:{ticket_id}:more"},
            ],
            rating_row(ticket_id),
        ]
    }


def rating_row(ticket_id: int) -> list[dict[str, str]]:
    return [{"text": f"{n}⭐", "callback_data": f"tk:{ticket_id}:r{n}"} for n in range(1, 6)]


def rating_buttons(ticket_id: int) -> dict[str, Any]:
    return {"inline_keyboard": [rating_row(ticket_id)]}


def answer_sent(t: Ticket, tz: ZoneInfo) -> str:
    verdict = "tepat waktu" if t.on_time else "melewati batas waktu"
    where = " dan dikirim ke grup" if t.chat_id is not None else ""
    return f"Jawaban tiket <b>{no(t)}</b> telah dicatat{where} ({verdict}). Terima kasih."


def closed_done(t: Ticket) -> str:
    return f"Terima kasih, tiket {no(t)} dinyatakan selesai. Ada lagi yang dapat kami bantu?"


def reopened_notice(t: Ticket, tz: ZoneInfo) -> str:
    return (
        f"Tiket <b>{no(t)}</b> dibuka kembali. Mohon Bapak/Ibu menuliskan pertanyaan lanjutannya "
        f"di grup ini. Batas waktu jawaban: <b>{fmt_datetime(t.due_at, tz)}</b>"
    )


def rated(rating: int) -> str:
    return f"Terima kasih atas penilaian {rating}⭐ Bapak/Ibu."


def not_asker() -> str:
    return "Mohon maaf, tombol ini hanya untuk penanya tiket."


def not_answered_yet() -> str:
    return "Tiket ini belum dijawab."


def already_closed() -> str:
    return "Tiket ini sudah ditutup."


def not_found(number: str) -> str:
    # The number is what the user typed: echo a bounded excerpt, never the whole of it.
    return (
        f"Mohon maaf, tiket <b>{esc(excerpt(number, 30))}</b> tidak ditemukan atau tidak "
        "dapat Bapak/Ibu akses."
    )


def already_answered(t: Ticket) -> str:
    return f"Tiket <b>{no(t)}</b> sudah dijawab. Penanya dapat membukanya kembali bila perlu."


def is_closed(t: Ticket) -> str:
    return f"Tiket <b>{no(t)}</b> sudah ditutup ({STATUS[t.status]})."


def jawab_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n<code>/jawab 2026-0042 isi jawaban</code>\n"
        "atau balas pesan tiket dengan <code>/jawab isi jawaban</code>."
    )


def tanya_usage() -> str:
    return "Mohon tuliskan pertanyaannya. Contoh:\n<code>/tanya Bagaimana cara revisi DIPA?</code>"


def catat_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n"
        "<code>/catat telepon 123456 14.30 Satker menanyakan status SP2D</code>\n"
        "Kanal: meja, telepon, surat, email, wa. Kode satker 6 digit. Jam diterima "
        "(boleh dengan tanggal, mis. 2026-11-30 10.15) bila pertanyaan tidak baru saja masuk."
    )


def tiket_usage() -> str:
    return "Contoh: <code>/tiket</code> (daftar tiket terbuka) atau <code>/tiket 2026-0042</code>."


def open_list(tickets: list[Ticket], total: int, now: datetime, tz: ZoneInfo) -> str:
    if not tickets:
        return "Tidak ada tiket terbuka. Terima kasih."
    lines = [f"<b>Tiket terbuka: {total}</b> (batas waktu terdekat lebih dulu)"]
    for t in tickets:
        late = " ⚠️ terlambat" if t.due_at < now else ""
        late += " ⏳ diproses" if t.progress_at is not None else ""
        lines.append(
            f"• <b>{no(t)}</b> — {fmt_short_datetime(t.due_at, tz)}{late}\n"
            f"  <i>{esc(excerpt(t.text, 80))}</i>"
        )
    if total > len(tickets):
        lines.append(f"… dan {total - len(tickets)} tiket lainnya.")
    return "\n".join(lines)


def detail(
    ctx: TicketContext, events: list[tuple[datetime, str, str | None]], asker: str | None
) -> str:
    t = ctx.ticket
    lines = [
        f"<b>Tiket {no(t)}</b> — {status_word(t)}",
        f"Penanya: {esc(asker or t.asker_name or '-')}",
        f"Dicatat: {fmt_datetime(t.created_at, ctx.tz)} via {CHANNEL[t.channel]}",
        *ctx.lines(),
    ]
    if t.answered_at:
        verdict = "tepat waktu" if t.on_time else "terlambat"
        lines.append(f"Dijawab: {fmt_datetime(t.answered_at, ctx.tz)} ({verdict})")
        lines.append(f"Jawaban: <i>{esc(excerpt(t.answer_text or '', 300))}</i>")
    if t.rating:
        lines.append(f"Penilaian: {t.rating}⭐")
    lines.append("")
    lines.append("<b>Riwayat</b>")
    for at, kind, said in events:
        line = f"• {fmt_short_datetime(at, ctx.tz)} — {EVENT.get(kind, esc(kind))}"
        if kind in ("tambahan", "diproses", "dipisah") and said:
            line += f": <i>{esc(excerpt(said, 120))}</i>"
        lines.append(line)
    return "\n".join(lines)


def attachment_caption(t: Ticket) -> str:
    return f"Lampiran tiket <b>{no(t)}</b>"


def followup_file_caption(t: Ticket, author_name: str | None) -> str:
    return f"Lampiran tambahan tiket <b>{no(t)}</b> dari {esc(author_name or 'penanya')}"


def reassigned(t: Ticket, lo: User) -> str:
    return f"Tiket <b>{no(t)}</b> telah dialihkan kepada {user_label(lo)}."


def alihkan_usage() -> str:
    return "Format perintah belum sesuai. Contoh:\n<code>/alihkan 2026-0042 @username_lo</code>"


def target_not_staff() -> str:
    return "Mohon maaf, pengguna tersebut belum memiliki peran LO atau CSO."


def cuti_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n<code>/cuti @username_cadangan 2026-12-31</code>"
        "\n<code>/cuti selesai</code> — kembali menangani tiket sendiri."
    )


def cuti_set(backup: User, until: datetime) -> str:
    from messages.format import fmt_date

    return (
        f"Selama cuti hingga {fmt_date(until.date())}, tiket dan pengingat Bapak/Ibu diteruskan "
        f"kepada {user_label(backup)}."
    )


def cuti_cleared() -> str:
    return "Penugasan cadangan telah diakhiri. Tiket kembali ditangani Bapak/Ibu."


def cuti_none() -> str:
    return "Tidak ada penugasan cadangan yang aktif."


def not_question_closed(t: Ticket) -> str:
    return f"Tiket <b>{no(t)}</b> ditutup sebagai bukan pertanyaan."


def tutup_usage() -> str:
    return "Contoh: <code>/tutup 2026-0042</code> — menutup tiket yang bukan pertanyaan."


def button_not_yours() -> str:
    """A button alert (plain text, at most 200 characters)."""
    return "Mohon maaf, tiket ini tidak ditemukan atau tidak ditugaskan kepada Bapak/Ibu."
