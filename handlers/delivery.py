"""The delivery core on the Telegram side: updates stored before they are confirmed,
handled concurrently across chats and in order within a chat, done only when handled.

Storage failures (a full disk, an I/O error) are waited out, never turned into loss: an
update that cannot be stored is not confirmed to Telegram (it comes again), and one whose
handling failed on storage stays pending in the inbox and is handled again after a
backoff, before any later update of its chat. Each such error is logged once a minute,
with a count, not once per update.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor, ExtBot

from bot import inbox
from bot.logsetup import Repeated
from bot.ops.recorder import Recorder
from bot.services import Services
from handlers.transport import AiohttpRequest

log = logging.getLogger(__name__)

RETRY_FIRST = 1.0  # seconds before an update that failed on storage is handled again
RETRY_MAX = 60.0  # the backoff doubles up to this


def chat_key(update: object) -> int | None:
    """Updates with the same key are handled one after another, in arrival order."""
    if not isinstance(update, Update):
        return None
    chat = update.effective_chat
    if chat is not None:
        return chat.id
    user = update.effective_user
    return user.id if user is not None else None


class InboxBot(ExtBot[int]):
    """An ExtBot whose getUpdates stores the batch in the inbox before returning it.

    PTB confirms a batch by asking for the next one with a higher offset, which happens
    only after this method returns; so nothing Telegram handed out can be lost. Updates
    already in the inbox (Telegram re-sends what was not confirmed before a crash) are
    dropped here: the inbox replays them itself.
    """

    _lobot_services: Services | None = None  # PTB freezes public attributes after init
    _lobot_store_failures = 0
    _lobot_store_log: Repeated | None = None
    _lobot_polling: asyncio.Event | None = None

    @property
    def services(self) -> Services | None:
        return self._lobot_services

    def attach(self, services: Services) -> None:
        self._lobot_services = services

    async def initialize(self) -> None:
        """PTB opens the HTTP clients, then asks getMe; when that fails (a refused token,
        no network) nothing shuts the clients down, and aiohttp's unclosed session would
        print a warning after the one-line reason for the failed start."""
        try:
            await super().initialize()
        except BaseException:
            await asyncio.gather(self.request.shutdown(), self._request[0].shutdown())
            raise

    @property
    def polling(self) -> asyncio.Event:
        """Set when the first getUpdates is asked for (the start-up's content waits)."""
        if self._lobot_polling is None:
            self._lobot_polling = asyncio.Event()
        return self._lobot_polling

    async def upgrade_transport(self) -> None:
        """Requests from PTB's httpx to aiohttp, once polling runs (handlers/transport.py)."""
        for request in {id(r): r for r in self._request}.values():
            if isinstance(request, AiohttpRequest):
                await request.upgrade()

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        self.polling.set()
        updates = await super().get_updates(*args, **kwargs)
        if self.services is None:
            return updates
        fresh = await self._store(updates)
        # Not stored, so not confirmed: returning nothing keeps the offset, and Telegram
        # hands the batch out again after the pause.
        return () if fresh is None else tuple(u for u in updates if u.update_id in fresh)

    async def fetch(self, offset: int | None, seconds: int, allowed: list[str]) -> int | None:
        """Several workers (handlers/workers.py): one getUpdates, stored in the inbox for
        whichever worker claims it; the offset that confirms it (unchanged: not stored)."""
        self.polling.set()
        updates = await super().get_updates(offset=offset, timeout=seconds, allowed_updates=allowed)
        if not updates or await self._store(updates) is None:
            return offset
        return updates[-1].update_id + 1

    async def _store(self, updates: tuple[Update, ...]) -> set[int] | None:
        """The ids of ``updates`` new to the inbox; None (after a pause) when they could
        not be stored."""
        svc = self.services
        if not updates or svc is None:
            return set()
        batch = [(u.update_id, chat_key(u), u.to_dict()) for u in updates]
        try:
            fresh = await inbox.accept(svc, batch)
        except Exception as exc:
            if not inbox.is_storage_failure(exc):
                raise
            await self._storage_pause(exc)
            return None
        self._lobot_store_failures = 0
        return fresh

    async def _storage_pause(self, exc: BaseException) -> None:
        if self._lobot_store_log is None:
            self._lobot_store_log = Repeated(log)
        self._lobot_store_log.error("inbox: cannot store updates, will ask again: %s", exc)
        self._lobot_store_failures += 1
        await asyncio.sleep(min(RETRY_FIRST * 2 ** (self._lobot_store_failures - 1), RETRY_MAX))


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Different chats at once, one chat in order, at most ``limit`` handlers running.

    PTB starts a task per update in arrival order and enters ``do_process_update`` in that
    order (its own semaphore is set high, so it never makes a task wait). Each update
    waits for the previous update of its chat (a chain of futures) before it takes one of
    the ``limit`` slots, so waiting for a busy chat never holds a slot another chat could
    use. ``QUEUED`` bounds the updates in hand; the rest wait in PTB's queue.
    """

    QUEUED = 4096

    def __init__(self, limit: int) -> None:
        super().__init__(max_concurrent_updates=self.QUEUED)
        self._slots = asyncio.Semaphore(limit)
        self._tails: dict[int | None, asyncio.Future[None]] = {}
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.done: inbox.DoneMarker | None = None
        self.metrics = Recorder()  # the app's metrics once post_init has built them
        # Handles an update again (the application's process_update, set by bot/app.py).
        self.rerun: Callable[[object], Awaitable[Any]] | None = None
        self._storage_failed: set[int] = set()
        self._stopping = asyncio.Event()
        # Own processing time per update (handlers, database; not the wait for the chat's
        # turn): summarised in the log at shutdown, read by bench/delivery.py.
        self.timings: deque[float] = deque(maxlen=100_000)
        # Set once the content (FAQ, deadlines) is loaded: polling starts before that
        # (bot/app.py), and updates fetched meanwhile are stored in the inbox and wait here.
        self.ready = asyncio.Event()
        # Set with ``ready`` when the content could not be loaded and the bot is stopping:
        # the waiting updates are left unhandled (the inbox keeps them for the next start).
        self.refused = False

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self.handle_now(update, coroutine)

    async def handle_now(self, update: object, coroutine: Awaitable[Any]) -> bool:
        """Handle ``update`` (its chat's earlier ones first); False when it was left
        pending (stopping, or the content could not be loaded)."""
        key = chat_key(update)
        previous = self._tails.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = mine
        self._running += 1
        self._idle.clear()
        try:
            await self.ready.wait()
            if self.refused:
                if inspect.iscoroutine(coroutine):
                    coroutine.close()
                return False
            if previous is not None:
                await previous
            if not await self._handle(update, coroutine):
                return False
            self.metrics.update_handled()
            if self.done is not None and isinstance(update, Update):
                self.done.add(update.update_id)
            return True
        finally:
            mine.set_result(None)
            if self._tails.get(key) is mine:
                del self._tails[key]
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def _handle(self, update: object, coroutine: Awaitable[Any]) -> bool:
        """Run the handlers; after a storage failure wait and run them again (the chat's
        later updates wait too, so its order holds). False: stopping with the update still
        pending in the inbox (the next start handles it)."""
        delay = RETRY_FIRST
        while True:
            async with self._slots:
                started = time.perf_counter()
                await coroutine
                self.timings.append(time.perf_counter() - started)
            if not self._failed_on_storage(update):
                return True
            if self.rerun is None or not await self._pause(delay):
                return False
            delay = min(delay * 2, RETRY_MAX)
            coroutine = self.rerun(update)

    def storage_failed(self, update: object) -> None:
        """The error handler saw a storage failure while handling ``update``."""
        if isinstance(update, Update):
            self._storage_failed.add(update.update_id)

    def _failed_on_storage(self, update: object) -> bool:
        if not isinstance(update, Update) or update.update_id not in self._storage_failed:
            return False
        self._storage_failed.discard(update.update_id)
        return True

    async def _pause(self, seconds: float) -> bool:
        """Wait ``seconds``; False when stopping meanwhile."""
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            return True
        return False

    def stop_retrying(self) -> None:
        """Stopping: updates waiting to be handled again stay pending in the inbox."""
        self._stopping.set()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        await self.idle()
        if self.timings:
            ordered = sorted(self.timings)
            log.info(
                "handled %d updates: processing p50 %.1f ms, p95 %.1f ms, max %.1f ms",
                len(ordered),
                ordered[len(ordered) // 2] * 1000,
                ordered[int(0.95 * (len(ordered) - 1))] * 1000,
                ordered[-1] * 1000,
            )

    async def idle(self) -> None:
        """Until no update is being handled (and what was handled is marked done)."""
        await self._idle.wait()
        if self.done is not None:
            await self.done.wait()


def replay(svc: Services, bot: ExtBot[int], payloads: Sequence[dict[str, Any]]) -> list[Update]:
    """Updates stored but not done before a crash, rebuilt to be handled again."""
    found = []
    for payload in payloads:
        try:
            found.append(Update.de_json(payload, bot))
        except Exception:  # a row we cannot read must not stop the start
            log.exception("inbox: cannot rebuild update %s", payload.get("update_id"))
    return found
