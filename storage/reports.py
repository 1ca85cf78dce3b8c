"""Report queries over tickets: aggregates in one pass, and a streamed row iterator.

Aggregates group by the few columns the report needs, so a year of a million tickets
comes back as a few hundred rows. The workbook rows are streamed from a separate,
read-only sqlite3 connection in a worker thread (see bot/reports.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
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

    def where(self) -> tuple[str, list[Any]]:
        clause = (
            "t.office_id = ? AND t.created_at >= ? AND t.created_at < ? "
            "AND t.status != 'bukan_pertanyaan'"
        )
        params: list[Any] = [self.office_id, ts(self.start), ts(self.end)]
        if self.lo_ids is not None:
            clause += f" AND t.lo_user_id IN ({','.join('?' * len(self.lo_ids)) or 'NULL'})"
            params += list(self.lo_ids)
        return clause, params


async def aggregate(conn: aiosqlite.Connection, scope: Scope, now: datetime) -> list[aiosqlite.Row]:
    """Counts by channel, LO, group, satker and outcome, in one scan."""
    clause, params = scope.where()
    sql = f"""
        SELECT t.channel, t.lo_user_id, t.chat_id, t.kode_satker,
               CASE WHEN t.status IN ('dijawab', 'selesai') THEN 'answered' ELSE 'open' END AS state,
               t.on_time,
               CASE WHEN t.status = 'baru' AND t.due_at < ? THEN 1 ELSE 0 END AS late_open,
               count(*) AS n, sum(t.rating) AS rating_sum, count(t.rating) AS rating_n,
               sum(t.waited_hours) AS waited_sum
        FROM tickets t WHERE {clause}
        GROUP BY 1, 2, 3, 4, 5, 6, 7"""
    async with conn.execute(sql, [ts(now), *params]) as cur:
        return list(await cur.fetchall())


async def waited_histogram(conn: aiosqlite.Connection, scope: Scope) -> list[tuple[float, int]]:
    """Answered tickets by waited working time, in 6-minute buckets (for percentiles)."""
    clause, params = scope.where()
    sql = f"""SELECT round(t.waited_hours * 10) AS bucket, count(*) AS n FROM tickets t
              WHERE {clause} AND t.status IN ('dijawab', 'selesai') GROUP BY 1 ORDER BY 1"""
    async with conn.execute(sql, params) as cur:
        return [(float(r["bucket"]) / 10, int(r["n"])) for r in await cur.fetchall()]


async def weekly(
    conn: aiosqlite.Connection, scope: Scope, offset_hours: float
) -> list[aiosqlite.Row]:
    """Received, answered and answered-on-time per local week (Monday)."""
    clause, params = scope.where()
    shift = f"{offset_hours:+.2f} hours"
    sql = f"""
        SELECT date(t.created_at, ?, 'weekday 0', '-6 days') AS week, count(*) AS received,
               sum(t.status IN ('dijawab', 'selesai')) AS answered,
               sum(coalesce(t.on_time, 0)) AS on_time
        FROM tickets t WHERE {clause} GROUP BY 1 ORDER BY 1"""
    async with conn.execute(sql, [shift, *params]) as cur:
        return list(await cur.fetchall())


async def per_cso(
    conn: aiosqlite.Connection, scope: Scope, now: datetime, cso_ids: list[int]
) -> list[aiosqlite.Row]:
    """A ticket counts for the CSO who recorded it (/catat) or answered it."""
    if not cso_ids:
        return []
    clause, params = scope.where()
    marks = ",".join("?" * len(cso_ids))
    sql = f"""
        SELECT CASE WHEN t.recorded_by IN ({marks}) THEN t.recorded_by
                    ELSE t.answered_by END AS cso,
               count(*) AS n, sum(coalesce(t.on_time, 0)) AS on_time,
               sum(t.on_time IS NOT NULL OR (t.status = 'baru' AND t.due_at < ?)) AS judged
        FROM tickets t
        WHERE {clause} AND (t.recorded_by IN ({marks}) OR t.answered_by IN ({marks}))
        GROUP BY 1"""
    async with conn.execute(sql, [*cso_ids, ts(now), *params, *cso_ids, *cso_ids]) as cur:
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
