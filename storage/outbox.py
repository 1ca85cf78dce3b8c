"""Outbox rows: messages the bot sends on its own initiative, each key at most once."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage import sql
from storage.models import PRIORITY_NOTICE
from storage.timefmt import ts


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str
    chat_id: int
    text: str
    reply_markup: dict[str, Any] | None
    reply_to_message_id: int | None
    attempts: int
    attachment: dict[str, Any] | None = None  # {"path": ..., "kind": "document"|"photo"}
    priority: int = PRIORITY_NOTICE
    on_sent: str | None = None  # "name:argument", recorded with the send (bot/outbox.py)
    edit_message_id: int | None = None  # set: edit this message of the chat instead


async def enqueue(
    tx: aiosqlite.Connection,
    key: str,
    chat_id: int,
    text: str,
    now: datetime,
    *,
    reply_markup: dict[str, Any] | None = None,
    reply_to_message_id: int | None = None,
    not_before: datetime | None = None,
    attachment: dict[str, Any] | None = None,
    priority: int = PRIORITY_NOTICE,
    on_sent: str | None = None,
    edit_message_id: int | None = None,
) -> bool:
    """Add a message (or, with ``edit_message_id``, an edit of one the bot sent); False
    (and nothing changes) when the key was enqueued before."""
    cur = await tx.execute(
        """INSERT OR IGNORE INTO outbox
           (key, chat_id, text, reply_markup, reply_to_message_id, not_before, created_at,
            attachment, priority, on_sent, edit_message_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            key,
            chat_id,
            text,
            json.dumps(reply_markup) if reply_markup else None,
            reply_to_message_id,
            ts(not_before or now),
            ts(now),
            json.dumps(attachment) if attachment else None,
            priority,
            on_sent,
            edit_message_id,
        ),
    )
    return cur.rowcount > 0


@functools.lru_cache(maxsize=1024)
def _json(text: str) -> Any:
    """A stored JSON value, parsed once: the sender reads up to ROUND rows a round to send
    a few of them (bot/outbox.py), so the same pending rows are read round after round;
    parsing their buttons each time was 9% of the bot's CPU in a burst of FAQ answers
    (issue 19). Shared between reads: nobody changes a row's buttons after reading them."""
    return json.loads(text)


# What an OutboxRow is read from (_row).
_COLUMNS = """id, key, chat_id, text, reply_markup, reply_to_message_id, attempts, attachment,
    priority, on_sent, edit_message_id"""


async def heads(
    conn: aiosqlite.Connection,
    now: datetime,
    scan: int,
    skip_chats: Iterable[int] = (),
    limit: int = 50,
) -> list[OutboxRow]:
    """The first due row of each chat among the ``scan`` most urgent due rows, at most
    ``limit`` chats, most urgent first. A chat takes one message per round (its order);
    a backlog of 200 rows in five chats read whole cost a round 200 rows decoded (their
    keyboards' JSON) to send five: 15 % of the CPU of a burst of FAQ answers."""
    skip = list(skip_chats)[:500]
    marks = ",".join("?" * len(skip))
    ids = await sql.rows(
        conn,
        f"""SELECT id, chat_id FROM outbox
           WHERE status = 'pending' AND not_before <= ? AND chat_id NOT IN ({marks})
           ORDER BY priority, id LIMIT ?""",
        (ts(now), *skip, scan),
    )
    first: dict[int, int] = {}
    for r in ids:
        first.setdefault(r["chat_id"], r["id"])
        if len(first) >= limit:
            break
    if not first:
        return []
    rows = await sql.rows(
        conn,
        f"""SELECT {_COLUMNS}
           FROM outbox WHERE id IN ({",".join("?" * len(first))})
           ORDER BY priority, id""",
        tuple(first.values()),
    )
    return [_row(r) for r in rows]


def _row(r: Any) -> OutboxRow:
    return OutboxRow(
        r["id"],
        r["key"],
        r["chat_id"],
        r["text"],
        _json(r["reply_markup"]) if r["reply_markup"] else None,
        r["reply_to_message_id"],
        r["attempts"],
        _json(r["attachment"]) if r["attachment"] else None,
        r["priority"],
        r["on_sent"],
        r["edit_message_id"],
    )


async def claimable(
    tx: aiosqlite.Connection,
    now: datetime,
    limit: int,
    skip_chats: Iterable[int],
    worker: int,
    live: list[int],
) -> list[OutboxRow]:
    """PostgreSQL, several workers (bot/outbox.py): the most urgent due rows, but only of
    chats no other live worker is sending to (one chat's rows go out one at a time, in
    order, by whoever has its turn), and not claimed by a live worker. Locked FOR UPDATE SKIP
    LOCKED: a row another transaction is writing right now (marked sent by its worker,
    failed with its chat) is passed over rather than waited for or claimed twice."""
    skip = list(skip_chats)[:500]
    rows = await sql.rows(
        tx,
        f"""SELECT {_COLUMNS}
           FROM outbox o
           WHERE status = 'pending' AND not_before <= ? AND chat_id <> ALL (?)
             AND (claimed_by IS NULL OR claimed_by = ? OR claimed_by <> ALL (?))
             AND NOT EXISTS (
               SELECT 1 FROM outbox b WHERE b.chat_id = o.chat_id AND b.claimed_by IS NOT NULL
               AND b.status = 'pending' AND b.claimed_by <> ? AND b.claimed_by = ANY (?))
           ORDER BY priority, id LIMIT ?
           FOR UPDATE SKIP LOCKED""",
        (ts(now), skip, worker, live, worker, live, limit),
    )
    return [_row(r) for r in rows]


