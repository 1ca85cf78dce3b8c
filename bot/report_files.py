"""Writing the recap workbook (xlsxwriter, constant memory) and chart (matplotlib).

The builders are synchronous; ``write_files`` runs them in worker threads. Column headers are in
Indonesian and follow the HAI CSO export (reference, CSO/LO, kode satker, question,
status, quarter) so CSOs can reconcile the two.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter

from bot import periods
from bot.reports import Line, Recap
from bot.services import Services
from storage import reports as repo
from storage.timefmt import parse_ts

# HAI CSO's status words for our states.
HAI_STATUS = {
    "baru": "Menunggu jawaban KPPN",
    "dijawab": "Menunggu konfirmasi Satker",
    "selesai": "Selesai",
}
CHANNELS = {
    "grup": "Grup LO",
    "meja_layanan": "Meja layanan",
    "telepon": "Telepon",
    "surat": "Surat",
    "email": "E-mail",
    "whatsapp": "WhatsApp",
}
EXCEL_MAX_ROW = 1_048_575  # last 0-based row index Excel accepts
TICKET_HEADERS = [
    ("No. Tiket", 12),
    ("Tanggal dicatat", 17),
    ("Kanal", 13),
    ("Kode Satker", 12),
    ("Nama Satker", 28),
    ("Grup", 24),
    ("Penanya", 20),
    ("Pertanyaan", 60),
    ("LO/CSO", 20),
    ("Status", 24),
    ("Batas waktu", 17),
    ("Dijawab", 17),
    ("Waktu tunggu (jam kerja)", 14),
    ("Tepat waktu", 11),
    ("Penilaian", 10),
    ("Triwulan", 16),
    ("Jawaban", 60),
]
LINE_HEADERS = [
    ("Diterima", 11),
    ("Dijawab", 11),
    ("Tepat waktu", 12),
    ("% tepat waktu", 13),
    ("Belum dijawab", 14),
    ("Belum dijawab & terlambat", 14),
]


def workbook(path: Path, db_path: Path, recap: Recap, tz: ZoneInfo) -> None:
    assert recap.scope is not None
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_urls": False})
    fmt = {
        "head": book.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "date": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
        "num": book.add_format({"num_format": "0.00"}),
        "pct": book.add_format({"num_format": "0.0%"}),
        "text": book.add_format({"text_wrap": False}),
    }
    for title, answered in (("Terselesaikan", True), ("Belum Terselesaikan", False)):
        sheet, r, part = _sheet(book, title, TICKET_HEADERS, fmt), 0, 1
        for row in repo.iter_rows(db_path, recap.scope, answered):
            r += 1
            if r > EXCEL_MAX_ROW:  # Excel's sheet limit: continue on the next sheet
                part += 1
                sheet, r = _sheet(book, f"{title} ({part})", TICKET_HEADERS, fmt), 1
            _ticket_row(sheet, r, row, tz, fmt)
    _lines(book, "Per Petugas", ("Petugas", "Peran"), recap.per_lo, fmt)
    _lines(book, "Per Satker", ("Kode Satker", "Nama Satker"), recap.per_satker, fmt)
    if recap.complaints is not None:
        _complaints(book, recap, fmt)
    book.close()


def _complaints(book: Any, recap: Recap, fmt: dict[str, Any]) -> None:
    """The "clean and clear" sheet: counts only, as the compliance memo reports them."""
    cc = recap.complaints
    assert cc is not None
    sheet = _sheet(book, "Pengaduan", [("Status pengaduan", 34), ("Jumlah", 12)], fmt)
    rows = [
        ("Diterima", cc.received),
        ("Selesai", cc.done),
        ("Dalam proses", cc.in_progress),
        ("Belum ditindaklanjuti", cc.not_followed_up),
    ]
    for r, (name, n) in enumerate(rows, start=1):
        sheet.write_string(r, 0, name)
        sheet.write_number(r, 1, n)
    sheet.write_string(len(rows) + 2, 0, f"Periode: {recap.period.label}")


def _sheet(book: Any, title: str, headers: list[tuple[str, int]], fmt: dict[str, Any]) -> Any:
    sheet = book.add_worksheet(title)
    for c, (name, width) in enumerate(headers):
        sheet.set_column(c, c, width)
        sheet.write_string(0, c, name, fmt["head"])
    sheet.freeze_panes(1, 0)
    return sheet


def _ticket_row(
    sheet: Any, r: int, row: tuple[Any, ...], tz: ZoneInfo, fmt: dict[str, Any]
) -> None:
    (
        number,
        created,
        channel,
        kode,
        satker,
        group,
        asker,
        text,
        lo,
        status,
        due,
        answered,
        waited,
        on_time,
        rating,
        answer,
    ) = row
    created_local = local_naive(created, tz)
    sheet.write_string(r, 0, number)
    sheet.write_datetime(r, 1, created_local, fmt["date"])
    sheet.write_string(r, 2, CHANNELS.get(channel, channel))
    sheet.write_string(r, 3, kode or "")
    sheet.write_string(r, 4, satker or "")
    sheet.write_string(r, 5, group or "")
    sheet.write_string(r, 6, asker or "")
    sheet.write_string(r, 7, (text or "")[:32000])
    sheet.write_string(r, 8, lo or "")
    sheet.write_string(r, 9, HAI_STATUS.get(status, status))
    sheet.write_datetime(r, 10, local_naive(due, tz), fmt["date"])
    if answered:
        sheet.write_datetime(r, 11, local_naive(answered, tz), fmt["date"])
        sheet.write_number(r, 12, round(waited or 0.0, 2), fmt["num"])
    if on_time is not None:
        sheet.write_string(r, 13, "Ya" if on_time else "Tidak")
    if rating:
        sheet.write_number(r, 14, rating)
    assert created_local is not None
    sheet.write_string(r, 15, periods.quarter_of(created_local.date()).label)
    sheet.write_string(r, 16, (answer or "")[:32000])


def _lines(
    book: Any, title: str, first: tuple[str, str], lines: list[Line], fmt: dict[str, Any]
) -> None:
    """One row per line; "% tepat waktu" is bot.kpi.on_time_share, as in the summary."""
    sheet = _sheet(book, title, [(first[0], 30), (first[1], 30), *LINE_HEADERS], fmt)
    for r, line in enumerate(lines, start=1):
        sheet.write_string(r, 0, line.name)
        sheet.write_string(r, 1, line.detail)
        sheet.write_number(r, 2, line.received)
        sheet.write_number(r, 3, line.answered)
        sheet.write_number(r, 4, line.on_time)
        share = line.on_time_share
        if share is not None:
            sheet.write_number(r, 5, share, fmt["pct"])
        sheet.write_number(r, 6, line.open)
        sheet.write_number(r, 7, line.open_late)


def local_naive(text: str | None, tz: ZoneInfo) -> Any:
    """A stored UTC timestamp as the office's wall-clock time (Excel has no time zones)."""
    return parse_ts(text).astimezone(tz).replace(tzinfo=None) if text else None


