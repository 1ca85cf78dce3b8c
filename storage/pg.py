"""PostgreSQL behind the same repositories: psycopg 3 (async), one writer, a few readers.

Why psycopg 3 and the repositories' own SQL, not SQLAlchemy Core or asyncpg: the storage
layer is 3,600 lines of SQL written for SQLite, where a time is ISO text, a flag is 0/1
and a parameter takes any type. psycopg adapts parameters on the client and sends text
untyped, so the server casts it where the column says (a time string into a text column,
a number string into a bigint); asyncpg types every parameter from the server's inference
and refuses a str for a bigint, and SQLAlchemy Core would mean rewriting every query. The
dialect differences are few and live in storage/dialect.py.

The properties of storage/db.py are kept: migrations numbered from the same files, each in
its own transaction with the version bump, a database newer than the code refused; every
write through ``transaction()`` on the one writer connection, serialised in the process
by a lock and across processes by a transaction-level advisory lock (so several
processes on one database write one at a time, as on SQLite); reads on other connections
(READ COMMITTED: they never see a half-done transaction and never wait for the writer).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import aiosqlite
import psycopg
from psycopg.adapt import Loader
from psycopg.rows import RowMaker

from storage import dialect
from storage.db import Database, DatabaseTooNew, Reader, load_migrations

log = logging.getLogger(__name__)

# pg_advisory_xact_lock keys: the write lock of transaction(), the migration lock.
WRITE_LOCK = 0x4C4F424F  # "LOBO"
MIGRATE_LOCK = 0x4C4F424D
READERS = 4


def is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


class Row:
    """A result row read like sqlite3.Row: ``row[0]``, ``row["name"]``, ``keys()``."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = tuple(values)
        self._index = index

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._values == other._values and self._index == other._index
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))})"


def _row_factory(cursor: Any) -> RowMaker[Row]:
    names = [d.name for d in cursor.description or ()]
    index = {n: i for i, n in enumerate(names)}
    return lambda values: Row(values, index)


