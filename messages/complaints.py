"""Texts for complaints (pengaduan): intake, call-back follow-ups, lists, alerts.

The follow-up to the complainant follows the call-back script of the service-etiquette
seed: greeting, who is calling, the complaint as we received it, the solution, thanks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from messages.format import (
    esc,
    excerpt,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_short_datetime,
    greeting,
)
from storage.models import (
    COMPLAINT_DONE,
    COMPLAINT_IN_PROGRESS,
    COMPLAINT_RECEIVED,
    INTEGRITY,
    CleanClear,
    Complaint,
    FollowUp,
)

STATUS = {
    COMPLAINT_RECEIVED: "diterima, belum ditindaklanjuti",
    COMPLAINT_IN_PROGRESS: "dalam proses",
    COMPLAINT_DONE: "selesai",
}
CHANNEL = {"grup": "grup LO", "pribadi": "chat pribadi"}
OFFICIAL_CHANNELS = (
    "Untuk dugaan pungutan liar, gratifikasi atau pelanggaran integritas lainnya, "
    "Bapak/Ibu juga dapat melapor melalui kanal resmi: <b>SIPANDU</b> DJPb dan "
    "<b>WISE</b> (Whistleblowing System) Kementerian Keuangan; identitas pelapor di WISE "
    "dilindungi. Contact center Kemenkeu: 14090."
)


def usage() -> str:
    return (
        "Untuk menyampaikan pengaduan, tulis:\n<code>/pengaduan isi pengaduan</code>\n"
        "Pengaduan dapat juga disampaikan melalui chat pribadi dengan bot."
    )


def ask_for_text(minutes: int, in_group: bool = True) -> str:
    """'/pengaduan' alone: the next message in that chat is the complaint."""
    text = f"Silakan tulis isi pengaduan Bapak/Ibu pada pesan berikutnya (dalam {minutes} menit)."
    if in_group:
        text += (
            " Pengaduan juga dapat disampaikan melalui chat pribadi dengan bot, agar tidak "
            "terbaca anggota grup lainnya."
        )
    return text


def details_received(c: Complaint) -> str:
    """In the group: the reply's details joined the complaint (they are not repeated)."""
    return (
        f"Terima kasih Bapak/Ibu, tambahan keterangan untuk pengaduan <b>{esc(c.number)}</b> "
        "telah kami terima dan diteruskan kepada petugas kepatuhan internal; rinciannya kami "
        "sampaikan melalui chat pribadi."
    )


def staff_details(c: Complaint, text: str) -> str:
    """To the complaint's handlers: what the complainant added."""
    return (
        f"📎 Tambahan keterangan pengaduan <b>{esc(c.number)}</b> dari pelapor: "
        f"<i>{esc(excerpt(text, 600))}</i> {_follow_up_hint(c)}"
    )


def followup_usage() -> str:
    return (
        "Format: <code>/tindaklanjut P-2026-0001 isi tindak lanjut</code>\n"
        "Awali isi dengan <code>selesai</code> bila pengaduan telah tuntas, misalnya "
        "<code>/tindaklanjut P-2026-0001 selesai petugas telah diberi pembinaan</code>."
    )


def received_in_group(c: Complaint, now: datetime, tz: ZoneInfo, removed: bool) -> str:
    """In the group: thanks and the number only; the complaint's text is not repeated.
    For an integrity complaint the official channels come first."""
    lines = [OFFICIAL_CHANNELS] if c.category == INTEGRITY else []
    lines.append(
        f"{greeting(now, tz)} Bapak/Ibu, terima kasih telah menyampaikan pengaduan. "
        f"Pengaduan telah kami catat dengan nomor <b>{esc(c.number)}</b> dan akan "
        "ditindaklanjuti oleh petugas kepatuhan internal."
    )
    if removed:
        lines.append(
            "Demi kerahasiaan, pesan pengaduan telah kami hapus dari grup; rincian dan "
            "tindak lanjutnya kami sampaikan melalui chat pribadi."
        )
    else:
        lines.append(
            "Karena pengaduan dapat menyebut nama petugas, rincian dan tindak lanjutnya kami "
            "sampaikan melalui chat pribadi. Selanjutnya, mohon sampaikan pengaduan melalui "
            "chat pribadi dengan bot. Silakan tekan tombol di bawah."
        )
    return "\n\n".join(lines)


