"""Reading an uploaded table (CSV or XLSX) within fixed bounds of memory and time.

Every feature that takes a spreadsheet from a user reads it here (the SP2D status file of
broadcasts today). A 51 KiB workbook can unpack to gigabytes, hold a cell in column XFD on
every row, three million shared strings or megabytes of whitespace; a general reader
(openpyxl) then takes gigabytes and half a minute. This one:

- refuses an archive whose parts, as the zip's directory declares them, unpack to more
  than ``Limits.unpacked_bytes`` before reading any of them, and counts what it really
  unpacks while reading (a lying directory gains nothing);
- streams the XML through expat, keeping only what a table needs: at most
  ``cell_chars`` characters of a cell, ``columns`` columns, ``rows`` rows after the
  header, ``cells`` values and ``text_chars`` characters of text in all;
- checks a deadline (``seconds`` of processor time) between chunks, so no file keeps a
  worker busy longer;
- takes no DTD (no entity expansion).

``read_table`` is synchronous, for a worker thread; ``read`` runs it in one so the event
loop stays free. A file over a bound raises ``UploadRefused`` naming which bound, with the
row and column where it was met; ``messages.uploads.refusal`` says it in Indonesian.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import io
import posixpath
import re
import struct
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO, Any
from xml.parsers import expat

Cell = str | int | float | bool | datetime | None


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = 5 * 1024 * 1024  # the file as uploaded
    rows: int = 20_000  # rows with a value, after the header row
    columns: int = 64
    cell_chars: int = 2_000
    records: int = 200_000  # rows read, empty ones included (5 MB of bare newlines)
    cells: int = 400_000  # values in all rows
    strings: int = 200_000  # an XLSX's shared strings (distinct texts)
    text_chars: int = 16_000_000  # characters of text kept, shared strings included
    unpacked_bytes: int = 32 * 1024 * 1024  # XML read out of an XLSX, all parts
    zip_entries: int = 1_000
    seconds: float = 4.0  # processor time of the reading thread


LIMITS = Limits()


@dataclass(frozen=True)
class Row:
    number: int  # as the file numbers it: the spreadsheet's row, or the CSV record
    cells: list[Cell]


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)  # rows with a value; the first is the header


class UploadRefused(ValueError):
    """``reason`` is one of REASONS; ``limit`` the bound met; row/column where (1-based)."""

    REASONS = (
        "too_big",
        "unpacked",
        "rows",
        "records",
        "columns",
        "cell_chars",
        "cells",
        "strings",
        "text_chars",
        "seconds",
        "unreadable",
        "kind",
    )

    def __init__(
        self, reason: str, limit: float = 0, row: int | None = None, column: int | None = None
    ) -> None:
        assert reason in self.REASONS, reason
        super().__init__(f"{reason} (limit {limit}, row {row}, column {column})")
        self.reason, self.limit, self.row, self.column = reason, limit, row, column


async def read(data: bytes, filename: str, limits: Limits = LIMITS) -> Table:
    """``read_table`` in a worker thread: the event loop keeps serving other chats."""
    return await asyncio.to_thread(read_table, data, filename, limits)


def read_table(data: bytes, filename: str, limits: Limits = LIMITS) -> Table:
    """The rows of the first sheet (XLSX) or of the file (CSV, UTF-8, ';' ',' or tab)."""
    if len(data) > limits.upload_bytes:
        raise UploadRefused("too_big", limits.upload_bytes)
    builder = _Builder(limits)
    name = filename.lower()
    if name.endswith(".xlsx"):
        _read_xlsx(data, builder)
    elif name.endswith(".csv"):
        _read_csv(data, builder)
    else:
        raise UploadRefused("kind")
    return builder.table


def column_letters(column: int) -> str:
    """1 -> 'A', 27 -> 'AA': how a spreadsheet names a column."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Builder:
    """Collects rows and enforces the bounds that do not depend on the format."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.table = Table()
        self.cells = 0
        self.records = 0
        self.text_chars = 0
        # Processor time, not the wall clock: the same file is read or refused whatever
        # else the machine is doing (on a machine shared with eight test suites, a 20,000
        # row workbook took 0.9 s of processor time and 8 s of wall-clock time).
        self.deadline = time.thread_time() + limits.seconds

    def check_time(self) -> None:
        if time.thread_time() > self.deadline:
            raise UploadRefused("seconds", self.limits.seconds)

    def text(self, value: str, row: int | None, column: int | None) -> str:
        if len(value) > self.limits.cell_chars:
            raise UploadRefused("cell_chars", self.limits.cell_chars, row, column)
        self.count_text(len(value))
        return value

    def count_text(self, chars: int) -> None:
        self.text_chars += chars
        if self.text_chars > self.limits.text_chars:
            raise UploadRefused("text_chars", self.limits.text_chars)

    def add(self, number: int, values: dict[int, Cell]) -> None:
        """One row: ``values`` by 0-based column, empty values already left out."""
        self.records += 1
        if self.records > self.limits.records:
            raise UploadRefused("records", self.limits.records, number)
        if not values:
            return
        if len(self.table.rows) > self.limits.rows:  # the header and ``rows`` rows kept
            raise UploadRefused("rows", self.limits.rows, number)
        last = max(values)
        if last >= self.limits.columns:
            raise UploadRefused("columns", self.limits.columns, number, last + 1)
        self.cells += len(values)
        if self.cells > self.limits.cells:
            raise UploadRefused("cells", self.limits.cells, number)
        cells: list[Cell] = [None] * (last + 1)
        for column, value in values.items():
            cells[column] = value
        self.table.rows.append(Row(number, cells))


# ---- CSV --------------------------------------------------------------------------------
def _read_csv(data: bytes, builder: _Builder) -> None:
    text = data.decode("utf-8-sig", errors="replace")
    limits = builder.limits
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number % 512 == 0:
                builder.check_time()
            values: dict[int, Cell] = {}
            for column, raw in enumerate(record):
                if raw.strip():
                    if column >= limits.columns:  # before keeping a value in column XFD
                        raise UploadRefused("columns", limits.columns, number, column + 1)
                    values[column] = builder.text(raw, number, column + 1)
            builder.add(number, values)
    except csv.Error as exc:  # a field over csv's own limit (128 KiB), a stray quote
        if "field larger" in str(exc):
            raise UploadRefused("cell_chars", limits.cell_chars, number + 1) from None
        raise UploadRefused("unreadable", row=number + 1) from None


def _delimiter(text: str) -> str:
    """The separator the header line uses most (';' from Excel in Indonesia, ',' or tab).

    The header only: csv.Sniffer, reading data rows too, takes the commas inside a quoted
    description such as '=HYPERLINK("http://x","klik")' for the separator."""
    header = text[: text.find("\n")] if "\n" in text[:65536] else text[:65536]
    return max((";", ",", "\t"), key=header.count)


# ---- XLSX -------------------------------------------------------------------------------
_CHUNK = 64 * 1024
_DATE_FORMAT_IDS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_EPOCH_1904 = datetime(1904, 1, 1)


def _read_xlsx(data: bytes, builder: _Builder) -> None:
    _check_entry_count(data, builder.limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused("unreadable") from None
    with archive:
        parts = _Parts(archive, builder)
        try:
            parts.read()
        except UploadRefused:
            raise
        except (zipfile.BadZipFile, expat.ExpatError, ValueError, KeyError, OSError, EOFError):
            raise UploadRefused("unreadable") from None


def _check_entry_count(data: bytes, limits: Limits) -> None:
    """The zip's own count of entries, read before zipfile lists them all in memory."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end == -1 or end + 22 > len(data):
        raise UploadRefused("unreadable")
    (entries,) = struct.unpack_from("<H", data, end + 10)
    if entries > limits.zip_entries:  # 0xFFFF (zip64) counts as too many
        raise UploadRefused("unpacked", limits.unpacked_bytes)


