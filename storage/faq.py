"""FAQ content, its FTS5 index and the question log. The only module that speaks FTS5."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.timefmt import parse_ts, ts


@dataclass(frozen=True)
class IndexedEntry:
    id: str
    title: str
    category: str
    reviewed: str
    data: dict[str, Any]
    source_file: str


async def replace_all(
    tx: aiosqlite.Connection,
    entries: list[IndexedEntry],
    fts_rows: list[tuple[str, str, str, str, str]],
    now: datetime,
) -> None:
    """Swap the whole content in one transaction: readers see the old or the new set."""
    await tx.execute("DELETE FROM faq_entries")
    await tx.execute("DELETE FROM faq_fts")
    await tx.executemany(
        """INSERT INTO faq_entries (id, title, category, reviewed, data, source_file, loaded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                e.id,
                e.title,
                e.category,
                e.reviewed,
                json.dumps(e.data, ensure_ascii=False),
                e.source_file,
                ts(now),
            )
            for e in entries
        ],
    )
    await tx.executemany(
        "INSERT INTO faq_fts (entry_id, title, keywords, questions, body) VALUES (?, ?, ?, ?, ?)",
        fts_rows,
    )


async def load_all(conn: aiosqlite.Connection) -> list[IndexedEntry]:
    async with conn.execute("SELECT * FROM faq_entries ORDER BY category, title") as cur:
        rows = await cur.fetchall()
    return [
        IndexedEntry(
            r["id"],
            r["title"],
            r["category"],
            r["reviewed"],
            json.loads(r["data"]),
            r["source_file"],
        )
        for r in rows
    ]


async def search(
    conn: aiosqlite.Connection, terms: list[str], limit: int = 5
) -> list[tuple[str, float]]:
    """BM25-ranked entry ids for normalised ``terms`` (any of them may match).

    Every term is quoted, so user text can never act as FTS5 syntax (AND, NEAR, *, :).
    Columns weigh: title 6, keywords 4, sample questions 3, body 1.
    """
    safe = [t for t in terms if t.isalnum()]
    if not safe:
        return []
    query = " OR ".join(f'"{t}"' for t in dict.fromkeys(safe))
    async with conn.execute(
        """SELECT entry_id, bm25(faq_fts, 0.0, 6.0, 4.0, 3.0, 1.0) AS rank FROM faq_fts
           WHERE faq_fts MATCH ? ORDER BY rank LIMIT ?""",
        (query, limit),
    ) as cur:
        return [(r["entry_id"], -float(r["rank"])) for r in await cur.fetchall()]


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


async def misses(
    conn: aiosqlite.Connection, limit: int = 30
) -> list[tuple[datetime, str, str | None, str]]:
    """Questions that found no answer or got a 'belum terjawab' vote, newest first."""
    async with conn.execute(
        """SELECT at, question, entry_id, CASE WHEN answered = 0 THEN 'tanpa jawaban'
           ELSE 'belum terjawab' END AS why FROM faq_log
           WHERE answered = 0 OR vote = 'belum' ORDER BY id DESC LIMIT ?""",
        (limit,),
    ) as cur:
        return [
            (parse_ts(r["at"]), r["question"], r["entry_id"], r["why"])
            for r in await cur.fetchall()
        ]


async def claim_vote(tx: aiosqlite.Connection, log_id: int, vote: str) -> bool:
    """Set the vote once; False when somebody (a double tap) already voted."""
    cur = await tx.execute(
        "UPDATE faq_log SET vote = ? WHERE id = ? AND vote IS NULL", (vote, log_id)
    )
    return cur.rowcount > 0