def received_from_group(c: Complaint, now: datetime, tz: ZoneInfo, removed: bool) -> str:
    """Privately, for a complaint made in a group: the text as recorded, and what became
    of the group message."""
    lines = [OFFICIAL_CHANNELS] if c.category == INTEGRITY else []
    lines += [
        f"{greeting(now, tz)} Bapak/Ibu, pengaduan Bapak/Ibu di grup telah kami catat dengan "
        f"nomor <b>{esc(c.number)}</b>: <i>{esc(excerpt(c.text, 1000))}</i>",
        "Demi kerahasiaan, pesan pengaduan tersebut telah kami hapus dari grup."
        if removed
        else "Bot tidak dapat menghapus pesan pengaduan tersebut dari grup karena tidak "
        "berwenang (bot bukan admin grup); bila perlu, Bapak/Ibu dapat menghapusnya sendiri. "
        "Untuk pengaduan berikutnya, mohon sampaikan terlebih dahulu melalui chat pribadi ini.",
        "Tindak lanjutnya akan kami sampaikan melalui chat ini. Status dapat dilihat dengan "
        f"<code>/pengaduan {esc(c.number)}</code>.",
    ]
    return "\n\n".join(lines)


def details_private(c: Complaint, removed: bool) -> str:
    """Privately: the details replied in the group joined the complaint."""
    where = (
        " Demi kerahasiaan, pesan tersebut telah kami hapus dari grup."
        if removed
        else " Untuk menjaga kerahasiaan, keterangan berikutnya mohon disampaikan melalui "
        "chat pribadi ini."
    )
    return (
        f"Tambahan keterangan Bapak/Ibu untuk pengaduan <b>{esc(c.number)}</b> telah kami "
        f"catat dan teruskan kepada petugas kepatuhan internal.{where}"
    )


def private_button(bot_username: str) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [{"text": "💬 Lanjutkan di chat pribadi", "url": f"https://t.me/{bot_username}"}]
        ]
    }


def received_private(c: Complaint, now: datetime, tz: ZoneInfo) -> str:
    lines = [OFFICIAL_CHANNELS] if c.category == INTEGRITY else []
    lines += [
        f"{greeting(now, tz)} Bapak/Ibu, terima kasih telah menyampaikan pengaduan.",
        f"Pengaduan telah kami catat dengan nomor <b>{esc(c.number)}</b> "
        f"pada {fmt_datetime(c.created_at, tz)}.",
        "Permasalahan Bapak/Ibu akan ditindaklanjuti oleh petugas kepatuhan internal, dan kami "
        "akan menghubungi Bapak/Ibu kembali melalui chat ini sesegera mungkin.",
        f"Status dapat dilihat dengan <code>/pengaduan {esc(c.number)}</code>.",
    ]
    return "\n\n".join(lines)


def head_new(c: Complaint) -> str:
    """To the head of office: an integrity complaint exists (never who made it or what it
    says: it may be about anyone in the office)."""
    return (
        f"📣 Pengaduan <b>{esc(c.number)}</b> terkait integritas telah diterima dan ditangani "
        "oleh Seksi Kepatuhan Internal. Statusnya dapat dilihat dengan "
        f"<code>/pengaduan {esc(c.number)}</code>."
    )


def overdue_head_integrity(c: Complaint, days: float) -> str:
    late = fmt_number(days, 0 if days == int(days) else 1)
    return (
        f"⚠️ Pengaduan <b>{esc(c.number)}</b> terkait integritas belum ditindaklanjuti lebih "
        f"dari {late} hari kerja oleh Seksi Kepatuhan Internal."
    )


