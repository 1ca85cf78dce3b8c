"""Recap figures against a hand-computed quarter, and the files read back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from bench.common import WIB, services
from bot import periods, report_files, reports, tickets
from bot.services import Services
from storage import groups, people

LO, CSO, OPERATOR, OPERATOR2 = 200, 500, 300, 301
GROUP = -1001


def at(m: int, d: int, h: int) -> datetime:
    return datetime(2026, m, d, h, 0, tzinfo=WIB)


@pytest.fixture
async def quarter(tmp_path: Path) -> AsyncIterator[Services]:
    """Q4 2026 by hand (working hours 08-16; 24-25 Dec cuti bersama and Christmas):

    T1 Mon 2 Nov 10.00, answered Tue 3 Nov 10.00: 8 h, on time, rated 5
    T2 Wed 23 Dec 15.00, answered Mon 28 Dec 15.00: 1 h + 7 h = 8 h, on time (due 29 Dec)
    T3 Mon 7 Dec 10.00, answered Thu 10 Dec 10.00: 24 h, late, rated 2
    T4 CSO records a phone call Tue 1 Dec 09.00 and answers 13.00: 4 h, on time
    T5 Mon 14 Dec 10.00, still open on 31 Dec: late
    T6 Thu 31 Dec 11.00, still open, not yet due
    T7 Tue 15 Dec 09.00 closed as not a question: not counted
    """
    svc = await services(tmp_path / "q.sqlite3", at(11, 1, 9))
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        await groups.upsert_joined(tx, GROUP, "LO Kemenag", now)
        await groups.register(tx, GROUP, LO, "Kementerian Agama", now)
        await groups.add_satker(tx, GROUP, "123456", "MTsN 1")
        await groups.register_operator(tx, OPERATOR, GROUP, "123456", now)
        for uid, name in ((LO, "Sari"), (CSO, "Citra"), (OPERATOR, "Budi"), (OPERATOR2, "Ani")):
            await people.upsert_user(tx, uid, None, name, now)
        await people.grant(tx, 1, LO, "lo", 1, now)
        await people.grant(tx, 1, CSO, "cso", 1, now)
    lo = people.User(LO, None, "Sari")
    cso = people.User(CSO, None, "Citra")
    budi = people.User(OPERATOR, None, "Budi")
    ani = people.User(OPERATOR2, None, "Ani")

    async def ask(when: datetime, who: people.User, text: str, mid: int) -> tickets.Ticket:
        svc.clock.set(when)
        opened = await tickets.open_in_group(svc, GROUP, mid, who, text)
        assert isinstance(opened, tickets.Opened)
        return opened.ticket

    async def answer(when: datetime, t: tickets.Ticket, by: people.User) -> None:
        svc.clock.set(when)
        done = await tickets.answer(svc, t, by, "jawaban", posted_in_group=False)
        assert done.result is tickets.Result.OK

    t1 = await ask(at(11, 2, 10), budi, "pertanyaan satu?", 1)
    await answer(at(11, 3, 10), t1, lo)
    await tickets.asker_choice(svc, t1.id, OPERATOR, "r5")
    svc.clock.set(at(12, 1, 9))
    recorded = await tickets.record_other_channel(svc, cso, "telepon", "654321", "lewat telepon")
    assert isinstance(recorded, tickets.Opened)
    await answer(at(12, 1, 13), recorded.ticket, cso)
    t3 = await ask(at(12, 7, 10), ani, "pertanyaan tiga?", 3)
    await answer(at(12, 10, 10), t3, lo)
    await tickets.asker_choice(svc, t3.id, OPERATOR2, "r2")
    await ask(at(12, 14, 10), budi, "pertanyaan lima?", 5)
    t7 = await ask(at(12, 15, 9), budi, "bukan pertanyaan?", 7)
    await tickets.close_not_question(svc, t7, LO)
    t2 = await ask(at(12, 23, 15), budi, "pertanyaan dua?", 2)
    assert t2.due_at == at(12, 29, 15)
    await answer(at(12, 28, 15), t2, lo)
    await ask(at(12, 31, 11), ani, "pertanyaan enam?", 6)
    svc.clock.set(at(12, 31, 12))
    yield svc
    await svc.db.close()


async def _recap(svc: Services, user: int) -> reports.Recap:
    period = periods.quarter(2026, 4)
    scope = await reports.scope_for(svc, user, period)
    assert scope is not None
    return await reports.build(svc, scope, period)


async def test_figures_match_the_hand_count(quarter: Services) -> None:
    r = await _recap(quarter, CSO)
    t = r.total
    assert (t.received, t.answered, t.on_time, r.answered_late) == (6, 4, 3, 1)
    assert (t.open, t.open_late) == (2, 1)
    assert r.by_channel == {"grup": 5, "telepon": 1}
    assert (r.median_hours, r.p90_hours) == (8.0, 24.0)
    assert (r.rating_avg, r.rating_n) == (3.5, 2)
    assert r.kpi_office is not None
    k = r.kpi_office
    assert (k.tickets, k.minimum, k.judged, k.on_time) == (6, 300, 5, 3)
    assert (k.quantity_index, k.on_time_index, k.weighted) == (1, 1, 1.0)
    name, cso_kpi = r.kpi_cso[0]
    assert name == "Citra" and (cso_kpi.tickets, cso_kpi.on_time, cso_kpi.judged) == (1, 1, 1)
    assert cso_kpi.weighted == pytest.approx(0.4 * 1 + 0.6 * 4)
    by_lo = {line.name: line for line in r.per_lo}
    assert by_lo["Sari"].received == 5 and by_lo["Citra"].received == 1


async def test_lo_sees_only_own_groups(quarter: Services) -> None:
    r = await _recap(quarter, LO)
    assert not r.office_wide and r.total.received == 5 and r.kpi_cso == []
    assert await reports.scope_for(quarter, OPERATOR, periods.quarter(2026, 4)) is None


async def test_workbook_and_chart_read_back(quarter: Services, tmp_path: Path) -> None:
    r = await _recap(quarter, CSO)
    parts, png = await report_files.write_files(quarter, r, tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [(p.path.name, p.number, p.total) for p in parts] == [("rekap-2026-Q4.xlsx", 1, 1)]
    book = openpyxl.load_workbook(parts[0].path, read_only=True)
    assert book.sheetnames == [
        "Terselesaikan",
        "Belum Terselesaikan",
        "Per Petugas",
        "Per Satker",
        "Pengaduan",
    ]
    done = list(book["Terselesaikan"].iter_rows(values_only=True))
    assert done[0][0] == "No. Tiket" and done[0][9] == "Status"
    assert len(done) == 1 + 4
    by_number = {row[7]: row for row in done[1:]}
    t2 = by_number["pertanyaan dua?"]
    assert t2[1] == datetime(2026, 12, 23, 15, 0)  # a real date cell, office time
    assert t2[12] == 8 and t2[13] == "Ya" and t2[15] == "Triwulan IV 2026"
    assert by_number["pertanyaan tiga?"][13] == "Tidak"
    assert by_number["lewat telepon"][2] == "Telepon"
    still_open = list(book["Belum Terselesaikan"].iter_rows(values_only=True))
    assert len(still_open) == 1 + 2 and still_open[1][9] == "Menunggu jawaban KPPN"
    satker = {row[0]: row for row in book["Per Satker"].iter_rows(min_row=2, values_only=True)}
    assert satker["123456"][1:3] == ("MTsN 1", 3) and satker["654321"][2] == 1
    assert satker["(tanpa kode satker)"][2] == 2  # Ani never registered her satker
    staff = {row[0]: row for row in book["Per Petugas"].iter_rows(min_row=2, values_only=True)}
    assert staff["Sari"][1] == "LO" and staff["Citra"][1] == "CSO"  # the CSO is not an "LO"
    book.close()


async def test_workbook_stores_hostile_text_as_strings(quarter: Services, tmp_path: Path) -> None:
    """Issue 18, item 3: a question, a name or an answer that looks like a formula stays
    text in the /rekap workbook (string cells), never a formula."""
    hostile = '=HYPERLINK("http://x","klik")'
    now = quarter.clock.now()
    async with quarter.db.transaction() as tx:
        await groups.add_satker(tx, GROUP, "123456", "@SUM(A1:A9)")
        await people.upsert_user(tx, OPERATOR, None, "+62 812", now)
    opened = await tickets.open_in_group(
        quarter, GROUP, 99, people.User(OPERATOR, None, "+62 812"), hostile
    )
    assert isinstance(opened, tickets.Opened)
    r = await _recap(quarter, CSO)
    parts, _ = await report_files.write_files(quarter, r, tmp_path)
    book = openpyxl.load_workbook(parts[0].path)  # not read-only: formulas would show as type "f"
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if c.data_type == "s"}
    assert {hostile, "@SUM(A1:A9)", "+62 812"} <= texts


async def test_short_and_long_periods_count_alike(
    quarter: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short period reads the date-first index, a long one the group-ordered ones: the
    figures must not depend on which (the same quarter forced through each)."""
    from storage import reports as repo

    got = []
    for short in (timedelta(0), timedelta(days=1000)):
        monkeypatch.setattr(repo, "SHORT_PERIOD", short)
        for user in (CSO, LO):
            r = await _recap(quarter, user)
            got.append(
                (
                    short,
                    user,
                    (r.total.received, r.total.answered, r.total.on_time, r.total.open_late),
                    sorted((line.name, line.received) for line in r.per_satker),
                    (r.median_hours, r.p90_hours, r.rating_n),
                )
            )
    assert [g[2:] for g in got[:2]] == [g[2:] for g in got[2:]]
    assert got[0][2] == (6, 4, 3, 1)