class _Number(Loader):
    """numeric (what sum() and avg() of integers give) as int or float, like SQLite: a
    Decimal would refuse arithmetic with the floats around it."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


async def _connect(url: str) -> psycopg.AsyncConnection[Any]:
    conn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    conn.row_factory = _row_factory  # type: ignore[assignment]
    conn.adapters.register_loader("numeric", _Number)
    return conn


class Cursor:
    """The outcome of one statement: every row already read (the repositories read short
    results; the workbook's long read streams through ``iter_rows``)."""

    def __init__(self, rows: list[Any], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._at = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Any:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    async def fetchall(self) -> list[Any]:
        rest, self._at = self._rows[self._at :], len(self._rows)
        return rest

    async def fetchmany(self, size: int) -> list[Any]:
        rest = self._rows[self._at : self._at + size]
        self._at += len(rest)
        return rest

    async def close(self) -> None:
        pass


class _Pending:
    """What ``execute`` returns: awaitable, and usable as ``async with ... as cur``."""

    def __init__(self, run: Any) -> None:
        self._run = run

    def __await__(self) -> Any:
        return self._run.__await__()

    async def __aenter__(self) -> Cursor:
        return cast(Cursor, await self._run)

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgConnection:
    """The subset of aiosqlite.Connection the repositories use, over one psycopg
    connection (a transaction's, or a reader's borrowed for one statement)."""

    dialect = "postgresql"

    def __init__(self, owner: PgDatabase, conn: psycopg.AsyncConnection[Any] | None) -> None:
        self._owner = owner
        self._conn = conn

    @asynccontextmanager
    async def _borrow(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        if self._conn is not None:
            yield self._conn
        else:
            async with self._owner.reading() as conn:
                yield conn

    async def _run(self, sql: str, params: Iterable[Any]) -> Cursor:
        query = dialect.statement(sql)
        table = dialect.insert_table(sql)
        returning = table in self._owner.id_tables and not dialect.has_returning(sql)
        if returning:
            query = f"{query} RETURNING id"
        args = tuple(params)
        async with self._borrow() as conn:
            cur = conn.cursor()
            await cur.execute(query, args if args else None)  # type: ignore[arg-type]
            rows = await cur.fetchall() if cur.description is not None else []
            count = cur.rowcount
        if returning:
            return Cursor([], count, int(rows[0][0]) if rows else None)
        return Cursor(rows, count, None)

    def execute(self, sql: str, params: Iterable[Any] = ()) -> _Pending:
        return _Pending(self._run(sql, params))

    async def execute_fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return await (await self._run(sql, params)).fetchall()

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> Cursor:
        query = dialect.statement(sql)
        args = [tuple(p) for p in seq]
        if not args:
            return Cursor([], 0, None)
        async with self._borrow() as conn:
            cur = conn.cursor()
            await cur.executemany(query, args)
            return Cursor([], cur.rowcount, None)

    def lookup(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        raise RuntimeError("PostgreSQL has no synchronous look-up; storage.sql awaits")


class PgDatabase(Database):
    """The PostgreSQL twin of storage.db.Database (same public methods). ``path`` is kept
    for the data folder beside the database (broadcast files, report files)."""

    shared = True

    def __init__(self, url: str, path: Path) -> None:
        super().__init__(path)
        self.url = url
        self._pg_writer: psycopg.AsyncConnection[Any] | None = None
        self._pg_readers: asyncio.Queue[psycopg.AsyncConnection[Any]] | None = None
        self._all: list[psycopg.AsyncConnection[Any]] = []
        self.id_tables: frozenset[str] = frozenset()

    @property
    def target(self) -> str:  # type: ignore[override]
        return self.url

    async def open(self) -> None:
        try:
            self._pg_writer = await _connect(self.url)
            self._all.append(self._pg_writer)
            await self.migrate()
            self.id_tables = await self._id_tables()
            readers: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
            for _ in range(READERS):
                conn = await _connect(self.url)
                self._all.append(conn)
                readers.put_nowait(conn)
            self._pg_readers = readers
        except BaseException:
            await self.close()
            raise

    async def start_worker(self) -> Any:
        from storage.coordination import Coordination

        coordination = Coordination(self)
        await coordination.open()
        self.coordination = coordination
        return coordination

    async def close(self) -> None:
        if self.coordination is not None:
            await self.coordination.close()
            self.coordination = None
        for conn in self._all:
            await conn.close()
        self._all = []
        self._pg_writer = None
        self._pg_readers = None

    @property
    def reader(self) -> Reader:
        if self._pg_readers is None:
            raise RuntimeError("database is not open")
        # A PgConnection stands in for the aiosqlite reader (the repositories' subset).
        return cast(Reader, PgConnection(self, None))

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        if self._pg_readers is None:
            raise RuntimeError("database is not open")
        conn = await self._pg_readers.get()
        try:
            conn = await self._alive(conn)
            yield conn
        finally:
            self._pg_readers.put_nowait(conn)

    async def _alive(self, conn: psycopg.AsyncConnection[Any]) -> psycopg.AsyncConnection[Any]:
        """``conn``, or a new connection in its place when the server dropped it (a restart,
        a failover): the statement that found it broken failed as a storage failure
        (storage.db.is_storage_failure) and is retried; the next one gets through."""
        if not conn.closed and not conn.broken:
            return conn
        log.warning("PostgreSQL connection lost; connecting again")
        fresh = await _connect(self.url)
        self._all = [c for c in self._all if c is not conn] + [fresh]
        return fresh

    @property
    def pg_writer(self) -> psycopg.AsyncConnection[Any]:
        if self._pg_writer is None:
            raise RuntimeError("database is not open")
        return self._pg_writer

    async def version(self) -> int:
        cur = await self.pg_writer.execute(
            "CREATE TABLE IF NOT EXISTS lobot_schema (version integer NOT NULL)"
        )
        cur = await self.pg_writer.execute("SELECT max(version) FROM lobot_schema")
        row = await cur.fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    async def migrate(self) -> None:
        conn = self.pg_writer
        async with conn.transaction():
            # Two workers starting together: one migrates, the other waits and finds it done.
            await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
            for stmt in dialect.COMPAT_SQL:
                await conn.execute(stmt)
        migrations = load_migrations()
        current = await self.version()
        if current > len(migrations):
            raise DatabaseTooNew(
                f"the database is at schema version {current}, this lobot knows {len(migrations)}"
            )
        for number, name, script in migrations[current:]:
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATE_LOCK,))
                if await self.version() >= number:
                    continue  # another worker applied it meanwhile
                log.info("applying migration %s", name)
                for stmt in dialect.migration(script):
                    await conn.execute(stmt)  # type: ignore[arg-type]
                await self._sync_identities(conn)
                await conn.execute("DELETE FROM lobot_schema")
                await conn.execute("INSERT INTO lobot_schema (version) VALUES (%s)", (number,))

    async def _id_tables(self) -> frozenset[str]:
        cur = await self.pg_writer.execute(
            """SELECT table_name FROM information_schema.columns WHERE table_schema =
               current_schema() AND column_name = 'id' AND is_identity = 'YES'"""
        )
        return frozenset(str(r[0]) for r in await cur.fetchall())

    @staticmethod
    async def _sync_identities(conn: psycopg.AsyncConnection[Any]) -> None:
        """Rows written with explicit ids (a migration's seed, a copied database) leave the
        identity's sequence behind; move it past the largest id."""
        cur = await conn.execute(
            """SELECT table_name FROM information_schema.columns WHERE table_schema =
               current_schema() AND column_name = 'id' AND is_identity = 'YES'"""
        )
        for (table,) in await cur.fetchall():
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "  # noqa: S608
                f"FROM {table} HAVING max(id) IS NOT NULL"
            )

    async def sync_identities(self) -> None:
        async with self.pg_writer.transaction():
            await self._sync_identities(self.pg_writer)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction; committed when the block ends, rolled back on error."""
        async with self._write_lock:
            conn = self._pg_writer = await self._alive(self.pg_writer)
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                yield cast(aiosqlite.Connection, PgConnection(self, conn))

    async def ping(self) -> None:
        async with self.reading() as conn:
            await conn.execute("SELECT 1")

    def file_problem(self) -> str | None:
        return None  # no file: the server owns its storage

    def write_blocked(self, timeout: float) -> str | None:
        """Whether a write transaction can start within ``timeout`` seconds (synchronous, a
        worker thread): the write lock another process holds too long blocks us too."""
        try:
            with psycopg.connect(self.url, connect_timeout=max(1, int(timeout))) as conn:
                conn.execute(f"SET lock_timeout = {int(timeout * 1000)}")
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        except psycopg.Error as exc:
            return f"a write cannot start within {timeout:g} s ({exc})"
        return None

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Any:
        async with PgConnection(self, None).execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        return await PgConnection(self, None).execute_fetchall(sql, params)


def stream(url: str, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    """All rows of a long read, in batches through a server-side cursor (constant memory),
    synchronous: the report worker process reads the workbook's rows this way."""
    with psycopg.connect(url) as conn:
        conn.adapters.register_loader("numeric", _Number)
        with conn.cursor(name="lobot_stream") as cur:
            cur.execute(dialect.statement(sql), tuple(params) or None)  # type: ignore[arg-type]
            while batch := cur.fetchmany(2000):
                yield from batch
