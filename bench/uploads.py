"""Benchmark: hostile and large uploads through the SP2D status-file parser (issue 18, item 4).

    .venv/bin/python -m bench.uploads [--before]

Each case is a file of at most 5 MB, built here. Each runs in a fresh Python process
(so one case's memory cannot hide another's): the process imports the bot, notes its
resident memory, parses the file as the bot does (``bulkfile.parse`` in a worker thread,
with a 10 ms ticker on the event loop), and reports wall time, the growth of its peak
resident memory (VmHWM) and the longest stall of the event loop. ``--before`` runs the
same cases through openpyxl as the bot did before this change, each under a 3 GiB address
space limit and a 60 s timeout.

The builders (``package`` and the cases) are also what tests/test_uploads.py feeds the
reader.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

MB = 1024 * 1024
HEADER = "Kode Satker;Nomor SP2D;Tanggal;Nilai;Uraian"

_CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
</Types>"""
_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
<Relationship Id="rId2" Target="sharedStrings.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>
</Relationships>"""
_SHEET = "xl/worksheets/sheet1.xml"
_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def package(
    sheet_rows: bytes, strings: bytes | None = None, parts: dict[str, bytes] | None = None
) -> bytes:
    """A minimal XLSX: ``sheet_rows`` inside <sheetData>, ``strings`` inside <sst>; any
    part can be replaced or added (``parts`` by name in the zip)."""
    files = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet '
        + _NS
        + b"><sheetData>"
        + sheet_rows
        + b"</sheetData></worksheet>",
    }
    if strings is not None:
        files["xl/sharedStrings.xml"] = b"<sst " + _NS + b">" + strings + b"</sst>"
    files.update(parts or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in files.items():
            z.writestr(name, body)
    return buf.getvalue()


def repeated_part(name: str, head: bytes, chunk: bytes, times: int, tail: bytes) -> bytes:
    """A one-part zip whose body is ``head + chunk * times + tail``, deflated without ever
    holding the body: after a full flush deflate forgets what came before, so one chunk's
    compressed block repeated is the compressed repetition (gigabytes in a second)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    last = c.compress(tail) + c.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * times + len(tail)
    packed = first + block * times + last
    raw = name.encode()
    fields = (20, 0, 8, 0, 0x21, crc, len(packed), size, len(raw), 0)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + raw
    central = struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIHH", *fields)
    central += struct.pack("<HHHII", 0, 0, 0, 0, 0) + raw
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(packed), 0
    )
    return local + packed + central + end


def header_row(r: int = 1) -> bytes:
    names = ["Kode Satker", "Nomor SP2D", "Tanggal", "Nilai", "Uraian"]
    cells = "".join(
        f'<c r="{chr(65 + i)}{r}" t="inlineStr"><is><t>{n}</t></is></c>'
        for i, n in enumerate(names)
    )
    return f'<row r="{r}">{cells}</row>'.encode()


def data_row(r: int, extra: str = "") -> bytes:
    return (
        f'<row r="{r}"><c r="A{r}"><v>123456</v></c><c r="B{r}"><v>{261011300000000 + r}</v></c>'
        f'<c r="C{r}" t="inlineStr"><is><t>01/12/2026</t></is></c><c r="D{r}"><v>1000</v></c>'
        f'<c r="E{r}" t="inlineStr"><is><t>Belanja {r}</t></is></c>{extra}</row>'
    ).encode()


# ---- the cases ------------------------------------------------------------------------
def xfd_every_row(rows: int = 20_000) -> bytes:
    """The report's 51 KiB workbook: a value in column XFD on each of 20,000 rows."""
    body = header_row() + b"".join(
        data_row(r, f'<c r="XFD{r}"><v>1</v></c>') for r in range(2, rows + 2)
    )
    return package(body)


def xfd_last_row(rows: int = 20_000) -> bytes:
    """Good rows, then one value in column XFD on the last row (openpyxl pads every row)."""
    body = (
        header_row()
        + b"".join(data_row(r) for r in range(2, rows + 1))
        + f'<row r="{rows + 1}"><c r="XFD{rows + 1}"><v>1</v></c></row>'.encode()
    )
    return package(body)


