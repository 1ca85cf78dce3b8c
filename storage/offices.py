"""The offices a deployment serves, who belongs to which, and the Kanwil's offices."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

import aiosqlite

from storage import sql
from storage.models import Office
from storage.timefmt import ts


def _time(text: str) -> time:
    return time.fromisoformat(text)


def _office(row: aiosqlite.Row) -> Office:
    return Office(
        row["id"],
        row["name"],
        row["office_type"],
        row["timezone"],
        _time(row["work_start"]),
        _time(row["work_end"]),
    )


async def all_offices(conn: aiosqlite.Connection) -> list[Office]:
    async with conn.execute("SELECT * FROM offices ORDER BY id") as cur:
        return [_office(r) for r in await cur.fetchall()]


async def save(tx: aiosqlite.Connection, office: Office) -> None:
    """Write an office as the settings describe it (a new one, or office 1 at every start)."""
    await tx.execute(
        """INSERT INTO offices (id, name, office_type, timezone, work_start, work_end)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name,
             office_type = excluded.office_type, timezone = excluded.timezone,
             work_start = excluded.work_start, work_end = excluded.work_end""",
        (
            office.id,
            office.name,
            office.office_type,
            office.timezone,
            office.work_start.strftime("%H:%M"),
            office.work_end.strftime("%H:%M"),
        ),
    )


async def set_kanwils(tx: aiosqlite.Connection, rows: Iterable[tuple[int, int, str]]) -> None:
    """Replace who supervises which office: (user id, office id, Kanwil name) rows."""
    await tx.execute("DELETE FROM kanwil_offices")
    for user_id, office_id, name in rows:
        await tx.execute(
            """INSERT INTO kanwil_offices (user_id, office_id, kanwil) VALUES (?, ?, ?)
               ON CONFLICT (user_id, office_id) DO NOTHING""",
            (user_id, office_id, name),
        )


async def supervised(conn: aiosqlite.Connection, user_id: int) -> list[tuple[int, str]]:
    """(office id, Kanwil name) of every office ``user_id`` supervises, by office id."""
    rows = await sql.rows(
        conn,
        "SELECT office_id, kanwil FROM kanwil_offices WHERE user_id = ? ORDER BY office_id",
        (user_id,),
    )
    return [(r["office_id"], r["kanwil"]) for r in rows]


async def of_user(conn: aiosqlite.Connection, user_id: int, everywhere: bool = False) -> int | None:
    """The office of ``user_id``'s private chat: the one they chose (/kantor) while they may
    still act there (a role, a supervised office, or ``everywhere``: a deployment admin),
    else where they hold a role, else the group where they are a satker operator, else the
    first they supervise; None for a stranger."""
    row = await sql.one(
        conn,
        """SELECT office_id FROM (
             SELECT c.office_id, 0 AS pref FROM office_choice c WHERE c.user_id = ? AND (
               ? = 1
               OR c.office_id IN (SELECT office_id FROM roles WHERE user_id = ?)
               OR c.office_id IN (SELECT office_id FROM kanwil_offices WHERE user_id = ?))
             UNION ALL
             SELECT office_id, 1 AS pref FROM roles WHERE user_id = ?
             UNION ALL
             SELECT g.office_id, 2 AS pref FROM operators o
               JOIN groups g ON g.chat_id = o.chat_id WHERE o.user_id = ?
             UNION ALL
             SELECT office_id, 3 AS pref FROM kanwil_offices WHERE user_id = ?
           ) AS found ORDER BY pref, office_id LIMIT 1""",
        (user_id, 1 if everywhere else 0, user_id, user_id, user_id, user_id, user_id),
    )
    return int(row["office_id"]) if row else None


async def acting_offices(conn: aiosqlite.Connection, user_id: int) -> list[int]:
    """The offices where ``user_id`` holds a role or that they supervise."""
    rows = await sql.rows(
        conn,
        """SELECT office_id FROM roles WHERE user_id = ?
           UNION SELECT office_id FROM kanwil_offices WHERE user_id = ? ORDER BY 1""",
        (user_id, user_id),
    )
    return [int(r["office_id"]) for r in rows]


async def choose(tx: aiosqlite.Connection, user_id: int, office_id: int, now: datetime) -> None:
    await tx.execute(
        """INSERT INTO office_choice (user_id, office_id, chosen_at) VALUES (?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET office_id = excluded.office_id,
             chosen_at = excluded.chosen_at""",
        (user_id, office_id, ts(now)),
    )


async def of_group(conn: aiosqlite.Connection, chat_id: int) -> tuple[int, str] | None:
    """(office id, status) of a group the bot knows."""
    row = await sql.one(conn, "SELECT office_id, status FROM groups WHERE chat_id = ?", (chat_id,))
    return (int(row["office_id"]), str(row["status"])) if row else None
