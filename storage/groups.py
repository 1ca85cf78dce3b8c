"""LO groups, their satker and the satker operators registered in them."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rollup, sql
from storage.models import Group  # noqa: F401  (re-exported)
from storage.timefmt import ts


def _group(row: aiosqlite.Row) -> Group:
    return Group(
        row["chat_id"],
        row["office_id"],
        row["title"],
        row["status"],
        row["lo_user_id"],
        row["kl_name"],
    )


async def get(conn: aiosqlite.Connection, chat_id: int) -> Group | None:
    row = await sql.one(conn, "SELECT * FROM groups WHERE chat_id = ?", (chat_id,))
    return _group(row) if row else None


async def upsert_joined(
    tx: aiosqlite.Connection, chat_id: int, title: str, now: datetime, office_id: int = 1
) -> Group:
    """The bot was added: a new group waits for registration (in the office of whoever
    added the bot, until an admin or LO registers it into theirs); a known one is revived."""
    await tx.execute(
        """INSERT INTO groups (chat_id, office_id, title, status, created_at)
           VALUES (?, ?, ?, 'pending', ?)
           ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title,
             status = CASE WHEN groups.lo_user_id IS NULL THEN 'pending' ELSE 'active' END,
             inactive_at = NULL""",
        (chat_id, office_id, title, ts(now)),
    )
    group = await get(tx, chat_id)
    assert group is not None
    return group


async def mark_inactive(tx: aiosqlite.Connection, chat_id: int, now: datetime) -> bool:
    cur = await tx.execute(
        "UPDATE groups SET status = 'inactive', inactive_at = ? WHERE chat_id = ? "
        "AND status != 'inactive'",
        (ts(now), chat_id),
    )
    return cur.rowcount > 0


async def set_title(tx: aiosqlite.Connection, chat_id: int, title: str) -> None:
    await tx.execute("UPDATE groups SET title = ? WHERE chat_id = ?", (title, chat_id))


async def register(
    tx: aiosqlite.Connection,
    chat_id: int,
    lo_user_id: int,
    kl_name: str,
    now: datetime,
    office_id: int = 1,
) -> None:
    """The group is registered to its LO, in the office of whoever registered it."""
    await tx.execute(
        """UPDATE groups SET status = 'active', lo_user_id = ?, kl_name = ?, registered_at = ?,
             office_id = ? WHERE chat_id = ?""",
        (lo_user_id, kl_name, ts(now), office_id, chat_id),
    )


async def migrate_chat(tx: aiosqlite.Connection, old_id: int, new_id: int) -> bool:
    """Move a group to its new supergroup id; child rows follow via ON UPDATE CASCADE."""
    existing_new = await get(tx, new_id)
    if existing_new is not None:
        if await get(tx, old_id) is None:
            return False  # already moved (both service messages arrive)
        # The new id was recorded first (e.g. as a fresh join); the old row holds the data.
        await tx.execute("DELETE FROM groups WHERE chat_id = ?", (new_id,))
    cur = await tx.execute("UPDATE groups SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
    if cur.rowcount == 0:
        return False
    await tx.execute(
        "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND status = 'pending'", (new_id, old_id)
    )
    # A broadcast not yet confirmed names the old id: at confirmation the group would look
    # unknown and be skipped. Confirmed ones keep it (their outbox keys are made of it).
    # A draft already naming the new id keeps its row (what UPDATE OR IGNORE did in SQLite;
    # PostgreSQL has no such UPDATE).
    await tx.execute(
        """UPDATE broadcast_targets SET chat_id = ? WHERE chat_id = ?
             AND broadcast_id IN (SELECT id FROM broadcasts WHERE status = 'draft')
             AND broadcast_id NOT IN (SELECT broadcast_id FROM broadcast_targets
                                      WHERE chat_id = ?)""",
        (new_id, old_id, new_id),
    )
    await rollup.rechat(tx, old_id, new_id)  # the tickets' daily counts follow them
    return True


async def add_satker(tx: aiosqlite.Connection, chat_id: int, kode: str, name: str) -> None:
    await tx.execute(
        """INSERT INTO group_satker (chat_id, kode_satker, name) VALUES (?, ?, ?)
           ON CONFLICT (chat_id, kode_satker) DO UPDATE SET name = excluded.name""",
        (chat_id, kode, name),
    )


async def remove_satker(tx: aiosqlite.Connection, chat_id: int, kode: str) -> bool:
    cur = await tx.execute(
        "DELETE FROM group_satker WHERE chat_id = ? AND kode_satker = ?", (chat_id, kode)
    )
    return cur.rowcount > 0


async def satker_of(conn: aiosqlite.Connection, chat_id: int) -> list[tuple[str, str]]:
    async with conn.execute(
        "SELECT kode_satker, name FROM group_satker WHERE chat_id = ? ORDER BY kode_satker",
        (chat_id,),
    ) as cur:
        return [(row["kode_satker"], row["name"]) for row in await cur.fetchall()]


async def satker_name(conn: aiosqlite.Connection, chat_id: int, kode: str) -> str | None:
    row = await sql.one(
        conn, "SELECT name FROM group_satker WHERE chat_id = ? AND kode_satker = ?", (chat_id, kode)
    )
    return row["name"] if row else None


async def register_operator(
    tx: aiosqlite.Connection, user_id: int, chat_id: int, kode: str, now: datetime
) -> None:
    await tx.execute(
        """INSERT INTO operators (user_id, chat_id, kode_satker, registered_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, chat_id) DO UPDATE SET kode_satker = excluded.kode_satker,
               registered_at = excluded.registered_at""",
        (user_id, chat_id, kode, ts(now)),
    )


async def operator_satker(conn: aiosqlite.Connection, user_id: int, chat_id: int) -> str | None:
    row = await sql.one(
        conn,
        "SELECT kode_satker FROM operators WHERE user_id = ? AND chat_id = ?",
        (user_id, chat_id),
    )
    return row["kode_satker"] if row else None


async def any_operator_satker(conn: aiosqlite.Connection, user_id: int) -> str | None:
    """The satker a user operates for in any group (the latest registration)."""
    row = await sql.one(
        conn,
        "SELECT kode_satker FROM operators WHERE user_id = ? ORDER BY registered_at DESC LIMIT 1",
        (user_id,),
    )
    return row["kode_satker"] if row else None


async def groups_of_lo(conn: aiosqlite.Connection, lo_user_id: int) -> list[Group]:
    async with conn.execute(
        "SELECT * FROM groups WHERE lo_user_id = ? AND status = 'active' ORDER BY title",
        (lo_user_id,),
    ) as cur:
        return [_group(row) for row in await cur.fetchall()]


async def all_groups(conn: aiosqlite.Connection, office_id: int = 1) -> list[Group]:
    async with conn.execute(
        "SELECT * FROM groups WHERE office_id = ? ORDER BY status, title", (office_id,)
    ) as cur:
        return [_group(row) for row in await cur.fetchall()]


async def satker_in_active_groups(
    conn: aiosqlite.Connection, office_id: int = 1
) -> list[tuple[str, str, int, int | None]]:
    """(kode, name, group chat id, LO) of every satker in an active group."""
    async with conn.execute(
        """SELECT s.kode_satker, s.name, g.chat_id, g.lo_user_id
           FROM group_satker s JOIN groups g ON g.chat_id = s.chat_id
           WHERE g.office_id = ? AND g.status = 'active' ORDER BY s.kode_satker, g.chat_id""",
        (office_id,),
    ) as cur:
        return [(r[0], r[1], r[2], r[3]) for r in await cur.fetchall()]
