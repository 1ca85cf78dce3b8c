"""Admin overrides of the working calendar."""

from __future__ import annotations

from datetime import date

import aiosqlite


async def overrides(
    conn: aiosqlite.Connection, office_id: int = 1
) -> tuple[dict[date, str | None], set[date]]:
    """(extra holidays with the admin's note, extra working days)."""
    async with conn.execute(
        "SELECT day, kind, note FROM calendar_overrides WHERE office_id = ?", (office_id,)
    ) as cur:
        rows = await cur.fetchall()
    hol = {date.fromisoformat(r["day"]): r["note"] for r in rows if r["kind"] == "holiday"}
    work = {date.fromisoformat(r["day"]) for r in rows if r["kind"] == "workday"}
    return hol, work


async def set_override(
    tx: aiosqlite.Connection, day: date, kind: str, note: str | None, office_id: int = 1
) -> None:
    await tx.execute(
        """INSERT INTO calendar_overrides (office_id, day, kind, note) VALUES (?, ?, ?, ?)
           ON CONFLICT (office_id, day) DO UPDATE SET kind = excluded.kind, note = excluded.note""",
        (office_id, day.isoformat(), kind, note),
    )


async def clear_override(tx: aiosqlite.Connection, day: date, office_id: int = 1) -> bool:
    cur = await tx.execute(
        "DELETE FROM calendar_overrides WHERE office_id = ? AND day = ?",
        (office_id, day.isoformat()),
    )
    return cur.rowcount > 0


async def list_overrides(conn: aiosqlite.Connection, office_id: int = 1) -> list[aiosqlite.Row]:
    async with conn.execute(
        "SELECT day, kind, note FROM calendar_overrides WHERE office_id = ? ORDER BY day",
        (office_id,),
    ) as cur:
        return list(await cur.fetchall())
