"""Texts for the staff digest and the /notifikasi setting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from messages.format import esc, excerpt, fmt_short_datetime, greeting
from storage.models import Ticket

MAX_LINES = 15  # a bundle stays one Telegram message


def bundle(
    texts: list[str], lines: list[str], answerable: bool = True, more: list[str] | None = None
) -> str:
    """One notice as it is; several as one line each under a heading, oldest first.
    ``answerable``: the bundle carries "Jawab" buttons (it names an open ticket);
    ``more``: the commands that list what did not fit (``/tiket`` when not given)."""
    if len(texts) == 1:
        return texts[0]
    out = [f"<b>Ringkasan: {len(texts)} pemberitahuan baru</b>", *lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        where = " dan ".join(f"<code>{esc(c)}</code>" for c in more or ["/tiket"])
        out.append(f"… dan {len(lines) - MAX_LINES} lainnya. Lihat {where}.")
    if answerable:
        out.append("Tekan <b>Jawab</b> pada tiket yang dimaksud, atau balas bila hanya satu tiket.")
    return "\n".join(out)


def mode_word(mode: str) -> str:
    return (
        "segera (setiap pemberitahuan langsung dikirim)"
        if mode == "segera"
        else ("ringkas (digabung, paling banyak satu pesan per beberapa menit)")
    )


def notifikasi_status(mode: str) -> str:
    return (
        f"Pengaturan pemberitahuan Bapak/Ibu: <b>{mode_word(mode)}</b>.\n"
        "Ubah dengan <code>/notifikasi segera</code> atau <code>/notifikasi ringkas</code>."
    )


def notifikasi_set(mode: str) -> str:
    return f"Baik, pemberitahuan kini dikirim secara <b>{mode_word(mode)}</b>. Terima kasih."


def notifikasi_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n<code>/notifikasi segera</code> — setiap "
        "pemberitahuan langsung dikirim\n<code>/notifikasi ringkas</code> — digabung per "
        "beberapa menit (bawaan)"
    )


def morning(
    found: list[Ticket],
    total: int,
    due_today: list[Ticket],
    due_count: int,
    now: datetime,
    tz: ZoneInfo,
) -> str:
    """``due_today``: the listed tickets due today (marked); ``due_count``: all of them."""
    lines = [
        f"{greeting(now, tz)} Bapak/Ibu. <b>Ringkasan pagi</b>: {total} tiket terbuka, "
        f"{due_count} jatuh tempo hari ini.",
    ]
    for t in found:
        mark = "⏰ " if t in due_today else ""
        lines.append(
            f"• {mark}<b>#{t.number}</b> — batas {fmt_short_datetime(t.due_at, tz)}: "
            f"<i>{esc(excerpt(t.text, 60))}</i>"
        )
    if total > len(found):
        lines.append(f"… dan {total - len(found)} lainnya. Lihat <code>/tiket</code>.")
    lines.append("Selamat bertugas, terima kasih.")
    return "\n".join(lines)


def morning_line(total: int, due_today: int) -> str:
    return f"☀️ Ringkasan pagi: {total} tiket terbuka, {due_today} jatuh tempo hari ini."
