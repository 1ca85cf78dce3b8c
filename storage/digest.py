"""Digest items (staff notices waiting to be bundled) and each person's notice setting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.timefmt import parse_ts_opt, ts

IMMEDIATE = "segera"
BUNDLED = "ringkas"


@dataclass(frozen=True)
class Item:
    id: int
    ticket_id: int | None
    text: str
    line: str
    key: str = ""


async def add(
    tx: aiosqlite.Connection,
    key: str,
    user_id: int,
    ticket_id: int | None,
    text: str,
    line: str,
    now: datetime,
    not_before: datetime | None = None,
) -> bool:
    """False (nothing changes) when the key was written before."""
    cur = await tx.execute(
        """INSERT OR IGNORE INTO digest_items
           (key, user_id, ticket_id, text, line, created_at, not_before)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (key, user_id, ticket_id, text, line, ts(now), ts(not_before or now)),
    )
    return cur.rowcount > 0


async def add_many(
    tx: aiosqlite.Connection,
    rows: list[tuple[str, int, int | None, str, str, datetime]],
    now: datetime,
) -> None:
    """(key, user, ticket, text, line, not_before) rows; keys already present are skipped."""
    await tx.executemany(
        """INSERT OR IGNORE INTO digest_items
           (key, user_id, ticket_id, text, line, created_at, not_before)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [(k, u, t, text, line, ts(now), ts(nb)) for k, u, t, text, line, nb in rows],
    )


async def pending(conn: aiosqlite.Connection, user_id: int, now: datetime) -> list[Item]:
    async with conn.execute(
        """SELECT id, ticket_id, text, line, key FROM digest_items
           WHERE user_id = ? AND outbox_key IS NULL AND not_before <= ? ORDER BY id""",
        (user_id, ts(now)),
    ) as cur:
        return [
            Item(r["id"], r["ticket_id"], r["text"], r["line"], r["key"])
            for r in await cur.fetchall()
        ]


async def users_waiting(conn: aiosqlite.Connection, now: datetime) -> list[int]:
    async with conn.execute(
        """SELECT DISTINCT user_id FROM digest_items
           WHERE outbox_key IS NULL AND not_before <= ? ORDER BY user_id""",
        (ts(now),),
    ) as cur:
        return [r["user_id"] for r in await cur.fetchall()]


async def mark_bundled(tx: aiosqlite.Connection, item_ids: list[int], outbox_key: str) -> None:
    await tx.executemany(
        "UPDATE digest_items SET outbox_key = ? WHERE id = ?",
        [(outbox_key, i) for i in item_ids],
    )


async def preference(conn: aiosqlite.Connection, user_id: int) -> tuple[str, datetime | None]:
    """(mode, when the last digest went out)."""
    async with conn.execute(
        "SELECT mode, last_digest_at FROM notify_prefs WHERE user_id = ?", (user_id,)
    ) as cur:
        row = await cur.fetchone()
    return (row["mode"], parse_ts_opt(row["last_digest_at"])) if row else (BUNDLED, None)


async def set_mode(tx: aiosqlite.Connection, user_id: int, mode: str) -> None:
    await tx.execute(
        """INSERT INTO notify_prefs (user_id, mode) VALUES (?, ?)
           ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode""",
        (user_id, mode),
    )


async def set_last(tx: aiosqlite.Connection, user_id: int, at: datetime) -> None:
    await tx.execute(
        """INSERT INTO notify_prefs (user_id, last_digest_at) VALUES (?, ?)
           ON CONFLICT (user_id) DO UPDATE SET last_digest_at = excluded.last_digest_at""",
        (user_id, ts(at)),
    )


async def ticket_numbers(conn: aiosqlite.Connection, ids: list[int]) -> dict[int, str]:
    """Numbers of the still-open tickets among ``ids`` (their buttons are worth showing)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    async with conn.execute(
        f"SELECT id, number FROM tickets WHERE status = 'baru' AND id IN ({marks})", ids
    ) as cur:
        return {r["id"]: r["number"] for r in await cur.fetchall()}
