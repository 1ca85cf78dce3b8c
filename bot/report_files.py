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
from bot.reports import ChartData, Line, Recap, chart_data
from bot.services import Services
from messages import rekap as rekap_msg
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


HEADROOM = 1.45  # the axes' top, as a multiple of the highest value: room for the legend


def build_figure(data: ChartData) -> Any:
    """The chart as a matplotlib Figure (the caller closes it): above, tickets received per
    bar and the on-time share with the share that scores the target index; below, the
    average answer time against the 2-working-day norm. Sized for a phone screen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    text = rekap_msg.CHART_TEXT
    fig, (ax, hours_ax) = plt.subplots(2, 1, figsize=(8, 7), dpi=150, sharex=True)
    labels = [b.label for b in data.bars]
    x = list(range(len(labels)))
    ax.bar(x, [b.received for b in data.bars], color="#5B9BD5", label=text["received"])
    ax.set_ylabel(text["received"])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # tickets are whole numbers
    unit = text["per_week"] if data.per_week else text["per_day"]
    ax.set_title(f"{text['title'].format(label=data.label)}\n{unit}", fontsize=11)
    rate = ax.twinx()
    shares = [b.on_time_share for b in data.bars]
    rate.plot(
        x,
        [100 * s if s is not None else float("nan") for s in shares],
        color="#C00000",
        marker="o",
        label=text["on_time"],
    )
    if data.target_share is not None:
        rate.axhline(
            100 * data.target_share,
            color="#C00000",
            linestyle="--",
            linewidth=1,
            label=text["target"].format(
                index=f"{data.target_index:g}", pct=f"{100 * data.target_share:g}"
            ),
        )
    # Headroom above the data keeps the legend from covering bars and points.
    ax.set_ylim(0, max([b.received for b in data.bars] + [1]) * HEADROOM)
    rate.set_ylim(0, 100 * HEADROOM)
    rate.set_yticks([0, 20, 40, 60, 80, 100])
    rate.set_ylabel("% tepat waktu")
    handles = ax.get_legend_handles_labels()
    extra = rate.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], fontsize=7, loc="upper left")
    averages = [b.average_hours for b in data.bars]
    hours_ax.bar(
        x,
        [a if a is not None else 0.0 for a in averages],
        color="#A9D18E",
        label=text["hours"],
    )
    hours_ax.axhline(
        data.norm_hours,
        color="#385723",
        linestyle="--",
        linewidth=1,
        label=text["norm"].format(hours=f"{data.norm_hours:g}"),
    )
    highest = max([a for a in averages if a is not None] + [data.norm_hours])
    hours_ax.set_ylim(0, highest * HEADROOM)
    hours_ax.set_ylabel("jam kerja")
    hours_ax.legend(fontsize=7, loc="upper left")
    hours_ax.set_xticks(x, labels, rotation=60 if len(x) > 8 else 0, fontsize=7)
    if not any(b.received for b in data.bars):
        ax.text(0.5, 0.5, text["empty"], ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    return fig


def chart(path: Path, data: ChartData) -> None:
    import matplotlib.pyplot as plt

    fig = build_figure(data)
    try:
        fig.savefig(path)
    finally:
        plt.close(fig)


# ---- files ------------------------------------------------------------------------------
async def write_files(svc: Services, recap: Recap, folder: Path) -> tuple[Path, Path]:
    """The workbook and the chart for a recap, built in worker threads."""
    assert recap.scope is not None
    xlsx = folder / f"rekap-{recap.period.slug}.xlsx"
    png = folder / f"grafik-{recap.period.slug}.png"
    data = await chart_data(svc, recap)
    await asyncio.to_thread(workbook, xlsx, svc.db.path, recap, svc.tz)
    await asyncio.to_thread(chart, png, data)
    return xlsx, png
