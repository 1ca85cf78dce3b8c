"""FAQ: the stored index, the question log, drafts from LO answers and approved entries."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timefmt import ts


async def stored_index(conn: aiosqlite.Connection) -> tuple[str, dict[str, Any]] | None:
    """(content hash, index data) of the last good content, or None."""
    async with conn.execute("SELECT content_hash, data FROM faq_index WHERE id = 1") as cur:
        row = await cur.fetchone()
    return (row["content_hash"], json.loads(row["data"])) if row else None


async def store_index(
    tx: aiosqlite.Connection, content_hash: str, data: dict[str, Any], now: datetime
) -> None:
    """Swap the whole content in one statement: readers see the old or the new set."""
    await tx.execute(
        """INSERT INTO faq_index (id, content_hash, data, built_at) VALUES (1, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash,
           data = excluded.data, built_at = excluded.built_at""",
        (content_hash, json.dumps(data, ensure_ascii=False), ts(now)),
    )


async def learned(conn: aiosqlite.Connection) -> list[dict[str, Any]]:
    async with conn.execute("SELECT data FROM faq_learned ORDER BY id") as cur:
        return [json.loads(r["data"]) for r in await cur.fetchall()]


async def log_question(
    tx: aiosqlite.Connection,
    now: datetime,
    chat_id: int | None,
    message_id: int | None,
    user_id: int | None,
    question: str,
    entry_id: str | None,
    confidence: float,
    answered: bool,
) -> int:
    cur = await tx.execute(
        """INSERT INTO faq_log (at, chat_id, message_id, user_id, question, entry_id, confidence,
           answered) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (ts(now), chat_id, message_id, user_id, question, entry_id, confidence, int(answered)),
    )
    return int(cur.lastrowid or 0)


async def get_log(conn: aiosqlite.Connection, log_id: int) -> aiosqlite.Row | None:
    async with conn.execute("SELECT * FROM faq_log WHERE id = ?", (log_id,)) as cur:
        return await cur.fetchone()


async def set_vote(tx: aiosqlite.Connection, log_id: int, vote: str, ticket_id: int | None) -> None:
    await tx.execute(
        "UPDATE faq_log SET vote = ?, ticket_id = coalesce(?, ticket_id) WHERE id = ?",
        (vote, ticket_id, log_id),
    )


async def misses(conn: aiosqlite.Connection, limit: int = 300) -> list[aiosqlite.Row]:
    """Questions that found no answer or got a 'belum terjawab' vote, newest first (at,
    question, entry_id: the nearest entry, confidence, why)."""
    async with conn.execute(
        """SELECT at, question, entry_id, confidence, CASE WHEN answered = 0 THEN 'tanpa jawaban'
           ELSE 'belum terjawab' END AS why FROM faq_log
           WHERE answered = 0 OR vote = 'belum' ORDER BY id DESC LIMIT ?""",
        (limit,),
    ) as cur:
        return list(await cur.fetchall())


async def set_choice(tx: aiosqlite.Connection, log_id: int, entry_id: str) -> None:
    await tx.execute(
        "UPDATE faq_log SET entry_id = ?, answered = 1 WHERE id = ?", (entry_id, log_id)
    )


async def claim_vote(tx: aiosqlite.Connection, log_id: int, vote: str) -> bool:
    """Set the vote once; False when somebody (a double tap) already voted."""
    cur = await tx.execute(
        "UPDATE faq_log SET vote = ? WHERE id = ? AND vote IS NULL", (vote, log_id)
    )
    return cur.rowcount > 0


# ---- drafts from LO answers -------------------------------------------------------------
async def create_draft(
    tx: aiosqlite.Connection,
    ticket_id: int,
    question: str,
    answer: str,
    created_by: int,
    now: datetime,
) -> int | None:
    """The new draft's id; None when this ticket already has one (a double tap)."""
    cur = await tx.execute(
        """INSERT INTO faq_drafts (ticket_id, question, answer, created_by, created_at)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO NOTHING""",
        (ticket_id, question, answer, created_by, ts(now)),
    )
    return int(cur.lastrowid) if cur.rowcount > 0 and cur.lastrowid else None


async def get_draft(conn: aiosqlite.Connection, draft_id: int) -> aiosqlite.Row | None:
    async with conn.execute("SELECT * FROM faq_drafts WHERE id = ?", (draft_id,)) as cur:
        return await cur.fetchone()


async def pending_drafts(conn: aiosqlite.Connection, limit: int = 10) -> list[aiosqlite.Row]:
    async with conn.execute(
        "SELECT * FROM faq_drafts WHERE status = 'draf' ORDER BY id LIMIT ?", (limit,)
    ) as cur:
        return list(await cur.fetchall())


async def decide_draft(
    tx: aiosqlite.Connection,
    draft_id: int,
    status: str,
    by: int,
    now: datetime,
    entry_id: str | None,
) -> bool:
    """Approve or reject once; False when somebody already decided."""
    cur = await tx.execute(
        """UPDATE faq_drafts SET status = ?, decided_by = ?, decided_at = ?, entry_id = ?
           WHERE id = ? AND status = 'draf'""",
        (status, by, ts(now), entry_id, draft_id),
    )
    return cur.rowcount > 0


async def add_learned(
    tx: aiosqlite.Connection,
    entry_id: str,
    draft_id: int,
    data: dict[str, Any],
    by: int,
    now: datetime,
) -> None:
    await tx.execute(
        """INSERT INTO faq_learned (id, draft_id, data, approved_by, approved_at)
           VALUES (?, ?, ?, ?, ?)""",
        (entry_id, draft_id, json.dumps(data, ensure_ascii=False), by, ts(now)),
    )


# ---- reviews ------------------------------------------------------------------------------
async def record_review(
    tx: aiosqlite.Connection,
    entry_id: str,
    fingerprint: str,
    content: dict[str, Any],
    decision: str,
    note: str | None,
    reviewer_id: int,
    reviewer_name: str,
    now: datetime,
) -> None:
    await tx.execute(
        """INSERT INTO faq_reviews (entry_id, fingerprint, content, decision, note,
           reviewer_id, reviewer_name, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            entry_id,
            fingerprint,
            json.dumps(content, ensure_ascii=False, sort_keys=True),
            decision,
            note,
            reviewer_id,
            reviewer_name,
            ts(now),
        ),
    )


async def reviews(conn: aiosqlite.Connection) -> list[aiosqlite.Row]:
    """Every decision, oldest first (a few per entry: the whole history is small)."""
    async with conn.execute(
        """SELECT id, entry_id, fingerprint, content, decision, note, reviewer_id,
           reviewer_name, decided_at FROM faq_reviews ORDER BY id"""
    ) as cur:
        return list(await cur.fetchall())


async def last_answered(
    conn: aiosqlite.Connection, chat_id: int, user_id: int, since: datetime
) -> aiosqlite.Row | None:
    """The user's latest question in this group that the FAQ answered since ``since``."""
    async with conn.execute(
        """SELECT * FROM faq_log WHERE chat_id = ? AND user_id = ? AND answered = 1
           AND at >= ? ORDER BY id DESC LIMIT 1""",
        (chat_id, user_id, ts(since)),
    ) as cur:
        return await cur.fetchone()