class _Parts:
    """The parts of a workbook this reader needs, and the one sheet it reads."""

    def __init__(self, archive: zipfile.ZipFile, builder: _Builder) -> None:
        self.archive, self.builder = archive, builder
        self.unpacked = 0
        self.date1904 = False
        self.strings: list[str] = []
        self.date_styles: list[bool] = []

    def read(self) -> None:
        names = set(self.archive.namelist())
        if "xl/workbook.xml" not in names:
            raise UploadRefused("unreadable")
        sheet, strings, styles = self._locate(names)
        wanted = {p for p in (sheet, strings, styles) if p in names}
        declared = sum(self.archive.getinfo(p).file_size for p in wanted)
        if self.unpacked + declared > self.builder.limits.unpacked_bytes:  # before unpacking
            raise UploadRefused("unpacked", self.builder.limits.unpacked_bytes)
        if styles in names:
            self._parse(styles, _StylesReader(self).handlers())
        if strings in names:
            table = _SharedStrings(self)
            self._parse(strings, table.handlers(), table.attach)
        if sheet not in names:
            raise UploadRefused("unreadable")
        reader = _SheetReader(self)
        self._parse(sheet, reader.handlers(), reader.attach)

    def _locate(self, names: set[str]) -> tuple[str, str, str]:
        """The first sheet, the shared strings and the styles, as the workbook and its
        relationships name them (the usual names when it has none)."""
        sheet, strings, styles = (
            "xl/worksheets/sheet1.xml",
            "xl/sharedStrings.xml",
            "xl/styles.xml",
        )
        rels = "xl/_rels/workbook.xml.rels"
        small = [p for p in ("xl/workbook.xml", rels) if p in names]
        if sum(self.archive.getinfo(p).file_size for p in small) > 4 * 1024 * 1024:
            raise UploadRefused("unpacked", self.builder.limits.unpacked_bytes)
        workbook = _WorkbookReader(self)
        self._parse("xl/workbook.xml", workbook.handlers())
        if rels not in names:
            return sheet, strings, styles
        targets: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and len(targets) < 1000:
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else "xl/" + target
                targets[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))

        self._parse(rels, {"StartElementHandler": start})
        for kind, path in targets.values():
            if kind.endswith("/sharedStrings"):
                strings = path
            elif kind.endswith("/styles"):
                styles = path
        if workbook.first_sheet in targets:
            sheet = targets[workbook.first_sheet][1]
        return sheet, strings, styles

    def _parse(
        self,
        part: str,
        handlers: dict[str, Callable[..., Any]],
        attach: Callable[[Any], None] | None = None,
    ) -> None:
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = _CHUNK
        for name, handler in handlers.items():
            setattr(parser, name, handler)
        if attach is not None:
            attach(parser)
        parser.StartDoctypeDeclHandler = _no_dtd
        parser.EntityDeclHandler = _no_dtd
        with self.archive.open(part) as stream:
            for chunk in _chunks(stream):
                self.unpacked += len(chunk)
                if self.unpacked > self.builder.limits.unpacked_bytes:
                    raise UploadRefused("unpacked", self.builder.limits.unpacked_bytes)
                self.builder.check_time()
                parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def _no_dtd(*_: object) -> None:
    raise UploadRefused("unreadable")  # an XLSX part never has one; entities could explode


