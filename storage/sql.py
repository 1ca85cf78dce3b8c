"""Reads without a hand-off to the database thread.

aiosqlite runs every call on its own thread; ``async with conn.execute(...) as cur`` then
``fetchone()`` costs three hand-offs (execute, fetch, close), ``execute_fetchall`` one,
and these helpers none (see ``rows``). On the hot paths (every group message reads the
group, the author, the roles) the hand-offs were most of the time a message spent in the
database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import aiosqlite

from storage.db import Reader


async def one(conn: aiosqlite.Connection, query: str, params: Iterable[Any] = ()) -> Any:
    """The first row (an ``aiosqlite.Row``), or None; for look-ups by key."""
    return next(iter(await rows(conn, query, params)), None)


async def rows(conn: aiosqlite.Connection, query: str, params: Iterable[Any] = ()) -> list[Any]:
    """For short queries (by key, or with a small LIMIT): on the reader they run on the
    loop's thread (storage.db.Reader.lookup); in a transaction the writer runs every
    statement there anyway (storage.db._Writer)."""
    if isinstance(conn, Reader):
        return conn.lookup(query, tuple(params))
    return list(await conn.execute_fetchall(query, tuple(params)))