def staff_new(c: Complaint, group_title: str | None, tz: ZoneInfo) -> str:
    kind = " (terkait integritas)" if c.category == INTEGRITY else ""
    where = f"grup <b>{esc(group_title)}</b>" if group_title else CHANNEL[c.channel]
    return "\n".join(
        [
            f"📣 Pengaduan baru <b>{esc(c.number)}</b>{kind} melalui {where}.",
            f"Dari: {esc(c.complainant_name)} (satker {esc(c.kode_satker or '-')})",
            f"Diterima: {fmt_datetime(c.created_at, tz)}",
            f"Isi: <i>{esc(excerpt(c.text, 600))}</i>",
            f"Tindak lanjuti dengan <code>/tindaklanjut {esc(c.number)} isi tindak lanjut</code>.",
        ]
    )


def attachment_caption(c: Complaint) -> str:
    what = "Foto" if c.attachment_kind == "photo" else "Berkas"
    return f"{what} lampiran pengaduan <b>{esc(c.number)}</b>."


def _follow_up_hint(c: Complaint) -> str:
    return f"<code>/tindaklanjut {esc(c.number)} …</code>"


def staff_new_line(c: Complaint, group_title: str | None) -> str:
    """The new complaint as one line of a staff digest."""
    kind = " (terkait integritas)" if c.category == INTEGRITY else ""
    where = f"grup {esc(excerpt(group_title, 40))}" if group_title else CHANNEL[c.channel]
    return (
        f"📣 <b>{esc(c.number)}</b> — pengaduan baru{kind} melalui {where}: "
        f"<i>{esc(excerpt(c.text, 70))}</i> {_follow_up_hint(c)}"
    )


def overdue_line(c: Complaint, days: float) -> str:
    """The overdue alert as one line of a staff digest."""
    late = fmt_number(days, 0 if days == int(days) else 1)
    return (
        f"⚠️ <b>{esc(c.number)}</b> — pengaduan belum ditindaklanjuti lebih dari {late} hari "
        f"kerja: <i>{esc(excerpt(c.text, 60))}</i> {_follow_up_hint(c)}"
    )


def callback(c: Complaint, text: str, office: str, now: datetime, tz: ZoneInfo) -> str:
    """The call-back to the complainant (seed 001: greeting, unit, the complaint, solution)."""
    hello = greeting(now, tz)
    closing = (
        "Pengaduan ini kami nyatakan <b>selesai</b>. Bila masih ada yang belum sesuai, "
        "silakan sampaikan pengaduan baru."
        if c.status == COMPLAINT_DONE
        else "Perkembangan berikutnya akan kami sampaikan kembali kepada Bapak/Ibu."
    )
    return "\n\n".join(
        [
            f"{hello} Bapak/Ibu {esc(c.complainant_name)}, kami dari {esc(office)}.",
            f"Kami telah menerima pengaduan Bapak/Ibu pada {fmt_date(c.created_at.astimezone(tz))} "
            f"(nomor <b>{esc(c.number)}</b>) mengenai: <i>{esc(excerpt(c.text, 200))}</i>",
            f"Tindak lanjutnya: {esc(text)}",
            f"Status pengaduan: <b>{STATUS[c.status]}</b>. {closing}",
            f"Terima kasih Bapak/Ibu, {hello.lower()}.",
        ]
    )


def group_note(c: Complaint) -> str:
    """Neutral, for the whole group: no content, no names."""
    return (
        f"Pengaduan <b>{esc(c.number)}</b> telah ditindaklanjuti (status: {STATUS[c.status]}). "
        "Rinciannya telah kami sampaikan langsung kepada pelapor. Terima kasih."
    )


def followup_recorded(c: Complaint) -> str:
    where = (
        "; setelah pesan itu terkirim, catatan singkat tanpa rincian dikirim ke grup"
        if c.chat_id is not None
        else ""
    )
    return (
        f"Tindak lanjut pengaduan <b>{esc(c.number)}</b> telah dicatat (status: "
        f"{STATUS[c.status]}). Pelapor diberi tahu melalui chat pribadi{where}."
    )


