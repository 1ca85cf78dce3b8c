"""No CSV the bot writes hands a spreadsheet a formula (issue 18, item 3)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import sheets
from bot.broadcast import bulkfile

HOSTILE = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda start, rest: start + rest,
        st.sampled_from([*sheets.FORMULA_STARTS, "'", " =", "=HYPERLINK(", "=cmd|' /C calc'!A0"]),
        st.text(max_size=30),
    ),
)


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_the_reported_values_are_neutralised(tmp_path: Path) -> None:
    line = bulkfile.Line(
        2, "123456", "=1+1", date(2026, 12, 1), Decimal("10.00"), '=HYPERLINK("http://x","klik")'
    )
    path = tmp_path / "sp2d.csv"
    bulkfile.write_csv(path, [line], {"123456": "@SUM(A1:A9)"})
    [header, row] = read_back(path)
    assert row == [
        "123456",
        "'@SUM(A1:A9)",
        "'=1+1",
        "01/12/2026",
        "10,00",
        '\'=HYPERLINK("http://x","klik")',
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(HOSTILE, HOSTILE, HOSTILE), min_size=1, max_size=5))
def test_no_field_starts_a_formula(
    tmp_path_factory: pytest.TempPathFactory, values: list[tuple[str, ...]]
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    lines = [
        bulkfile.Line(i, f"{i:06d}", nomor, date(2026, 1, 2), Decimal("1.00"), uraian)
        for i, (nomor, uraian, _) in enumerate(values, start=1)
    ]
    names = {f"{i:06d}": name for i, (_, _, name) in enumerate(values, start=1)}
    path = folder / "out.csv"
    bulkfile.write_csv(path, lines, names)
    rows = read_back(path)[1:]
    assert len(rows) == len(values)
    for row, (nomor, uraian, name) in zip(rows, values, strict=True):
        assert not any(field.startswith(sheets.FORMULA_STARTS) for field in row)
        # The text is all there: at most an apostrophe in front.
        expected = tuple(sheets.neutralise(v) for v in (name, nomor, uraian))
        assert (row[1], row[2], row[5]) == expected


@given(HOSTILE)
def test_neutralise_only_adds_an_apostrophe(value: str) -> None:
    out = sheets.neutralise(value)
    assert out in (value, "'" + value)
    assert not out.startswith(sheets.FORMULA_STARTS)
