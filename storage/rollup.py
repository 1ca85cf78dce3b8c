"""The daily rollup of tickets (migration 023): kept with every ticket change, read by reports.

Each ticket counts in one row of ``ticket_days`` (its local day, LO, group, satker) and one
of ``ticket_day_kinds`` (its local day, LO, channel, recorder, answerer). A change moves
its contribution: the old one is taken off, the new one added, in the transaction of the
change (storage/tickets.py calls ``move``), so the rollup never drifts from the tickets.

What depends on "now" is not stored: a ticket still open is counted in ``open_n``, and a
report takes off the open tickets whose deadline has not passed yet (``not_due``: read
live, few, through ``tickets_open``) to get the open-and-late count. Deadlines moved by a
calendar change are therefore never stale here, and the on-time verdict of an answered
ticket is the one stored on the ticket when it was answered (a holiday added later does
not rewrite it, in the tickets or here).

The day is the ticket's ``created_at`` in the office's zone, recorded per office in
``ticket_days_zone``; ``ensure`` (re)builds an office's rows from its tickets when that row
is missing or names another zone. The SQL is plain (``INSERT .. ON CONFLICT .. DO
UPDATE``, ``CASE``, ``coalesce``, ``NULLIF``): the same statements run on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from storage import sql
from storage.models import ANSWERED, DONE, HAI_NOT_ENTERED, NOT_A_QUESTION, OPEN
from storage.timefmt import parse_ts, ts

# The answer-time buckets, in working hours: [0, 4), [4, 8), [8, 16), [16, 24), [24, 40),
# [40, ...). The dashboard shows them; percentiles start from them (storage/reports.py).
WAIT_EDGES = (4.0, 8.0, 16.0, 24.0, 40.0)
BUCKETS = tuple(f"w{i}" for i in range(len(WAIT_EDGES) + 1))

# The ticket columns a contribution depends on (an update touching none moves nothing).
FACT_COLUMNS = (
    "office_id",
    "created_at",
    "status",
    "lo_user_id",
    "chat_id",
    "kode_satker",
    "channel",
    "recorded_by",
    "answered_by",
    "on_time",
    "waited_hours",
    "rating",
)
_LINE_KEY = ("office_id", "day", "lo_user_id", "chat_id", "kode_satker")
_LINE_SUMS = (
    "received",
    "answered",
    "on_time",
    "open_n",
    "waited_centi",
    "rating_sum",
    "rating_n",
    *BUCKETS,
)
_KIND_KEY = (
    "office_id",
    "day",
    "lo_user_id",
    "channel",
    "recorded_by",
    "answered_by",
    "hai_state",
    "hai_by",
)
# A ticket's HAI CSO state (hai_entries, migration 022; no row: not entered) and who set
# it: /rekap's "tercatat di HAI CSO" and the IKU estimate on entered tickets.
HAI_FACTS = ("hai_state", "hai_by")
_KIND_SUMS = ("received", "answered", "on_time", "open_n")


@lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def bucket_of(hours: float) -> int:
    """The index of the answer-time bucket ``hours`` falls in (the SQL uses the same edges)."""
    for i, edge in enumerate(WAIT_EDGES):
        if hours < edge:
            return i
    return len(WAIT_EDGES)


def local_day(created_at: str, zone: ZoneInfo) -> str:
    return parse_ts(created_at).astimezone(zone).date().isoformat()


def _contribution(
    f: dict[str, Any], zone: ZoneInfo
) -> tuple[tuple[Any, ...], list[int], tuple[Any, ...], list[int]] | None:
    """(line key, line sums, kind key, kind sums) of one ticket's facts; None when it does
    not count (not a question)."""
    if f["status"] == NOT_A_QUESTION:
        return None
    day = local_day(f["created_at"], zone)
    answered = f["status"] in (ANSWERED, DONE)
    on_time = 1 if f["on_time"] else 0
    open_n = 1 if f["status"] == OPEN else 0
    waits = [0] * len(BUCKETS)
    if answered:
        waits[bucket_of(float(f["waited_hours"]))] = 1
    rating = f["rating"]
    line = [
        1,
        int(answered),
        on_time,
        open_n,
        round(float(f["waited_hours"]) * 100) if answered else 0,
        rating or 0,
        0 if rating is None else 1,
        *waits,
    ]
    lo = f["lo_user_id"] or 0
    line_key = (f["office_id"], day, lo, f["chat_id"] or 0, f["kode_satker"] or "")
    kind_key = (
        f["office_id"],
        day,
        lo,
        f["channel"],
        f["recorded_by"] or 0,
        f["answered_by"] or 0,
        f.get("hai_state") or HAI_NOT_ENTERED,
        f.get("hai_by") or 0,
    )
    return line_key, line, kind_key, line[:4]


def _upsert(table: str, key: Sequence[str], sums: Sequence[str]) -> str:
    cols = [*key, *sums]
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums)
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )


# (lines table, kinds table) per grain: the day, and the month (day = its first day).
DAILY = ("ticket_days", "ticket_day_kinds")
MONTHLY = ("ticket_months", "ticket_month_kinds")
_KEY_MATCH_LINE = " AND ".join(f"{c} = ?" for c in _LINE_KEY)
_KEY_MATCH_KIND = " AND ".join(f"{c} = ?" for c in _KIND_KEY)
_STATEMENTS = {
    grain: (
        _upsert(grain[0], _LINE_KEY, _LINE_SUMS),
        _upsert(grain[1], _KIND_KEY, _KIND_SUMS),
        f"DELETE FROM {grain[0]} WHERE {_KEY_MATCH_LINE} AND received = 0",
        f"DELETE FROM {grain[1]} WHERE {_KEY_MATCH_KIND} AND received = 0",
    )
    for grain in (DAILY, MONTHLY)
}


def month_of(day: str) -> str:
    """'2026-06-17' -> '2026-06-01': the key of a day's month row."""
    return day[:8] + "01"


