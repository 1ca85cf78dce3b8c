"""Texts of the FAQ review: the entry for the reviewer, the decision, /faqstatus."""

from __future__ import annotations

import difflib
from typing import Any
from zoneinfo import ZoneInfo

from messages.faq import ASPECT_TITLES
from messages.format import esc, fmt_date, fmt_short_datetime

DIFF_MAX_LINES = 40


def content_lines(content: dict[str, Any]) -> list[str]:
    """An entry's reviewed content as plain lines: what the reviewer signs, and what the
    diff compares."""
    lines = [f"Judul: {content.get('title')}", f"Kategori: {content.get('category')}"]
    if content.get("produk"):
        lines.append(f"Produk layanan: {content['produk']}")
    guidance = set(content.get("panduan_umum") or [])
    for aspect, text in (content.get("aspects") or {}).items():
        mark = " (panduan umum)" if aspect in guidance else ""
        lines.append(f"[{ASPECT_TITLES.get(aspect, aspect)}{mark}]")
        lines += [line for line in str(text).splitlines() if line.strip()]
    if content.get("dasar_hukum"):
        lines.append(f"Dasar hukum: {content['dasar_hukum']}")
    if content.get("catatan"):
        lines.append(f"Catatan: {content['catatan']}")
    lines += [f"Sumber: {s}" for s in content.get("sources") or []]
    return lines


def diff_lines(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Changed lines only: '− ' removed, '+ ' added."""
    out = []
    for line in difflib.ndiff(content_lines(before), content_lines(after)):
        if line.startswith("- "):
            out.append("− " + line[2:])
        elif line.startswith("+ "):
            out.append("+ " + line[2:])
    return out


def review_text(entry: Any, content: dict[str, Any], state: Any, tz: ZoneInfo) -> str:
    """The whole entry with its sources, then what changed since the last approval."""
    lines = [
        f"<b>Tinjauan FAQ: {esc(entry.title)}</b> (<code>{esc(entry.id)}</code>)",
        f"Status: {esc(state.status.value)}",
        "",
        *[esc(line) for line in content_lines(content)],
        "",
    ]
    last = state.last_approved
    if last is None:
        lines.append("<b>Belum pernah ditinjau</b>: mohon periksa seluruh isi di atas.")
    else:
        changes = diff_lines(last.content, content)
        lines.append(
            f"<b>Perubahan sejak disetujui {esc(last.reviewer_name)}, "
            f"{fmt_short_datetime(last.decided_at, tz)}</b>:"
        )
        shown = changes[:DIFF_MAX_LINES]
        lines += [f"<code>{esc(c)}</code>" for c in shown] or ["(tidak ada perubahan isi)"]
        if len(changes) > DIFF_MAX_LINES:
            lines.append(f"… dan {len(changes) - DIFF_MAX_LINES} baris lainnya.")
    if state.decision is not None and state.decision.decision == "dikembalikan":
        lines.append(f"Catatan pengembalian sebelumnya: <i>{esc(state.decision.note or '-')}</i>")
    lines += [
        "",
        "Setujui bila isi dan sumbernya sudah benar. Untuk mengembalikan, ketik "
        f"<code>/kembalikanfaq {esc(entry.id)} catatan perbaikan</code>.",
    ]
    return "\n".join(lines)


def review_buttons(entry_id: str, fingerprint: str) -> dict[str, Any]:
    # frok:<entry id>:<12 hex of the fingerprint> stays within 64 bytes (ids: 32 at most).
    return {
        "inline_keyboard": [
            [{"text": "✅ Setujui", "callback_data": f"frok:{entry_id}:{fingerprint[:12]}"}],
            [{"text": "↩️ Kembalikan dengan catatan", "callback_data": f"frno:{entry_id}:x"}],
        ]
    }


def send_back_how(entry_id: str) -> str:
    return f"Ketik /kembalikanfaq {entry_id} disertai catatan perbaikannya."[:200]


def approved(entry: Any) -> str:
    return (
        f"Terima kasih. Entri <b>{esc(entry.title)}</b> disetujui dan kini ditampilkan "
        f"dengan keterangan “Ditinjau oleh {esc(entry.reviewed_by or '-')}”."
    )


def sent_back(entry: Any, note: str) -> str:
    return (
        f"Terima kasih. Entri <b>{esc(entry.title)}</b> dikembalikan dengan catatan: "
        f"<i>{esc(note)}</i>\nEntri akan ditawarkan lagi setelah isinya diperbaiki."
    )


def changed_since_shown() -> str:
    return "Isi entri ini berubah sejak pesan tinjauan dikirim. Silakan /tinjaufaq lagi."


def unknown_entry(entry_id: str) -> str:
    return f"Entri <code>{esc(entry_id[:40])}</code> tidak ditemukan. Lihat /faqstatus."


def send_back_usage() -> str:
    return (
        "Format: <code>/kembalikanfaq id-entri catatan perbaikan</code>, misalnya "
        "<code>/kembalikanfaq tambahan-up Batas waktu pertanggungjawaban mohon dicek.</code>"
    )


def nothing_waiting() -> str:
    return "Tidak ada entri yang menunggu tinjauan. Terima kasih. Status lengkap: /faqstatus"


def status_text(rows: list[tuple[Any, Any]], only_reviewed: bool, tz: ZoneInfo) -> str:
    """``rows``: (entry, state) pairs. Counts, then each entry under its status."""
    order = ["perlu ditinjau ulang", "dikembalikan", "belum pernah ditinjau", "ditinjau"]
    by: dict[str, list[tuple[Any, Any]]] = {k: [] for k in order}
    for entry, state in rows:
        by[state.status.value].append((entry, state))
    counts = ", ".join(f"{k} {len(by[k])}" for k in order)
    mode = (
        "Bot hanya menjawab entri yang sudah ditinjau."
        if only_reviewed
        else "Entri yang belum ditinjau tetap dijawab dengan keterangan belum ditinjau KPPN."
    )
    lines = [f"<b>Status tinjauan FAQ</b> ({len(rows)} entri): {counts}.", mode]
    for key in order:
        if not by[key]:
            continue
        lines += ["", f"<b>{key.capitalize()}</b>"]
        for entry, state in sorted(by[key], key=lambda pair: pair[0].title):
            lines.append(f"• <code>{esc(entry.id)}</code> {esc(entry.title)}{_how(state, tz)}")
    lines += ["", "Peninjau: /tinjaufaq untuk meninjau entri berikutnya."]
    return "\n".join(lines)


def _how(state: Any, tz: ZoneInfo) -> str:
    d = state.decision
    if d is not None and d.decision == "disetujui":
        return f" — {esc(d.reviewer_name)}, {fmt_date(d.decided_at.astimezone(tz).date())}"
    if d is not None:
        return f" — catatan: <i>{esc(d.note or '-')}</i>"
    return ""
