"""Report queries: a period's figures, and a streamed row iterator for the workbook.

The figures come from the daily rollup (storage/rollup.py) when it can answer for the
scope, else from the tickets, grouped by the few columns the report needs; either way
the same shapes, so bot/reports.py does not know which. What depends on "now" (open
tickets not yet due) and the exact percentiles are read from the tickets through indexes
that make them cheap. The workbook rows are streamed from a separate, read-only sqlite3
connection in the report worker (see bot/report_files.py).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from storage import rollup
from storage.models import HAI_NOT_ENTERED
from storage.timefmt import parse_ts, ts


@dataclass(frozen=True)
class Scope:
    office_id: int
    start: datetime
    end: datetime
    lo_ids: tuple[int, ...] | None = None  # None: the whole office
    kode_satker: str | None = None  # one satker's tickets (the dashboard's filter)

    def where(self) -> tuple[str, list[Any]]:
        clause = (
            "t.office_id = ? AND t.created_at >= ? AND t.created_at < ? "
            "AND t.status != 'bukan_pertanyaan'"
        )
        params: list[Any] = [self.office_id, ts(self.start), ts(self.end)]
        if self.lo_ids is not None:
            clause += f" AND t.lo_user_id IN ({','.join('?' * len(self.lo_ids)) or 'NULL'})"
            params += list(self.lo_ids)
        if self.kode_satker is not None:
            clause += " AND t.kode_satker = ?"
            params.append(self.kode_satker)
        return clause, params


# Up to two months, a report reads its period off ``tickets_period`` (date second) and
# sorts it for the GROUP BY: its cost follows the period (a day of a million-ticket year
# 0.07 s, a month 0.9 s). For longer periods that sort costs more than reading the
# office's whole history in group order (a year: 12 s against 4 s on the machine of
# docs/BENCHMARKS.md), so they keep the group-ordered indexes.
SHORT_PERIOD = timedelta(days=62)


def _hint(scope: Scope, index: str) -> str:
    """``tickets_satker`` for one satker; ``tickets_period`` for short periods. Longer:
    office-wide reports read the covering index ``index``; an LO's share is found through
    ``tickets_lo`` (without statistics the planner would pick the date index and sort the
    whole year: 2.2 s instead of 0.17 s for 1,000,000 tickets). These read the tickets
    when the rollup cannot answer (storage.rollup; ``_rollup_days``)."""
    if scope.kode_satker is not None:
        return "INDEXED BY tickets_satker"  # one satker's tickets (migration 023)
    if scope.end - scope.start <= SHORT_PERIOD:
        return "INDEXED BY tickets_period"
    return f"INDEXED BY {index}" if scope.lo_ids is None else "INDEXED BY tickets_lo"


# ---- the figures of a period: from the rollup, or from the tickets ---------------------------
async def _rollup_days(conn: aiosqlite.Connection, scope: Scope) -> rollup.Days | None:
    """The period as rollup days, when the rollup can answer for this scope: it is built,
    the period's bounds are midnights of its zone, and no satker filter is set (one satker's
    tickets are few and read through ``tickets_satker``; the rollup keeps the satker with
    the LO and the group only)."""
    if scope.kode_satker is not None:
        return None
    name = await rollup.zone_of(conn, scope.office_id)
    if name is None:
        return None
    zone = ZoneInfo(name)
    first, end = scope.start.astimezone(zone), scope.end.astimezone(zone)
    if (
        first.timetz().replace(tzinfo=None) != time.min
        or end.timetz().replace(tzinfo=None) != time.min
    ):
        return None
    return rollup.Days(
        scope.office_id, first.date().isoformat(), end.date().isoformat(), scope.lo_ids
    )


@dataclass(frozen=True)
class Figures:
    """Counts of a scope: ``lines`` per (chat_id, lo_user_id, kode_satker) and ``kinds`` per
    (lo_user_id, channel, recorded_by, answered_by), each with n, answered, on_time,
    late_open (open past the deadline at ``now``), and the lines with rating_sum, rating_n."""

    lines: list[dict[str, Any]]
    kinds: list[dict[str, Any]]


LINE_KEY = ("chat_id", "lo_user_id", "kode_satker")
KIND_KEY = ("lo_user_id", "channel", "recorded_by", "answered_by", "hai_state", "hai_by")
# Each key's expression over tickets t and their HAI CSO state h (no row: not entered).
_EXPR = {
    "hai_state": f"coalesce(h.state, '{HAI_NOT_ENTERED}')",
    "hai_by": "h.by_user",
}
_HAI_JOIN = "LEFT JOIN hai_entries h ON h.ticket_id = t.id"


async def figures(
    conn: aiosqlite.Connection, scope: Scope, now: datetime, use_rollup: bool = True
) -> Figures:
    days = await _rollup_days(conn, scope) if use_rollup else None
    if days is None:
        return Figures(
            await _raw_counts(conn, scope, now, LINE_KEY, rating=True),
            await _raw_counts(conn, scope, now, KIND_KEY, rating=False),
        )
    early = await not_due(conn, scope, now)
    lines = _late(await rollup.lines(conn, days), early, LINE_KEY)
    kinds = _late(await rollup.kinds(conn, days), early, KIND_KEY)
    return Figures(lines, kinds)


def _late(
    rows: list[dict[str, Any]], early: list[dict[str, Any]], key: tuple[str, ...]
) -> list[dict[str, Any]]:
    """late_open = the open tickets less those whose deadline is still ahead."""
    ahead: dict[tuple[Any, ...], int] = defaultdict(int)
    for e in early:
        ahead[tuple(e[k] for k in key)] += 1
    for r in rows:
        r["late_open"] = r.pop("open_n") - ahead.get(tuple(r[k] for k in key), 0)
    return rows


async def not_due(conn: aiosqlite.Connection, scope: Scope, now: datetime) -> list[dict[str, Any]]:
    """The scope's open tickets whose deadline has not passed at ``now``. The query names
    only what ``tickets_open`` leads with (office, status, deadline), so every planner
    reads the office's open tickets not yet due (a couple of working days' worth) and not
    the period; the period and the LOs are picked here. With their HAI CSO state."""
    query = f"""SELECT t.created_at, t.chat_id, t.lo_user_id, t.kode_satker, t.channel,
                       t.recorded_by, t.answered_by, {_EXPR["hai_state"]} AS hai_state,
                       h.by_user AS hai_by
                FROM tickets t {_HAI_JOIN}
                WHERE t.office_id = ? AND t.status = 'baru' AND t.due_at >= ?"""
    start, end = ts(scope.start), ts(scope.end)
    async with conn.execute(query, (scope.office_id, ts(now))) as cur:
        return [
            dict(r)
            for r in await cur.fetchall()
            if start <= r["created_at"] < end
            and (scope.lo_ids is None or r["lo_user_id"] in scope.lo_ids)
            and (scope.kode_satker is None or r["kode_satker"] == scope.kode_satker)
        ]


async def _raw_counts(
    conn: aiosqlite.Connection,
    scope: Scope,
    now: datetime,
    key: tuple[str, ...],
    rating: bool,
) -> list[dict[str, Any]]:
    clause, params = scope.where()
    exprs = [_EXPR.get(k, f"t.{k}") for k in key]
    cols = ", ".join(f"{e} AS {k}" for e, k in zip(exprs, key, strict=True))
    extra = ", sum(t.rating) AS rating_sum, count(t.rating) AS rating_n" if rating else ""
    hint = _hint(scope, "tickets_report")
    join = _HAI_JOIN if "hai_state" in key else ""
    query = f"""
        SELECT {cols}, count(*) AS n,
               sum(CASE WHEN {rollup.ANSWERED_SQL} THEN 1 ELSE 0 END) AS answered,
               sum(CASE WHEN t.on_time = 1 THEN 1 ELSE 0 END) AS on_time,
               sum(CASE WHEN t.status = 'baru' AND t.due_at < ? THEN 1 ELSE 0 END) AS late_open
               {extra}
        FROM tickets t {hint} {join} WHERE {clause} GROUP BY {", ".join(exprs)}"""
    async with conn.execute(query, [ts(now), *params]) as cur:
        out = [dict(r) for r in await cur.fetchall()]
    if rating:
        for r in out:
            r["rating_sum"] = r["rating_sum"] or 0
    return out


async def daily(
    conn: aiosqlite.Connection,
    scope: Scope,
    zone: ZoneInfo,
    now: datetime,
    use_rollup: bool = True,
) -> list[dict[str, Any]]:
    """Per local day (a ``date``): received, answered, answered on time, open past the
    deadline at ``now``, and the working hours waited by the answered ones (the chart)."""
    days = await _rollup_days(conn, scope) if use_rollup else None
    if days is None:
        return await _raw_daily(conn, scope, zone, now)
    ahead: dict[date, int] = defaultdict(int)
    for e in await not_due(conn, scope, now):
        ahead[parse_ts(e["created_at"]).astimezone(zone).date()] += 1
    out = []
    for r in await rollup.per_day(conn, days):
        day = date.fromisoformat(r["day"])
        late = r["open_n"] - ahead.get(day, 0)
        waited = r["waited_centi"] / 100
        out.append(
            dict(
                day=day,
                received=r["received"],
                answered=r["answered"],
                on_time=r["on_time"],
                late_open=late,
                waited=waited,
            )
        )
    return out


async def _raw_daily(
    conn: aiosqlite.Connection, scope: Scope, zone: ZoneInfo, now: datetime
) -> list[dict[str, Any]]:
    clause, params = scope.where()
    hint = _hint(scope, "tickets_report")
    query = f"""
        SELECT t.created_at, t.status, t.on_time, t.due_at, t.waited_hours
        FROM tickets t {hint} WHERE {clause}"""
    per: dict[date, dict[str, Any]] = {}
    now_ts = ts(now)
    async with conn.execute(query, params) as cur:
        for r in await cur.fetchall():
            day = parse_ts(r["created_at"]).astimezone(zone).date()
            d = per.setdefault(
                day, dict(day=day, received=0, answered=0, on_time=0, late_open=0, centi=0)
            )
            d["received"] += 1
            if r["status"] in ("dijawab", "selesai"):
                d["answered"] += 1
                d["centi"] += round(r["waited_hours"] * 100)
            d["on_time"] += 1 if r["on_time"] else 0
            d["late_open"] += 1 if r["status"] == "baru" and r["due_at"] < now_ts else 0
    out = []
    for day in sorted(per):
        d = per[day]
        d["waited"] = d.pop("centi") / 100
        out.append(d)
    return out


async def wait_buckets(
    conn: aiosqlite.Connection, scope: Scope, use_rollup: bool = True
) -> list[int]:
    """Answered tickets per answer-time bucket (``rollup.WAIT_EDGES``)."""
    days = await _rollup_days(conn, scope) if use_rollup else None
    if days is not None:
        return await rollup.wait_buckets(conn, days)
    clause, params = scope.where()
    sums = rollup.bucket_sums_sql()
    hint = _hint(scope, "tickets_report")
    query = f"SELECT {', '.join(sums)} FROM tickets t {hint} WHERE {clause}"
    async with conn.execute(query, params) as cur:
        row = await cur.fetchone()
    return [int(v or 0) for v in row] if row else [0] * len(rollup.BUCKETS)


async def nth_wait(conn: aiosqlite.Connection, scope: Scope, bucket: int, offset: int) -> float:
    """The answer time of the ``offset``-th (from 0) answered ticket of the scope, in time
    order, among those in ``bucket``. Long periods read ``tickets_waited`` (waited hours
    first), walking that bucket of the office's history only as far as the rank; short
    ones sort the period's answers in the bucket."""
    clause, params = scope.where()
    low, high = rollup.bucket_bounds(bucket)
    bounds = ""
    if low is not None:
        bounds += " AND t.waited_hours >= ?"
        params.append(low)
    if high is not None:
        bounds += " AND t.waited_hours < ?"
        params.append(high)
    if scope.kode_satker is not None or scope.end - scope.start <= SHORT_PERIOD:
        hint = _hint(scope, "")  # one satker's tickets, or the period's, sorted
    else:
        hint = "INDEXED BY tickets_waited"
    query = f"""SELECT t.waited_hours FROM tickets t {hint}
                WHERE {clause} AND {rollup.ANSWERED_SQL}{bounds}
                ORDER BY t.waited_hours LIMIT 1 OFFSET ?"""
    async with conn.execute(query, [*params, offset]) as cur:
        row = await cur.fetchone()
    assert row is not None, "the rollup's bucket counts and the tickets disagree"
    return float(row[0])


