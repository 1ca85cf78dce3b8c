"""Indonesian texts for deadlines: reminders, the button, alerts, /tahap."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from messages.common import ROLE_NAMES
from messages.format import esc, fmt_datetime, fmt_short_datetime, greeting
from storage.deadline_model import (
    MONTHLY,
    ONCE,
    SATKER,
    Deadline,
    OccurrenceStatus,
    Party,
    Signoff,
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
        f"Satker yang belum tercatat menyampaikan:\n{names}\n\n"
        "Operator yang sudah menyampaikan mohon menekan tombol di bawah untuk satkernya. "
        "Terima kasih atas kerja samanya."
    )


def late_alert(
    st: OccurrenceStatus, pending: list[Party], done: int, now: datetime, tz: ZoneInfo
) -> str:
    """``pending`` and ``done`` count the same parties: an LO's own satker, or everyone."""
    names = "\n".join(f"• {esc(p.name)}" for p in pending)
    return (
        f"{greeting(now, tz)} Bapak/Ibu, tenggat berikut telah lewat:\n"
        f"{title(st.deadline)}\n{_due_line(st, tz)}\n\n"
        f"Belum tercatat menyampaikan ({len(pending)}):\n{names}\n\n"
        f"Sudah menyampaikan: {done}. Mohon tindak lanjutnya. Terima kasih."
    )


def late_alert_line(st: OccurrenceStatus, pending: list[Party]) -> str:
    """The after-deadline list as one line of a staff digest."""
    names = ", ".join(esc(p.name) for p in pending[:5])
    more = f" dan {len(pending) - 5} lainnya" if len(pending) > 5 else ""
    return (
        f"📅 {title(st.deadline)} — tenggat lewat, belum menyampaikan ({len(pending)}): "
        f"{names}{more}. Lihat <code>/tahap</code>."
    )


def pressed_ok(dl: Deadline, party: Party, at: datetime, tz: ZoneInfo) -> str:
    # A button's answer is at most 200 characters: a satker's name can be long.
    name = party.name if len(party.name) <= 80 else party.name[:79] + "…"
    who = f"Satker {name}" if dl.spec.audience == SATKER else "Bapak/Ibu"
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
        "<code>/tahap muat</code> — baca ulang berkas kalender tenggat (admin)\n"
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


def reloaded(file: str, total: int, added: int, changed: int, removed: int) -> str:
    """/tahap muat: what reading the file again changed."""
    head = f"Terima kasih, berkas tenggat <b>{esc(file)}</b> telah dibaca ulang ({total} tenggat)"
    if not (added or changed or removed):
        return f"{head}: tidak ada perubahan."
    return (
        f"{head}: {added} baru, {changed} diubah, {removed} dihapus.\n"
        "Pengingat yang sudah terkirim tidak dikirim ulang; pengingat berikutnya mengikuti "
        "kalender yang baru."
    )


def reload_refused(
    file: str, line: int | None, entry: str | None, field_name: str | None, problem: str
) -> str:
    """/tahap muat with a bad file: the first problem, where it is; nothing changed."""
    where = [f"baris {line}"] if line else []
    where += [f"entri '{entry}'"] if entry else []
    where += [f"kolom '{field_name}'"] if field_name else []
    at = f" ({esc(', '.join(where))})" if where else ""
    return (
        f"Mohon maaf, berkas tenggat <b>{esc(file)}</b> belum dapat dimuat{at}: "
        f"{esc(problem)}.\n"
        "Tidak ada yang diubah; kalender tenggat yang berlaku tetap dipakai. Mohon perbaiki "
        "berkasnya, lalu kirim <code>/tahap muat</code> lagi. Terima kasih."
    )


def no_deadline_file() -> str:
    return (
        "Mohon maaf, kantor ini belum memakai berkas kalender tenggat (LOBOT_DEADLINES_FILE "
        "belum diatur). Tenggat dapat ditambahkan dengan <code>/tahap tambah</code>."
    )


def cso_reminder(now: datetime, tz: ZoneInfo, until: time) -> str:
    return (
        f"{greeting(now, tz)} Bapak/Ibu CSO, jam layanan hari ini telah selesai. Mohon catat "
        "pertanyaan satker yang diterima hari ini melalui meja layanan, telepon, surat atau "
        f"WhatsApp sebelum pukul {until.strftime('%H.%M')}, dengan jam diterimanya, mis.:\n"
        "<code>/catat telepon 123456 14.30 Satker menanyakan status SP2D</code>\n"
        "Batas waktu jawaban dihitung sejak pertanyaan diterima. Terima kasih."
    )


def cso_reminder_line(until: time) -> str:
    return (
        f"📝 Mohon catat pertanyaan dari meja layanan, telepon, surat atau WhatsApp hari ini "
        f"sebelum pukul {until.strftime('%H.%M')} dengan <code>/catat</code>."
    )


def received_refused() -> str:
    return (
        "Mohon maaf, jam diterima tidak boleh di masa depan atau lebih dari 7 hari yang lalu. "
        "Contoh: <code>/catat telepon 123456 14.30 pertanyaan</code> atau "
        "<code>/catat surat 123456 2026-11-30 10.15 pertanyaan</code>."
    )


def late_record_note(until: time) -> str:
    return (
        f"Catatan: pertanyaan ini dicatat setelah pukul {until.strftime('%H.%M')} "
        "dan ditandai sebagai pencatatan terlambat."
    )


# ---- the monthly report's sign-off ----------------------------------------------------

