"""The inbox: updates as Telegram handed them out, until they have been handled."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from storage import sql
from storage.timefmt import ts


async def store_new(
    tx: aiosqlite.Connection, updates: list[tuple[int, int | None, dict[str, Any]]], now: datetime
) -> set[int]:
    """Store (update_id, chat_id, payload) rows; returns the ids that were not known yet."""
    if not updates:
        return set()
    ids = [u[0] for u in updates]
    marks = ",".join("?" * len(ids))
    found = await sql.rows(tx, f"SELECT update_id FROM inbox WHERE update_id IN ({marks})", ids)
    known = {r[0] for r in found}
    fresh = [u for u in updates if u[0] not in known]
    await tx.executemany(
        "INSERT INTO inbox (update_id, chat_id, payload, received_at) VALUES (?, ?, ?, ?)",
        [(uid, chat, json.dumps(payload), ts(now)) for uid, chat, payload in fresh],
    )
    return {u[0] for u in fresh}


async def pending(conn: aiosqlite.Connection) -> list[dict[str, Any]]:
    """Payloads not handled yet, oldest first."""
    async with conn.execute(
        "SELECT payload FROM inbox WHERE status = 'pending' ORDER BY update_id"
    ) as cur:
        return [json.loads(r[0]) for r in await cur.fetchall()]


async def mark_done(tx: aiosqlite.Connection, update_ids: list[int], now: datetime) -> None:
    await tx.executemany(
        "UPDATE inbox SET status = 'done', done_at = ? WHERE update_id = ?",
        [(ts(now), uid) for uid in update_ids],
    )


async def purge_done(tx: aiosqlite.Connection, before: datetime) -> int:
    """Forget handled updates older than ``before`` (Telegram never re-sends those)."""
    cur = await tx.execute("DELETE FROM inbox WHERE status = 'done' AND done_at < ?", (ts(before),))
    return cur.rowcount


async def count_pending(conn: aiosqlite.Connection) -> int:
    row = await sql.one(conn, "SELECT count(*) FROM inbox WHERE status = 'pending'")
    return int(row[0]) if row else 0
