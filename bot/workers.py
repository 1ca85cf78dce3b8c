"""Several worker processes on one PostgreSQL: how they share the work. No Telegram here.

On SQLite the bot is one process (bot/instance.py). On PostgreSQL any number of workers
run against the same database, started alike, and the database decides who does what
(storage/coordination.py holds the locks):

- **Updates reach the inbox, not a worker.** Telegram lets one client at a time call
  getUpdates for a token (a second one gets 409 Conflict), so with long polling the
  *leader* polls and only stores what it gets (handlers/delivery.py, SharedUpdater);
  in webhook mode any worker behind the proxy may receive any update and stores it the
  same way. Storing notifies every worker (LISTEN/NOTIFY).
- **Each chat is claimed by one worker at a time.** ``Claimer`` takes chats with pending
  updates under a session advisory lock per chat, hands their updates to the processor
  one after another in update-id order, marks them done, and releases the chat. The
  inbox's key (update id) makes each update stored once; the chat lock makes it handled
  by one worker, in order. A worker that dies mid-update loses its session, so its
  chats' locks drop and another worker handles their pending updates (again, for the
  one in hand: handling is idempotent per update, see bot/inbox.py).
- **One leader** runs the tick and the polling: whoever holds the LEADER lock. The others
  try every ``LEAD_EVERY`` seconds, so when the leader dies another one leads within
  about that time (docs/BENCHMARKS.md measures it) and ticks at once.
- **The outbox** is claimed row by row (bot/outbox.py) and Telegram's send windows are
  kept in the database, so the workers together stay within Telegram's limits.
- **In-process copies** (roles, the calendar's overrides, the FAQ index) follow changes
  another worker made: it announces them (``Services.changed``), the others reload.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from bot.logsetup import Repeated
from bot.services import Services
from storage import inbox as repo
from storage.db import LostCoordination, is_storage_failure

log = logging.getLogger(__name__)

SCAN_EVERY = 1.0  # seconds between looks at the inbox when no notice came
LEAD_EVERY = 1.0  # seconds between tries to take the lead

# Handles one stored update (its payload); False: the worker is stopping and the update
# stays pending for the next one.
Handle = Callable[[dict[str, Any]], Awaitable[bool]]


class Claimer:
    """Takes chats with pending updates, up to ``max_chats`` at once, and handles them."""

    def __init__(
        self,
        svc: Services,
        coordination: Any,
        handle: Handle,
        marked: Callable[[], Awaitable[None]],
        max_chats: int,
    ) -> None:
        self.svc = svc
        self.coordination = coordination
        self.handle = handle
        self.marked = marked  # until every handled update is recorded done
        self.max_chats = max_chats
        self._held: dict[int, asyncio.Task[None]] = {}
        self._none_held = asyncio.Event()
        self._none_held.set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._log = Repeated(log)
        self.lost: Callable[[], None] = lambda: None  # the coordination connection broke

    def wake(self) -> None:
        self._wake.set()

    async def idle(self) -> None:
        """Until no update is pending and this worker holds no chat (tests, with one
        worker: everything stored is handled and marked done; the processor's own idle is
        not enough, as a chat's next update is not in its hands between two)."""
        while True:
            await self._none_held.wait()
            if not await repo.count_pending(self.svc.db.reader):
                return
            await asyncio.sleep(0.01)  # a chat let go and not taken again yet

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lobot-claimer")

    async def stop(self) -> None:
        """Take nothing more; the update in hand of each chat finishes, the rest stays
        pending for the other workers (or the next start)."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None
        await asyncio.gather(*self._held.values(), return_exceptions=True)

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self._scan()
            except Exception as exc:
                if isinstance(exc, LostCoordination):
                    log.error("%s; this worker stops (its chats go to the others)", exc)
                    self.lost()
                    return
                if not is_storage_failure(exc):
                    log.exception("claimer: scan failed")
                else:
                    self._log.error("claimer: cannot read the inbox: %s", exc)
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), SCAN_EVERY)

    async def _scan(self) -> None:
        """Claim the chats waiting longest that nobody holds, while there is room."""
        if len(self._held) >= self.max_chats:
            return
        chats = await repo.pending_chats(self.svc.db.reader, self.max_chats + len(self._held))
        for chat in chats:
            if self._stopping or len(self._held) >= self.max_chats:
                return
            if chat in self._held:
                continue  # its task reads the chat again before letting it go
            if await self.coordination.try_chat(chat):
                self._none_held.clear()
                self._held[chat] = asyncio.create_task(self._serve(chat))

    async def _serve(self, chat: int) -> None:
        """The chat's pending updates, in order, until none is left; then let it go."""
        seen: set[int] = set()
        try:
            while not self._stopping:
                rows = [
                    r
                    for r in await repo.pending_of_chat(self.svc.db.reader, chat)
                    if r[0] not in seen
                ]
                if not rows:
                    break
                for update_id, payload in rows:
                    if self._stopping or not await self.handle(payload):
                        return
                    seen.add(update_id)
        except Exception as exc:
            if not is_storage_failure(exc):
                log.exception("claimer: chat %s failed", chat)
            else:
                self._log.error("claimer: chat %s: %s", chat, exc)
        finally:
            # Marked done before another worker may take the chat (else it would handle
            # them again); then the chat is free.
            with suppress(Exception):
                await self.marked()
            del self._held[chat]
            with suppress(Exception):
                await self.coordination.release_chat(chat)
            if not self._held:
                self._none_held.set()
            # An update stored while we still held the chat found it taken: look again.
            self._wake.set()


class Leader:
    """Keeps trying to take the lead; tells ``on_lead`` when it did (tick at once)."""

    def __init__(self, coordination: Any, on_lead: Callable[[], None]) -> None:
        self.coordination = coordination
        self.on_lead = on_lead
        self.became = asyncio.Event()  # set while this worker leads
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._log = Repeated(log)

    @property
    def leading(self) -> bool:
        return bool(self.coordination.leading)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lobot-leader")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            was = self.leading
            try:
                now = await self.coordination.try_lead()
            except Exception as exc:  # the server away: try again
                self._log.error("leader: cannot reach the database: %s", exc)
                now = False
            if now and not was:
                log.info("this worker leads now (the tick, long polling)")
                self.became.set()
                self.on_lead()
            elif was and not now:
                log.warning("this worker lost the lead (its connection broke)")
                self.became.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), LEAD_EVERY)


def leads(svc: Services) -> bool:
    """Whether this process runs the tick: always when it is the only one."""
    return svc.workers is None or bool(svc.workers.leader.leading)


async def follow_change(svc: Services, what: str) -> None:
    """Another worker changed something this one keeps a copy of: reload it."""
    from bot import faq

    if what == "roles":
        svc.forget_roles()
    elif what == "calendar":
        for view in svc.each_office():  # the change named no office: reload each one's
            await view.reload_calendar()
    elif what == "faq":
        await faq.load_from_db(svc)
