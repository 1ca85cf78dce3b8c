"""Copies of the database file: an online copy, and what a copy holds (integrity, schema).

Synchronous on purpose: callers run these in a worker thread (``asyncio.to_thread``).
Each function opens its own ``sqlite3`` connection and never touches the bot's aiosqlite
connections, so the bot keeps reading and writing while a copy is made.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

FILE_MODE = 0o600


@dataclass(frozen=True)
class CopyInfo:
    integrity: str  # "ok", or SQLite's first findings joined on one line
    schema_version: int  # PRAGMA user_version: the last migration applied


def _read_only(path: Path) -> sqlite3.Connection:
    # mode=ro: looking at a backup must never change it (nor create -wal/-shm beside it).
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)


def online_copy(source: Path, target: Path) -> None:
    """Copy the database ``source`` into the new file ``target`` (created 0600).

    SQLite's backup API in one step reads one consistent snapshot; in WAL mode the bot's
    writers are not blocked meanwhile. The copy is switched to a rollback journal so it is
    one self-contained file, and it is on disk (fsync) when this returns.
    """
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    fsync_path(target)


def inspect(path: Path) -> CopyInfo:
    """Integrity and schema version of a database file; raises sqlite3.DatabaseError
    when the file is not an SQLite database at all."""
    conn = _read_only(path)
    try:
        findings = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchmany(5)]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    return CopyInfo("; ".join(findings) or "no answer", version)


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries (after a rename), to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- schema and numbering (lobot restore) -------------------------------------------
Schema = dict[str, frozenset[str]]  # table -> its columns
# The sequences whose numbers people see and quote: tickets ('2026-0042'), complaints.
COUNTERS = ("ticket_counters", "complaint_counters")
Counters = dict[str, list[tuple[int, int, int]]]  # table -> (office_id, year, last)


def schema_of(path: Path) -> Schema:
    """The tables and their columns of a database file (read only)."""
    conn = _read_only(path)
    try:
        return _schema(conn)
    finally:
        conn.close()


def expected_schema(migrations: list[str]) -> Schema:
    """The tables and columns that the given migrations create, applied in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for sql in migrations:
            conn.executescript(sql)
        return _schema(conn)
    finally:
        conn.close()


def _schema(conn: sqlite3.Connection) -> Schema:
    tables = [
        str(r[0])
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        t: frozenset(str(c[1]) for c in conn.execute(f'PRAGMA table_info("{t}")')) for t in tables
    }


def counters(path: Path, *, live: bool = False) -> Counters:
    """The last numbers issued, per office and year, by the database at ``path``.

    ``live``: the bot's own database (stopped): read on an ordinary connection, which
    leaves no -wal/-shm behind when it closes, as a read-only one on a WAL file would."""
    conn = sqlite3.connect(path, timeout=5) if live else _read_only(path)
    try:
        present = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
        return {
            table: [
                (int(r[0]), int(r[1]), int(r[2]))
                for r in conn.execute(f"SELECT office_id, year, last FROM {table}")
            ]
            for table in COUNTERS
            if table in present
        }
    finally:
        conn.close()


def raise_counters(path: Path, issued: Counters) -> None:
    """Move each counter of the database at ``path`` up to what was ``issued`` elsewhere
    (never down), in one transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        for table, rows in issued.items():
            conn.executemany(
                f"""INSERT INTO {table} (office_id, year, last) VALUES (?, ?, ?)
                    ON CONFLICT (office_id, year) DO UPDATE SET last = max(last, excluded.last)""",
                rows,
            )
        conn.execute("COMMIT")
    finally:
        conn.close()
    fsync_path(path)