def chart(path: Path, weeks: list[tuple[str, int, int, int]], label: str) -> None:
    """Weekly volume (bars) and on-time rate (line), sized for a phone screen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=150)
    try:
        names = [w[0][5:] for w in weeks]  # "MM-DD" of each Monday
        ax.bar(names, [w[1] for w in weeks], color="#5B9BD5", label="Tiket diterima")
        ax.set_ylabel("Tiket diterima")
        ax.set_xlabel("Minggu (Senin)")
        ax.tick_params(axis="x", labelrotation=45)
        rate = ax.twinx()
        rate.plot(
            names,
            [100 * w[3] / w[2] if w[2] else 0 for w in weeks],
            color="#C00000",
            marker="o",
            label="% tepat waktu",
        )
        rate.set_ylim(0, 105)
        rate.set_ylabel("% dijawab tepat waktu")
        ax.set_title(f"Volume tiket & ketepatan waktu — {label}")
        if not weeks:
            ax.text(0.5, 0.5, "Belum ada tiket", ha="center", va="center", transform=ax.transAxes)
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)


# ---- files ------------------------------------------------------------------------------
async def write_files(svc: Services, recap: Recap, folder: Path) -> tuple[Path, Path]:
    """The workbook and the chart for a recap, built in worker threads."""
    assert recap.scope is not None
    xlsx = folder / f"rekap-{recap.period.slug}.xlsx"
    png = folder / f"grafik-{recap.period.slug}.png"
    offset = recap.generated_at.astimezone(svc.tz).utcoffset()
    hours = offset.total_seconds() / 3600 if offset else 0.0
    weeks = await repo.weekly(svc.db.reader, recap.scope, hours)
    week_rows = [(w["week"], w["received"], w["answered"], w["on_time"]) for w in weeks]
    await asyncio.to_thread(workbook, xlsx, svc.db.path, recap, svc.tz)
    await asyncio.to_thread(chart, png, week_rows, recap.period.label)
    return xlsx, png
