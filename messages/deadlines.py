"""Indonesian texts for deadlines: reminders, the button, alerts, /tahap."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from messages.common import ROLE_NAMES
from messages.format import esc, fmt_date, fmt_datetime, fmt_short_datetime, greeting
from storage.deadline_model import (
    MONTHLY,
    ONCE,
    SATKER,
    Deadline,
    OccurrenceStatus,
    Party,
)

BUTTON = "✅ Sudah disampaikan"


def callback_data(occurrence_id: int) -> str:
    return f"dl:{occurrence_id}"


def reported_button(occurrence_id: int) -> dict[str, Any]:
    return {"inline_keyboard": [[{"text": BUTTON, "callback_data": callback_data(occurrence_id)}]]}


def title(dl: Deadline) -> str:
    tahap = f" (tahap {esc(dl.spec.tahap)})" if dl.spec.tahap else ""
    return f"<b>{esc(dl.spec.name)}</b>{tahap}"


def _when_left(occurrence: date, today: date) -> str:
    days = (occurrence - today).days
    if days <= 0:
        return "hari ini"
    if days == 1:
        return "besok"
    return f"{days} hari lagi"


def _due_line(st: OccurrenceStatus, tz: ZoneInfo) -> str:
    return f"Batas waktu: {fmt_datetime(st.occurrence.due_at, tz)}"


def staff_reminder(st: OccurrenceStatus, now: datetime, tz: ZoneInfo) -> str:
    left = _when_left(st.occurrence.occurrence, now.astimezone(tz).date())
    return (
        f"{greeting(now, tz)} Bapak/Ibu, pengingat tenggat {left}:\n"
        f"{title(st.deadline)}\n{_due_line(st, tz)}\n\n"
        "Bila sudah disampaikan, mohon tekan tombol di bawah agar pengingat berikutnya "
        "tidak dikirim lagi. Terima kasih."
    )


def satker_reminder(st: OccurrenceStatus, pending: list[Party], now: datetime, tz: ZoneInfo) -> str:
    left = _when_left(st.occurrence.occurrence, now.astimezone(tz).date())
    names = "\n".join(f"• {esc(p.name)}" for p in pending)
    return (
        f"{greeting(now, tz)} Bapak/Ibu operator satker, pengingat tenggat {left}:\n"
        f"{title(st.deadline)}\n{_due_line(st, tz)}\n\n"
        f"Satker yang belum menandai sudah menyampaikan:\n{names}\n\n"
        "Operator yang sudah menyampaikan mohon menekan tombol di bawah untuk satkernya. "
        "Terima kasih atas kerja samanya."
    )


def late_alert(st: OccurrenceStatus, pending: list[Party], now: datetime, tz: ZoneInfo) -> str:
    names = "\n".join(f"• {esc(p.name)}" for p in pending)
    done = len(st.reported)
    return (
        f"{greeting(now, tz)} Bapak/Ibu, tenggat berikut telah lewat:\n"
        f"{title(st.deadline)}\n{_due_line(st, tz)}\n\n"
        f"Belum menandai sudah menyampaikan ({len(pending)}):\n{names}\n\n"
        f"Sudah menyampaikan: {done}. Mohon tindak lanjutnya. Terima kasih."
    )


def pressed_ok(dl: Deadline, party: Party, at: datetime, tz: ZoneInfo) -> str:
    who = f"Satker {party.name}" if dl.spec.audience == SATKER else "Bapak/Ibu"
    return f"Terima kasih, {who} tercatat sudah menyampaikan ({fmt_short_datetime(at, tz)})."


def pressed_already(at: datetime | None, tz: ZoneInfo) -> str:
    when = f" pada {fmt_short_datetime(at, tz)}" if at else ""
    return f"Sudah tercatat disampaikan{when}. Terima kasih."


def not_operator() -> str:
    return "Mohon maaf, tombol ini untuk operator satker yang terdaftar (/operator kode_satker)."


def not_responsible() -> str:
    return "Mohon maaf, Bapak/Ibu tidak termasuk yang wajib menyampaikan untuk tenggat ini."


def gone() -> str:
    return "Tenggat ini sudah tidak berlaku. Terima kasih."


def _recurrence(dl: Deadline) -> str:
    spec = dl.spec
    if spec.recurrence == ONCE:
        return ""
    if spec.recurrence == MONTHLY:
        return f" · setiap bulan tgl {spec.due_day}"
    return f" · setiap triwulan tgl {spec.due_day} (Jan/Apr/Jul/Okt)"


def _who(dl: Deadline) -> str:
    if dl.spec.audience == SATKER:
        return "satker di grup LO"
    names = [ROLE_NAMES.get(r, r) for r in dl.spec.roles]
    if dl.spec.user_ids:
        names.append(f"{len(dl.spec.user_ids)} pegawai ditunjuk")
    return ", ".join(names)


def overview(statuses: list[OccurrenceStatus], tz: ZoneInfo, now: datetime) -> str:
    if not statuses:
        return (
            f"{greeting(now, tz)} Bapak/Ibu, tidak ada tenggat dalam waktu dekat.\n"
            "Admin dapat menambah dengan <code>/tahap tambah</code>."
        )
    lines = [f"{greeting(now, tz)} Bapak/Ibu, tenggat saat ini:"]
    for st in statuses:
        dl = st.deadline
        lines += [
            "",
            f"[{dl.id}] {title(dl)}{_recurrence(dl)}",
            f"Batas: {fmt_short_datetime(st.occurrence.due_at, tz)} · wajib: {esc(_who(dl))}",
        ]
        for party, rep in st.reported:
            lines.append(f"✅ {esc(party.name)} — {fmt_short_datetime(rep.reported_at, tz)}")
        for party in st.pending:
            lines.append(f"⏳ {esc(party.name)} — belum")
        if not st.reported and not st.pending:
            lines.append("(belum ada yang wajib menyampaikan)")
    return "\n".join(lines)


def usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh penggunaan:\n"
        "<code>/tahap</code> — daftar tenggat dan siapa yang sudah/belum menyampaikan\n"
        "<code>/tahap tambah 2026-12-18 untuk=supervisor,@budi tahap=I Laporan tahap I</code>\n"
        "<code>/tahap tambah bulanan:10 untuk=satker pengingat=3,1,0 LPJ Bendahara</code>\n"
        "<code>/tahap hapus 3</code>\n"
        "Pilihan: <code>jam=16.00</code>, <code>tahap=</code>, <code>pengingat=7,3,1,0</code>, "
        "<code>lapor=supervisor,kepala</code> (yang diberi tahu setelah tenggat lewat); "
        "waktu: tanggal, <code>bulanan:N</code> atau <code>triwulanan:N</code>."
    )


def parse_problem(problem: str) -> str:
    return f"Mohon maaf, {esc(problem)}.\n\n{usage()}"


def unknown_user(ref: str) -> str:
    return (
        f"Mohon maaf, pengguna {esc(ref)} belum dikenal bot. Mohon minta yang bersangkutan "
        "mengirim /start kepada bot terlebih dahulu."
    )


def added(dl: Deadline, first_due: datetime | None, tz: ZoneInfo) -> str:
    when = f"\nTenggat berikutnya: {fmt_datetime(first_due, tz)}" if first_due else ""
    return (
        f"Terima kasih, tenggat [{dl.id}] {title(dl)} telah ditambahkan.{when}\n"
        "Pengingat akan dikirim otomatis kepada yang wajib menyampaikan."
    )


def exists() -> str:
    return "Mohon maaf, tenggat dengan nama dan tanggal yang sama sudah ada. Lihat /tahap."


def removed(dl: Deadline) -> str:
    return f"Tenggat [{dl.id}] {title(dl)} telah dihapus; pengingatnya tidak dikirim lagi."


def not_found() -> str:
    return "Mohon maaf, tenggat dengan nomor itu tidak ditemukan. Lihat nomornya di /tahap."


def content_refused(problem: str) -> str:
    return f"Mohon maaf, berkas tenggat ditolak: {esc(problem)}"


def due_date_label(d: date) -> str:
    return fmt_date(d)
