"""Indonesian texts of the HAI CSO bridge: the lists, the copy blocks, the taps, the
daily file and the reconciliation report."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from messages.format import esc, fmt_date, fmt_short_datetime, greeting
from messages.tickets import CHANNEL
from storage.models import HAI_ENTERED, HAI_NOT_NEEDED

ENTERED_BUTTON = "✅ Sudah diinput"
NOT_NEEDED_BUTTON = "Tidak perlu"
SKIP_BUTTON = "Lewati"
REASONS = {
    "duplikat": ("Duplikat", "dup"),
    "bukan_pertanyaan": ("Bukan pertanyaan", "bkn"),
    "lainnya": ("Lainnya", "lain"),
}
REASON_OF_CODE = {code: reason for reason, (_, code) in REASONS.items()}
RECORD_UNTIL = "17.00"


def _button(text: str, ticket_id: int, action: str) -> dict[str, str]:
    return {"text": text, "callback_data": f"hai:{ticket_id}:{action}"}


def block_buttons(ticket_id: int) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [_button(ENTERED_BUTTON, ticket_id, "ok"), _button(NOT_NEEDED_BUTTON, ticket_id, "no")]
        ]
    }


def reason_buttons(ticket_id: int) -> dict[str, Any]:
    row = [_button(label, ticket_id, code) for label, code in REASONS.values()]
    return {"inline_keyboard": [row, [_button("« Kembali", ticket_id, "back")]]}


def skip_button(ticket_id: int) -> dict[str, Any]:
    return {"inline_keyboard": [[_button(SKIP_BUTTON, ticket_id, "skip")]]}


def list_header(kind: str, now: datetime, tz: ZoneInfo, total: int, shown: int) -> str:
    more = (
        f" Berikut {shown} yang terlama; sisanya dapat dilihat dengan /haicso setelah "
        "yang ini selesai."
        if total > shown
        else ""
    )
    if kind == "pagi":
        return (
            f"{greeting(now, tz)} Bapak/Ibu. Ada <b>{total}</b> tiket yang sampai pukul "
            f"{RECORD_UNTIL} hari kerja sebelumnya belum diinput ke HAI CSO "
            f"(<b>terlambat</b>).{more} Mohon diinput pagi ini: salin tiap blok ke formulir "
            f"HAI CSO, lalu ketuk {ENTERED_BUTTON}. Terima kasih."
        )
    return (
        f"{greeting(now, tz)} Bapak/Ibu. Ada <b>{total}</b> tiket yang belum diinput ke "
        f"HAI CSO; waktu input sampai pukul {RECORD_UNTIL} hari ini.{more} Salin tiap blok "
        f"ke formulir HAI CSO, lalu ketuk {ENTERED_BUTTON} dan balas dengan nomor tiket "
        "HAI CSO. Berkas harian untuk HAI CSO: <code>/haicso berkas</code>. Terima kasih."
    )


def _field(name: str, value: str) -> str:
    """One form field, its value tap-to-copy."""
    return f"{name}: <code>{esc(value)}</code>" if value else f"{name}: -"


def block(b: Any, tz: ZoneInfo) -> str:
    """A ticket (bot.haicso.blocks.Block) ready to copy into HAI CSO's form."""
    t = b.ticket
    lines = []
    if b.late:
        lines.append(f"⚠️ <b>Terlambat</b>: belum diinput sampai pukul {RECORD_UNTIL}.")
    lines += [
        f"<b>Tiket #{esc(t.number)}</b> · {esc(CHANNEL.get(t.channel, t.channel))}",
        _field("Kode satker", t.kode_satker or ""),
        _field("Nama satker", b.satker_name),
        _field("Kategori layanan", b.category),
        "Pertanyaan:",
        f"<pre>{esc(t.text)}</pre>",
    ]
    if t.answer_text:
        lines += ["Jawaban:", f"<pre>{esc(t.answer_text)}</pre>"]
    else:
        lines.append("Jawaban: - (belum dijawab)")
    lines += [
        _field("Diterima", fmt_short_datetime(t.created_at, tz)),
        _field("LO", b.lo_name),
    ]
    return "\n".join(lines)


