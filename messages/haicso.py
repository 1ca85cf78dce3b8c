"""Indonesian texts of the HAI CSO bridge: the lists, the copy blocks, the taps, the
daily file and the reconciliation report."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from messages.format import esc, excerpt, fmt_date, fmt_number, fmt_short_datetime, greeting
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
# A line only a copy block has: a reply to a message with it is about that block's ticket.
BLOCK_MARK = "Kategori layanan:"


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
        _field(BLOCK_MARK.rstrip(":"), b.category),
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


def number_skipped(ticket_number: str, hai_number: str | None) -> str:
    """The answer to "Lewati" (plain: a callback answer shows no HTML)."""
    if hai_number:  # given meanwhile, by a reply: it stays
        return f"Tiket #{ticket_number} sudah tercatat dengan nomor HAI CSO {hai_number}."
    return f"Baik, tiket #{ticket_number} tercatat sudah diinput, tanpa nomor HAI CSO."


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


# ---- the daily file ---------------------------------------------------------------------
FILE_STATE_COLUMN = "Input HAI CSO"
# HAI CSO's status words for the bot's ticket states (the daily file and /rekap's workbook).
HAI_STATUS = {
    "baru": "Menunggu jawaban KPPN",
    "dijawab": "Menunggu konfirmasi Satker",
    "selesai": "Selesai",
}
STATE_WORDS = {"belum": "Belum diinput", "diinput": "Sudah diinput", "tidak_perlu": "Tidak perlu"}


def hai_status(status: str) -> str:
    return HAI_STATUS.get(status, status)


def channel_name(channel: str) -> str:
    return CHANNEL.get(channel, channel)


def state_word(entry: Any) -> str:
    word = STATE_WORDS.get(entry.state, entry.state)
    return f"{word} ({entry.hai_number})" if entry.hai_number else word


def file_caption(day: Any, rows: int) -> str:
    return (
        f"Tiket {fmt_date(day)}: {rows} baris, kolom sesuai urutan formulir HAI CSO. "
        "Kolom terakhir menunjukkan status input di HAI CSO."
    )


def file_usage() -> str:
    return (
        "Penggunaan: <code>/haicso berkas [YYYY-MM-DD] [csv]</code>, misalnya "
        "<code>/haicso berkas 2026-12-01 csv</code>. Tanpa tanggal: hari ini."
    )


def layout_broken() -> str:
    return (
        "Mohon maaf, berkas susunan kolom HAI CSO tidak dapat dibaca. Mohon hubungi Admin "
        "untuk memeriksa LOBOT_HAICSO_LAYOUT_FILE."
    )


# ---- reconciliation -------------------------------------------------------------------------
MATCH_BUTTON = "✅ Cocok"
NO_MATCH_BUTTON = "Bukan"
FIELD_NAMES = {
    "nomor_hai": "nomor tiket",
    "kode_satker": "kode satker",
    "pertanyaan": "pertanyaan/permasalahan",
}


def proposal_buttons(import_id: int, row: int) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [
                {"text": MATCH_BUTTON, "callback_data": f"hr:{import_id}:{row}:y"},
                {"text": NO_MATCH_BUTTON, "callback_data": f"hr:{import_id}:{row}:n"},
            ]
        ]
    }


def unknown_layout(name: str, found: list[str], missing: list[str]) -> str:
    shown = ", ".join(f"<code>{esc(h[:40])}</code>" for h in found[:30]) or "(tidak ada)"
    needs = "; ".join(
        " atau ".join(FIELD_NAMES.get(part, part) for part in m.split(" atau ")) for m in missing
    )
    return (
        f"Mohon maaf, susunan kolom berkas <b>{esc(name)}</b> tidak dikenali sebagai ekspor "
        f"Laporan Layanan Permasalahan. Kolom yang ditemukan: {shown}. Yang diperlukan: "
        f"{esc(needs)}. Bila HAI CSO mengubah judul kolomnya, Admin dapat menambahkannya di "
        "berkas susunan kolom (LOBOT_HAICSO_LAYOUT_FILE). Tidak ada yang diubah."
    )


def empty_export(name: str) -> str:
    return (
        f"Mohon maaf, berkas <b>{esc(name)}</b> tidak berisi baris data di bawah judul kolom. "
        "Tidak ada yang diubah."
    )


def not_a_table(name: str) -> str:
    return (
        f"Mohon maaf, berkas <b>{esc(name)}</b> bukan XLSX atau CSV. Mohon kirim ekspor "
        "Laporan Layanan Permasalahan dari OM-SPAN dalam format XLSX atau CSV."
    )


def _period(report: Any) -> str:
    if report.first_day is None:
        return "tanpa kolom tanggal: dibandingkan dengan tiket 92 hari terakhir"
    if report.first_day == report.last_day:
        return fmt_date(report.first_day)
    return f"{fmt_date(report.first_day)} s.d. {fmt_date(report.last_day)}"


def reconcile_summary(name: str, report: Any) -> str:
    lines = [
        f"<b>Rekonsiliasi HAI CSO</b>: {esc(name)} ({report.rows} baris; {_period(report)})",
        f"• Cocok: <b>{len(report.matched)}</b>",
        f"• Perlu konfirmasi (mirip, belum pasti): <b>{len(report.proposed)}</b>",
        f"• Ada di bot, belum ada di HAI CSO: <b>{len(report.bot_only)}</b>",
        f"• Ada di HAI CSO saja (tidak melalui grup; wajar): <b>{len(report.hai_only)}</b>",
        f"• Status berbeda: <b>{len(report.mismatched)}</b>",
    ]
    if report.hai_only:
        rows = ", ".join(str(r.row) for r in report.hai_only[:20])
        more = " dst." if len(report.hai_only) > 20 else ""
        lines.append(f"Baris HAI CSO saja: {rows}{more}.")
    if report.proposed or report.bot_only or report.mismatched:
        lines.append("Rinciannya menyusul, masing-masing dengan tombol perbaikannya.")
    return "\n".join(lines)


def proposal(p: Any, tz: ZoneInfo) -> str:
    r, t = p.row, p.ticket
    number = f" (nomor <code>{esc(r.hai_number)}</code>)" if r.hai_number else ""
    return (
        f"❓ Baris {r.row} di HAI CSO{number} mirip tiket <b>#{esc(t.number)}</b> "
        f"(kemiripan {round(p.score * 100)}%). Apakah sama?\n"
        f"HAI CSO: <i>{esc(excerpt(r.question, 300))}</i>\n"
        f"Bot ({fmt_short_datetime(t.created_at, tz)}, {esc(t.kode_satker or '-')}): "
        f"<i>{esc(excerpt(t.text, 300))}</i>"
    )


def proposal_decided(p_text: str, outcome: str, ticket_number: str) -> str:
    if outcome == "ok":
        note = f"✅ Dicatat sama dengan tiket #{esc(ticket_number)}: tercatat di HAI CSO."
    else:
        note = "➖ Bukan tiket yang sama; baris ini dihitung sebagai ada di HAI CSO saja."
    return f"{p_text}\n\n{note}"


def mismatch(m: Any) -> str:
    r, t = m.row, m.ticket
    number = esc(r.hai_number or "-")
    if m.answered_in_bot:
        answer = (
            f"\nJawaban untuk disalin:\n<pre>{esc(t.answer_text)}</pre>" if t.answer_text else ""
        )
        return (
            f"⚠️ Tiket #{esc(t.number)} (HAI <code>{number}</code>) sudah dijawab di grup, "
            f"tetapi di HAI CSO masih <i>{esc(r.status or '-')}</i>. Mohon perbarui status "
            f"di HAI CSO.{answer}"
        )
    return (
        f"⚠️ Tiket #{esc(t.number)} (HAI <code>{number}</code>) sudah <i>{esc(r.status or '-')}</i> "
        "di HAI CSO, tetapi di bot belum dijawab. Mohon LO menjawabnya dengan "
        f"<code>/jawab {esc(t.number)}</code>."
    )


def missing_from_hai(b: Any, tz: ZoneInfo) -> tuple[str, dict[str, Any] | None]:
    """A ticket of the bot the export does not have, with its fix: the list's buttons; or,
    when the bot was told it was entered, a request to check it in HAI CSO."""
    if b.ticket.entry.state != HAI_ENTERED:
        return block(b, tz), block_buttons(b.ticket.id)
    return (
        decided_text(b, tz, b.by_name)
        + "\n\n⚠️ Tiket ini tercatat sudah diinput, tetapi tidak ada di ekspor HAI CSO. "
        "Mohon periksa di HAI CSO (nomor, tanggal, atau satker).",
        None,
    )


def more_details(kind: str, left: int) -> str:
    return f"… dan {left} {kind} lainnya (tidak ditampilkan)."


def proposal_taken() -> str:
    return "Nomor HAI CSO baris ini sudah dicatat untuk tiket lain; tidak ada yang diubah."


def upload_refused(name: str, reason: str) -> str:
    return (
        f"Mohon maaf, berkas <b>{esc(name)}</b> tidak dapat dibaca: {esc(reason)}. "
        "Tidak ada yang diubah."
    )


# ---- /rekap ------------------------------------------------------------------------------------
def _estimate(k: Any) -> str:
    return fmt_number(k.weighted, 2) if k is not None and k.judged else "belum dapat dihitung"


def rekap_lines(fig: Any, kpi_all: Any, kpi_cso: list[tuple[str, Any]]) -> str:
    """ "Tercatat di HAI CSO: x dari y", and the IKU on entered tickets beside all tickets."""
    not_needed = f" ({fmt_number(fig.not_needed)} ditandai tidak perlu)" if fig.not_needed else ""
    lines = [
        "<b>HAI CSO</b>",
        f"Tercatat di HAI CSO: <b>{fmt_number(fig.entered)} dari {fmt_number(fig.of)}</b> "
        f"tiket{not_needed}.",
    ]
    if fig.kpi_entered is None:
        return "\n".join(lines)
    lines.append(
        f"Perkiraan IKU kantor atas tiket yang tercatat di HAI CSO: "
        f"<b>{_estimate(fig.kpi_entered)}</b> (atas semua tiket: {_estimate(kpi_all)})."
    )
    on_all = dict(kpi_cso)
    for c in fig.per_cso:
        lines.append(
            f"CSO {esc(c.name)}: tercatat {fmt_number(c.entered)} dari {fmt_number(c.of)}; "
            f"perkiraan IKU {_estimate(c.kpi_entered)} "
            f"(atas semua tiket: {_estimate(on_all.get(c.name))})"
        )
    return "\n".join(lines)
