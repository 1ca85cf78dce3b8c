"""Cells of the CSV files the bot writes for people to open in Excel or LibreOffice.

A field that starts with ``= + - @`` (or a tab or carriage return, which Excel skips before
looking) is taken as a formula by a spreadsheet: ``=HYPERLINK("http://x","klik")`` in an
SP2D description would become a live link in a satker's spreadsheet. Every text field
that came from a user or an uploaded file goes through ``neutralise``, which puts an
apostrophe in front of such a value (OWASP's advice: the cell shows the text, Excel hides
the apostrophe). XLSX workbooks need no apostrophe: they store such values with
``write_string`` as string cells, which no spreadsheet evaluates.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

# Full-width forms too: some spreadsheet locales turn them into their ASCII forms on input.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise(value: object) -> str:
    """The text of ``value``, with an apostrophe first when a spreadsheet would compute it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_rows(fh: IO[str], header: list[str], rows: Iterable[Iterable[object]]) -> None:
    """A CSV for Excel in Indonesia (';' between fields); every field neutralised."""
    out = csv.writer(fh, delimiter=";")
    out.writerow([neutralise(h) for h in header])
    for row in rows:
        out.writerow([neutralise(v) for v in row])