async def zone_of(conn: aiosqlite.Connection, office_id: int) -> str | None:
    row = await sql.one(
        conn, "SELECT timezone FROM ticket_days_zone WHERE office_id = ?", (office_id,)
    )
    return str(row["timezone"]) if row else None


async def facts(tx: aiosqlite.Connection, ticket_id: int) -> dict[str, Any] | None:
    """What the rollup counts of a ticket: its columns and its HAI CSO state."""
    cols = ", ".join(f"t.{c}" for c in FACT_COLUMNS)
    row = await sql.one(
        tx,
        f"""SELECT {cols}, h.state AS hai_state, h.by_user AS hai_by
            FROM tickets t LEFT JOIN hai_entries h ON h.ticket_id = t.id WHERE t.id = ?""",
        (ticket_id,),
    )
    return {c: row[c] for c in (*FACT_COLUMNS, *HAI_FACTS)} if row else None


async def move(
    tx: aiosqlite.Connection, old: dict[str, Any] | None, new: dict[str, Any] | None
) -> None:
    """Take ``old``'s contribution off and add ``new``'s (facts as stored: text times,
    0/1 flags), unless the office's rollup is not built yet (``ensure`` will count it)."""
    office = (new or old or {}).get("office_id")
    name = await zone_of(tx, int(office)) if office is not None else None
    if name is None:
        return
    zone = _zone(name)
    before = _contribution(old, zone) if old else None
    after = _contribution(new, zone) if new else None
    if before == after:
        return
    if before is not None:
        await _add(tx, before, -1)
    if after is not None:
        await _add(tx, after, 1)


async def _add(tx: aiosqlite.Connection, c: Any, sign: int) -> None:
    line_key, line, kind_key, kind = c
    for grain in (DAILY, MONTHLY):
        if grain is MONTHLY:
            line_key = (line_key[0], month_of(line_key[1]), *line_key[2:])
            kind_key = (kind_key[0], month_of(kind_key[1]), *kind_key[2:])
        upsert_line, upsert_kind, drop_line, drop_kind = _STATEMENTS[grain]
        await tx.execute(upsert_line, [*line_key, *(sign * v for v in line)])
        await tx.execute(upsert_kind, [*kind_key, *(sign * v for v in kind)])
        if sign < 0:  # a row nothing counts in any more goes (a moved ticket leaves none)
            await tx.execute(drop_line, line_key)
            await tx.execute(drop_kind, kind_key)


