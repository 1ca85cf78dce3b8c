"""Reads in one hop to the database thread.

aiosqlite runs every call on its own thread; ``async with conn.execute(...) as cur`` then
``fetchone()`` costs three hand-offs (execute, fetch, close), ``execute_fetchall`` one.
On the hot paths (every group message reads the group, the author, the roles) that is
most of the time a message spends in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import aiosqlite


async def one(conn: aiosqlite.Connection, query: str, params: Iterable[Any] = ()) -> Any:
    """The first row (an ``aiosqlite.Row``), or None; for look-ups by key."""
    rows = await conn.execute_fetchall(query, tuple(params))
    return next(iter(rows), None)


async def rows(conn: aiosqlite.Connection, query: str, params: Iterable[Any] = ()) -> list[Any]:
    return list(await conn.execute_fetchall(query, tuple(params)))
