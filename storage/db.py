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
import sys
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

# Rows written between two WAL checkpoints (SQLite's default is every 1,000 pages).
CHECKPOINT_CHANGES = 2000
# How long a statement waits for a lock another process holds before SQLITE_BUSY.
BUSY_TIMEOUT_MS = 5000
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def is_storage_failure(exc: BaseException) -> bool:
    """The database could not be written or read just now (disk full, I/O error, a lock
    held too long): nothing was committed, and the same work may succeed later. A bug
    (a constraint, bad SQL) is not one of these."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return not ("syntax error" in text or "no such" in text or "has no column" in text)
    psycopg = sys.modules.get("psycopg")  # loaded only with a PostgreSQL database
    if psycopg is not None and isinstance(exc, psycopg.OperationalError):
        return True  # connection lost, server shutting down, disk full on the server
    return isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO)


class LostCoordination(RuntimeError):
    """A worker's coordination connection broke (storage/coordination.py): its locks on
    the shared database are gone, so it must stop before it acts on them."""


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


class _Writer(aiosqlite.Connection):
    """The writer connection: inside ``transaction()`` its statements run on the caller's
    thread (the event loop's) instead of being handed to the connection's thread.

    Each hand-off costs a queue put, a thread wake-up, a GIL hand-over and a loop wake-up
    through its self-pipe; a new ticket took about 33 of them, and on a busy machine they
    were a third of the bot's CPU samples (docs/BENCHMARKS.md). The statements are index
    look-ups and single-row writes of tens of microseconds. Nothing after BEGIN waits on
    a lock: BEGIN IMMEDIATE (``begin``) took SQLite's write lock,
    our write lock serialises our own writers, and readers never block a writer in WAL
    mode. The one slow part of a commit, the WAL checkpoint, is taken off the writer
    (``wal_autocheckpoint=0``) and run on the reader's thread (``Database._after_commit``).
    A transaction costs no hand-off when no other process holds the write lock
    (``begin``), whatever its size.
    """

    inline = False

    async def _execute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if self.inline:
            return fn(*args, **kwargs)
        return await super()._execute(fn, *args, **kwargs)

    async def begin(self) -> None:
        """BEGIN IMMEDIATE: on the loop's thread when SQLite's write lock is free, which
        is always unless another process holds it (a backup, an operator's sqlite3
        shell); then on the connection's thread, waiting up to busy_timeout there, so
        the loop never waits. Each hand-off saved is one per transaction, and a message
        makes one to three transactions."""
        conn = self._conn
        conn.execute("PRAGMA busy_timeout=0")  # fail at once instead of waiting here
        try:
            conn.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                raise
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        await self.execute("BEGIN IMMEDIATE")


class Reader(aiosqlite.Connection):
    """The reader connection, plus a second connection to the same file for look-ups by
    key (``lookup``, used by storage/sql.py), run on the caller's thread: every group
    message makes several such reads (the group, the author, the asker's open tickets),
    each a fraction of a millisecond in SQLite and several times that as a hand-off to
    the connection's thread. Long reads (reports, scans) use ``execute`` on the
    connection's thread."""

    quick: sqlite3.Connection | None = None

    def lookup(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        """All rows of a short query, now, on the calling thread."""
        if self.quick is None:
            raise RuntimeError("database is not open")
        return self.quick.execute(sql, parameters).fetchall()

    async def close(self) -> None:
        if self.quick is not None:
            self.quick.close()
            self.quick = None
        await super().close()


def _quick(path: str) -> sqlite3.Connection:
    """The reader's look-up connection (see Reader), used from the event loop's thread."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = aiosqlite.Row
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


class Database:
    # Whether several worker processes may share this database (PostgreSQL: they
    # coordinate through storage/coordination.py); SQLite is one process (bot/instance.py).
    shared = False
    coordination: Any = None  # storage.coordination.Coordination, once a worker (PostgreSQL)

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: _Writer | None = None
        self._reader: Reader | None = None
        self._write_lock = asyncio.Lock()
        self._identity: tuple[int, int] | None = None  # (device, inode) of the file opened
        self._checkpointed = 0  # the writer's total_changes at the last WAL checkpoint
        self._checkpoint: asyncio.Task[None] | None = None

    async def _connect(self, conn: aiosqlite.Connection) -> Any:
        await conn  # starts the connection's thread and opens the file
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            # A corrupt or read-only file fails here; an unclosed connection keeps its
            # thread, and with it the process, alive forever.
            await conn.close()
            raise
        return conn

    async def open(self) -> None:
        private_files(self.path)
        path = str(self.path)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves. check_same_thread=False:
        # the writer is also used from the loop's thread (see _Writer); the lock in
        # transaction() keeps it to one user at a time.
        self._writer = await self._connect(
            _Writer(
                lambda: sqlite3.connect(path, isolation_level=None, check_same_thread=False), 64
            )
        )
        try:
            await self.migrate()
            await self._writer.execute("PRAGMA wal_autocheckpoint=0")  # see _Writer
            self._reader = await self._connect(
                Reader(lambda: sqlite3.connect(path, isolation_level=None), 64)
            )
            self._reader.quick = _quick(path)
            private_files(self.path)  # the WAL and SHM files exist now
            self._identity = _identity(self.path)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._checkpoint is not None:
            await self._checkpoint
        for conn in (self._reader, self._writer):
            if conn is not None:
                await conn.close()
        self._reader = self._writer = None

    @property
    def target(self) -> Path | str:
        """What another process opens to read the same data (the report worker)."""
        return self.path

    @property
    def writer(self) -> _Writer:
        if self._writer is None:
            raise RuntimeError("database is not open")
        return self._writer

    @property
    def reader(self) -> Reader:
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
            # Another process holding the write lock (see write_blocked) makes BEGIN
            # wait, on the connection's thread (see _Writer.begin); once it holds the
            # lock nothing below can wait.
            await conn.begin()
            conn.inline = True
            try:
                try:
                    yield conn
                except BaseException:
                    await conn.execute("ROLLBACK")
                    raise
                else:
                    await conn.execute("COMMIT")
            finally:
                conn.inline = False
            self._after_commit(conn.total_changes)

    def _after_commit(self, changes: int) -> None:
        """A passive WAL checkpoint on the reader's thread once about CHECKPOINT_CHANGES rows
        were written since the last one (SQLite's own would run inside a COMMIT, on the
        loop's thread); it copies pages back into the database file and never blocks."""
        if changes - self._checkpointed < CHECKPOINT_CHANGES or self._checkpoint is not None:
            return
        self._checkpointed = changes

        async def checkpoint() -> None:
            try:
                await self.reader.execute_fetchall("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception:  # a closed or busy database: the next one will do
                log.warning("WAL checkpoint failed", exc_info=True)
            finally:
                self._checkpoint = None

        self._checkpoint = asyncio.get_running_loop().create_task(checkpoint())

    async def start_worker(self) -> Any:
        """This process as one of several workers (a storage.coordination.Coordination);
        only a shared database has workers."""
        raise RuntimeError("SQLite is one process: no workers")

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


def database_for(path: Path, url: str | None) -> Database:
    """The database of the settings: PostgreSQL at ``url`` when given (psycopg imported
    only then), else SQLite at ``path``, whose folder also holds the files kept beside
    the database (broadcasts, reports)."""
    if url:
        from storage.pg import PgDatabase

        return PgDatabase(url, path)
    return Database(path)