# ---- building from the tickets ------------------------------------------------------------
ANSWERED_SQL = f"t.status IN ('{ANSWERED}', '{DONE}')"


def bucket_bounds(i: int) -> tuple[float | None, float | None]:
    """Bucket ``i``'s [low, high) in working hours; None: unbounded."""
    edges = (None, *WAIT_EDGES, None)
    return edges[i], edges[i + 1]


def bucket_sums_sql() -> list[str]:
    """One ``sum(CASE ..)`` per bucket over answered tickets ``t`` (as ``bucket_of``)."""
    out = []
    for i in range(len(BUCKETS)):
        lo, hi = bucket_bounds(i)
        cond = " AND ".join(
            [ANSWERED_SQL]
            + ([f"t.waited_hours >= {lo!r}"] if lo is not None else [])
            + ([f"t.waited_hours < {hi!r}"] if hi is not None else [])
        )
        out.append(f"sum(CASE WHEN {cond} THEN 1 ELSE 0 END)")
    return out


def _rebuild_sql() -> tuple[str, str]:
    answered = ANSWERED_SQL
    waits = bucket_sums_sql()
    counts = f"""count(*), sum(CASE WHEN {answered} THEN 1 ELSE 0 END),
        sum(CASE WHEN t.on_time = 1 THEN 1 ELSE 0 END),
        sum(CASE WHEN t.status = '{OPEN}' THEN 1 ELSE 0 END)"""
    where = f"""WHERE t.office_id = ? AND t.created_at >= ? AND t.created_at < ?
        AND t.status <> '{NOT_A_QUESTION}'"""
    lines = f"""INSERT INTO ticket_days ({", ".join((*_LINE_KEY, *_LINE_SUMS))})
        SELECT t.office_id, ?, coalesce(t.lo_user_id, 0), coalesce(t.chat_id, 0),
            coalesce(t.kode_satker, ''), {counts},
            sum(CASE WHEN {answered} THEN CAST(round(t.waited_hours * 100) AS INTEGER)
                ELSE 0 END),
            coalesce(sum(t.rating), 0), count(t.rating), {", ".join(waits)}
        FROM tickets t {where}
        GROUP BY t.office_id, coalesce(t.lo_user_id, 0), coalesce(t.chat_id, 0),
            coalesce(t.kode_satker, '')"""
    kinds = f"""INSERT INTO ticket_day_kinds ({", ".join((*_KIND_KEY, *_KIND_SUMS))})
        SELECT t.office_id, ?, coalesce(t.lo_user_id, 0), t.channel,
            coalesce(t.recorded_by, 0), coalesce(t.answered_by, 0),
            coalesce(h.state, '{HAI_NOT_ENTERED}'), coalesce(h.by_user, 0), {counts}
        FROM tickets t LEFT JOIN hai_entries h ON h.ticket_id = t.id {where}
        GROUP BY t.office_id, coalesce(t.lo_user_id, 0), t.channel,
            coalesce(t.recorded_by, 0), coalesce(t.answered_by, 0),
            coalesce(h.state, '{HAI_NOT_ENTERED}'), coalesce(h.by_user, 0)"""
    return lines, kinds


_REBUILD_LINES, _REBUILD_KINDS = _rebuild_sql()


def _months_sql(daily: str, monthly: str, key: tuple[str, ...], sums: tuple[str, ...]) -> str:
    """A month's rows summed from its daily rows."""
    rest = ", ".join(key[2:])
    return f"""INSERT INTO {monthly} ({", ".join((*key, *sums))})
        SELECT office_id, ?, {rest}, {", ".join(f"sum({c})" for c in sums)}
        FROM {daily} WHERE office_id = ? AND day >= ? AND day < ?
        GROUP BY office_id, {rest}"""


