"""Texts for broadcasts (/umumkan), status updates (/status) and per-satker files."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from messages.format import esc, excerpt, fmt_date, fmt_number, fmt_rupiah
from storage.models import BROADCAST_STATUS, Broadcast, Delivery, DeliveryCounts

MAX_TITLES = 10

# Where each service's progress can be followed (seed 000, row 1.g).
SERVICES = {
    "sp2d": ("Penerbitan SP2D", "Progres SP2D dapat dipantau melalui aplikasi OM-SPAN."),
    "rekon": (
        "Rekonsiliasi (e-Rekon)",
        "Progres rekonsiliasi dikirim melalui notifikasi e-Rekon ke e-mail pengguna layanan.",
    ),
    "revisi_dipa": (
        "Revisi DIPA",
        # S-4384/PB/2018 named RKAKL Online; the application in use today is the Kanwil's.
        "Progres revisi DIPA dapat dipantau melalui aplikasi penganggaran yang dipakai "
        "Kanwil DJPb; mohon tanyakan kepada LO bila belum tahu aplikasinya.",
    ),
}


def announcement(text: str, office: str) -> str:
    # An admin usually signs off with thanks already; a second "Terima kasih." reads badly.
    thanked = "terima kasih" in text.strip().lower()[-60:]
    closing = "" if thanked else "\n\nTerima kasih."
    return f"📢 <b>Pengumuman {esc(office)}</b>\n\n{esc(text.strip())}{closing}"


def umumkan_usage() -> str:
    return (
        "Format pengumuman (baris pertama tujuan, berikutnya isi):\n"
        "<code>/umumkan semua\nIsi pengumuman</code>\n"
        "Tujuan: <code>semua</code>, <code>lo @username</code>, <code>kl Nama K/L</code>, "
        "<code>grup -100123456</code> (id grup) atau <code>grup Nama Grup</code>.\n"
        "Foto atau dokumen dapat dilampirkan dengan menulis perintah tersebut sebagai "
        "keterangannya (caption)."
    )


def no_targets() -> str:
    return "Mohon maaf, tidak ada grup aktif yang sesuai dengan tujuan tersebut."


def preview(b: Broadcast, titles: list[str]) -> str:
    shown = "\n".join(f"• {esc(t)}" for t in titles[:MAX_TITLES])
    more = (
        f"\n… dan {fmt_number(len(titles) - MAX_TITLES)} grup lainnya" if len(titles) > 10 else ""
    )
    attach = "\nLampiran: ada" if b.attachment else ""
    return (
        f"<b>Pratinjau</b> ({esc(b.target)}), akan dikirim ke <b>{fmt_number(len(titles))} "
        f"grup</b>:\n{shown}{more}{attach}\n\n— — —\n{b.text}\n— — —\n\n"
        "Tekan <b>Kirim</b> untuk mengirim, atau <b>Batal</b>."
    )


def confirm_buttons(broadcast_id: int, count: int) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [
                {"text": f"✅ Kirim ke {count} grup", "callback_data": f"bc:{broadcast_id}:ok"},
                {"text": "✖️ Batal", "callback_data": f"bc:{broadcast_id}:no"},
            ]
        ]
    }


def cancelled() -> str:
    return "Pengiriman dibatalkan; tidak ada pesan yang dikirim."


def not_draft() -> str:
    return "Pengiriman ini sudah dikonfirmasi atau dibatalkan sebelumnya."


def progress(b: Broadcast, deliveries: list[Delivery], finished: bool) -> str:
    c = DeliveryCounts.of(deliveries)
    head = "✅ Pengiriman selesai" if finished else "⏳ Sedang mengirim"
    return (
        f"{head} ({esc(b.target)}): {fmt_number(c.finished)}/{fmt_number(c.to_send)} grup — "
        f"terkirim {fmt_number(c.sent)}, gagal {fmt_number(c.failed)}, "
        f"dilewati {fmt_number(c.skipped)}."
        + ("" if finished else "\nPesan ini diperbarui selama pengiriman.")
    )


def _reason(error: str | None) -> str:
    """Telegram's refusal in plain Indonesian (the raw text is English)."""
    low = (error or "").lower()
    if "kicked" in low:
        return "bot telah dikeluarkan dari grup"
    if "not a member" in low or "bot was removed" in low:
        return "bot bukan lagi anggota grup"
    if "chat not found" in low:
        return "grup tidak ditemukan"
    if "blocked" in low:
        return "bot diblokir"
    return f"ditolak Telegram ({esc((error or '-')[:120])})"


