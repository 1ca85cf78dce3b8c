"""Users the bot has seen and the roles granted to them."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import sql
from storage.models import ROLES, User  # noqa: F401  (re-exported)
from storage.timefmt import ts


def _user(row: aiosqlite.Row) -> User:
    return User(row["user_id"], row["username"], row["full_name"])


async def upsert_user(
    tx: aiosqlite.Connection, user_id: int, username: str | None, full_name: str, now: datetime
) -> None:
    await tx.execute(
        """INSERT INTO users (user_id, username, full_name, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET username = excluded.username,
               full_name = excluded.full_name, updated_at = excluded.updated_at""",
        (user_id, username, full_name, ts(now)),
    )


async def get_user(conn: aiosqlite.Connection, user_id: int) -> User | None:
    row = await sql.one(conn, "SELECT * FROM users WHERE user_id = ?", (user_id,))
    return _user(row) if row else None


async def user_is_current(
    conn: aiosqlite.Connection, user_id: int, username: str | None, full_name: str
) -> bool:
    """True when the stored row already matches, so no write is needed."""
    user = await get_user(conn, user_id)
    return user is not None and user.username == username and user.full_name == full_name


async def find_by_username(conn: aiosqlite.Connection, username: str) -> User | None:
    row = await sql.one(
        conn, "SELECT * FROM users WHERE lower(username) = lower(?)", (username.lstrip("@"),)
    )
    return _user(row) if row else None


async def roles_of(conn: aiosqlite.Connection, office_id: int, user_id: int) -> set[str]:
    """The roles granted in the office, and 'kanwil' when the user supervises it (the
    offices file, migration 026): the command catalog then lets them ask /rekap kanwil."""
    found = await sql.rows(
        conn,
        """SELECT role FROM roles WHERE office_id = ? AND user_id = ?
           UNION ALL SELECT 'kanwil' FROM kanwil_offices WHERE office_id = ? AND user_id = ?""",
        (office_id, user_id, office_id, user_id),
    )
    return {row["role"] for row in found}


async def grant(
    tx: aiosqlite.Connection, office_id: int, user_id: int, role: str, by: int, now: datetime
) -> bool:
    """Grant a role; False when the user already had it."""
    cur = await tx.execute(
        """INSERT OR IGNORE INTO roles (office_id, user_id, role, granted_by, granted_at)
           VALUES (?, ?, ?, ?, ?)""",
        (office_id, user_id, role, by, ts(now)),
    )
    return cur.rowcount > 0


async def revoke(tx: aiosqlite.Connection, office_id: int, user_id: int, role: str) -> bool:
    cur = await tx.execute(
        "DELETE FROM roles WHERE office_id = ? AND user_id = ? AND role = ?",
        (office_id, user_id, role),
    )
    return cur.rowcount > 0


async def holders(conn: aiosqlite.Connection, office_id: int, role: str) -> list[User]:
    """Users holding a role; a user never seen gets their id as name."""
    async with conn.execute(
        """SELECT r.user_id, u.username, coalesce(u.full_name, CAST(r.user_id AS TEXT)) AS full_name
           FROM roles r LEFT JOIN users u ON u.user_id = r.user_id
           WHERE r.office_id = ? AND r.role = ? ORDER BY full_name""",
        (office_id, role),
    ) as cur:
        return [_user(row) for row in await cur.fetchall()]


async def set_unreachable(
    tx: aiosqlite.Connection, user_id: int, reason: str, now: datetime
) -> None:
    """Remember that a private message to this user was refused (user row made if new)."""
    await tx.execute(
        """INSERT INTO users (user_id, username, full_name, updated_at, unreachable_since,
                              unreachable_reason)
           VALUES (?, NULL, ?, ?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET
               unreachable_since = coalesce(users.unreachable_since, excluded.unreachable_since),
               unreachable_reason = excluded.unreachable_reason""",
        (user_id, str(user_id), ts(now), ts(now), reason[:200]),
    )


async def clear_unreachable(tx: aiosqlite.Connection, user_id: int) -> bool:
    cur = await tx.execute(
        """UPDATE users SET unreachable_since = NULL, unreachable_reason = NULL
           WHERE user_id = ? AND unreachable_since IS NOT NULL""",
        (user_id,),
    )
    return cur.rowcount > 0


async def unreachable_ids(conn: aiosqlite.Connection) -> set[int]:
    found = await sql.rows(conn, "SELECT user_id FROM users WHERE unreachable_since IS NOT NULL")
    return {r["user_id"] for r in found}