def not_found() -> str:
    return "Mohon maaf, nomor pengaduan tersebut tidak ditemukan."


def already_done(c: Complaint) -> str:
    return f"Pengaduan <b>{esc(c.number)}</b> sudah berstatus selesai."


def overdue_alert(c: Complaint, due: datetime, days: float, tz: ZoneInfo) -> str:
    return "\n".join(
        [
            f"⚠️ Pengaduan <b>{esc(c.number)}</b> belum ditindaklanjuti lebih dari "
            f"{fmt_number(days, 0 if days == int(days) else 1)} hari kerja.",
            f"Diterima: {fmt_datetime(c.created_at, tz)} melalui {CHANNEL[c.channel]}",
            f"Batas tindak lanjut: {fmt_datetime(due, tz)}",
            f"Isi: <i>{esc(excerpt(c.text, 300))}</i>",
            f"Tindak lanjuti dengan <code>/tindaklanjut {esc(c.number)} isi tindak lanjut</code>.",
        ]
    )


def listing(
    statuses: tuple[str, ...],
    found: list[Complaint],
    counts: dict[str, int],
    tz: ZoneInfo,
    hidden: frozenset[int] = frozenset(),
) -> str:
    """``hidden``: integrity complaints whose text this reader may not see."""
    shown = ", ".join(STATUS[s] for s in statuses)
    lines = [
        "<b>Pengaduan</b> — "
        + "; ".join(f"{STATUS[s]}: {fmt_number(counts.get(s, 0))}" for s in STATUS),
        f"Ditampilkan: {shown}",
        "",
    ]
    for c in found:
        about = (
            "terkait integritas, ditangani Seksi Kepatuhan Internal"
            if c.id in hidden
            else f"<i>{esc(excerpt(c.text, 80))}</i>"
        )
        lines.append(
            f"• <b>{esc(c.number)}</b> {fmt_short_datetime(c.created_at, tz)} — "
            f"{STATUS[c.status]} — {about}"
        )
    if not found:
        lines.append("Tidak ada pengaduan dengan status tersebut.")
    lines += [
        "",
        "Saring: <code>/pengaduan baru|proses|selesai|semua</code>; rincian: "
        "<code>/pengaduan P-2026-0001</code>",
    ]
    return "\n".join(lines)


def detail_status_only(c: Complaint, tz: ZoneInfo) -> str:
    """The head of office's view of an integrity complaint: that it exists, its status."""
    return "\n".join(
        [
            f"<b>Pengaduan {esc(c.number)}</b> — {STATUS[c.status]}",
            f"Diterima: {fmt_datetime(c.created_at, tz)}",
            "Pengaduan terkait integritas: rinciannya hanya dapat dilihat oleh Seksi "
            "Kepatuhan Internal.",
        ]
    )


def detail(c: Complaint, followups: list[FollowUp], tz: ZoneInfo) -> str:
    lines = [
        f"<b>Pengaduan {esc(c.number)}</b> — {STATUS[c.status]}",
        f"Diterima: {fmt_datetime(c.created_at, tz)} melalui {CHANNEL[c.channel]}",
        f"Satker: {esc(c.kode_satker or '-')}",
        f"Isi: <i>{esc(excerpt(c.text, 1500))}</i>",
    ]
    for f in followups:
        lines.append(
            f"• {fmt_short_datetime(f.at, tz)} ({STATUS[f.status]}): {esc(excerpt(f.text, 500))}"
        )
    if not followups:
        lines.append("Belum ada tindak lanjut.")
    return "\n".join(lines)


def clean_clear(cc: CleanClear) -> str:
    """The "clean and clear" line of /rekap (seed 000, row 3.b)."""
    return (
        f"Pengaduan (clean and clear): diterima {fmt_number(cc.received)}, selesai "
        f"{fmt_number(cc.done)}, dalam proses {fmt_number(cc.in_progress)}, belum "
        f"ditindaklanjuti {fmt_number(cc.not_followed_up)}"
    )