def _local(name: str) -> str:
    """'x:row' -> 'row': some writers prefix SpreadsheetML's elements."""
    return name.rpartition(":")[2]


class _WorkbookReader:
    """The first sheet's relationship id, and whether dates count from 1904 (old Macs)."""

    def __init__(self, parts: _Parts) -> None:
        self.parts = parts
        self.first_sheet = ""

    def handlers(self) -> dict[str, Callable[..., Any]]:
        return {"StartElementHandler": self.start}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "workbookPr":
            self.parts.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")
        elif local == "sheet" and not self.first_sheet:
            ids = [v for k, v in attrs.items() if _local(k) == "id"]
            self.first_sheet = ids[0] if ids else ""


class _StylesReader:
    """Which cell styles show a date: an XLSX stores dates as numbers with such a style."""

    def __init__(self, parts: _Parts) -> None:
        self.parts = parts
        self.formats: dict[int, bool] = {}
        self.in_cell_xfs = False

    def handlers(self) -> dict[str, Callable[..., Any]]:
        return {"StartElementHandler": self.start, "EndElementHandler": self.end}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "numFmt" and len(self.formats) < 1000:
            code = _QUOTED.sub("", attrs.get("formatCode", "")).lower()
            is_date = any(c in code for c in "dmyhs") and code != "general"
            self.formats[_int(attrs.get("numFmtId"))] = is_date
        elif local == "cellXfs":
            self.in_cell_xfs = True
        elif local == "xf" and self.in_cell_xfs and len(self.parts.date_styles) < 65_536:
            number = _int(attrs.get("numFmtId"))
            self.parts.date_styles.append(self.formats.get(number, number in _DATE_FORMAT_IDS))

    def end(self, name: str) -> None:
        if _local(name) == "cellXfs":
            self.in_cell_xfs = False


