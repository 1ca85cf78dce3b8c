"""Texts of /rekap and the scheduled information-service report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date

from messages.complaints import clean_clear
from messages.format import LOCALE, esc, fmt_datetime, fmt_hours, fmt_number, fmt_percent

CHANNELS = {
    "grup": "grup LO",
    "meja_layanan": "meja layanan",
    "telepon": "telepon",
    "surat": "surat",
    "email": "e-mail",
    "whatsapp": "WhatsApp",
}
MAX_LINES = 10


def usage() -> str:
    return (
        "Format periode belum sesuai. Contoh:\n<code>/rekap</code> (bulan ini), "
        "<code>/rekap hari ini</code>, <code>/rekap minggu ini</code>, "
        "<code>/rekap triwulan ini</code>, <code>/rekap 2026-11</code>, "
        "<code>/rekap 2026-Q4</code>, <code>/rekap 2026-11-01..2026-11-15</code>"
    )


def _share(line: Any) -> str:
    """The on-time share as every report states it (bot.kpi.on_time_share)."""
    share = line.on_time_share
    return fmt_percent(share) if share is not None else "-"


ON_TIME_NOTE = (
    "Tepat waktu = dijawab paling lama 2 hari kerja sejak dicatat, dibagi tiket yang sudah "
    "dapat dinilai (sudah dijawab, atau belum dijawab tetapi sudah melewati batas)."
)


def _kpi_line(k: Any) -> str:
    quantity = f"{fmt_number(k.quantity_percent, 1)}%"
    head = (
        f"{fmt_number(k.tickets)} tiket dari minimal {fmt_number(k.minimum)} ({quantity}) "
        f"→ indeks kuantitas {fmt_number(k.quantity_index, 1)}; "
    )
    if not k.judged:
        # Nothing answered or overdue yet: there is no on-time share to score, so no IKU.
        return (
            head + "ketepatan waktu belum dapat dinilai (belum ada tiket yang dijawab atau "
            "melewati batas); IKU belum dapat dihitung"
        )
    verdict = "memenuhi" if k.meets_target else "belum memenuhi"
    on_time = f"{fmt_number(k.on_time_percent, 1)}%"
    return head + (
        f"tepat waktu {fmt_number(k.on_time)} dari {fmt_number(k.judged)} tiket yang sudah "
        f"dapat dinilai ({on_time}; yang belum dijawab dan melewati batas dihitung terlambat) "
        f"→ indeks ketepatan {fmt_number(k.on_time_index, 1)}; "
        f"<b>IKU {fmt_number(k.weighted, 2)}</b> ({verdict} target 3)"
    )


def kpi_heading() -> list[str]:
    """What the figure is and is not: the official IKU is per CSO, from HAI CSO."""
    return [
        "<b>Perkiraan IKU CSO oleh bot</b> (bukan nilai resmi)",
        # No place for HAI CSO here: the FAQ (hai-djpb, om-span) says where it is now, and
        # the 2018 letter's "menu HAI DJPb di OM-SPAN" contradicted it.
        "<i>IKU resmi melekat pada masing-masing CSO dan dihitung dari tiket di HAI CSO. "
        "Perkiraan ini dihitung dari tiket yang tercatat di bot "
        "(bobot kuantitas 40%, ketepatan waktu 60%, target 3; tabel indeks sesuai pengaturan "
        "kantor), sehingga dapat berbeda bila tidak semua tiket diinput ke HAI CSO.</i>",
    ]


def summary(recap: Any, tz: Any, title: str = "Rekap layanan konsultasi") -> str:
    t = recap.total
    scope = "seluruh kantor" if recap.office_wide else "grup yang Bapak/Ibu tangani"
    channels = (
        ", ".join(
            f"{CHANNELS.get(c, c)} {fmt_number(n)}" for c, n in sorted(recap.by_channel.items())
        )
        or "-"
    )
    lines = [
        f"<b>{esc(title)} — {esc(recap.period.label)}</b> ({scope})",
        f"Per {fmt_datetime(recap.generated_at, tz)}",
        "",
        f"Diterima: <b>{fmt_number(t.received)}</b> ({channels})",
        f"Dijawab: {fmt_number(t.answered)} — tepat waktu {fmt_number(t.on_time)}, "
        f"terlambat {fmt_number(recap.answered_late)}",
        f"Belum dijawab: {fmt_number(t.open)} (sudah terlambat {fmt_number(t.open_late)})",
        f"Tepat waktu: <b>{_share(t)}</b> ({fmt_number(t.on_time)} dari "
        f"{fmt_number(t.judged)} tiket yang sudah dapat dinilai)",
    ]
    if recap.median_hours is not None:
        lines.append(
            f"Waktu jawab (jam kerja): median {fmt_hours(recap.median_hours)}, "
            f"persentil 90 {fmt_hours(recap.p90_hours or 0)}"
        )
    if recap.rating_avg is not None:
        lines.append(
            f"Kepuasan: rata-rata {fmt_number(recap.rating_avg, 2)} dari 5 "
            f"({fmt_number(recap.rating_n)} penilaian)"
        )
    lines += _section("Per petugas (LO/CSO pemegang tiket)", recap.per_lo)
    lines += _section("Per grup", recap.per_group)
    if recap.kpi_office is not None:
        lines += ["", *kpi_heading(), f"Kantor: {_kpi_line(recap.kpi_office)}"]
        lines += [f"CSO {esc(name)}: {_kpi_line(k)}" for name, k in recap.kpi_cso]
    if recap.complaints is not None:
        lines += ["", clean_clear(recap.complaints)]
    lines += ["", f"<i>{ON_TIME_NOTE}</i>", "Rincian terlampir (Excel) beserta grafik."]
    return "\n".join(lines)


def _section(title: str, items: list[Any]) -> list[str]:
    if not items:
        return []
    out = ["", f"<b>{title}</b>"]
    for line in items[:MAX_LINES]:
        detail = f" ({esc(line.detail)})" if line.detail else ""
        out.append(
            f"• {esc(line.name)}{detail}: {fmt_number(line.received)} diterima, "
            f"{fmt_number(line.answered)} dijawab, {_share(line)} tepat waktu, "
            f"{fmt_number(line.open)} terbuka"
        )
    if len(items) > MAX_LINES:
        out.append(f"… dan {len(items) - MAX_LINES} lainnya (lihat lampiran).")
    return out


# ---- the chart's words (drawn by bot.report_files from bot.reports.ChartData) ------------
def day_label(d: date) -> str:
    """'1 Des': a working day's bar (never 'Minggu', which also means Sunday)."""
    return format_date(d, "d MMM", locale=LOCALE)


