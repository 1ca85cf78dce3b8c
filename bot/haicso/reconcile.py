"""Reconciling an OM-SPAN "Laporan Layanan Permasalahan" export with the bot's tickets.

The export (XLSX or CSV) is read within ``bot.uploads``' bounds; its columns are found by
their header names through the layout (bot/haicso/layout.py). Each row is matched:

1. by HAI number, to the ticket the CSO entered with that number ("cocok");
2. otherwise, to a ticket not yet given a HAI number, of the same satker and date (when
   the export has them), whose question is similar enough: proposed, never taken
   silently; the CSO confirms it with a tap ("perlu konfirmasi");
3. otherwise it is in HAI CSO only: a question that never reached a group, which is fine
   and counted apart.

Tickets of the export's dates left unmatched (and not marked "tidak perlu") are in the bot
only. A matched row whose status disagrees with the ticket (answered in the group, still
open in HAI CSO, or the other way round) is a status mismatch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot import textnorm, uploads
from bot.broadcast.bulkfile import kode_of, parse_date
from bot.haicso.entries import may_keep
from bot.haicso.layout import Layout, map_headers
from bot.services import Services
from storage import haicso as repo
from storage.haicso import Listed
from storage.models import ANSWERED, DONE, HAI_ENTERED, HAI_NOT_NEEDED, OPEN

LIMITS = uploads.Limits(rows=5_000)
MAX_QUESTION = 2_000
# Share of shared content words (Dice coefficient over stems) for a proposal: a question
# retyped into HAI CSO is shortened or reworded, rarely below this with the same
# satker and date; a wrong proposal costs one "Bukan" tap.
SIMILAR = 0.4
# Without a date column the export is compared with this many days of tickets.
UNDATED_DAYS = 92


class EmptyExport(ValueError):
    """A header row and no data."""


@dataclass(frozen=True)
class HaiRow:
    row: int  # as the file numbers it
    hai_number: str | None
    kode_satker: str | None
    day: date | None
    question: str
    status: str | None

    @property
    def closed(self) -> bool | None:
        """HAI CSO's status says done (True), open (False), or there is none (None)."""
        if not self.status:
            return None
        return "selesai" in self.status.lower()


@dataclass(frozen=True)
class Proposal:
    row: HaiRow
    ticket: Listed
    score: float


@dataclass(frozen=True)
class Mismatch:
    row: HaiRow
    ticket: Listed

    @property
    def answered_in_bot(self) -> bool:
        return self.ticket.status in (ANSWERED, DONE)


@dataclass
class Report:
    import_id: int = 0
    rows: int = 0
    matched: list[tuple[HaiRow, Listed]] = field(default_factory=list)
    proposed: list[Proposal] = field(default_factory=list)
    hai_only: list[HaiRow] = field(default_factory=list)
    bot_only: list[Listed] = field(default_factory=list)
    mismatched: list[Mismatch] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None


# ---- reading ------------------------------------------------------------------------------
def parse(data: bytes, filename: str, layout: Layout) -> list[HaiRow]:
    """The export's rows; raises uploads.UploadRefused (a bound), layout.UnknownLayout
    (naming the columns found) or EmptyExport. Synchronous: run it in a thread."""
    table = uploads.read_table(data, filename, LIMITS)
    if not table.rows:
        raise EmptyExport()
    cols = map_headers(layout, list(table.rows[0].cells))
    out = []
    for row in table.rows[1:]:
        parsed = _row(row, cols)
        if parsed is not None:
            out.append(parsed)
    if not out:
        raise EmptyExport()
    return out


def _cell(cells: list[Any], cols: dict[str, int], name: str) -> Any:
    i = cols.get(name)
    return cells[i] if i is not None and i < len(cells) else None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet made the number 12345 into 12345.0
    return " ".join(str(value if value is not None else "").split())


