"""Broadcast parsing without Telegram: targets, /status, amounts, dates, CSV and XLSX."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from bot.broadcast import bulkfile, status, targets
from messages.format import fmt_rupiah

AMOUNTS = st.decimals(min_value=0, max_value=10**13, places=2, allow_nan=False)


@given(AMOUNTS)
def test_rupiah_round_trips(amount: Decimal) -> None:
    shown = fmt_rupiah(amount)
    assert shown.startswith("Rp") and shown[-3] == ","
    assert bulkfile.parse_amount(shown) == amount


@given(AMOUNTS)
def test_plain_and_english_amounts(amount: Decimal) -> None:
    assert bulkfile.parse_amount(f"{amount:.2f}") == amount
    assert bulkfile.parse_amount(f"{amount:,.2f}") == amount
    assert bulkfile.parse_amount(float(amount)) == amount.quantize(Decimal("0.01"))


@given(st.text(max_size=40))
def test_amount_and_date_parsers_never_crash(text: str) -> None:
    bulkfile.parse_amount(text)
    bulkfile.parse_date(text)


def test_indonesian_thousands_without_decimals() -> None:
    assert bulkfile.parse_amount("1.234.567") == Decimal("1234567.00")
    assert bulkfile.parse_amount("Rp 2.500") == Decimal("2500.00")
    assert bulkfile.parse_amount("abc") is None


@given(st.binary(max_size=300))
def test_any_bytes_give_errors_not_crashes(data: bytes) -> None:
    parsed = bulkfile.parse(data, "x.csv")
    assert parsed.error_count or parsed.lines


def test_xlsx_with_numbers_and_dates() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["KDSATKER", "NO SP2D", "TGL SP2D", "NILAI SP2D", "URAIAN"])
    sheet.append([12345, 261011301000123, datetime(2026, 12, 1), 1234567.5, "ATK"])
    buf = io.BytesIO()
    book.save(buf)
    parsed = bulkfile.parse(buf.getvalue(), "omspan.xlsx")
    assert parsed.errors == []
    line = parsed.lines[0]
    assert (line.kode, line.nomor, line.tanggal) == ("012345", "261011301000123", date(2026, 12, 1))
    assert line.nilai == Decimal("1234567.50")


def test_missing_columns_named() -> None:
    parsed = bulkfile.parse(b"satker,nilai\n123456,10\n", "a.csv")
    assert parsed.errors and "nomor, tanggal" in parsed.errors[0]


def test_target_forms() -> None:
    assert targets.parse("semua Rapat besok") == targets.Parsed(
        targets.Spec("semua"), "Rapat besok"
    )
    assert targets.parse("lo @sari_lo isi") == targets.Parsed(targets.Spec("lo", "@sari_lo"), "isi")
    kl = targets.parse("kl Kementerian Agama\nIsi\nbaris dua")
    assert kl == targets.Parsed(targets.Spec("kl", "Kementerian Agama"), "Isi\nbaris dua")
    assert targets.parse("kl Kementerian Agama | isi") == targets.Parsed(
        targets.Spec("kl", "Kementerian Agama"), "isi"
    )
    assert targets.parse("grup -100123 isi") == targets.Parsed(
        targets.Spec("grup", "-100123"), "isi"
    )
    assert targets.parse("kl Kementerian Agama isi") is None  # ambiguous without a separator
    assert targets.parse("semua") is None and targets.parse("siapa saja isi") is None


def test_status_request() -> None:
    req = status.parse("revisi dipa 123456 Revisi ke-3 telah disahkan")
    assert req == status.StatusRequest(
        "revisi_dipa", "revisi dipa", "123456", "Revisi ke-3 telah disahkan"
    )
    free = status.parse("Pengembalian Belanja 654321 sudah diproses")
    assert free is not None and free.service == "" and free.free_name == "Pengembalian Belanja"
    assert status.parse("sp2d terbit") is None and status.parse("123456 tanpa layanan") is None