def shared_strings(count: int = 3_000_000) -> bytes:
    """Millions of shared strings (the report: 3 million, +297 MiB with openpyxl)."""
    strings = b"<si><t>s</t></si>" * count
    return package(header_row() + data_row(2), strings)


def whitespace(total: int = 2 * 1024 * MB) -> bytes:
    """About 2 MiB of XLSX that unpacks to gigabytes of XML whitespace inside the sheet."""
    head = b'<?xml version="1.0"?><worksheet ' + _NS + b"><sheetData>" + header_row()
    tail = data_row(2) + b"</sheetData></worksheet>"
    return _merged(repeated_part(_SHEET, head, b" " * MB, total // MB, tail))


def whitespace_in_cell(total: int = 1024 * MB) -> bytes:
    """Whitespace inside one cell's text: a cell of a gigabyte."""
    head = (
        b'<?xml version="1.0"?><worksheet '
        + _NS
        + b"><sheetData>"
        + header_row()
        + b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
    )
    tail = b"x</t></is></c></row></sheetData></worksheet>"
    return _merged(repeated_part(_SHEET, head, b" " * MB, total // MB, tail))


def _merged(sheet_zip: bytes) -> bytes:
    """The other parts of a workbook added to a zip that holds only the (big) sheet."""
    buf = io.BytesIO(sheet_zip)
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
    return buf.getvalue()


def lying_sizes(real: int = 512 * MB) -> bytes:
    """A zip bomb whose directory declares a small sheet that really unpacks to ``real``."""
    data = whitespace(real)
    compressed_sheet = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    small = (1000).to_bytes(4, "little")
    out = bytearray(data)
    # The local header's and the central directory's uncompressed sizes both say 1000.
    local = compressed_sheet.header_offset
    out[local + 22 : local + 26] = small
    central = out.rfind(b"PK\x01\x02" + out[local + 4 : local + 6])
    out[central + 24 : central + 28] = small
    return bytes(out)


def billion_laughs() -> bytes:
    dtd = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
        + "]>"
    ).replace("&lol0;", "&lol;")
    sheet = (
        dtd + "<worksheet " + _NS.decode() + "><sheetData>"
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return package(b"", None, {_SHEET: sheet.encode()})


def many_entries(count: int = 60_000) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(count):
            z.writestr(f"{i}", b"")
    return buf.getvalue()


def long_cell_csv(size: int = 4 * MB) -> bytes:
    """One cell of 4 MiB (the report: 1,077 error messages, each quoting it whole)."""
    return f"{HEADER}\n123456;1;01/12/2026;abc{'x' * size};u\n".encode()


def big_good_csv(rows: int = 20_000) -> bytes:
    lines = [
        f"123456;{261011300000000 + i};01/12/2026;1.234.567,00;Belanja {i}" for i in range(rows)
    ]
    return (HEADER + "\n" + "\n".join(lines) + "\n").encode()


def big_good_xlsx(rows: int = 20_000) -> bytes:
    return package(header_row() + b"".join(data_row(r) for r in range(2, rows + 2)))


def newlines_csv(size: int = 5 * MB - 100) -> bytes:
    return (HEADER + "\n").encode() + b"\n" * size


def wide_csv(rows: int = 20_000) -> bytes:
    """Every row with a value in the 16,385th column (mostly separators)."""
    row = "123456;1;01/12/2026;1000;u" + ";" * 16_380 + "x"
    return (HEADER + "\n" + "\n".join([row] * (5 * MB // len(row) - 1))).encode()


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "good CSV, 20,000 rows": ("x.csv", big_good_csv),
    "good XLSX, 20,000 rows": ("x.xlsx", big_good_xlsx),
    "XFD value on 20,000 rows": ("x.xlsx", xfd_every_row),
    "XFD value on the last of 20,000 rows": ("x.xlsx", xfd_last_row),
    "3,000,000 shared strings": ("x.xlsx", shared_strings),
    "1,500,000 shared strings (25 MB unpacked)": ("x.xlsx", lambda: shared_strings(1_500_000)),
    "2 GiB of XML whitespace": ("x.xlsx", whitespace),
    "1 GiB of whitespace in one cell": ("x.xlsx", whitespace_in_cell),
    "zip bomb lying about its size (512 MiB)": ("x.xlsx", lying_sizes),
    "billion laughs (DTD entities)": ("x.xlsx", billion_laughs),
    "60,000 zip entries": ("x.xlsx", many_entries),
    "one 4 MiB cell (CSV)": ("x.csv", long_cell_csv),
    "5 MB of newlines (CSV)": ("x.csv", newlines_csv),
    "value in column 16,385 on every row (CSV)": ("x.csv", wide_csv),
}


# ---- measuring ------------------------------------------------------------------------
def _peak_rss() -> int:
    """VmHWM: the process's peak resident memory, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


async def _measure(name: str, data: bytes, before: bool) -> dict[str, object]:
    from bench.ops import loop_stall
    from bot.broadcast import bulkfile

    parse = _old_parse if before else bulkfile.parse
    done = asyncio.Event()
    stall = asyncio.create_task(loop_stall(done))
    _reset_peak()
    base = _peak_rss()
    started = time.perf_counter()

    def timed_parse() -> tuple[Any, float]:
        cpu = time.thread_time()
        result = parse(data, name)
        return result, time.thread_time() - cpu

    parsed, cpu = await asyncio.to_thread(timed_parse)
    took = time.perf_counter() - started
    done.set()
    growth = _peak_rss() - base
    errors = parsed.errors[:1]
    return {
        "seconds": round(took, 2),
        "cpu_seconds": round(cpu, 2),
        "rss_growth_mb": round(growth / MB, 1),
        "loop_stall_ms": round(await stall * 1000, 1),
        "rows": len(parsed.lines),
        "errors": parsed.error_count,
        "first_error": errors[0][:90] if errors else "",
    }


def _old_parse(data: bytes, filename: str) -> Any:
    """The parser as it was before issue 18: openpyxl read-only, csv.Sniffer."""
    import csv

    from bot.broadcast import bulkfile

    parsed = bulkfile.Parsed()
    try:
        if filename.endswith(".xlsx"):
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True, max_row=20002)]
            book.close()
        else:
            text = data.decode("utf-8-sig", errors="replace")
            rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=";")]
        parsed.lines = [None] * len(rows)  # type: ignore[list-item]
    except Exception as exc:
        parsed.error(f"{type(exc).__name__}: {exc}"[:90])
    return parsed


def child(case: str, before: bool) -> None:
    filename, build = CASES[case]
    data = build()
    if before:
        limit = 3 * 1024 * MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    result = asyncio.run(_measure(filename, data, before))
    result["upload_kib"] = round(len(data) / 1024)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", action="store_true", help="openpyxl, as before issue 18")
    parser.add_argument("--case", help="one case by name (a child process)")
    parser.add_argument("--only", nargs="*", help="substrings of the case names to run")
    args = parser.parse_args()
    if args.case:
        child(args.case, args.before)
        return
    print(f"{'case':42} {'KiB':>6} {'s':>6} {'cpu s':>6} {'+RSS MB':>8} {'stall ms':>8}  outcome")
    for case in CASES:
        if args.only and not any(o in case for o in args.only):
            continue
        cmd = [sys.executable, "-m", "bench.uploads", "--case", case]
        try:
            run = subprocess.run(
                cmd + (["--before"] if args.before else []),
                capture_output=True,
                text=True,
                timeout=60,
            )
            r = json.loads(run.stdout.strip().splitlines()[-1])
        except subprocess.TimeoutExpired:
            print(f"{case:42} {'':>6} {'>60':>6}")
            continue
        except (IndexError, json.JSONDecodeError):
            print(f"{case:42} failed: {run.stderr.strip().splitlines()[-1:]}")
            continue
        outcome = f"{r['rows']} rows" if not r["errors"] else f"refused: {r['first_error']}"
        print(
            f"{case:42} {r['upload_kib']:6} {r['seconds']:6} {r['cpu_seconds']:6} "
            f"{r['rss_growth_mb']:8} "
            f"{r['loop_stall_ms']:8}  {outcome}"
        )


if __name__ == "__main__":
    main()