def entered_note(by_name: str, at: datetime, tz: ZoneInfo, number: str | None) -> str:
    hai = f" dengan nomor HAI CSO <code>{esc(number)}</code>" if number else ""
    return f"✅ Diinput ke HAI CSO{hai} oleh {esc(by_name)}, {fmt_short_datetime(at, tz)}."


def ask_number() -> str:
    return (
        "Mohon balas pesan ini dengan <b>nomor tiket HAI CSO</b> (satu balasan), "
        f"atau ketuk {SKIP_BUTTON} bila tidak ada."
    )


def not_needed_note(by_name: str, reason: str | None) -> str:
    label = REASONS.get(reason or "", (reason or "-", ""))[0].lower()
    return f"➖ Tidak perlu diinput ke HAI CSO ({esc(label)}), oleh {esc(by_name)}."


def decided_text(b: Any, tz: ZoneInfo, by_name: str) -> str:
    """The block after a decision: what it was, under the copied fields."""
    e = b.ticket.entry
    if e.state == HAI_ENTERED:
        note = entered_note(by_name, e.at, tz, e.hai_number)
    elif e.state == HAI_NOT_NEEDED:
        note = not_needed_note(by_name, e.reason)
    else:
        return block(b, tz)
    return block(b, tz) + "\n\n" + note


def pick_reason() -> str:
    return "Mohon pilih alasan tiket ini tidak perlu diinput ke HAI CSO."


def already(number: str) -> str:
    return f"Tiket #{esc(number)} sudah diputuskan sebelumnya; tidak ada yang diubah."


def ticket_gone() -> str:
    return "Mohon maaf, tiket ini tidak ditemukan."


def number_saved(ticket_number: str, hai_number: str) -> str:
    return (
        f"Terima kasih. Nomor HAI CSO <code>{esc(hai_number)}</code> dicatat untuk tiket "
        f"#{esc(ticket_number)}."
    )


def number_skipped(ticket_number: str) -> str:
    return f"Baik, tiket #{esc(ticket_number)} tercatat sudah diinput, tanpa nomor HAI CSO."


def bad_number() -> str:
    return (
        "Mohon maaf, nomor tiket HAI CSO tidak dikenali. Mohon kirim nomornya saja "
        "(huruf/angka, tanpa spasi), misalnya <code>12345</code>."
    )


def number_taken(hai_number: str, other: str | None) -> str:
    where = f" untuk tiket #{esc(other)}" if other else ""
    return (
        f"Mohon maaf, nomor HAI CSO <code>{esc(hai_number)}</code> sudah dicatat{where}. "
        "Mohon periksa kembali nomornya."
    )


def nothing_open(now: datetime, tz: ZoneInfo) -> str:
    return (
        f"{greeting(now, tz)} Bapak/Ibu. Semua tiket sudah diinput ke HAI CSO (atau ditandai "
        "tidak perlu). Terima kasih."
    )


def open_header(total: int, shown: int, late: int) -> str:
    more = f" Ditampilkan {shown} yang terlama." if total > shown else ""
    late_text = f" ({late} terlambat)" if late else ""
    return (
        f"Tiket yang belum diinput ke HAI CSO: <b>{total}</b>{late_text}.{more} Salin tiap "
        f"blok ke formulir HAI CSO, lalu ketuk {ENTERED_BUTTON}."
    )


def usage() -> str:
    return (
        "Penggunaan:\n"
        "<code>/haicso</code>: tiket yang belum diinput ke HAI CSO\n"
        "<code>/haicso berkas [YYYY-MM-DD] [csv]</code>: berkas harian sesuai urutan "
        "formulir HAI CSO (XLSX, atau CSV)\n"
        "Rekonsiliasi: kirim ekspor <i>Laporan Layanan Permasalahan</i> dari OM-SPAN "
        "(XLSX/CSV) dengan keterangan <code>/haicso</code>."
    )


def day_label(day: Any) -> str:
    return fmt_date(day)