_STAGE_TEXT = {
    "draf": (
        "draf laporan berikut telah disiapkan bot. Mohon diperiksa dan dilengkapi, lalu tekan "
        "tombol untuk mengajukannya kepada Kepala Seksi."
    ),
    "pemeriksaan": "laporan berikut diajukan CSO. Mohon diperiksa, lalu tekan tombol di bawah.",
    "persetujuan": (
        "laporan berikut telah diperiksa Kepala Seksi. Mohon persetujuan Bapak/Ibu melalui tombol "
        "di bawah."
    ),
}
_BUTTON_TEXT = {
    "draf": "📤 Ajukan ke Kepala Seksi",
    "pemeriksaan": "✅ Sudah diperiksa",
    "persetujuan": "✍️ Setujui laporan",
}
STAGE_NAMES = {
    "draf": "draf di CSO",
    "pemeriksaan": "menunggu pemeriksaan Kepala Seksi",
    "persetujuan": "menunggu persetujuan Kepala Kantor",
    "disetujui": "disetujui",
}


def _report_name(so: Signoff) -> str:
    kind = "bulanan" if so.kind == "bulanan" else "triwulanan"
    return f"<b>Laporan layanan informasi {kind} — {esc(so.label)}</b>"


def signoff_button(signoff_id: int, stage: str, action: str) -> dict[str, Any]:
    data = f"so:{signoff_id}:{action}"
    return {"inline_keyboard": [[{"text": _BUTTON_TEXT[stage], "callback_data": data}]]}


def signoff_prompt(so: Signoff, stage: str, now: datetime, tz: ZoneInfo) -> str:
    return (
        f"{greeting(now, tz)} Bapak/Ibu, {_STAGE_TEXT[stage]}\n{_report_name(so)}\n"
        f"Batas penyelesaian (5 hari kerja): {fmt_datetime(so.window_end, tz)}. Terima kasih."
    )


def signoff_reminder(so: Signoff, now: datetime, tz: ZoneInfo) -> str:
    return (
        f"{greeting(now, tz)} Bapak/Ibu, pengingat: {_report_name(so)} "
        f"masih {STAGE_NAMES[so.stage]}.\n"
        f"Batas penyelesaian: {fmt_datetime(so.window_end, tz)}. Mohon tindak lanjutnya melalui "
        "tombol di bawah. Terima kasih."
    )


def signoff_escalation(so: Signoff, holders: list[str], now: datetime, tz: ZoneInfo) -> str:
    """To the next role up, once, when the 5 working days passed without approval."""
    who = f" ({esc(', '.join(holders))})" if holders else ""
    return (
        f"{greeting(now, tz)} Bapak/Ibu, mohon perhatian: {_report_name(so)} belum disetujui "
        f"hingga batas 5 hari kerja ({fmt_datetime(so.window_end, tz)}). Laporan masih "
        f"{STAGE_NAMES[so.stage]}{who}. Mohon bantuan tindak lanjutnya. Terima kasih."
    )


def _escalated(so: Signoff, tz: ZoneInfo) -> list[str]:
    if so.escalated_at is None or so.escalated_stage is None:
        return []
    return [
        f"Melewati batas 5 hari kerja (masih {STAGE_NAMES[so.escalated_stage]}); "
        f"dilaporkan ke atasan {fmt_short_datetime(so.escalated_at, tz)}"
    ]


def _signed(
    label: str, uid: int | None, at: datetime | None, names: dict[int, str], tz: ZoneInfo
) -> str:
    if uid is None or at is None:
        return f"{label}: -"
    return f"{label}: {esc(names.get(uid, str(uid)))}, {fmt_short_datetime(at, tz)}"


def signoff_trail(so: Signoff, names: dict[int, str], tz: ZoneInfo) -> list[str]:
    return [
        _signed("Diajukan CSO", so.submitted_by, so.submitted_at, names, tz),
        _signed("Diperiksa Kepala Seksi", so.checked_by, so.checked_at, names, tz),
        _signed("Disetujui Kepala Kantor", so.approved_by, so.approved_at, names, tz),
    ]


def signoff_approved(so: Signoff, names: dict[int, str], tz: ZoneInfo) -> str:
    lines = [f"Terima kasih, {_report_name(so)} telah disetujui.", *signoff_trail(so, names, tz)]
    return "\n".join(lines)


def signoff_status(signoffs: list[Signoff], names: dict[int, str], tz: ZoneInfo) -> str:
    """The /rekap line(s): where each scheduled report of the period stands."""
    lines = []
    for so in signoffs:
        kind = "bulanan" if so.kind == "bulanan" else "triwulanan"
        lines.append(f"Persetujuan laporan {kind}: <b>{STAGE_NAMES[so.stage]}</b>")
        trail = [line for line in signoff_trail(so, names, tz) if not line.endswith(": -")]
        lines += [f"  {line}" for line in [*trail, *_escalated(so, tz)]]
    return "\n".join(lines)


def signoff_pressed(stage: str) -> str:
    return {
        "pemeriksaan": "Terima kasih, laporan telah diajukan kepada Kepala Seksi.",
        "persetujuan": "Terima kasih, laporan diteruskan kepada Kepala Kantor untuk persetujuan.",
        "disetujui": "Terima kasih, laporan telah disetujui dan tercatat.",
    }[stage]


def signoff_done_before() -> str:
    return "Tahap ini sudah diproses sebelumnya. Terima kasih."


def signoff_refused() -> str:
    return "Mohon maaf, tahap ini ditangani oleh peran lain."