class _TextReader:
    """What the strings table and the sheet share: text is listened to only inside a
    text element (``CharacterDataHandler`` switched on and off by the subclass), and kept
    to the cell bound plus one character, enough to know a text is too long."""

    def __init__(self, parts: _Parts) -> None:
        self.parts = parts
        self.limits = parts.builder.limits
        self.names: dict[str, str] = {}
        self.pieces: list[str] = []
        self.kept = 0
        self.depth_phonetic = 0  # inside <rPh>: an East Asian reading aid, not the value
        self.parser: Any = None

    def handlers(self) -> dict[str, Callable[..., Any]]:
        return {"StartElementHandler": self.start, "EndElementHandler": self.end}

    def attach(self, parser: Any) -> None:
        self.parser = parser

    def start(self, name: str, attrs: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        raise NotImplementedError

    def local(self, name: str) -> str:
        """'x:row' -> 'row', remembered (one dict look-up on the hot path)."""
        local = self.names.get(name)
        if local is None:
            local = _local(name)
            if len(self.names) < 256:
                self.names[name] = local
        return local

    def chars(self, data: str) -> None:
        # (Switching the handler off from inside it would make expat call it again.)
        room = self.limits.cell_chars + 1 - self.kept
        if room > 0:
            self.pieces.append(data[:room])
        self.kept += len(data)


class _SharedStrings(_TextReader):
    """The workbook's table of strings."""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = self.names.get(name) or self.local(name)
        if local == "si":
            self.pieces, self.kept = [], 0
        elif local == "t" and not self.depth_phonetic:
            self.parser.CharacterDataHandler = self.chars
        elif local == "rPh":
            self.depth_phonetic += 1
        elif local == "sst" and _int(attrs.get("uniqueCount")) > self.limits.strings:
            raise UploadRefused("strings", self.limits.strings)

    def end(self, name: str) -> None:
        local = self.names.get(name) or self.local(name)
        if local == "t":
            self.parser.CharacterDataHandler = None
        elif local == "si":
            strings = self.parts.strings
            if len(strings) >= self.limits.strings:
                raise UploadRefused("strings", self.limits.strings)
            text = "".join(self.pieces)
            self.parts.builder.count_text(len(text))
            strings.append(text)
        elif local == "rPh":
            self.depth_phonetic -= 1


class _SheetReader(_TextReader):
    """The rows of one worksheet: values only (a formula's cached result, never the formula).
    The hot path of the reader: every cell passes here several times."""

    def __init__(self, parts: _Parts) -> None:
        super().__init__(parts)
        self.builder = parts.builder
        self.row_number = 0
        self.values: dict[int, Cell] = {}
        self.column = 0
        self.kind = "n"
        self.style = 0
        self.in_cell = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = self.names.get(name) or self.local(name)
        if local == "c":
            ref = attrs.get("r")
            # A reference without letters ('1') names no column: take it as the next one.
            self.column = (_column(ref) if ref else 0) or self.column + 1
            self.kind = attrs.get("t", "n")
            style = attrs.get("s")
            self.style = int(style) if style and style.isdigit() else 0
            self.pieces, self.kept, self.in_cell = [], 0, True
        elif local == "v" or local == "t":
            if self.in_cell and not self.depth_phonetic:
                self.parser.CharacterDataHandler = self.chars
        elif local == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number and number.isdigit() else self.row_number + 1
            self.values, self.column = {}, 0
        elif local == "rPh":
            self.depth_phonetic += 1
            self.parser.CharacterDataHandler = None

    def end(self, name: str) -> None:
        local = self.names.get(name) or self.local(name)
        if local == "v" or local == "t":
            self.parser.CharacterDataHandler = None
        elif local == "c":
            self.in_cell = False
            if self.pieces:
                self._keep(self._value("".join(self.pieces)))
        elif local == "row":
            self.builder.add(self.row_number, self.values)
            self.values = {}
        elif local == "rPh":
            self.depth_phonetic -= 1

    def _keep(self, value: Cell) -> None:
        if value is None or value == "":
            return
        if self.column > self.limits.columns:  # a value in column XFD: stop right here
            raise UploadRefused("columns", self.limits.columns, self.row_number, self.column)
        if isinstance(value, str):
            value = self.builder.text(value, self.row_number, self.column)
        self.values[self.column - 1] = value

    def _value(self, raw: str) -> Cell:
        kind = self.kind
        if kind == "n":
            return self._number(raw.strip())
        if kind == "s":
            index = _int(raw, -1)
            strings = self.parts.strings
            return strings[index] if 0 <= index < len(strings) else None
        if kind in ("inlineStr", "str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return datetime.fromisoformat(raw.strip()) if raw.strip() else None
        return self._number(raw.strip())

    def _number(self, raw: str) -> Cell:
        if not raw:
            return None
        if len(raw) > 40:
            raise UploadRefused("cell_chars", 40, self.row_number, self.column)
        styles = self.parts.date_styles
        if self.style < len(styles) and styles[self.style]:
            epoch = _EXCEL_EPOCH_1904 if self.parts.date1904 else _EXCEL_EPOCH
            try:
                return epoch + timedelta(days=float(raw))
            except (ValueError, OverflowError):
                return raw
        if raw.isdigit() or (raw[0] == "-" and raw[1:].isdigit()):
            return int(raw)
        try:
            return float(raw)
        except ValueError:
            return raw


def _column(ref: str) -> int:
    """'B12' -> 2; a reference beyond three letters counts as column XFD + 1."""
    return _letters_column(ref.rstrip("0123456789"))


@functools.lru_cache(maxsize=20_000)
def _letters_column(letters: str) -> int:
    number = 0
    for letter in letters[:4]:
        if not "A" <= letter <= "Z":
            return 16_385
        number = number * 26 + ord(letter) - 64
    return min(number, 16_385)


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default
