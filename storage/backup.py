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
