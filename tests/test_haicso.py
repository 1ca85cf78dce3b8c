"""Unit tests of the HAI CSO bridge: the column layout and header mapping, the HAI number
and the similarity of questions, the export parser and the daily file's cells."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.haicso import dayfile, entries, layout, reconcile
from bot.haicso.blocks import Block
from storage.haicso import Listed
from storage.models import HAI_ENTERED, HaiEntry

LAYOUT = layout.load()
IMPORTED = [
    c
    for c in LAYOUT.columns
    if c.field in ("nomor_hai", "kode_satker", "pertanyaan", "status", "tanggal")
]


def test_the_shipped_layout_loads_with_the_form_order() -> None:
    assert [c.field for c in LAYOUT.daily][:6] == [
        "tanggal",
        "kode_satker",
        "nama_satker",
        "kanal",
        "kategori",
        "pertanyaan",
    ]
    assert {c.field for c in LAYOUT.columns} == set(layout.FIELDS)


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ({}, "at least one"),
        ({"kolom": [{"isi": "nomor", "judul": "No"}]}, "isi must be one of"),
        ({"kolom": [{"isi": "pertanyaan", "judul": ""}]}, "judul"),
        ({"kolom": [{"isi": "pertanyaan", "judul": "P", "alias": "x"}]}, "alias"),
        ({"kolom": [{"isi": "pertanyaan", "judul": "P", "harian": "ya"}]}, "harian"),
        ({"kolom": [{"isi": "status", "judul": "S"}]}, "pertanyaan"),
        (
            {"kolom": [{"isi": "pertanyaan", "judul": "P"}, {"isi": "pertanyaan", "judul": "Q"}]},
            "twice",
        ),
    ],
)
def test_a_broken_layout_names_what_is_wrong(raw: dict[str, object], says: str) -> None:
    with pytest.raises(layout.LayoutError, match=says):
        layout.parse(raw)


def _decorate(text: str, style: int) -> str:
    """The same header as an export might write it: case, spaces, underscores."""
    if style == 0:
        return text.upper()
    if style == 1:
        return text.replace(" ", "_")
    if style == 2:
        return f"  {text.title()} "
    return text.lower().replace(" ", "  ")


NOISE = st.sampled_from(["No", "Nama Satker Induk", "Feedback", "Triwulan", "", "Keterangan X"])


@given(
    order=st.permutations(range(len(IMPORTED))),
    styles=st.lists(st.integers(0, 3), min_size=len(IMPORTED), max_size=len(IMPORTED)),
    aliases=st.lists(st.integers(0, 20), min_size=len(IMPORTED), max_size=len(IMPORTED)),
    noise=st.lists(NOISE, max_size=4),
    data=st.data(),
)
def test_columns_are_found_by_name_in_any_order_and_spelling(
    order: list[int], styles: list[int], aliases: list[int], noise: list[str], data: st.DataObject
) -> None:
    placed: list[tuple[object, str | None]] = []
    for i in order:
        column = IMPORTED[i]
        names = [column.title, *_raw_aliases(column.field)]
        placed.append((_decorate(names[aliases[i] % len(names)], styles[i]), column.field))
    for n in noise:  # columns the layout does not know, anywhere
        placed.insert(data.draw(st.integers(0, len(placed))), (n, None))
    found = layout.map_headers(LAYOUT, [h for h, _ in placed])
    assert found == {f: i for i, (_, f) in enumerate(placed) if f is not None}


def _raw_aliases(field: str) -> list[str]:
    text = layout.DEFAULT_FILE.read_text(encoding="utf-8")
    block = text.split(f'isi = "{field}"', 1)[1].split("[[kolom]]", 1)[0]
    m = re.search(r"alias = \[(.*)\]", block)
    return re.findall(r'"([^"]+)"', m.group(1)) if m else []


@given(st.lists(st.sampled_from(["Nama", "Alamat", "Feedback", "=SUM(A1)", "", "CSO"]), max_size=8))
def test_an_unknown_layout_is_refused_naming_the_columns_found(headers: list[str]) -> None:
    with pytest.raises(layout.UnknownLayout) as refused:
        layout.map_headers(LAYOUT, list(headers))
    assert refused.value.found == [h for h in headers if h.strip()]
    assert "pertanyaan" in refused.value.missing


WORDS = st.sampled_from(
    ["spm", "sp2d", "revisi", "dipa", "tup", "rekonsiliasi", "satker", "gaji", "kontrak", "saldo"]
)
TEXTS = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)


@given(TEXTS, TEXTS)
def test_similarity_is_symmetric_bounded_and_one_for_the_same_text(a: str, b: str) -> None:
    s = reconcile.similarity(a, b)
    assert 0.0 <= s <= 1.0
    assert s == reconcile.similarity(b, a)
    assert reconcile.similarity(a, a) == 1.0
    assert reconcile.similarity(a, a.upper() + " !") == 1.0


def test_similarity_of_a_retyped_question() -> None:
    bot = "Cara mengajukan TUP untuk kegiatan rapat"
    assert (
        reconcile.similarity(bot, "Bagaimana cara mengajukan TUP untuk rapat") >= reconcile.SIMILAR
    )
    assert reconcile.similarity(bot, "Reset kata sandi aplikasi SAKTI") < reconcile.SIMILAR
    assert reconcile.similarity("", bot) == 0.0


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9/._-]{0,30}[0-9]", fullmatch=True))
def test_a_hai_number_is_taken_as_typed(number: str) -> None:
    assert entries.parse_number(number) == number
    assert entries.parse_number(f"  {number} ") == number
    assert entries.parse_number(f"No. {number}") == number
    assert entries.parse_number(f"nomor {number}") == number
    assert entries.parse_number(f"#{number}") == number


@pytest.mark.parametrize("text", ["", "abc", "nomor dua belas", "12 34", "<b>1</b>", "1" * 41])
def test_what_is_no_hai_number(text: str) -> None:
    assert entries.parse_number(text) is None


def test_the_export_parser_reads_spreadsheet_numbers_and_dates() -> None:
    csv = (
        b"NOMOR_TIKET;Kode Satker;Tanggal;Uraian Permasalahan;Status Tiket\n"
        b"12345;012345;01/12/2026 10:15;  Kapan  SP2D terbit? ;Selesai\n"
        b";;;;\n"
        b"12346;999;2026-12-02;Revisi DIPA;Menunggu jawaban KPPN\n"
    )
    rows = reconcile.parse(csv, "laporan.csv", LAYOUT)
    assert [(r.row, r.hai_number, r.kode_satker, r.day, r.question, r.closed) for r in rows] == [
        (2, "12345", "012345", date(2026, 12, 1), "Kapan SP2D terbit?", True),
        (4, "12346", None, date(2026, 12, 2), "Revisi DIPA", False),
    ]
    with pytest.raises(reconcile.EmptyExport):
        reconcile.parse(b"Nomor Tiket;Pertanyaan\n", "x.csv", LAYOUT)


def test_the_daily_csv_neutralises_formulas_from_users() -> None:
    entry = HaiEntry(1, HAI_ENTERED, "12345", None, 5, None, None)
    when = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    ticket = Listed(
        1,
        "2026-0001",
        None,
        "123456",
        "telepon",
        '=HYPERLINK("http://x","klik")',
        "baru",
        when,
        when,
        None,
        None,
        None,
        5,
        None,
        None,
        entry,
    )
    block = Block(ticket, "@Satker", "Lainnya", "", False, "Citra")
    header, rows = dayfile.table(LAYOUT, [block], UTC)
    text = dayfile._csv(header, rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@Satker" in text
    assert text.splitlines()[1].startswith("01/12/2026 02.00;123456;'@Satker;telepon;Lainnya;")
    assert text.splitlines()[1].endswith(";Sudah diinput (12345)")


async def test_a_reply_to_a_ticket_notice_is_no_hai_number() -> None:
    """A CSO who also holds tickets answers by replying to its notice: that text must go to
    the ticket, not be taken for a HAI number (the notice says "Tiket #2026-0001" too)."""
    notice = "Tiket #2026-0001 dibuka kembali: penanya masih memiliki pertanyaan."
    assert await entries.replied_ticket(None, notice) is None  # type: ignore[arg-type]
