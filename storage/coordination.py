"""Several workers on one PostgreSQL: who is alive, who leads, who holds which chat.

Everything here is a session-level advisory lock, so it ends with the connection that
holds it: a worker that dies (kill -9, a lost machine, a network cut once the server sees
it) drops its locks without anyone cleaning up, and the others take over. No leases, no
clocks: a fake clock that stands still (the tests) cannot keep a claim alive for ever.

Three connections per worker, each with one job:

- ``coord``: the worker's number (``WORKER`` lock, held for life) and the chats whose
  updates it is handling (``CHAT`` locks); also the outbox claims, a short transaction
  serialised across workers by ``CLAIM`` (bot/outbox.py). An asyncio lock keeps its
  statements from interleaving with a claim transaction.
- ``leader``: the ``LEADER`` lock (the tick, long polling); on a connection of its own so
  that holding it depends on nothing else the worker does.
- ``listen``: LISTEN for new updates (``NOTIFY`` in storage/inbox.py), so a worker wakes
  when another one stored an update, instead of polling the inbox.

The two-number form of the advisory locks (namespace, key) keeps these apart from the
one-number locks of storage/pg.py (the write and migration locks).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any, cast

import aiosqlite
import psycopg

from storage import pg
from storage.db import LostCoordination
from storage.inbox import CHANNEL

log = logging.getLogger(__name__)

WORKER = 0x4C4F5700  # (WORKER, n): worker n is alive
CHAT = 0x4C4F4300  # (CHAT, key of the chat): its updates are being handled
LEADER = 0x4C4F4C00  # (LEADER, 0): the tick leader and poller
CLAIM = 0x4C4F4F43  # one-number, transaction level: one outbox claim at a time
CHANGES = "lobot_changed"  # roles, calendar, FAQ changed by a worker (bot/workers.py)


def chat_key(chat_id: int | None) -> int:
    """The chat's key in the CHAT namespace (an int4): two chats sharing one only take
    turns, which is harmless."""
    value = chat_id or 0
    return (value ^ (value >> 31)) & 0x7FFFFFFF


class Coordination:
    def __init__(self, owner: pg.PgDatabase) -> None:
        self.owner = owner
        self.worker = 0
        self._coord: psycopg.AsyncConnection[Any] | None = None
        self._leader: psycopg.AsyncConnection[Any] | None = None
        self._listen: psycopg.AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()
        self._listening: asyncio.Task[None] | None = None
        self.leading = False

    async def open(self) -> None:
        url = self.owner.url
        self._coord = await pg._connect(url)
        self._leader = await psycopg.AsyncConnection.connect(url, autocommit=True)
        self._listen = await psycopg.AsyncConnection.connect(url, autocommit=True)
        while True:  # a random number, drawn again in the unlikely case it is taken
            n = secrets.randbelow(0x7FFFFFFF) + 1
            if await self._try(self._coord, WORKER, n):
                self.worker = n
                break
        log.info("worker %d on the shared database", self.worker)

    async def close(self) -> None:
        if self._listening is not None:
            self._listening.cancel()
            with suppress(asyncio.CancelledError, psycopg.Error):
                await self._listening
        for conn in (self._coord, self._leader, self._listen):
            if conn is not None:
                with suppress(psycopg.Error):
                    await conn.close()
        self._coord = self._leader = self._listen = None
        self.leading = False

    @staticmethod
    async def _try(conn: psycopg.AsyncConnection[Any], space: int, key: int) -> bool:
        cur = await conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (space, key))
        row = await cur.fetchone()
        return bool(row and row[0])

    def _alive(self) -> psycopg.AsyncConnection[Any]:
        conn = self._coord
        if conn is None or conn.closed or conn.broken:
            raise LostCoordination("the coordination connection to PostgreSQL is lost")
        return conn

    # ---- chats ------------------------------------------------------------------------
    async def try_chat(self, chat_id: int | None) -> bool:
        """Take the chat's updates for this worker; False when another worker has them."""
        async with self._lock:
            return await self._try(self._alive(), CHAT, chat_key(chat_id))

    async def release_chat(self, chat_id: int | None) -> None:
        async with self._lock:
            await self._alive().execute(
                "SELECT pg_advisory_unlock(%s, %s)", (CHAT, chat_key(chat_id))
            )

    # ---- the leader -------------------------------------------------------------------
    async def try_lead(self) -> bool:
        """Whether this worker leads (taking the lead when nobody holds it). A broken
        leader connection means the lead is lost: it is opened again and tried anew."""
        conn = self._leader
        if conn is None:
            return False
        if conn.closed or conn.broken:
            self.leading = False
            with suppress(psycopg.Error):
                await conn.close()
            self._leader = conn = await psycopg.AsyncConnection.connect(
                self.owner.url, autocommit=True
            )
        if not self.leading:
            self.leading = await self._try(conn, LEADER, 0)
        return self.leading

    # ---- outbox claims ------------------------------------------------------------------
    @asynccontextmanager
    async def claiming(self) -> AsyncIterator[aiosqlite.Connection]:
        """A short transaction on the coordination connection, one worker at a time (the
        CLAIM lock): the outbox rows it claims and the send windows it reads and fills
        are then one consistent picture for all workers."""
        async with self._lock:
            conn = self._alive()
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(%s)", (CLAIM,))
                yield cast(aiosqlite.Connection, pg.PgConnection(self.owner, conn))

    async def live_workers(self, tx: aiosqlite.Connection) -> list[int]:
        """The numbers of the workers whose sessions are alive (this one included)."""
        cur = await tx.execute(
            """SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND classid = ?
               AND objsubid = 2 AND granted AND database =
               (SELECT oid FROM pg_database WHERE datname = current_database())""",
            (WORKER,),
        )
        return [int(r[0]) for r in await cur.fetchall()]

    # ---- wake-ups -----------------------------------------------------------------------
    async def announce(self, what: str) -> None:
        """Tell every worker (this one too) that ``what`` changed (bot/workers.py)."""
        async with self._lock:
            await self._alive().execute("SELECT pg_notify(%s, %s)", (CHANGES, what))

    def listen(self, wake: Callable[[], None], changed: Callable[[str], None]) -> None:
        """Call ``wake`` whenever any worker stored new updates (storage/inbox.py), and
        ``changed`` with what a worker announced."""
        self._listening = asyncio.create_task(self._listen_loop(wake, changed), name="lobot-listen")

    async def _listen_loop(self, wake: Callable[[], None], changed: Callable[[str], None]) -> None:
        conn = self._listen
        assert conn is not None
        await conn.execute(f"LISTEN {CHANNEL}")
        await conn.execute(f"LISTEN {CHANGES}")
        try:
            async for notice in conn.notifies():
                if notice.channel == CHANNEL:
                    wake()
                else:
                    changed(notice.payload)
        except psycopg.Error as exc:
            # Without wake-ups the claimer still looks every second (bot/workers.py); but
            # changes of other workers go unnoticed, so say so loudly.
            log.error("LISTEN ended (%s): changes by other workers are not followed", exc)