def report(b: Broadcast, deliveries: list[Delivery]) -> str:
    c = DeliveryCounts.of(deliveries)
    lines = [
        f"<b>Laporan pengiriman #{b.id}</b> ({esc(b.target)})",
        f"Terkirim: {fmt_number(c.sent)} grup",
        f"Gagal: {fmt_number(c.failed)} grup",
    ]
    failed = [d for d in deliveries if d.state == "failed"]
    lines += [f"• {esc(d.title)}: {_reason(d.reason)}" for d in failed[:30]]
    lines.append(f"Dilewati: {fmt_number(c.skipped)} grup")
    skipped = [d for d in deliveries if d.state == "skipped"]
    lines += [f"• {esc(d.title)}: {esc(d.reason or '-')}" for d in skipped[:30]]
    if len(failed) > 30 or len(skipped) > 30:
        lines.append("(daftar dipotong; selebihnya sama alasannya dapat dicek admin)")
    return "\n".join(lines)


def needs_report(b: Broadcast, deliveries: list[Delivery]) -> bool:
    """A single status update reports back only when something did not arrive."""
    return b.kind != BROADCAST_STATUS or any(d.state != "sent" for d in deliveries)


def skipped_inactive() -> str:
    return "grup tidak aktif saat pengiriman dikonfirmasi"


# ---- /status -----------------------------------------------------------------------------
def service_name(key: str, free_name: str) -> str:
    return SERVICES[key][0] if key in SERVICES else free_name


def status_update(key: str, free_name: str, kode: str, satker: str, text: str) -> str:
    pointer = SERVICES[key][1] if key in SERVICES else ""
    lines = [
        f"📌 <b>Status layanan {esc(service_name(key, free_name))}</b>",
        f"Satker: {esc(kode)} {esc(satker)}",
        "",
        esc(text),
    ]
    if pointer:
        lines += ["", pointer]
    return "\n".join(lines)


def status_usage() -> str:
    return (
        "Format: <code>/status layanan kode_satker keterangan</code>, misalnya\n"
        "<code>/status sp2d 123456 SP2D nomor 261011301000123 telah terbit</code>\n"
        "Layanan: <code>sp2d</code>, <code>rekon</code>, <code>revisi</code> (revisi DIPA) "
        "atau nama layanan lain."
    )


def status_no_group(kode: str) -> str:
    return f"Mohon maaf, satker {esc(kode)} belum terdaftar di grup aktif mana pun."


def status_queued(count: int) -> str:
    return f"Terima kasih. Status layanan sedang dikirim ke {fmt_number(count)} grup."


# ---- per-satker files (CSV/XLSX) ---------------------------------------------------------
def sp2d_line(n: int, nomor: str, day: date, amount: Decimal, uraian: str) -> str:
    desc = f"\n   {esc(uraian)}" if uraian else ""
    return f"{n}. SP2D <b>{esc(nomor)}</b> — {fmt_date(day)} — {fmt_rupiah(amount)}{desc}"


def sp2d_message(satker: list[tuple[str, str, list[str]]], total: Decimal, count: int) -> str:
    """One group's lines: per satker (kode, name, rendered lines)."""
    parts = ["📄 <b>Informasi SP2D terbit</b>"]
    for kode, name, lines in satker:
        parts += ["", f"<b>{esc(kode)} {esc(name)}</b>", *lines]
    parts += [
        "",
        f"Jumlah: {fmt_number(count)} SP2D, {fmt_rupiah(total)}.",
        SERVICES["sp2d"][1],
    ]
    return "\n".join(parts)


