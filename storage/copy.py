"""`lobot migrate-db FROM TO`: an SQLite office copied into a fresh PostgreSQL database.

The source is opened read-only and must be at this lobot's schema version (a bot run on it
once migrates it); the target is migrated by this lobot, must hold nothing but what the
migrations seed, and receives every table in one transaction, parents before children
(COPY, so a million tickets take seconds, not minutes). Before the commit the rows of every
table are counted on both sides; any difference rolls the whole copy back. VACUUM
(ANALYZE) follows, so the first report is planned on real statistics.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from storage.db import load_migrations
from storage.pg import PgDatabase

BATCH = 5000


class CopyRefused(RuntimeError):
    """The copy did not start (or was rolled back); the message says why."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


def _tables(src: sqlite3.Connection) -> list[str]:
    """Tables parents first (by their foreign keys), FTS shadow tables left out."""
    names = [
        str(r[0])
        for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        )
    ]
    shadows = {n for n in names for v in names if n != v and n.startswith(f"{v}_")}
    names = [n for n in names if n not in shadows]
    parents = {
        n: {str(r[2]) for r in src.execute(f'PRAGMA foreign_key_list("{n}")')} - {n} for n in names
    }
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [n for n in names if n not in ordered and parents[n] <= set(ordered)]
        if not ready:
            left = sorted(set(names) - set(ordered))
            raise CopyRefused(f"foreign keys form a cycle among {left}")
        ordered += ready
    return ordered


def _columns(src: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in src.execute(f'PRAGMA table_info("{table}")')]


def _rows(src: sqlite3.Connection, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    cols = ", ".join(f'"{c}"' for c in columns)
    cur = src.execute(f'SELECT {cols} FROM "{table}"')
    while batch := cur.fetchmany(BATCH):
        yield from batch


def _count(conn: Any, table: str) -> int:
    row = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return int(row[0])


def _migrate_target(url: str) -> set[str]:
    """Brings the target to this lobot's schema; the tables PostgreSQL then holds."""

    async def run() -> None:
        db = PgDatabase(url, Path("unused"))
        await db.open()
        await db.close()

    # On a thread of its own: the command may be called where a loop runs (the tests).
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
    return {str(r[0]) for r in rows}


def copy_office(source: Path, url: str) -> list[TableCount]:
    """Copy ``source`` (SQLite) into ``url`` (PostgreSQL); the counts, equal on both sides."""
    if not source.is_file():
        raise CopyRefused(f"{source} does not exist")
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        version = int(src.execute("PRAGMA user_version").fetchone()[0])
        latest = len(load_migrations())
        if version != latest:
            raise CopyRefused(
                f"{source} is at schema version {version}, this lobot writes {latest}"
                " (run this lobot once on it, or use the lobot that wrote it)"
            )
        tables = _tables(src)
        present = _migrate_target(url)
        missing = [t for t in tables if t not in present]
        if missing:
            raise CopyRefused(f"the target has no table {missing[0]}")
        counts = _copy(src, url, tables)
    finally:
        src.close()
    # Planner statistics and the visibility map now, not when autovacuum gets to them: the
    # first /rekap after the copy would plan a million rows as if the tables were empty,
    # and could not answer from the covering indexes alone (index-only scans).
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return counts


def _copy(src: sqlite3.Connection, url: str, tables: list[str]) -> list[TableCount]:
    seeded = {"offices"}  # rows a migration inserts; replaced by the source's
    with psycopg.connect(url) as dst, dst.transaction():
        dst.execute("SELECT pg_advisory_xact_lock(%s)", (0x4C4F424F,))  # storage.pg.WRITE_LOCK
        busy = [t for t in tables if t not in seeded and _count(dst, t)]
        if busy:
            raise CopyRefused(f"the target already holds data (table {busy[0]}); give an empty one")
        for table in reversed(tables):
            if table in seeded:
                dst.execute(f'DELETE FROM "{table}"')  # noqa: S608
        for table in tables:
            columns = _columns(src, table)
            cols = ", ".join(f'"{c}"' for c in columns)
            with dst.cursor().copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in _rows(src, table, columns):
                    copy.write_row(row)
        counts = [TableCount(t, _count(src, t), _count(dst, t)) for t in tables]
        wrong = [c for c in counts if c.source != c.target]
        if wrong:
            raise CopyRefused(
                f"counts differ after the copy ({wrong[0].table}: {wrong[0].source} in the"
                f" source, {wrong[0].target} copied); nothing was kept"
            )
        for (table,) in dst.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND column_name = 'id' AND is_identity = 'YES'"
        ).fetchall():
            dst.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id))"  # noqa: S608
                f' FROM "{table}" HAVING max(id) IS NOT NULL'
            )
    return counts