_MONTH_LINES = _months_sql(DAILY[0], MONTHLY[0], _LINE_KEY, _LINE_SUMS)
_MONTH_KINDS = _months_sql(DAILY[1], MONTHLY[1], _KIND_KEY, _KIND_SUMS)


def next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A local day as [start, end) instants (23 or 25 hours long where the zone has DST)."""
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


async def rebuild(tx: aiosqlite.Connection, office_id: int, zone_name: str) -> int:
    """Count an office's tickets again, one local day per statement, and record the zone.
    Deterministic: the same tickets give the same rows. Returns the number of days."""
    zone = _zone(zone_name)
    for table in (*DAILY, *MONTHLY, "ticket_days_zone"):
        await tx.execute(f"DELETE FROM {table} WHERE office_id = ?", (office_id,))
    span = await sql.one(
        tx,
        "SELECT min(created_at) AS a, max(created_at) AS b FROM tickets WHERE office_id = ?",
        (office_id,),
    )
    days = 0
    if span is not None and span["a"] is not None:
        day = parse_ts(span["a"]).astimezone(zone).date()
        last = parse_ts(span["b"]).astimezone(zone).date()
        while day <= last:
            start, end = day_bounds(day, zone)
            params = (day.isoformat(), office_id, ts(start), ts(end))
            await tx.execute(_REBUILD_LINES, params)
            await tx.execute(_REBUILD_KINDS, params)
            day += timedelta(days=1)
            days += 1
        month = parse_ts(span["a"]).astimezone(zone).date().replace(day=1)
        while month <= last:
            params = (
                month.isoformat(),
                office_id,
                month.isoformat(),
                next_month(month).isoformat(),
            )
            await tx.execute(_MONTH_LINES, params)
            await tx.execute(_MONTH_KINDS, params)
            month = next_month(month)
    await tx.execute(
        "INSERT INTO ticket_days_zone (office_id, timezone) VALUES (?, ?)", (office_id, zone_name)
    )
    return days


async def ensure(tx: aiosqlite.Connection, office_id: int, zone_name: str) -> int | None:
    """Build the office's rollup unless it is built in this zone; the days counted, or None
    when nothing had to be done."""
    if await zone_of(tx, office_id) == zone_name:
        return None
    return await rebuild(tx, office_id, zone_name)


async def rechat(tx: aiosqlite.Connection, old_id: int, new_id: int) -> None:
    """A group moved to a new chat id (its tickets followed by ON UPDATE CASCADE): its
    rows follow, added to any the new id already has."""
    for grain in (DAILY, MONTHLY):
        table = grain[0]
        found = await sql.rows(
            tx,
            f"SELECT {', '.join((*_LINE_KEY, *_LINE_SUMS))} FROM {table} WHERE chat_id = ?",
            (old_id,),
        )
        for r in found:
            key = (r["office_id"], r["day"], r["lo_user_id"], new_id, r["kode_satker"])
            await tx.execute(_STATEMENTS[grain][0], [*key, *(r[c] for c in _LINE_SUMS)])
        await tx.execute(f"DELETE FROM {table} WHERE chat_id = ?", (old_id,))


# ---- reading ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Days:
    """A period as local days [first, end) of the rollup's zone, and its scope's filter."""

    office_id: int
    first: str
    end: str
    lo_ids: tuple[int, ...] | None

    def _lo(self) -> tuple[str, list[Any]]:
        if self.lo_ids is None:
            return "", []
        marks = ",".join("?" * len(self.lo_ids)) or "NULL"
        return f" AND lo_user_id IN ({marks})", list(self.lo_ids)

    def where(self) -> tuple[str, list[Any]]:
        """Every day of the period, from the daily table."""
        lo, lo_params = self._lo()
        return "office_id = ? AND day >= ? AND day < ?" + lo, [
            self.office_id,
            self.first,
            self.end,
            *lo_params,
        ]

    def split(self) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
        """(day spans, month span): the whole months inside the period, and the days
        before and after them."""
        first, end = date.fromisoformat(self.first), date.fromisoformat(self.end)
        m1 = first if first.day == 1 else next_month(first)
        m2 = end.replace(day=1)
        if m1 >= m2:
            return [(self.first, self.end)], None
        spans = [(a.isoformat(), b.isoformat()) for a, b in ((first, m1), (m2, end)) if a < b]
        return spans, (m1.isoformat(), m2.isoformat())

    def union(self, daily: str, monthly: str, cols: str) -> tuple[str, list[Any]]:
        """``cols`` of the period's rows: whole months from ``monthly``, the rest of the
        days from ``daily`` (plain UNION ALL, a derived table with its alias)."""
        lo, lo_params = self._lo()
        spans, months = self.split()
        parts, params = [], []
        for table, span in [(daily, s) for s in spans] + ([(monthly, months)] if months else []):
            parts.append(
                f"SELECT {cols} FROM {table} WHERE office_id = ? AND day >= ? AND day < ?{lo}"
            )
            params += [self.office_id, *span, *lo_params]
        return f"({' UNION ALL '.join(parts)}) AS r", params


async def lines(conn: aiosqlite.Connection, days: Days) -> list[dict[str, Any]]:
    """Sums per (group, LO, satker) over the days; None for "none" as in the tickets."""
    cols = "chat_id, lo_user_id, kode_satker, received, answered, on_time, open_n, "
    source, params = days.union(DAILY[0], MONTHLY[0], cols + "rating_sum, rating_n")
    query = f"""
        SELECT NULLIF(chat_id, 0) AS chat_id, NULLIF(lo_user_id, 0) AS lo_user_id,
               NULLIF(kode_satker, '') AS kode_satker, sum(received) AS n,
               sum(answered) AS answered, sum(on_time) AS on_time, sum(open_n) AS open_n,
               sum(rating_sum) AS rating_sum, sum(rating_n) AS rating_n
        FROM {source}
        GROUP BY chat_id, lo_user_id, kode_satker"""
    return await _dicts(conn, query, params)


async def kinds(conn: aiosqlite.Connection, days: Days) -> list[dict[str, Any]]:
    """Sums per (LO, channel, recorder, answerer, HAI CSO state, who set it) over the days."""
    cols = "lo_user_id, channel, recorded_by, answered_by, hai_state, hai_by, "
    source, params = days.union(DAILY[1], MONTHLY[1], cols + "received, answered, on_time, open_n")
    query = f"""
        SELECT NULLIF(lo_user_id, 0) AS lo_user_id, channel,
               NULLIF(recorded_by, 0) AS recorded_by, NULLIF(answered_by, 0) AS answered_by,
               hai_state, NULLIF(hai_by, 0) AS hai_by,
               sum(received) AS n, sum(answered) AS answered, sum(on_time) AS on_time,
               sum(open_n) AS open_n
        FROM {source}
        GROUP BY lo_user_id, channel, recorded_by, answered_by, hai_state, hai_by"""
    return await _dicts(conn, query, params)


async def per_day(conn: aiosqlite.Connection, days: Days) -> list[dict[str, Any]]:
    """Sums per local day."""
    clause, params = days.where()
    query = f"""
        SELECT day, sum(received) AS received, sum(answered) AS answered,
               sum(on_time) AS on_time, sum(open_n) AS open_n,
               sum(waited_centi) AS waited_centi
        FROM ticket_days WHERE {clause} GROUP BY day ORDER BY day"""
    return await _dicts(conn, query, params)


async def wait_buckets(conn: aiosqlite.Connection, days: Days) -> list[int]:
    """Answered tickets per answer-time bucket (WAIT_EDGES)."""
    clause, params = days.where()
    query = (
        f"SELECT {', '.join(f'sum({b}) AS {b}' for b in BUCKETS)} FROM ticket_days WHERE {clause}"
    )
    row = await sql.one(conn, query, params)
    return [int(row[b] or 0) if row else 0 for b in BUCKETS]


async def _dicts(
    conn: aiosqlite.Connection, query: str, params: Iterable[Any]
) -> list[dict[str, Any]]:
    async with conn.execute(query, tuple(params)) as cur:
        return [dict(r) for r in await cur.fetchall()]