def span_label(first: date, last: date) -> str:
    """'1–4 Des', '30 Nov–4 Des': the working days of one week inside the period."""
    if first == last:
        return day_label(first)
    if first.month == last.month:
        return f"{first.day}–{day_label(last)}"
    return f"{day_label(first)}–{day_label(last)}"


CHART_TEXT = {
    "title": "Tiket dan ketepatan waktu — {label}",
    "per_day": "per hari kerja",
    "per_week": "per minggu (hari kerja di dalam periode)",
    "received": "Tiket diterima",
    "on_time": "% tepat waktu (dari tiket yang sudah dapat dinilai)",
    "target": "Tepat waktu untuk indeks ketepatan {index} (target IKU): {pct}%",
    "hours": "Rata-rata waktu jawab (jam kerja)",
    "norm": "Norma 2 hari kerja = {hours} jam kerja",
    "empty": "Belum ada tiket pada periode ini",
}


def preparing() -> str:
    return "Terima kasih. Rekap sedang kami susun, mohon tunggu sebentar."


def workbook_file_caption(label: str, number: int, total: int) -> str:
    if total == 1:
        return f"Rincian tiket {esc(label)}"
    return (
        f"Rincian tiket {esc(label)}, berkas {number} dari {total} "
        "(dibagi agar setiap berkas di bawah batas 50 MB Telegram)"
    )


def workbook_caption(label: str, part: Any = None) -> str:
    """``part`` (bot.report_files.Part) when the workbook had to be split into files."""
    if part is None:
        return workbook_file_caption(label, 1, 1)
    lines = [workbook_file_caption(label, part.number, part.total)]
    if part.total == 1:
        return lines[0]
    for span in part.spans:
        days = f"{span.first:%d/%m/%Y}"
        if span.last != span.first:
            days += f"–{span.last:%d/%m/%Y}"
        lines.append(f"• {esc(span.title)}: {fmt_number(span.rows)} tiket, dicatat {days}")
    if part.number == 1:
        lines.append("• Per LO, Per Satker dan ringkasan lain ada di berkas ini.")
    return "\n".join(lines)


def chart_caption(label: str) -> str:
    return f"Grafik tiket dan ketepatan waktu {esc(label)}"


def scheduled_title(kind: str) -> str:
    return "Laporan layanan informasi " + ("bulanan" if kind == "bulanan" else "triwulanan")


def complaints_period(label: str) -> str:
    return f"Pengaduan yang diterima pada periode: {label}"


def status_at(generated_at: datetime, tz: Any) -> str:
    """When the statuses were read (a later workbook of the same period may differ)."""
    return f"Status per {fmt_datetime(generated_at, tz)}"
