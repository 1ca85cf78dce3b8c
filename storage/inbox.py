"""The inbox: updates as Telegram handed them out, until they have been handled."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from storage import sql
from storage.timefmt import ts

CHANNEL = "lobot_inbox"  # storage/coordination.py listens on it


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
    if fresh and getattr(tx, "dialect", "sqlite") == "postgresql":
        # Delivered at commit to every worker LISTENing (storage/coordination.py).
        await tx.execute(f"SELECT pg_notify('{CHANNEL}', '')")
    return {u[0] for u in fresh}


async def pending(conn: aiosqlite.Connection) -> list[dict[str, Any]]:
    """Payloads not handled yet, oldest first."""
    async with conn.execute(
        "SELECT payload FROM inbox WHERE status = 'pending' ORDER BY update_id"
    ) as cur:
        return [json.loads(r[0]) for r in await cur.fetchall()]


async def pending_chats(conn: aiosqlite.Connection, limit: int) -> list[int]:
    """Chats (0: updates without one) with updates not handled yet, the chat waiting
    longest first (the lowest pending update id): several workers share them out."""
    found = await sql.rows(
        conn,
        """SELECT coalesce(chat_id, 0) AS chat, min(update_id) AS first FROM inbox
           WHERE status = 'pending' GROUP BY coalesce(chat_id, 0) ORDER BY first LIMIT ?""",
        (limit,),
    )
    return [int(r[0]) for r in found]


async def pending_of_chat(conn: aiosqlite.Connection, chat: int) -> list[tuple[int, Any]]:
    """(update id, payload) of one chat's updates not handled yet, in order."""
    found = await sql.rows(
        conn,
        """SELECT update_id, payload FROM inbox WHERE status = 'pending'
           AND coalesce(chat_id, 0) = ? ORDER BY update_id""",
        (chat,),
    )
    return [(int(r[0]), json.loads(r[1])) for r in found]


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
