"""Answer drafts: a staff text waiting for its author's tap on which ticket it answers."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import sql
from storage.models import AnswerDraft
from storage.timefmt import parse_ts, ts


def _draft(row: aiosqlite.Row) -> AnswerDraft:
    return AnswerDraft(
        id=row["id"],
        author_id=row["author_id"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        text=row["text"],
        candidates=tuple(int(c) for c in row["candidates"].split(",") if c),
        in_group=bool(row["in_group"]),
        created_at=parse_ts(row["created_at"]),
        outcome=row["outcome"],
    )


async def insert(
    tx: aiosqlite.Connection,
    *,
    office_id: int,
    author_id: int,
    chat_id: int,
    message_id: int,
    text: str,
    candidates: list[int],
    in_group: bool,
    now: datetime,
) -> tuple[AnswerDraft, bool]:
    """The draft for this message, and whether it is new (the same update handled again
    finds the one it wrote)."""
    cur = await tx.execute(
        """INSERT OR IGNORE INTO answer_drafts (office_id, author_id, chat_id, message_id, text,
           candidates, in_group, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            office_id,
            author_id,
            chat_id,
            message_id,
            text,
            ",".join(str(c) for c in candidates),
            int(in_group),
            ts(now),
        ),
    )
    row = await sql.one(
        tx,
        "SELECT * FROM answer_drafts WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    )
    assert row is not None
    return _draft(row), cur.rowcount == 1


async def get(conn: aiosqlite.Connection, draft_id: int) -> AnswerDraft | None:
    row = await sql.one(conn, "SELECT * FROM answer_drafts WHERE id = ?", (draft_id,))
    return _draft(row) if row else None


async def claim(tx: aiosqlite.Connection, draft_id: int, outcome: str, now: datetime) -> bool:
    """Resolve the draft once: False when an earlier tap already did."""
    cur = await tx.execute(
        "UPDATE answer_drafts SET outcome = ?, resolved_at = ? WHERE id = ? AND outcome IS NULL",
        (outcome, ts(now), draft_id),
    )
    return cur.rowcount == 1