def _row(row: uploads.Row, cols: dict[str, int]) -> HaiRow | None:
    question = _text(_cell(row.cells, cols, "pertanyaan"))[:MAX_QUESTION]
    number = _text(_cell(row.cells, cols, "nomor_hai"))[:40] or None
    if not question and not number:
        return None  # a blank or subtotal line
    return HaiRow(
        row.number,
        number,
        kode_of(_cell(row.cells, cols, "kode_satker")),
        parse_date(_cell(row.cells, cols, "tanggal")),
        question,
        _text(_cell(row.cells, cols, "status"))[:100] or None,
    )


# ---- similarity ----------------------------------------------------------------------------
def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' content stems: 1 the same words, 0 none shared."""
    return _dice(set(textnorm.tokens(a)), set(textnorm.tokens(b)))


def _dice(left: set[str], right: set[str]) -> float:
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


# ---- matching ------------------------------------------------------------------------------
async def reconcile(svc: Services, rows: list[HaiRow]) -> Report:
    """Match the rows (nothing is stored here; ``record`` keeps the outcome)."""
    now = svc.clock.now()
    report = Report(rows=len(rows))
    days = [r.day for r in rows if r.day is not None]
    if days:
        report.first_day, report.last_day = min(days), max(days)
        start = datetime.combine(min(days), datetime.min.time(), tzinfo=svc.tz)
        end = datetime.combine(max(days), datetime.min.time(), tzinfo=svc.tz) + timedelta(days=1)
    else:
        start, end = now - timedelta(days=UNDATED_DAYS), now
    in_period = await repo.in_period(svc.db.reader, svc.office_id, start, end)
    numbers = await repo.hai_numbers(svc.db.reader, svc.office_id)
    by_id = {t.id: t for t in in_period}
    outside = [i for i in numbers.values() if i not in by_id]
    by_id.update({t.id: t for t in await repo.listed_many(svc.db.reader, outside)})
    taken: set[int] = set()
    unmatched: list[HaiRow] = []
    for r in rows:
        ticket_id = numbers.get(r.hai_number or "")
        if ticket_id is not None and ticket_id in by_id and ticket_id not in taken:
            taken.add(ticket_id)
            _matched(report, r, by_id[ticket_id])
        else:
            unmatched.append(r)
    free = [t for t in in_period if t.id not in taken and not t.entry.hai_number]
    for r, t, score in _proposals(unmatched, free, svc):
        taken.add(t.id)
        report.proposed.append(Proposal(r, t, score))
    proposed_rows = {p.row.row for p in report.proposed}
    report.hai_only = [r for r in unmatched if r.row not in proposed_rows]
    report.bot_only = [
        t for t in in_period if t.id not in taken and t.entry.state != HAI_NOT_NEEDED
    ]
    return report


def _matched(report: Report, row: HaiRow, ticket: Listed) -> None:
    report.matched.append((row, ticket))
    if mismatched(row, ticket):
        report.mismatched.append(Mismatch(row, ticket))


def mismatched(row: HaiRow, ticket: Listed) -> bool:
    """Answered in the group but open in HAI CSO, or done in HAI CSO but open here."""
    closed = row.closed
    if closed is None:
        return False
    answered = ticket.status in (ANSWERED, DONE)
    return (answered and not closed) or (closed and ticket.status == OPEN)


