"""Per-satker status files: an OM-SPAN style export of SP2D (CSV or XLSX) is checked row
by row, and each group gets only its own satker's lines.

A file with any bad row is refused whole, with each error named by row; nothing is
created for it. Long lists go to the group as a CSV attachment instead of many messages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from bot import sheets, uploads
from messages import uploads as upload_msg

MAX_ROWS = 20_000
LIMITS = uploads.Limits(rows=MAX_ROWS)
MAX_AMOUNT = Decimal(10) ** 15
QUOTE_CHARS = 60
MAX_LINES_IN_MESSAGE = 30  # more than this per group: send a file instead

# Header names seen in exports, normalised (lower case, letters and digits only).
COLUMNS = {
    "kode": ("kodesatker", "kdsatker", "satker", "kode", "kodesatuankerja"),
    "nomor": ("nomorsp2d", "nosp2d", "sp2d", "nomor", "no"),
    "tanggal": ("tanggal", "tanggalsp2d", "tglsp2d", "tgl"),
    "nilai": ("nilai", "nilaisp2d", "jumlah", "nominal", "nilaibersih"),
    "uraian": ("uraian", "keterangan", "deskripsi", "uraiansp2d"),
}
REQUIRED = ("kode", "nomor", "tanggal", "nilai")
# A regular expression, not strptime: 20,000 rows tried against five formats took seconds.
_DATE = re.compile(
    r"(?P<y1>\d{4})(?P<s1>[-/])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})(?P<s2>[-/.])(?P<m2>\d{1,2})(?P=s2)(?P<y2>\d{4})"
)


@dataclass(frozen=True)
class Line:
    row: int
    kode: str
    nomor: str
    tanggal: date
    nilai: Decimal
    uraian: str


@dataclass
class Parsed:
    lines: list[Line] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    error_count: int = 0

    def error(self, text: str) -> None:
        self.error_count += 1  # all kept: the uploader gets the whole list as a file
        self.errors.append(text)


def _norm(header: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(header or "").lower())


def parse_amount(raw: object) -> Decimal | None:
    """1234567.5, '1.234.567,50' (Indonesian), '1,234,567.50' or '1234567' -> Decimal."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        return _cents(Decimal(str(raw)))
    text = str(raw or "").strip().replace("Rp", "").replace("rp", "").replace(" ", "")
    if not re.fullmatch(r"-?[\d.,]+", text):
        return None
    last_dot, last_comma = text.rfind("."), text.rfind(",")
    if last_comma > last_dot:  # Indonesian: dots group, a comma starts the decimals
        text = text.replace(".", "").replace(",", ".")
    elif last_dot > last_comma and last_comma != -1:
        text = text.replace(",", "")
    elif text.count(".") > 1 or (last_dot != -1 and len(text) - last_dot == 4):
        text = text.replace(".", "")  # '1.234.567' or '1.234': dots group thousands
    try:
        return _cents(Decimal(text))
    except InvalidOperation:
        return None


def _cents(value: Decimal) -> Decimal | None:
    """Two decimals; None beyond any real amount (10^15 rupiah) or not a number."""
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        return None
    return value.quantize(Decimal("0.01"))


def parse_date(raw: object) -> date | None:
    """2026-12-01, 2026/12/01, 01/12/2026, 01-12-2026 or 01.12.2026 (day first)."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    m = _DATE.fullmatch(str(raw or "").strip()[:10])
    if m is None:
        return None
    year, month, day = m["y1"] or m["y2"], m["m1"] or m["m2"], m["d1"] or m["d2"]
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def kode_of(raw: object) -> str | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        raw = f"{int(raw):06d}"  # a spreadsheet turned '012345' into a number
    text = str(raw or "").strip()
    return text if re.fullmatch(r"\d{6}", text) else None


def _columns(header: list[Any], parsed: Parsed) -> dict[str, int] | None:
    names = [_norm(h) for h in header]
    found: dict[str, int] = {}
    for field_name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[field_name] = names.index(alias)
                break
    missing = [f for f in REQUIRED if f not in found]
    if missing:
        parsed.error(
            "Baris 1 (judul kolom): kolom "
            + ", ".join(missing)
            + " tidak ditemukan (perlu: kode satker, nomor SP2D, tanggal, nilai, uraian)"
        )
        return None
    return found


def parse(data: bytes, filename: str) -> Parsed:
    """Every row checked; ``errors`` names the row (as numbered in the file) and field.

    Synchronous: run it in a worker thread. The file is read within bot.uploads' bounds
    (size, rows, columns, cell length, time); a file beyond them is refused with one error.
    """
    parsed = Parsed()
    try:
        rows = uploads.read_table(data, filename, LIMITS).rows
    except uploads.UploadRefused as refused:
        parsed.error(upload_msg.refusal(refused))
        return parsed
    if len(rows) < 2:
        parsed.error("Berkas kosong: perlu satu baris judul kolom dan minimal satu baris data")
        return parsed
    cols = _columns(rows[0].cells, parsed)
    if cols is None:
        return parsed
    for row in rows[1:]:
        _line(parsed, row.number, row.cells, cols)
    return parsed


def _cell(row: list[Any], cols: dict[str, int], name: str) -> Any:
    i = cols.get(name)
    return row[i] if i is not None and i < len(row) else None


def _line(parsed: Parsed, number: int, row: list[Any], cols: dict[str, int]) -> None:
    kode = kode_of(_cell(row, cols, "kode"))
    nomor = str(_cell(row, cols, "nomor") or "").strip()
    if isinstance(_cell(row, cols, "nomor"), float):
        nomor = str(int(_cell(row, cols, "nomor")))
    day = parse_date(_cell(row, cols, "tanggal"))
    amount = parse_amount(_cell(row, cols, "nilai"))
    problems = []
    if kode is None:
        problems.append(f"kode satker '{_quoted(_cell(row, cols, 'kode'))}' harus 6 angka")
    if not nomor:
        problems.append("nomor SP2D kosong")
    if day is None:
        problems.append(f"tanggal '{_quoted(_cell(row, cols, 'tanggal'))}' tidak dikenali")
    if amount is None or amount < 0:
        problems.append(f"nilai '{_quoted(_cell(row, cols, 'nilai'))}' bukan angka rupiah")
    if problems:
        parsed.error(f"Baris {number}: " + "; ".join(problems))
        return
    assert kode is not None and day is not None and amount is not None
    uraian = " ".join(str(_cell(row, cols, "uraian") or "").split())[:300]
    parsed.lines.append(Line(number, kode, nomor, day, amount, uraian))


def _quoted(raw: object) -> str:
    """A cell as an error quotes it: one line, at most QUOTE_CHARS characters (a cell of
    megabytes once gave a thousand messages, each quoting it whole)."""
    text = " ".join(str(raw if raw is not None else "")[: QUOTE_CHARS * 4].split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def by_satker(lines: list[Line]) -> dict[str, list[Line]]:
    out: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        out[line.kode].append(line)
    return dict(out)


def write_csv(path: Path, lines: list[Line], names: dict[str, str]) -> None:
    """The attachment for a long list (opened by Excel: ';' and a BOM, no live formula)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        sheets.write_rows(
            fh,
            ["Kode Satker", "Nama Satker", "Nomor SP2D", "Tanggal", "Nilai", "Uraian"],
            (
                [
                    line.kode,
                    names.get(line.kode, ""),
                    line.nomor,
                    line.tanggal.strftime("%d/%m/%Y"),
                    f"{line.nilai:.2f}".replace(".", ","),
                    line.uraian,
                ]
                for line in lines
            ),
        )
