"""Texts for the working-calendar administration (/libur)."""

from __future__ import annotations

from datetime import date

from messages.format import esc, fmt_date


def usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n"
        "<code>/libur</code> — daftar hari libur 90 hari ke depan\n"
        "<code>/libur tambah 2026-12-31 Cuti bersama</code> — tetapkan hari libur\n"
        "<code>/libur kerja 2026-12-24</code> — tetapkan sebagai hari kerja\n"
        "<code>/libur hapus 2026-12-31</code> — hapus penetapan admin"
    )


def set_holiday(day: date, note: str | None = None) -> str:
    named = f" ({esc(note)})" if note else ""
    return (
        f"{fmt_date(day)}{named} ditetapkan sebagai <b>hari libur</b>. "
        "Batas waktu tiket yang masih terbuka telah disesuaikan."
    )


def set_workday(day: date) -> str:
    return (
        f"{fmt_date(day)} ditetapkan sebagai <b>hari kerja</b>. "
        "Batas waktu tiket yang masih terbuka telah disesuaikan."
    )


def cleared(day: date) -> str:
    return (
        f"Penetapan admin untuk {fmt_date(day)} telah dihapus; kalender nasional berlaku kembali."
    )


def not_overridden(day: date) -> str:
    return f"Tidak ada penetapan admin untuk {fmt_date(day)}."


def listing(days: list[tuple[date, str]]) -> str:
    if not days:
        return "Tidak ada hari libur pada hari kerja dalam 90 hari ke depan."
    lines = ["<b>Hari libur (90 hari ke depan)</b>"]
    lines += [f"• {fmt_date(d)} — {esc(name)}" for d, name in days]
    return "\n".join(lines)
