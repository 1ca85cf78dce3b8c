"""Texts and buttons of the FAQ."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from messages.format import esc, excerpt, fmt_date, fmt_short_datetime

ASPECT_TITLES = {
    "alur": "Alur/prosedur",
    "persyaratan": "Persyaratan",
    "waktu": "Waktu penyelesaian",
    "pemantauan": "Cara memantau",
    "sanksi": "Sanksi",
    "jawaban": "Jawaban LO",  # entries approved from an LO's answer have only this
}
FILE_ASPECTS = ("alur", "persyaratan", "waktu", "pemantauan", "sanksi")
ASPECT_ORDER = list(ASPECT_TITLES)


NOT_REVIEWED = (
    "<i>Informasi ini belum ditinjau oleh KPPN; mohon konfirmasi kepada LO sebelum "
    "dijadikan dasar keputusan.</i>"
)
GENERAL_GUIDANCE = (
    "<i>Panduan umum: bagian ini tidak merujuk ketentuan tertentu; rincian yang berlaku "
    "mohon dipastikan kepada LO.</i>"
)


def entry_text(entry: Any, aspect: str) -> str:
    """One aspect of an entry: short enough for one message on a phone. It says whether
    the office has reviewed it, and when the aspect is general guidance only."""
    lines = [
        f"<b>{esc(entry.title)}</b>",
        f"<i>{ASPECT_TITLES[aspect]}</i>",
        "",
        esc(entry.aspects[aspect]),
        "",
    ]
    if aspect in getattr(entry, "panduan_umum", ()):
        lines.append(GENERAL_GUIDANCE)
    if entry.produk:
        lines.append(f"Produk layanan: {esc(entry.produk)}")
    if entry.dasar_hukum:
        lines.append(f"Dasar hukum: {esc(entry.dasar_hukum)}")
    if entry.catatan:
        lines.append(f"Catatan: {esc(entry.catatan)}")
    if entry.reviewed_by and entry.reviewed_at:
        lines.append(
            f"<i>Ditinjau oleh {esc(entry.reviewed_by)}, {fmt_date(entry.reviewed_at)}.</i>"
        )
    else:
        lines.append(NOT_REVIEWED)
    return "\n".join(lines)


def short_name(entry: Any) -> str:
    """ "TUP" for "Tambahan Uang Persediaan (TUP)"; the title when the bracket holds no
    abbreviation ("Retur SP2D (Transfer Dana Gagal)", "... (Zero Cost Services)")."""
    title = str(entry.title)
    if title.endswith(")") and "(" in title:
        inner = title[title.rindex("(") + 1 : -1]
        if " " not in inner and len(inner) <= 10 and inner.upper() == inner:
            return inner
    return title


def choose_text(entries: list[Any]) -> str:
    names = [f"<b>{esc(short_name(e))}</b>" for e in entries]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " atau " + names[-1]
    return (
        f"Mohon maaf, agar jawabannya tepat: maksud Bapak/Ibu {joined}? Silakan pilih salah "
        "satu. Bila bukan semuanya, pilih <b>Bukan semuanya</b> dan pertanyaan akan kami catat "
        "untuk dijawab LO."
    )


def choose_buttons(entries: list[Any], log_id: int | None) -> dict[str, Any]:
    # fq:<log>:<entry id> stays within 64 bytes: ids are at most 32 characters.
    rows = [
        [
            {
                "text": e.title[:60],
                "callback_data": f"fq:{log_id or 0}:{e.id}",
            }
        ]
        for e in entries
    ]
    if log_id:
        rows.append([{"text": "❓ Bukan semuanya", "callback_data": f"fv:{log_id}:n"}])
    return {"inline_keyboard": rows}


def group_reply(match: Any, aspect: str, log_id: int) -> tuple[str, dict[str, Any]]:
    """Text and buttons for a group question the FAQ took on: the answer, or, when close
    entries compete, "maksud Bapak/Ibu: TUP atau GUP?" with one button per entry."""
    if match.alternatives:
        options = [match.entry, *match.alternatives]
        return choose_text(options), choose_buttons(options, log_id)
    return auto_answer(match.entry, aspect), entry_buttons(match.entry.id, aspect, log_id)


def auto_answer(entry: Any, aspect: str) -> str:
    return (
        entry_text(entry, aspect)
        + "\n\nApakah informasi ini sudah menjawab pertanyaan Bapak/Ibu? Bila belum, pilih "
        "<b>Belum terjawab</b> dan pertanyaan akan kami catat untuk dijawab LO."
    )


def entry_buttons(entry_id: str, current: str, log_id: int | None) -> dict[str, Any]:
    aspect_buttons = [
        {"text": ASPECT_TITLES[a], "callback_data": f"fa:{entry_id}:{i}:{log_id or 0}"}
        for i, a in enumerate(ASPECT_ORDER)
        if a != current and a in FILE_ASPECTS and current in FILE_ASPECTS
    ]
    rows = [aspect_buttons[:2], aspect_buttons[2:]]
    if log_id:
        rows.append(
            [
                {"text": "✅ Terjawab", "callback_data": f"fv:{log_id}:y"},
                {"text": "❓ Belum terjawab", "callback_data": f"fv:{log_id}:n"},
            ]
        )
    return {"inline_keyboard": rows}


def categories_text() -> str:
    return "Silakan pilih kategori layanan:"


def categories_buttons(categories: list[str]) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": c, "callback_data": f"fc:{i}"}] for i, c in enumerate(categories)
        ]
    }


def entries_buttons(entries: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": title[:60], "callback_data": f"fa:{eid}:0:0"}] for eid, title in entries
        ]
    }


def category_text(category: str) -> str:
    return f"<b>{esc(category)}</b>\nSilakan pilih topik:"


def search_text(keyword: str, found: int) -> str:
    if not found:
        return (
            f"Mohon maaf, belum ada informasi untuk <b>{esc(keyword)}</b>. Silakan ajukan "
            "pertanyaannya di grup LO agar dijawab oleh LO."
        )
    return f"Hasil pencarian <b>{esc(keyword)}</b>:"


def no_content() -> str:
    return "Mohon maaf, konten FAQ belum dimuat. Mohon hubungi admin."


def reloaded(count: int) -> str:
    return f"Konten FAQ berhasil dimuat ulang: {count} entri."


def reload_failed(error: str) -> str:
    return (
        "Konten FAQ <b>tidak</b> dimuat karena ada kesalahan; konten sebelumnya tetap dipakai.\n"
        f"<code>{esc(error)}</code>"
    )


def vote_thanks() -> str:
    return "Terima kasih atas konfirmasinya."


def vote_forwarded() -> str:
    """ "Belum terjawab": the question goes to the LO as a ticket."""
    return "Mohon maaf jawabannya belum sesuai. Pertanyaan Bapak/Ibu kami teruskan kepada LO."


def vote_not_asker() -> str:
    return "Mohon maaf, tombol ini hanya untuk penanya."


def already_voted() -> str:
    return "Tanggapan Bapak/Ibu sudah kami terima sebelumnya."


def private_hint() -> str:
    return (
        "Terima kasih atas pesannya. Untuk informasi layanan silakan ketik "
        "<code>/faq kata kunci</code>, dan pertanyaan yang perlu dijawab LO mohon diajukan di "
        "grup LO satker Bapak/Ibu agar tercatat sebagai tiket. Daftar perintah: /bantuan"
    )


# ---- growth from LO answers ------------------------------------------------------------------
def make_faq_button(ticket_id: int) -> dict[str, Any]:
    """The one button on the LO's private confirmation after answering a ticket."""
    return {"inline_keyboard": [[{"text": "📚 Jadikan FAQ", "callback_data": f"fd:{ticket_id}"}]]}


