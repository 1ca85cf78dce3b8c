"""Report queries over tickets: aggregates in one pass, and a streamed row iterator.

Aggregates group by the few columns the report needs, so a year of a million tickets
comes back as a few hundred rows. The workbook rows are streamed from a separate,
read-only sqlite3 connection in a worker thread (see bot/reports.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from storage.timefmt import ts


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
    """``tickets_period`` for short periods. Longer: office-wide reports read the covering
    index ``index``; an LO's share is found through ``tickets_lo`` (without statistics the
    planner would pick the date index and sort the whole year: 2.2 s instead of 0.17 s
    for 1,000,000 tickets)."""
    if scope.end - scope.start <= SHORT_PERIOD:
        return "INDEXED BY tickets_period"
    return f"INDEXED BY {index}" if scope.lo_ids is None else "INDEXED BY tickets_lo"


async def aggregate(conn: aiosqlite.Connection, scope: Scope, now: datetime) -> list[aiosqlite.Row]:
    """Counts per group, LO, satker, channel and recorder/answerer, in one pass over the
    covering index ``tickets_report`` (its column order is the GROUP BY order)."""
    clause, params = scope.where()
    sql = f"""
        SELECT t.chat_id, t.lo_user_id, t.kode_satker, t.channel, t.recorded_by, t.answered_by,
               count(*) AS n,
               sum(t.status IN ('dijawab', 'selesai')) AS answered,
               sum(coalesce(t.on_time, 0)) AS on_time,
               sum(t.status = 'baru' AND t.due_at < ?) AS late_open,
               sum(t.rating) AS rating_sum, count(t.rating) AS rating_n
        FROM tickets t {_hint(scope, "tickets_report")} WHERE {clause}
        GROUP BY t.chat_id, t.lo_user_id, t.kode_satker, t.channel, t.recorded_by,
                 t.answered_by"""
    async with conn.execute(sql, [ts(now), *params]) as cur:
        return list(await cur.fetchall())


async def waited_histogram(conn: aiosqlite.Connection, scope: Scope) -> list[tuple[float, int]]:
    """Answered tickets by waited working time (stored to 0.01 h), for percentiles."""
    clause, params = scope.where()
    hint = _hint(scope, "tickets_waited")
    sql = f"""SELECT t.waited_hours AS hours, count(*) AS n FROM tickets t {hint}
              WHERE {clause} AND t.status IN ('dijawab', 'selesai')
              GROUP BY t.waited_hours ORDER BY t.waited_hours"""
    async with conn.execute(sql, params) as cur:
        return [(float(r["hours"]), int(r["n"])) for r in await cur.fetchall()]


async def daily(
    conn: aiosqlite.Connection, scope: Scope, offset_hours: float, now: datetime
) -> list[aiosqlite.Row]:
    """Per local day: received, answered, answered on time, open past the deadline at
    ``now``, and the working hours waited by the answered ones (the chart's buckets)."""
    clause, params = scope.where()
    shift = f"{offset_hours:+.2f} hours"
    sql = f"""
        SELECT date(t.created_at, ?) AS day, count(*) AS received,
               sum(t.status IN ('dijawab', 'selesai')) AS answered,
               sum(coalesce(t.on_time, 0)) AS on_time,
               sum(t.status = 'baru' AND t.due_at < ?) AS late_open,
               sum(CASE WHEN t.status IN ('dijawab', 'selesai') THEN t.waited_hours
                   ELSE 0 END) AS waited
        FROM tickets t WHERE {clause} GROUP BY 1 ORDER BY 1"""
    async with conn.execute(sql, [shift, ts(now), *params]) as cur:
        return list(await cur.fetchall())


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


def iter_rows(path: Path, scope: Scope, answered: bool) -> Iterator[tuple[Any, ...]]:
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
