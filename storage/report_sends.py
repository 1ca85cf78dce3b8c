"""Which scheduled reports went out."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.timefmt import ts


async def was_sent(conn: aiosqlite.Connection, office_id: int, kind: str, period: str) -> bool:
    async with conn.execute(
        "SELECT 1 FROM report_sends WHERE office_id = ? AND kind = ? AND period = ?",
        (office_id, kind, period),
    ) as cur:
        return await cur.fetchone() is not None


async def record(
    tx: aiosqlite.Connection, office_id: int, kind: str, period: str, now: datetime
) -> bool:
    """False when another run recorded it first (then it must not be sent again)."""
    cur = await tx.execute(
        "INSERT OR IGNORE INTO report_sends (office_id, kind, period, sent_at) VALUES (?, ?, ?, ?)",
        (office_id, kind, period, ts(now)),
    )
    return cur.rowcount > 0
