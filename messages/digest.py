"""Texts for the staff digest and the /notifikasi setting."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class MorningCounts:
    open: int
    due_today: int  # falls due from now until the end of today's working hours
    late: int  # already past its deadline


def _morning_counts(c: MorningCounts) -> str:
    late = f", {c.late} sudah melewati batas waktu" if c.late else ""
    return f"{c.open} tiket terbuka, {c.due_today} jatuh tempo hari ini{late}."


def morning(
    found: list[Ticket], counts: MorningCounts, end_of_day: datetime, now: datetime, tz: ZoneInfo
) -> str:
    """``found``: the first open tickets by deadline; ⚠️ marks the late, ⏰ those due today."""
    lines = [f"{greeting(now, tz)} Bapak/Ibu. <b>Ringkasan pagi</b>: {_morning_counts(counts)}"]
    for t in found:
        mark = "⚠️ " if t.due_at < now else "⏰ " if t.due_at <= end_of_day else ""
        lines.append(
            f"• {mark}<b>#{t.number}</b> — batas {fmt_short_datetime(t.due_at, tz)}: "
            f"<i>{esc(excerpt(t.text, 60))}</i>"
        )
    if counts.open > len(found):
        lines.append(f"… dan {counts.open - len(found)} lainnya. Lihat <code>/tiket</code>.")
    lines.append("Selamat bertugas, terima kasih.")
    return "\n".join(lines)


def morning_line(counts: MorningCounts) -> str:
    return f"☀️ Ringkasan pagi: {_morning_counts(counts)}"
