"""SQLite access: connection set-up, numbered migrations, one writer.

Shaped after mautrix-python's ``async_db``: each migration runs in its own transaction
together with the ``PRAGMA user_version`` bump, a database newer than the code is
refused, and every write goes through ``transaction()`` (``BEGIN IMMEDIATE`` on the one
writer connection, serialised by a lock). Reads use a second connection: in WAL mode they
never wait for the writer and never see a half-done transaction.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def is_storage_failure(exc: BaseException) -> bool:
    """The database could not be written or read just now (disk full, I/O error, a lock
    held too long): nothing was committed, and the same work may succeed later. A bug
    (a constraint, bad SQL) is not one of these."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return not ("syntax error" in text or "no such" in text or "has no column" in text)
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO)


class DatabaseTooNew(RuntimeError):
    """The file was migrated by a newer lobot; running old code on it would corrupt it."""


def load_migrations() -> list[tuple[int, str, str]]:
    """(number, file name, SQL) for every migration shipped in storage/migrations."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    numbers = [n for n, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 001.. without gaps, got {numbers}")
    return found


# The database holds names, questions and phone numbers: owner only, whatever the umask.
FOLDER_MODE = 0o700
FILE_MODE = 0o600
SIDE_FILES = ("", "-wal", "-shm", "-journal")


def private_files(path: Path) -> None:
    """Create the folder (0700) and the database file (0600) if missing; tighten the files.

    SQLite creates the WAL and SHM files with the database file's mode, so creating the
    file ourselves first is what keeps them private. An existing folder may be shared
    (the working directory, /var/lib): it is not changed, only reported when others can
    read it.
    """
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=FOLDER_MODE)  # the umask can only remove bits
    elif folder.stat().st_mode & 0o077:
        log.warning("data folder %s can be read by others; chmod 700 it", folder)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        try:
            mode = side.stat().st_mode & 0o777
            if mode & ~FILE_MODE:
                side.chmod(mode & FILE_MODE)  # only ever removes bits: read-only stays so
        except FileNotFoundError:
            pass


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


class Database:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file opened

    async def _connect(self) -> aiosqlite.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves.
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            # A corrupt or read-only file fails here; an unclosed connection keeps its
            # thread, and with it the process, alive forever.
            await conn.close()
            raise
        return conn

    async def open(self) -> None:
        private_files(self.path)
        self._writer = await self._connect()
        try:
            await self.migrate()
            self._reader = await self._connect()
            private_files(self.path)  # the WAL and SHM files exist now
            self._identity = _identity(self.path)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None

    @property
    def writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise RuntimeError("database is not open")
        return self._writer

    @property
    def reader(self) -> aiosqlite.Connection:
        if self._reader is None:
            raise RuntimeError("database is not open")
        return self._reader

    async def version(self) -> int:
        async with self.writer.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> None:
        migrations = load_migrations()
        current = await self.version()
        if current > len(migrations):
            raise DatabaseTooNew(
                f"{self.path} is at schema version {current}, this lobot knows {len(migrations)}"
            )
        for number, name, sql in migrations[current:]:
            log.info("applying migration %s", name)
            script = f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
            try:
                await self.writer.executescript(script)
            except Exception:
                if self.writer.in_transaction:
                    await self.writer.rollback()
                raise

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; committed when the block ends, rolled back on error."""
        async with self._write_lock:
            conn = self.writer
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

    async def ping(self) -> None:
        """A trivial query on the reader: the file is open and the connection's thread answers."""
        await self.fetchone("SELECT 1")

    def file_problem(self) -> str | None:
        """Whether the path still names the file the connections have open (synchronous:
        a worker thread). Unlinked or replaced under the running bot, every write would go
        into a file nobody will ever read again, while queries keep answering."""
        try:
            current = _identity(self.path)
        except FileNotFoundError:
            return "file removed while open (writes go to a deleted file)"
        if self._identity is not None and current != self._identity:
            return "file replaced while open (writes go to the old file)"
        return None

    def write_blocked(self, timeout: float) -> str | None:
        """Whether a write transaction can start within ``timeout`` seconds, asked on a
        connection of its own (synchronous: a worker thread). Another process holding
        the write lock blocks the bot's writer just the same."""
        try:
            conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=rw", uri=True, timeout=timeout
            )
        except sqlite3.Error as exc:
            return f"cannot open the file for writing ({exc})"
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            return f"a write cannot start within {timeout:g} s ({exc})"
        finally:
            conn.close()
        return None

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self.reader.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self.reader.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())
