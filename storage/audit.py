"""The audit log of privileged actions."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.timefmt import ts


async def record(
    tx: aiosqlite.Connection,
    actor_id: int,
    action: str,
    target: str | None,
    now: datetime,
    detail: str | None = None,
    office_id: int = 1,
) -> None:
    await tx.execute(
        """INSERT INTO audit_log (office_id, at, actor_id, action, target, detail)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (office_id, ts(now), actor_id, action, target, detail),
    )


async def recent(conn: aiosqlite.Connection, limit: int = 20) -> list[aiosqlite.Row]:
    async with conn.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)) as cur:
        return list(await cur.fetchall())