ROW_COLUMNS = (
    "number",
    "created_at",
    "channel",
    "kode_satker",
    "satker_name",
    "group_title",
    "asker_name",
    "text",
    "lo_name",
    "status",
    "due_at",
    "answered_at",
    "waited_hours",
    "on_time",
    "rating",
    "answer_text",
)


def iter_rows(path: Path | str, scope: Scope, answered: bool) -> Iterator[tuple[Any, ...]]:
    """Ticket rows for the workbook, oldest first, streamed (constant memory).

    Synchronous on purpose: it runs in a worker thread with its own read-only connection,
    so writing a large workbook never blocks the bot's event loop."""
    clause, params = scope.where()
    states = "('dijawab', 'selesai')" if answered else "('baru')"
    sql = f"""
        SELECT t.number, t.created_at, t.channel, t.kode_satker, s.name, g.title, t.asker_name,
               t.text, u.full_name, t.status, t.due_at, t.answered_at, t.waited_hours,
               t.on_time, t.rating, t.answer_text
        FROM tickets t
        LEFT JOIN groups g ON g.chat_id = t.chat_id
        LEFT JOIN group_satker s ON s.chat_id = t.chat_id AND s.kode_satker = t.kode_satker
        LEFT JOIN users u ON u.user_id = t.lo_user_id
        WHERE {clause} AND t.status IN {states}
        ORDER BY t.created_at, t.id"""
    if isinstance(path, str) and path.startswith("postgresql"):
        from storage.pg import stream

        yield from stream(path, sql, params)
        return
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cur = conn.execute(sql, params)
        while batch := cur.fetchmany(2000):
            yield from batch
    finally:
        conn.close()


async def names(conn: aiosqlite.Connection, user_ids: list[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    async with conn.execute(
        f"SELECT user_id, full_name FROM users WHERE user_id IN ({','.join('?' * len(user_ids))})",
        user_ids,
    ) as cur:
        return {r["user_id"]: r["full_name"] for r in await cur.fetchall()}


async def group_titles(conn: aiosqlite.Connection, chat_ids: list[int]) -> dict[int, str]:
    if not chat_ids:
        return {}
    async with conn.execute(
        f"SELECT chat_id, title FROM groups WHERE chat_id IN ({','.join('?' * len(chat_ids))})",
        chat_ids,
    ) as cur:
        return {r["chat_id"]: r["title"] for r in await cur.fetchall()}


async def satker_names(conn: aiosqlite.Connection, kodes: list[str]) -> dict[str, str]:
    """A name per kode satker (a satker registered in two groups: its first name)."""
    if not kodes:
        return {}
    async with conn.execute(
        f"""SELECT kode_satker, min(name) AS name FROM group_satker
            WHERE kode_satker IN ({",".join("?" * len(kodes))}) GROUP BY kode_satker""",
        kodes,
    ) as cur:
        return {r["kode_satker"]: r["name"] for r in await cur.fetchall()}