def _proposals(
    rows: list[HaiRow], tickets: list[Listed], svc: Services
) -> list[tuple[HaiRow, Listed, float]]:
    """The best pairs above SIMILAR, best first, each row and ticket used once. A row is
    compared only with the tickets of its satker and day (a ticket without a kode satker
    with those of its day), never with the whole period."""
    by_day: dict[date, list[Listed]] = defaultdict(list)
    by_kode: dict[str, list[Listed]] = defaultdict(list)
    by_both: dict[tuple[date, str], list[Listed]] = defaultdict(list)
    for t in tickets:
        day = t.created_at.astimezone(svc.tz).date()
        by_day[day].append(t)
        by_kode[t.kode_satker or ""].append(t)
        by_both[(day, t.kode_satker or "")].append(t)
    words: dict[int, set[str]] = {}
    pairs = []
    for r in rows:
        if r.day is not None and r.kode_satker:  # the satker's, and those without a kode
            candidates = by_both.get((r.day, r.kode_satker), []) + by_both.get((r.day, ""), [])
        elif r.day is not None:
            candidates = by_day.get(r.day, [])
        elif r.kode_satker:
            candidates = by_kode.get(r.kode_satker, []) + by_kode.get("", [])
        else:
            continue  # neither satker nor day: nothing safe to compare with
        row_words = set(textnorm.tokens(r.question))
        for t in candidates:
            if r.kode_satker and t.kode_satker and r.kode_satker != t.kode_satker:
                continue
            if t.id not in words:
                words[t.id] = set(textnorm.tokens(t.text))
            score = _dice(row_words, words[t.id])
            if score >= SIMILAR:
                pairs.append((score, r.row, t.id, r, t))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_rows: set[int] = set()
    used_tickets: set[int] = set()
    out = []
    for score, row_no, ticket_id, r, t in pairs:
        if row_no in used_rows or ticket_id in used_tickets:
            continue
        used_rows.add(row_no)
        used_tickets.add(ticket_id)
        out.append((r, t, score))
    return out


async def record(svc: Services, user_id: int, file_name: str, report: Report) -> int:
    """Keep the rows (the proposals' buttons refer to them); returns the import's id."""
    how: dict[int, tuple[str, int | None]] = {}
    for r, t in report.matched:
        how[r.row] = ("nomor", t.id)
    for p in report.proposed:
        how[p.row.row] = ("usul", p.ticket.id)
    rows = [(r, *how.get(r.row, ("tidak_ada", None))) for r in _all_rows(report)]
    async with svc.db.transaction() as tx:
        report.import_id = await repo.add_import(
            tx,
            svc.office_id,
            user_id,
            file_name[:200],
            svc.clock.now(),
            (
                (
                    r.row,
                    r.hai_number,
                    r.kode_satker,
                    r.day.isoformat() if r.day else None,
                    r.question,
                    r.status,
                    ticket_id,
                    kind,
                )
                for r, kind, ticket_id in rows
            ),
        )
    return report.import_id


def _all_rows(report: Report) -> list[HaiRow]:
    rows = [r for r, _ in report.matched] + [p.row for p in report.proposed] + report.hai_only
    return sorted(rows, key=lambda r: r.row)


async def confirm(
    svc: Services, user_id: int, import_id: int, row_number: int, same: bool
) -> tuple[str, Listed | None]:
    """The CSO's answer to a proposal: the same question (the ticket gets the row's HAI
    number and counts as entered) or not. Returns ("ok" | "no" | "already" | "taken" |
    "gone" | "refused", the ticket)."""
    if not await may_keep(svc, user_id):
        return "refused", None
    row = await repo.import_row(svc.db.reader, svc.office_id, import_id, row_number)
    if row is None or row.ticket_id is None:
        return "gone", None
    ticket = await repo.listed(svc.db.reader, row.ticket_id)
    if ticket is None:
        return "gone", None
    if row.how != "usul":
        return "already", ticket
    if same and row.hai_number:
        holder = await repo.by_hai_number(svc.db.reader, svc.office_id, row.hai_number)
        if holder not in (None, ticket.id):
            return "taken", ticket
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        if not await repo.set_row_how(
            tx, import_id, row_number, "dikonfirmasi" if same else "ditolak", "usul"
        ):
            return "already", ticket
        if same:
            e = ticket.entry
            entered_before = e.state == HAI_ENTERED and e.by_user is not None and e.at
            await repo.set_state(
                tx,
                svc.office_id,
                ticket.id,
                HAI_ENTERED,
                e.by_user if entered_before and e.by_user else user_id,
                e.at if entered_before and e.at else now,
                hai_number=row.hai_number or e.hai_number,
            )
    return ("ok" if same else "no"), await repo.listed(svc.db.reader, ticket.id)