async def claim(tx: aiosqlite.Connection, row_ids: list[int], worker: int) -> None:
    await tx.execute(
        f"UPDATE outbox SET claimed_by = ? WHERE id IN ({','.join('?' * len(row_ids))})",
        (worker, *row_ids),
    )


async def unclaim(tx: aiosqlite.Connection, row_ids: list[int], worker: int) -> None:
    """Rows this worker picked and did not finish (left pending): free for anyone."""
    await tx.execute(
        f"""UPDATE outbox SET claimed_by = NULL WHERE claimed_by = ?
            AND id IN ({",".join("?" * len(row_ids))})""",
        (worker, *row_ids),
    )


async def mark_sent_many(
    tx: aiosqlite.Connection, sent: list[tuple[int, int]], now: datetime
) -> None:
    """(row id, Telegram message id) pairs, in one statement batch."""
    await tx.executemany(
        """UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1,
           error = NULL, claimed_by = NULL WHERE id = ?""",
        [(ts(now), message_id, row_id) for row_id, message_id in sent],
    )


async def mark_failed(tx: aiosqlite.Connection, row_id: int, error: str) -> None:
    await tx.execute(
        """UPDATE outbox SET status = 'failed', attempts = attempts + 1, error = ?,
           claimed_by = NULL WHERE id = ?""",
        (error[:500], row_id),
    )


async def fail_pending_for_chat(tx: aiosqlite.Connection, chat_id: int, error: str) -> int:
    cur = await tx.execute(
        """UPDATE outbox SET status = 'failed', error = ?, claimed_by = NULL
           WHERE chat_id = ? AND status = 'pending'""",
        (error[:500], chat_id),
    )
    return cur.rowcount


async def postpone(
    tx: aiosqlite.Connection, row_id: int, not_before: datetime, error: str, *, attempt: bool
) -> None:
    """Try again at ``not_before``; ``attempt``: count this try (a 429 is not one)."""
    await tx.execute(
        """UPDATE outbox SET not_before = ?, attempts = attempts + ?, error = ?, claimed_by = NULL
           WHERE id = ?""",
        (ts(not_before), 1 if attempt else 0, error[:500], row_id),
    )


async def sent_message_id(conn: aiosqlite.Connection, key: str) -> int | None:
    row = await sql.one(
        conn, "SELECT message_id FROM outbox WHERE key = ? AND status = 'sent'", (key,)
    )
    return row["message_id"] if row else None


async def count_by_status(conn: aiosqlite.Connection) -> dict[str, int]:
    async with conn.execute("SELECT status, count(*) AS n FROM outbox GROUP BY status") as cur:
        return {r["status"]: r["n"] for r in await cur.fetchall()}


async def pending_count(conn: aiosqlite.Connection) -> int:
    """Rows not sent yet, due now or later (the partial index outbox_due holds just these)."""
    row = await sql.one(conn, "SELECT count(*) FROM outbox WHERE status = 'pending'")
    return int(row[0]) if row else 0


async def enqueue_many(
    tx: aiosqlite.Connection, rows: list[tuple[str, int, str, datetime]], now: datetime
) -> None:
    """(key, chat_id, text, not_before) rows; keys already present are skipped."""
    await tx.executemany(
        """INSERT OR IGNORE INTO outbox (key, chat_id, text, not_before, created_at)
           VALUES (?, ?, ?, ?, ?)""",
        [(key, chat, text, ts(nb), ts(now)) for key, chat, text, nb in rows],
    )


async def next_due_at(conn: aiosqlite.Connection) -> str | None:
    """When the earliest pending row falls due (a stored timestamp), or None."""
    row = await sql.one(conn, "SELECT min(not_before) FROM outbox WHERE status = 'pending'")
    return row[0] if row else None


async def last_created_with_prefix(conn: aiosqlite.Connection, prefix: str) -> str | None:
    """When the newest row whose key starts with ``prefix`` was written (stored text)."""
    async with conn.execute(
        "SELECT max(created_at) FROM outbox WHERE key >= ? AND key < ?",
        (prefix, prefix + "\uffff"),
    ) as cur:
        row = await cur.fetchone()
    return row[0] if row else None


async def existing_keys(conn: aiosqlite.Connection, keys: list[str]) -> set[str]:
    """Which of ``keys`` were enqueued before (a scanner skips work already written)."""
    if not keys:
        return set()
    found = await sql.rows(
        conn, f"SELECT key FROM outbox WHERE key IN ({','.join('?' * len(keys))})", keys
    )
    return {r["key"] for r in found}
