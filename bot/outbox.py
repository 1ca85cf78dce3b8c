"""Sending the outbox: the one place that delivers what the bot writes to Telegram.

Rows are written in the same transaction as the state change that caused them, with an
idempotency key; this module sends due rows and records each result. Telegram specifics
stay outside: the caller hands in a ``send`` function that raises the errors below.

Order and fairness: rows go out by priority (a reply someone waits for before notices,
notices before broadcasts), then in the order they were written; one row per chat is in
flight at a time, so a chat's messages keep their order, while different chats are sent
concurrently. Telegram's limits are kept by ``bot.ratelimit``: a chat that is at its
limit is skipped, never waited for, so a busy group cannot hold up anyone else.

The one send window: a crash after Telegram accepted a message and before ``mark_sent``
committed sends that row again after restart; every other path sends a key at most once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import aiosqlite

from bot.ratelimit import Limits, RateLimiter
from storage import outbox as repo
from storage.outbox import OutboxRow

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
IN_FLIGHT = 8  # concurrent sends, each to a different chat
ROUND = 200  # rows read per round


class SendError(Exception):
    outcome = "error"  # the label of the send-time metric


class RetryLater(SendError):
    """Flood control: nothing more should be sent to this chat for ``seconds``."""

    outcome = "retry"

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class ChatGone(SendError):
    """The bot was kicked/blocked or the chat does not exist: stop sending there."""

    outcome = "gone"


class Rejected(SendError):
    """Telegram refused this message for good (bad request)."""

    outcome = "rejected"


class Transient(SendError):
    """Network trouble or a server error: try again later."""

    outcome = "transient"


Send = Callable[[OutboxRow], Awaitable[int]]
# Recorded in the transaction that marks a row sent: (tx, argument, message id).
SentHook = Callable[[aiosqlite.Connection, str, int], Awaitable[None]]
# Told when a chat refuses us for good: (svc, row, reason).
GoneHook = Callable[["Services", OutboxRow, str], Awaitable[None]]


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0
    postponed: int = 0
    throttled: int = 0


class Sender:
    """Per-application sending state: the limiter, one drain at a time, the wake-up."""

    def __init__(self, svc: Services, limits: Limits) -> None:
        self.svc = svc
        self.limiter = RateLimiter(limits, svc.clock.now)
        self.sent_hooks: dict[str, SentHook] = {}
        self.gone_hooks: list[GoneHook] = []
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Something was enqueued: drain now rather than at the next tick."""
        self._wake.set()

    def start(self, send: Send) -> None:
        self._task = asyncio.create_task(self._run(send), name="lobot-sender")

    async def stop(self) -> None:
        """Finish the send in flight and record it; send nothing more."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _run(self, send: Send) -> None:
        while not self._stopping:
            self.svc.metrics.sender_alive(self.svc.clock.now())
            self._wake.clear()
            try:
                result = await self.drain(send)
            except Exception:  # a bug or a database error must not end sending for good
                log.exception("outbox drain failed")
                result = DrainResult()
            # Throttled rows wait for a token; otherwise sleep until woken or a short
            # poll (rows postponed to a later time fall due on the clock).
            timeout = 0.2 if result.throttled else 1.0
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except TimeoutError:
                pass

    async def drain(self, send: Send, limit: int = 1000) -> DrainResult:
        """Send due rows (up to ``limit``) in rounds; one drain at a time."""
        result = DrainResult()
        async with self._lock:
            while not self._stopping and result.sent + result.failed < limit:
                before = (result.sent, result.failed, result.postponed)
                await self._round(send, result)
                if (result.sent, result.failed, result.postponed) == before:
                    break
        return result

    async def _round(self, send: Send, result: DrainResult) -> None:
        svc = self.svc
        svc.metrics.sender_alive(svc.clock.now())  # a long drain is alive too
        # Read on the writer, inside a transaction: the reader connection shares one
        # snapshot while any statement on it is still open (a long report query, say),
        # and a stale snapshot shows rows this sender has just marked sent as pending,
        # which sent them twice (10 of 2,000 groups in bench/broadcast.py).
        async with svc.db.transaction() as tx:
            rows = await repo.due(tx, svc.clock.now(), ROUND, self.limiter.blocked_chats())
        picked: list[OutboxRow] = []
        seen: set[int] = set()
        for row in rows:
            if row.chat_id in seen:
                continue  # one row per chat per round keeps the chat's order
            seen.add(row.chat_id)
            if self.limiter.reserve(row.chat_id) > 0:
                result.throttled += 1
                continue
            picked.append(row)
            if len(picked) >= IN_FLIGHT:
                break
        if not picked:
            return
        sent = await asyncio.gather(*(self._send_one(send, row, result) for row in picked))
        # One transaction records the whole round: fewer hops to the database thread, and
        # still at most IN_FLIGHT rows inside the send window.
        done = [
            (row, message_id) for row, message_id in zip(picked, sent, strict=True) if message_id
        ]
        if done:
            await self._record_sent(done)
            result.sent += len(done)

    async def _send_one(self, send: Send, row: OutboxRow, result: DrainResult) -> int | None:
        """The message id when Telegram accepted the row; failures are recorded here."""
        svc = self.svc
        try:
            return await self._timed(send, row)
        except RetryLater as exc:
            log.warning("chat %s: flood control, retry in %.0f s", row.chat_id, exc.seconds)
            self.limiter.block(row.chat_id, max(exc.seconds, 1))
            await self._postpone(row, timedelta(seconds=max(exc.seconds, 1)), str(exc))
            result.postponed += 1
        except ChatGone as exc:
            log.warning("chat %s unreachable (%s); outbox %s not sent", row.chat_id, exc, row.key)
            for hook in self.gone_hooks:
                await hook(svc, row, str(exc))
            result.failed += 1
        except Rejected as exc:
            log.error("outbox %s to chat %s rejected by Telegram: %s", row.key, row.chat_id, exc)
            async with svc.db.transaction() as tx:
                await repo.mark_failed(tx, row.id, str(exc))
            result.failed += 1
        except Transient as exc:
            if row.attempts + 1 >= MAX_ATTEMPTS:
                log.error("outbox %s to chat %s failed for good: %s", row.key, row.chat_id, exc)
                async with svc.db.transaction() as tx:
                    await repo.mark_failed(tx, row.id, str(exc))
                result.failed += 1
            else:
                log.warning("outbox %s to chat %s: %s; will retry", row.key, row.chat_id, exc)
                delay = timedelta(seconds=min(30 * 2**row.attempts, 3600))
                await self._postpone(row, delay, str(exc))
                result.postponed += 1
        return None

    async def _timed(self, send: Send, row: OutboxRow) -> int:
        """``send``, its wall time told to the metrics by outcome (not the database work)."""
        started = time.perf_counter()
        outcome = "error"
        try:
            message_id = await send(row)
            outcome = "sent"
            return message_id
        except SendError as exc:
            outcome = exc.outcome
            raise
        finally:
            self.svc.metrics.send_finished(outcome, time.perf_counter() - started)

    async def _record_sent(self, done: list[tuple[OutboxRow, int]]) -> None:
        now = self.svc.clock.now()
        async with self.svc.db.transaction() as tx:
            await repo.mark_sent_many(tx, [(row.id, message_id) for row, message_id in done], now)
            for row, message_id in done:
                if not row.on_sent:
                    continue
                name, _, arg = row.on_sent.partition(":")
                hook = self.sent_hooks.get(name)
                if hook is None:
                    log.error("outbox %s: no sent hook named %r", row.key, name)
                else:
                    await hook(tx, arg, message_id)

    async def _postpone(self, row: OutboxRow, delay: timedelta, error: str) -> None:
        async with self.svc.db.transaction() as tx:
            await repo.postpone(tx, row.id, self.svc.clock.now() + delay, error)


def sender_of(svc: Services) -> Sender:
    """The application's sender (built on first use with the settings' limits)."""
    if svc.sender is None:
        s = svc.settings
        svc.sender = Sender(
            svc,
            Limits(
                per_second=s.send_per_second,
                group_per_minute=s.send_group_per_minute,
                private_per_second=s.send_private_per_second,
                enabled=s.send_limits,
            ),
        )
    sender: Sender = svc.sender
    return sender


async def drain(svc: Services, send: Send, limit: int = 1000) -> DrainResult:
    """Send every due row now (the tick and tests call this)."""
    return await sender_of(svc).drain(send, limit)


def wake(svc: Services) -> None:
    if svc.sender is not None:
        svc.sender.wake()