def sp2d_attached(satker: list[tuple[str, str]], total: Decimal, count: int) -> str:
    names = ", ".join(f"{esc(k)} {esc(n)}" for k, n in satker[:5])
    more = " dan lainnya" if len(satker) > 5 else ""
    return (
        f"📄 <b>Informasi SP2D terbit</b> untuk {names}{more}: {fmt_number(count)} SP2D, "
        f"{fmt_rupiah(total)}. Rinciannya terlampir. {SERVICES['sp2d'][1]}"
    )


ERRORS_SHOWN = 20
ERRORS_TEXT_BUDGET = 3_000  # characters of the listed errors: the whole reply fits one message


def errors_shown(errors: list[str]) -> int:
    """How many of the first errors the refusal lists: at most 20, and only as many as fit
    in one Telegram message (the full list goes as a file)."""
    used = 0
    for count, error in enumerate(errors[:ERRORS_SHOWN]):
        used += len(esc(error)) + 3
        if used > ERRORS_TEXT_BUDGET:
            return count
    return min(len(errors), ERRORS_SHOWN)


def file_refused(filename: str, errors: list[str], total: int) -> str:
    count = errors_shown(errors)
    shown = "\n".join(f"• {esc(e)}" for e in errors[:count])
    rest = total - count
    more = ""
    if rest > 0:
        more = f"\n… dan {fmt_number(rest)} kesalahan lainnya"
        if len(errors) >= total:
            more += " (daftar lengkapnya kami kirim sebagai berkas)"
    return (
        f"Mohon maaf, berkas <b>{esc(excerpt(filename, 80))}</b> belum dapat diproses dan "
        f"<b>tidak ada yang dikirim</b>. Mohon perbaiki lalu kirim ulang:\n{shown}{more}"
    )


def errors_file_name(filename: str) -> str:
    stem = re.sub(r"[^\w.-]", "_", filename.rsplit(".", 1)[0])[:60] or "berkas"
    return f"kesalahan-{stem}.txt"


def errors_file(filename: str, errors: list[str]) -> str:
    """The full list, one error a line (plain text: opened in any editor)."""
    head = f"Kesalahan dalam berkas {filename} ({fmt_number(len(errors))} kesalahan)"
    return "\n".join([head, "", *errors]) + "\n"


def errors_file_caption(filename: str, total: int) -> str:
    name = esc(excerpt(filename, 80))
    return f"Daftar lengkap {fmt_number(total)} kesalahan dalam berkas <b>{name}</b>."


def file_preview(
    b: Broadcast, per_group: list[tuple[str, int]], orphans: list[str], rows: int
) -> str:
    lines = [
        f"<b>Pratinjau berkas</b> ({esc(b.target)}): {fmt_number(rows)} baris valid, "
        f"{fmt_number(len(per_group))} grup tujuan.",
    ]
    lines += [f"• {esc(t)}: {fmt_number(n)} baris" for t, n in per_group[:20]]
    if len(per_group) > 20:
        lines.append(f"… dan {fmt_number(len(per_group) - 20)} grup lainnya")
    if orphans:
        lines.append(
            f"Satker tanpa grup ({fmt_number(len(orphans))}, tidak dikirim): "
            + ", ".join(esc(k) for k in orphans[:30])
        )
    lines += ["", "Setiap grup hanya menerima baris satkernya sendiri.", "Tekan <b>Kirim</b>."]
    return "\n".join(lines)


def file_nothing_to_send(orphans: list[str]) -> str:
    return (
        "Berkas valid, tetapi tidak ada satker di dalamnya yang terdaftar di grup aktif "
        "Bapak/Ibu: " + ", ".join(esc(k) for k in orphans[:30])
    )


def refused() -> str:
    return "Mohon maaf, pengiriman ke grup hanya dapat dilakukan oleh Admin atau LO."


def file_too_big(limit_bytes: int) -> str:
    return f"Berkas lebih dari {limit_bytes // (1024 * 1024)} MB"