async def test_workbook_split_to_fit_the_upload_limit(quarter: Services, tmp_path: Path) -> None:
    """Over the budget of a file, ticket rows go on in a next file, dates in order; the
    summary sheets are in the first; every file is under the limit or written again."""
    r = await _recap(quarter, CSO)
    assert r.scope is not None
    db, tz = quarter.db.path, quarter.tz
    parts = report_files.workbooks(tmp_path, "rekap-x", db, r, tz, rows=3, chars=10**6)
    assert [(p.path.name, p.number, p.total) for p in parts] == [
        ("rekap-x-bagian-1.xlsx", 1, 2),
        ("rekap-x-bagian-2.xlsx", 2, 2),
    ]
    first = openpyxl.load_workbook(parts[0].path, read_only=True)
    second = openpyxl.load_workbook(parts[1].path, read_only=True)
    assert first.sheetnames == ["Terselesaikan", "Per Petugas", "Per Satker", "Pengaduan"]
    assert second.sheetnames == ["Terselesaikan", "Belum Terselesaikan"]
    numbers = [
        row[0]
        for book, title in ((first, "Terselesaikan"), (second, "Terselesaikan"))
        for row in book[title].iter_rows(min_row=2, values_only=True)
    ]
    assert len(numbers) == 4 and len(set(numbers)) == 4
    spans = [(s.title, s.rows) for p in parts for s in p.spans]
    assert spans == [("Terselesaikan", 3), ("Terselesaikan", 1), ("Belum Terselesaikan", 2)]
    first.close()
    second.close()


async def test_workbook_over_the_limit_is_written_again_smaller(
    quarter: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = await _recap(quarter, CSO)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = report_files.workbooks(tmp_path / "a", "r", quarter.db.path, r, quarter.tz)
    size = one[0].path.stat().st_size
    # The same recap gives the same bytes (the file's creation date is the recap's time),
    # so the size below is the size a second writing has.
    (tmp_path / "c").mkdir()
    again = report_files.workbooks(tmp_path / "c", "r", quarter.db.path, r, quarter.tz)
    assert again[0].path.read_bytes() == one[0].path.read_bytes()
    # A limit the single file passes by a little: halving the budget makes it fit.
    monkeypatch.setattr(report_files, "UPLOAD_LIMIT", size - 1)
    parts = report_files.workbooks(tmp_path / "b", "r", quarter.db.path, r, quarter.tz, rows=6)
    assert len(parts) == 2
    assert all(p.path.stat().st_size < size for p in parts)
    assert sorted(f.name for f in (tmp_path / "b").iterdir()) == [
        "r-bagian-1.xlsx",
        "r-bagian-2.xlsx",
    ]
