"""The day's tickets as a file in the order of HAI CSO's input form (XLSX or CSV).

Columns come from the layout file (``harian = true``, in its order), then one column the
form does not have: where the ticket stands in HAI CSO. Text from users goes into XLSX
as string cells (never a formula) and into CSV through ``bot.sheets`` (neutralised).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot import parsing, sheets
from bot.haicso.blocks import Block, blocks_for
from bot.haicso.layout import Layout, load
from bot.services import Services
from messages import haicso as msg
from storage import haicso as repo


@dataclass(frozen=True)
class FileRequest:
    day: date
    as_csv: bool


def parse_request(text: str, today: date) -> FileRequest | None:
    """``berkas [YYYY-MM-DD] [csv|xlsx]`` (the words after /haicso); today by default."""
    words = text.lower().split()
    if not words or words[0] != "berkas":
        return None
    rest = [w for w in words[1:] if w not in ("csv", "xlsx")]
    if len(rest) > 1:
        return None
    day = parsing.iso_date(rest[0]) if rest else today
    return FileRequest(day, "csv" in words) if day is not None else None


@dataclass(frozen=True)
class DayFile:
    name: str
    content: bytes
    rows: int


def _value(b: Block, field: str, tz: Any) -> object:
    t, e = b.ticket, b.ticket.entry
    values: dict[str, object] = {
        "nomor_hai": e.hai_number or "",
        "tanggal": t.created_at.astimezone(tz).replace(tzinfo=None),
        "kode_satker": t.kode_satker or "",
        "nama_satker": b.satker_name,
        "kategori": b.category,
        "pertanyaan": t.text,
        "jawaban": t.answer_text or "",
        "status": msg.hai_status(t.status),
        "cso": b.by_name,
        "lo": b.lo_name,
        "kanal": msg.channel_name(t.channel),
        "nomor_bot": t.number,
    }
    return values[field]


def table(layout: Layout, blocks: list[Block], tz: Any) -> tuple[list[str], list[list[object]]]:
    columns = layout.daily
    header = [c.title for c in columns] + [msg.FILE_STATE_COLUMN]
    rows = [
        [_value(b, c.field, tz) for c in columns] + [msg.state_word(b.ticket.entry)] for b in blocks
    ]
    return header, rows


async def build(svc: Services, day: date, as_csv: bool) -> DayFile:
    """The file of ``day`` (office time); the layout is read at each call, so an edited
    layout file counts at once."""
    layout = load(svc.settings.haicso_layout_file)
    start = datetime.combine(day, datetime.min.time(), tzinfo=svc.tz)
    found = await repo.in_period(svc.db.reader, svc.office_id, start, start + timedelta(days=1))
    blocks = await blocks_for(svc, found, svc.clock.now())
    header, rows = table(layout, blocks, svc.tz)
    stem = f"haicso-{day.isoformat()}"
    if as_csv:
        return DayFile(f"{stem}.csv", _csv(header, rows), len(rows))
    return DayFile(f"{stem}.xlsx", _xlsx(header, rows), len(rows))


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    sheets.write_rows(out, header, ([_csv_cell(v) for v in row] for row in rows))
    return out.getvalue().encode("utf-8-sig")  # a BOM: Excel then reads UTF-8


def _csv_cell(value: object) -> object:
    return value.strftime("%d/%m/%Y %H.%M") if isinstance(value, datetime) else value


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    import xlsxwriter  # imported when a file is made: the slowest import the bot has

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_urls": False})
    sheet = book.add_worksheet("HAI CSO")
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for c, title in enumerate(header):
        sheet.write_string(0, c, title, head)
        sheet.set_column(c, c, 60 if c and title.lower().startswith(("pert", "jaw")) else 18)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, when)
            else:  # user text stays text: a string cell is never evaluated
                sheet.write_string(r, c, str(value)[:32000])
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
