"""Telegram's send windows kept in the database, shared by several workers (PostgreSQL).

Read and written only inside an outbox claim (storage/coordination.py ``claiming``), one
worker at a time, so what one reads is what all have taken. Times are the limiter's
seconds since the epoch (bot/ratelimit.py), not dates.
"""

from __future__ import annotations

import aiosqlite

from storage import sql

# The longest window (a group's minute) and then some: older slots count nowhere.
KEEP = 61.0
# A slot still in flight after this long belongs to a worker that died mid-send (a send
# times out long before): counted as answered then.
IN_FLIGHT_AT_MOST = 30.0

Slots = list[tuple[int, float, float | None]]  # (chat id, taken at, answered at or None)


async def load(tx: aiosqlite.Connection, now: float) -> tuple[Slots, dict[int, float]]:
    """The slots of the last minute and the 429 waits still running (chat 0: the bot);
    older rows are dropped on the way."""
    await tx.execute(
        """DELETE FROM send_slots WHERE coalesce(done_at, taken_at + ?) < ?""",
        (IN_FLIGHT_AT_MOST, now - KEEP),
    )
    await tx.execute("DELETE FROM send_blocks WHERE until <= ?", (now,))
    slots = await sql.rows(tx, "SELECT chat_id, taken_at, done_at FROM send_slots")
    found: Slots = []
    for chat, taken, done in slots:
        if done is None and taken < now - IN_FLIGHT_AT_MOST:
            done = taken + IN_FLIGHT_AT_MOST
        found.append((int(chat), float(taken), None if done is None else float(done)))
    blocks = await sql.rows(tx, "SELECT chat_id, until FROM send_blocks")
    return found, {int(chat): float(until) for chat, until in blocks}


async def take(tx: aiosqlite.Connection, chats: list[int], now: float) -> list[int]:
    """One slot in flight per message (its chat); their ids, in the same order."""
    if not chats:
        return []
    values = ",".join("(?, ?)" for _ in chats)
    rows = await sql.rows(
        tx,
        f"INSERT INTO send_slots (chat_id, taken_at) VALUES {values} RETURNING id",
        [v for chat in chats for v in (chat, now)],
    )
    return [int(r[0]) for r in rows]


async def answered(tx: aiosqlite.Connection, slot_ids: list[int], at: float) -> None:
    """Telegram answered these messages at ``at``: they count from then on."""
    if slot_ids:
        await tx.execute(
            f"UPDATE send_slots SET done_at = ? WHERE id IN ({','.join('?' * len(slot_ids))})",
            (at, *slot_ids),
        )


async def block(tx: aiosqlite.Connection, chat: int, until: float) -> None:
    """Telegram said 429: nothing to ``chat`` (0: to anyone) before ``until``."""
    await tx.execute(
        """INSERT INTO send_blocks (chat_id, until) VALUES (?, ?) ON CONFLICT (chat_id)
           DO UPDATE SET until = CASE WHEN excluded.until > send_blocks.until
           THEN excluded.until ELSE send_blocks.until END""",
        (chat, until),
    )