def draft_created(draft_id: int) -> str:
    return f"Terima kasih. Draf FAQ #{draft_id} dibuat dan akan ditinjau admin."


def draft_exists() -> str:
    return "Jawaban ini sudah diajukan sebagai draf FAQ."


def draft_not_allowed() -> str:
    return "Mohon maaf, hanya petugas yang dapat menjawab tiket ini yang dapat mengajukannya."


def draft_not_answered() -> str:
    return "Tiket ini belum dijawab, jadi belum dapat dijadikan FAQ."


def drafts_text(rows: list[Any]) -> str:
    if not rows:
        return "Tidak ada draf FAQ yang menunggu tinjauan."
    lines = ["<b>Draf FAQ dari jawaban LO</b> (menunggu tinjauan)"]
    for r in rows:
        lines.append(
            f"\n<b>#{r['id']}</b> Pertanyaan: <i>{esc(excerpt(r['question'], 200))}</i>\n"
            f"Jawaban: {esc(excerpt(r['answer'], 400))}"
        )
    lines.append("\nSetujui untuk langsung dipakai FAQ; teks YAML-nya dikirim untuk peninjau.")
    return "\n".join(lines)


def drafts_buttons(rows: list[Any]) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [
                {"text": f"✅ Setujui #{r['id']}", "callback_data": f"fdok:{r['id']}"},
                {"text": f"🗑 Tolak #{r['id']}", "callback_data": f"fdno:{r['id']}"},
            ]
            for r in rows
        ]
    }


# The YAML goes in one <pre> block; kept inside one Telegram message so that splitting a
# long text never cuts the block (and its HTML) in two.
YAML_MAX = 3000


def draft_approved(entry: Any, yaml_text: str) -> str:
    shown, cut = yaml_text, len(yaml_text)
    while len(esc(shown)) > YAML_MAX:  # escaping lengthens the text: measure it escaped
        cut -= 200
        shown = yaml_text[:cut] + "\n# … (dipotong; teks lengkap ada di basis data)"
    return (
        f"Draf disetujui dan sudah dipakai FAQ sebagai entri <code>{esc(entry.id)}</code>.\n"
        "Untuk peninjau: lengkapi lalu simpan sebagai berkas konten bila perlu.\n"
        f"<pre>{esc(shown)}</pre>"
    )


def draft_rejected(draft_id: int) -> str:
    return f"Draf FAQ #{draft_id} ditolak."


def draft_gone() -> str:
    return "Draf ini sudah ditinjau sebelumnya."


def miss_themes(themes: list[Any], tz: ZoneInfo) -> str:
    if not themes:
        return "Belum ada pertanyaan yang tidak terjawab FAQ."
    lines = ["<b>Pertanyaan yang belum terjawab FAQ, per tema</b> (terbanyak dahulu)"]
    for t in themes:
        lines.append(
            f"\n<b>{esc(t.name)}</b> — {t.count} pertanyaan, terakhir "
            f"{fmt_short_datetime(t.last, tz)}"
        )
        lines.extend(f"• <i>{esc(excerpt(q, 150))}</i>" for q in t.examples)
    return "\n".join(lines)
