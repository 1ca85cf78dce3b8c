"""Complaint rules without Telegram: numbers, integrity words, the due time, the counts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.common import WIB, services
from bot import complaints, periods, report_files, reports
from bot.services import Services
from storage import people
from storage.models import COMPLAINT_DONE, COMPLAINT_IN_PROGRESS, COMPLAINT_RECEIVED

HANDLER, KEPALA, BUDI = 800, 700, 300


def at(m: int, d: int, h: int) -> datetime:
    return datetime(2026, m, d, h, 0, tzinfo=WIB)


@given(st.integers(2000, 2999), st.integers(1, 999_999), st.sampled_from(["P-", "p-", "p", ""]))
def test_number_forms_normalise(year: int, n: int, prefix: str) -> None:
    assert complaints.parse_number(f"{prefix}{year}-{n}") == f"P-{year}-{n:04d}"


@given(st.text(max_size=30))
def test_number_parser_never_crashes(text: str) -> None:
    parsed = complaints.parse_number(text)
    assert parsed is None or parsed.startswith("P-")


def test_integrity_words() -> None:
    assert complaints.is_integrity("Ada PUNGLI di loket")
    assert complaints.is_integrity("petugas menerima gratifikasi")
    assert complaints.is_integrity("diminta uang pelicin agar cepat")
    assert not complaints.is_integrity("antrean loket terlalu lama")


@pytest.fixture
async def office(tmp_path: Path) -> AsyncIterator[Services]:
    svc = await services(tmp_path / "c.sqlite3", at(11, 23, 10))
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        for uid, name, role in ((HANDLER, "Rina", "kepatuhan"), (KEPALA, "Kartika", "kepala")):
            await people.upsert_user(tx, uid, None, name, now)
            await people.grant(tx, 1, uid, role, 1, now)
    yield svc
    await svc.db.close()


async def test_due_counts_working_days_only(office: Services) -> None:
    # Friday 27 Nov 15.00 + 5 working days (8 h each) = Friday 4 Dec 15.00.
    office.clock.set(at(11, 27, 15))
    filed = await complaints.file(office, people.User(BUDI, None, "Budi"), "berkas hilang", 1)
    assert isinstance(filed, complaints.Filed)
    assert complaints.followup_due(office, filed.complaint) == at(12, 4, 15)
    # After hours on Friday: the clock starts Monday 08.00; due at the close of Friday.
    office.clock.set(at(11, 27, 18))
    late = await complaints.file(office, people.User(BUDI, None, "Budi"), "lagi", 2)
    assert isinstance(late, complaints.Filed)
    assert complaints.followup_due(office, late.complaint) == at(12, 4, 16)


async def test_clean_and_clear_counts_in_recap_and_workbook(
    office: Services, tmp_path: Path
) -> None:
    budi = people.User(BUDI, None, "Budi")
    rina = people.User(HANDLER, None, "Rina")
    numbers = []
    for day in (2, 3, 4, 5):
        office.clock.set(at(11, day + 20, 9))
        filed = await complaints.file(office, budi, f"pengaduan {day}", day)
        again = await complaints.file(office, budi, "handled twice", day)
        assert isinstance(again, complaints.Filed) and again.complaint == filed.complaint  # type: ignore[union-attr]
        assert isinstance(filed, complaints.Filed)
        numbers.append(filed.complaint.number)
    assert (await complaints.follow_up(office, rina, numbers[0], "selesai beres")).complaint
    assert (await complaints.follow_up(office, rina, numbers[1], "sedang dicek")).complaint
    statuses = [
        (await complaints.detail(office, HANDLER, n)).complaint.status  # type: ignore[union-attr]
        for n in numbers
    ]
    assert statuses == [
        COMPLAINT_DONE,
        COMPLAINT_IN_PROGRESS,
        COMPLAINT_RECEIVED,
        COMPLAINT_RECEIVED,
    ]
    # A handler's refusal path: a satker operator cannot follow up.
    refused = await complaints.follow_up(office, budi, numbers[2], "x")
    assert refused.result is complaints.Result.REFUSED

    period = periods.parse("2026-11", at(12, 1, 9).date())
    assert period is not None
    scope = await reports.scope_for(office, KEPALA, period)
    assert scope is not None
    recap = await reports.build(office, scope, period)
    cc = recap.complaints
    assert cc is not None
    assert (cc.received, cc.done, cc.in_progress, cc.not_followed_up) == (4, 1, 1, 2)
    parts, _ = await report_files.write_files(office, recap, tmp_path)
    book = openpyxl.load_workbook(parts[0].path, read_only=True)
    rows = list(book["Pengaduan"].iter_rows(min_row=2, max_row=5, values_only=True))
    assert rows == [
        ("Diterima", 4),
        ("Selesai", 1),
        ("Dalam proses", 1),
        ("Belum ditindaklanjuti", 2),
    ]
    book.close()
