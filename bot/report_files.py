"""Writing the recap workbook (xlsxwriter, constant memory) and chart (matplotlib).

The builders are synchronous; ``write_files`` runs them in the report worker process
(bot/report_pool.py), and splits a workbook too big for Telegram. Column headers are in
Indonesian and follow the HAI CSO export (reference, CSO/LO, kode satker, question,
status, quarter) so CSOs can reconcile the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot import periods
from bot.haicso.rekap import write_sheet as hai_sheet
from bot.reports import ChartData, Line, Recap, chart_data
from bot.services import Services
from messages import rekap as rekap_msg
from messages.haicso import hai_status
from storage import reports as repo
from storage.timefmt import parse_ts

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


# Telegram refuses bot uploads over 50 MB. A part closes when it holds PART_ROWS ticket
# rows or PART_CHARS characters of cell text, whichever comes first: measured at 95 bytes
# a row once zipped for short questions (a million rows made 94.8 MB), 250,000 rows are
# about 24 MB, and 20 million characters cannot zip to more than about 20 MB even if none
# of it compresses. A part that still comes out over the limit is written again with
# half the budget (see ``workbooks``).
UPLOAD_LIMIT = 50 * 1000 * 1000
PART_ROWS = 250_000
PART_CHARS = 20_000_000
_TEXT_COLUMNS = (4, 5, 6, 7, 15)  # satker, group, asker, question, answer


@dataclass(frozen=True)
class SheetSpan:
    """The ticket rows of one sheet in one part: how many, and their first and last date."""

    title: str
    rows: int
    first: date
    last: date


@dataclass(frozen=True)
class Part:
    """One workbook file; ``total`` > 1 when the workbook was split to fit the upload limit."""

    path: Path
    number: int
    total: int
    spans: tuple[SheetSpan, ...]


class _Book:
    """The part being written: its workbook, formats, open sheets and what it holds."""

    def __init__(self, path: Path) -> None:
        # Imported here, in the worker process: importing xlsxwriter took longer than
        # anything else the bot imports at start-up (handlers/rekap imports this module).
        import xlsxwriter

        self.path = path
        self.book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "strings_to_urls": False}
        )
        self.fmt = {
            "head": self.book.add_format(
                {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "date": self.book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
            "num": self.book.add_format({"num_format": "0.00"}),
            "pct": self.book.add_format({"num_format": "0.0%"}),
            "text": self.book.add_format({"text_wrap": False}),
        }
        self.rows = 0
        self.chars = 0
        self.spans: list[SheetSpan] = []


def workbooks(
    folder: Path,
    stem: str,
    db_path: Path | str,
    recap: Recap,
    tz: ZoneInfo,
    rows: int = PART_ROWS,
    chars: int = PART_CHARS,
) -> list[Part]:
    """The recap workbook, in as many files as it takes for each to fit Telegram's limit.

    The first file holds the summary sheets (per LO, per satker, complaints) and the first
    ticket rows; further files continue the ticket rows in date order."""
    for _ in range(6):
        parts = _write_parts(folder, stem, db_path, recap, tz, rows, chars)
        if all(p.path.stat().st_size <= UPLOAD_LIMIT for p in parts):
            return parts
        for p in parts:
            p.path.unlink()
        rows, chars = rows // 2, chars // 2
    raise RuntimeError(f"workbook parts still over {UPLOAD_LIMIT} bytes")


def _write_parts(
    folder: Path, stem: str, db_path: Path | str, recap: Recap, tz: ZoneInfo, rows: int, chars: int
) -> list[Part]:
    assert recap.scope is not None
    done: list[_Book] = []
    cur = _Book(folder / f"{stem}.xlsx")
    for title, answered in (("Terselesaikan", True), ("Belum Terselesaikan", False)):
        sheet: Any = None
        r = sheet_no = n = 0
        first = last = None
        for row in repo.iter_rows(db_path, recap.scope, answered):
            if cur.rows >= rows or cur.chars >= chars:  # this part is full: the next file
                _end_span(cur, title, n, first, last)
                _close(cur, recap, tz, first_part=not done)
                done.append(cur)
                cur = _Book(folder / f"{stem}-bagian-{len(done) + 1}.xlsx")
                sheet, n, first = None, 0, None
            if sheet is None or r >= EXCEL_MAX_ROW:  # Excel's sheet limit: the next sheet
                sheet_no = 1 if sheet is None else sheet_no + 1
                name = title if sheet_no == 1 else f"{title} ({sheet_no})"
                sheet, r = _sheet(cur.book, name, TICKET_HEADERS, cur.fmt), 0
            r += 1
            last = _ticket_row(sheet, r, row, tz, cur.fmt).date()
            first = first or last
            n += 1
            cur.rows += 1
            cur.chars += sum(len(row[i] or "") for i in _TEXT_COLUMNS)
        if sheet is None and not done:  # an empty sheet still shows its headers
            _sheet(cur.book, title, TICKET_HEADERS, cur.fmt)
        _end_span(cur, title, n, first, last)
    _close(cur, recap, tz, first_part=not done)
    done.append(cur)
    if len(done) > 1:  # say so in the first file's name too
        renamed = folder / f"{done[0].path.stem}-bagian-1.xlsx"
        done[0].path.rename(renamed)
        done[0].path = renamed
    return [Part(b.path, i, len(done), tuple(b.spans)) for i, b in enumerate(done, start=1)]


def _end_span(cur: _Book, title: str, n: int, first: date | None, last: date | None) -> None:
    if n and first is not None and last is not None:
        cur.spans.append(SheetSpan(title, n, first, last))


def _close(cur: _Book, recap: Recap, tz: ZoneInfo, first_part: bool) -> None:
    # Created when the recap was made, not when the file was written: the same recap gives
    # the same bytes (a retry after a too-big file differed by a byte or two: flaky
    # test_workbook_over_the_limit_is_written_again_smaller).
    cur.book.set_properties({"created": recap.generated_at.astimezone(UTC)})
    if first_part:
        _lines(cur.book, "Per Petugas", ("Petugas", "Peran"), recap.per_lo, cur.fmt)
        _lines(cur.book, "Per Satker", ("Kode Satker", "Nama Satker"), recap.per_satker, cur.fmt)
        if recap.complaints is not None:
            _complaints(cur.book, recap, tz, cur.fmt)
        hai_sheet(cur.book, recap, cur.fmt)
    cur.book.close()


def _complaints(book: Any, recap: Recap, tz: ZoneInfo, fmt: dict[str, Any]) -> None:
    """The "clean and clear" sheet: counts only, as the compliance memo reports them. The
    statuses are those at the time the workbook was made, which the sheet says."""
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
    sheet.write_string(len(rows) + 2, 0, rekap_msg.complaints_period(recap.period.label))
    sheet.write_string(len(rows) + 3, 0, rekap_msg.status_at(recap.generated_at, tz))


def _sheet(book: Any, title: str, headers: list[tuple[str, int]], fmt: dict[str, Any]) -> Any:
    sheet = book.add_worksheet(title)
    for c, (name, width) in enumerate(headers):
        sheet.set_column(c, c, width)
        sheet.write_string(0, c, name, fmt["head"])
    sheet.freeze_panes(1, 0)
    return sheet


def _ticket_row(
    sheet: Any, r: int, row: tuple[Any, ...], tz: ZoneInfo, fmt: dict[str, Any]
) -> datetime:
    """One ticket's row; returns when it was recorded (office time)."""
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
    sheet.write_string(r, 9, hai_status(status))
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
    return created_local  # type: ignore[no-any-return]


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
def build(
    folder: Path,
    slug: str,
    db_path: Path | str,
    recap: Recap,
    tz: ZoneInfo,
    data: ChartData,
    budget: tuple[int, int],
) -> tuple[list[Part], Path]:
    """Workbook parts and chart; runs in the report worker process (bot/report_pool.py)."""
    parts = workbooks(folder, f"rekap-{slug}", db_path, recap, tz, *budget)
    png = folder / f"grafik-{slug}.png"
    chart(png, data)
    return parts, png


async def write_files(svc: Services, recap: Recap, folder: Path) -> tuple[list[Part], Path]:
    """The workbook (one or more files) and the chart for a recap, built off the bot's
    process; only the chart's figures are read here."""
    assert recap.scope is not None
    data = await chart_data(svc, recap)
    return await svc.files.run(
        build, folder, recap.period.slug, svc.db.target, recap, svc.tz, data, budget()
    )


def budget() -> tuple[int, int]:
    """(rows, characters) a file may hold; read at each call (tests make it small)."""
    return PART_ROWS, PART_CHARS
