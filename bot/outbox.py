"""Sending the outbox: the one place that delivers what the bot writes to Telegram.

Rows are written in the same transaction as the state change that caused them, with an
idempotency key; this module sends due rows and records each result. Telegram specifics
stay outside: the caller hands in a ``send`` function that raises the errors below.

Order and fairness: rows go out by priority (a reply someone waits for before notices,
notices before broadcasts), then in the order they were written; one row per chat is in
flight at a time, so a chat's messages keep their order, while different chats are sent
concurrently. Telegram's limits are kept by ``bot.ratelimit`` (sliding windows, as
Telegram counts): a chat that is at its limit is skipped, never waited for, so a busy
group cannot hold up anyone else, and the sender sleeps exactly until a window has room.

Failures: a 429 is Telegram saying when to come back, not a failure: the chat (or, when
two chats are refused within a second, the whole bot) waits the time Telegram named and
the row is not charged an attempt. Network trouble and server errors are retried with
a backoff that doubles up to ``MAX_BACKOFF``, for as long as it takes: no row fails for
a transient error. Only Telegram's refusal for good (a bad request, a chat that is gone)
ends a row unsent.

The one send window: a crash after Telegram accepted a message and before ``mark_sent``
committed sends that row again after restart; every other path sends a key at most once.

Several workers (PostgreSQL, bot/workers.py): each round *claims* its rows instead of
just reading them (storage/outbox.py ``claimable``, FOR UPDATE SKIP LOCKED), one worker
at a time, and only rows of chats no other live worker is sending to, so a chat's rows
still go out one at a time and in order. The windows of ``bot.ratelimit`` are then read
from the database in that same claim and the round's messages written back as slots
(storage/send_windows.py), so all workers together stay inside Telegram's limits; a 429
is shared the same way. A worker that dies leaves its claims to the others (its session
ends: storage/coordination.py); a row it was sending at that moment may go out twice,
the send window above.
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

from bot.logsetup import Repeated
from bot.ratelimit import Limits, RateLimiter, Slot
from messages.format import TELEGRAM_CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT, split_text
from storage import outbox as repo
from storage import send_windows as windows
from storage.db import is_storage_failure
from storage.outbox import OutboxRow

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

IN_FLIGHT = 8  # concurrent sends, each to a different chat
ROUND = 200  # due rows looked at per round (their ids and chats)
# Chats whose first due row is read whole per round: IN_FLIGHT go, the rest may be in a
# full window (limiter.wait) and are passed over.
HEADS = 50
FIRST_BACKOFF = 30.0  # seconds after the first transient failure, doubled after each
MAX_BACKOFF = 300.0  # never longer than five minutes between two tries
GLOBAL_429 = 1.0  # two chats refused within this many seconds: the bot's limit was hit


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
    next_in: float = 1.0  # seconds until a throttled chat (or the bot) may send again


def messages_in(row: OutboxRow) -> int:
    """How many messages Telegram counts for ``row`` (handlers/sender.py sends them):
    an edit is one, a long text goes in parts, a file takes its text as caption when it
    fits and otherwise goes before the text."""
    if row.edit_message_id is not None:
        return 1
    if row.attachment is not None and len(row.text) <= TELEGRAM_CAPTION_LIMIT:
        return 1
    parts = 1 if len(row.text) <= TELEGRAM_TEXT_LIMIT else len(split_text(row.text))
    return parts + (1 if row.attachment is not None else 0)


class Sender:
    """Per-application sending state: the limiter, one drain at a time, the wake-up."""

    def __init__(self, svc: Services, limits: Limits) -> None:
        self.svc = svc
        self.limits = limits
        self.limiter = RateLimiter(limits, svc.clock.now)
        self._blocks: list[tuple[int, float]] = []  # 429 waits to share (chat, 0: the bot)
        self.sent_hooks: dict[str, SentHook] = {}
        self.gone_hooks: list[GoneHook] = []
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._last_429: tuple[float, int] | None = None  # (when, chat) of the last 429
        self._storage_log = Repeated(log)

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
            except Exception as exc:  # a bug or a database error must not end sending
                if is_storage_failure(exc):  # a full disk: one line a minute, not ten a second
                    self._storage_log.error("outbox drain failed: %s", exc)
                else:
                    log.exception("outbox drain failed")
                result = DrainResult(throttled=1)  # try again within a second
            # Throttled rows wait exactly until a window has room (not a fixed poll, which
            # would leave slots of Telegram's second unused); otherwise sleep until woken
            # or a short poll (rows postponed to a later time fall due on the clock).
            timeout = min(max(result.next_in, 0.005), 1.0) if result.throttled else 1.0
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
        shared = svc.db.coordination is not None
        picked = await (self._claim(result) if shared else self._read(result))
        if not picked:
            return
        try:
            sent = await asyncio.gather(
                *(self._send_one(send, row, slots, result) for row, slots in picked)
            )
            # One transaction records the whole round: fewer hops to the database thread,
            # and still at most IN_FLIGHT rows inside the send window.
            done = [
                (row, message_id)
                for (row, _), message_id in zip(picked, sent, strict=True)
                if message_id
            ]
            if done:
                await self._record_sent(done)
                result.sent += len(done)
        finally:
            if shared:
                await self._release(picked)

    async def _read(self, result: DrainResult) -> list[tuple[OutboxRow, list[Slot]]]:
        """One process: the due rows, picked within the limiter's windows."""
        svc = self.svc
        bot_blocked = self.limiter.bot_blocked()
        if bot_blocked > 0:  # Telegram refused the bot as a whole: nobody goes
            result.throttled += 1
            result.next_in = min(result.next_in, bot_blocked)
            return []
        # Read on the writer, inside a transaction: the reader connection shares one
        # snapshot while any statement on it is still open (a long report query, say),
        # and a stale snapshot shows rows this sender has just marked sent as pending,
        # which sent them twice (10 of 2,000 groups in bench/broadcast.py).
        async with svc.db.transaction() as tx:
            rows = await repo.heads(tx, svc.clock.now(), ROUND, self.limiter.blocked_chats(), HEADS)
        return self._pick(rows, result)

    async def _claim(self, result: DrainResult) -> list[tuple[OutboxRow, list[Slot]]]:
        """Several workers: claim due rows, within the windows all workers share (module
        docstring); the limiter is rebuilt from the database for the round."""
        svc = self.svc
        coordination = svc.db.coordination
        now = svc.clock.now()
        limiter = self.limiter = RateLimiter(self.limits, svc.clock.now)
        async with coordination.claiming() as tx:
            slots, blocks = await windows.load(tx, now.timestamp())
            limiter.load(slots, blocks)
            bot_blocked = limiter.bot_blocked()
            if bot_blocked > 0:
                result.throttled += 1
                result.next_in = min(result.next_in, bot_blocked)
                return []
            live = await coordination.live_workers(tx)
            rows = await repo.claimable(
                tx, now, ROUND, limiter.blocked_chats(), coordination.worker, live
            )
            picked = self._pick(rows, result)
            if picked:
                await repo.claim(tx, [row.id for row, _ in picked], coordination.worker)
                if self.limits.enabled:
                    taken = [s for _, row_slots in picked for s in row_slots]
                    chats = [row.chat_id for row, row_slots in picked for _ in row_slots]
                    for slot, slot_id in zip(
                        taken, await windows.take(tx, chats, now.timestamp()), strict=True
                    ):
                        slot.id = slot_id
        return picked

    async def _release(self, picked: list[tuple[OutboxRow, list[Slot]]]) -> None:
        """After a round of several workers: the messages count from their answers (now,
        which is never early), 429 waits are shared, unfinished rows are free again."""
        coordination = self.svc.db.coordination
        slot_ids = [s.id for _, row_slots in picked for s in row_slots if s.id is not None]
        blocks, self._blocks = self._blocks, []
        async with coordination.claiming() as tx:
            await windows.answered(tx, slot_ids, self.limiter.seconds())
            for chat, until in blocks:
                await windows.block(tx, chat, until)
            await repo.unclaim(tx, [row.id for row, _ in picked], coordination.worker)

    def _pick(
        self, rows: list[OutboxRow], result: DrainResult
    ) -> list[tuple[OutboxRow, list[Slot]]]:
        """Up to IN_FLIGHT rows, one per chat, each with its slots in Telegram's windows."""
        picked: list[tuple[OutboxRow, list[Slot]]] = []
        seen: set[int] = set()
        for row in rows:
            if row.chat_id in seen:
                continue  # one row per chat per round keeps the chat's order
            seen.add(row.chat_id)
            n = messages_in(row)
            wait = self.limiter.wait(row.chat_id, n)
            if wait > 0:
                result.throttled += 1
                result.next_in = min(result.next_in, wait)
                if self.limiter.bot_wait(n) > 0:
                    break  # the bot's second is full: no later row can go either
                continue
            picked.append((row, self.limiter.take(row.chat_id, n)))
            if len(picked) >= IN_FLIGHT:
                break
        return picked

    async def _send_one(
        self, send: Send, row: OutboxRow, slots: list[Slot], result: DrainResult
    ) -> int | None:
        """The message id when Telegram accepted the row; failures are recorded here."""
        svc = self.svc
        try:
            return await self._timed(send, row)
        except RetryLater as exc:
            self._flood(row, exc.seconds)
            await self._postpone(row, max(exc.seconds, 1), str(exc), "flood", attempt=False)
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
            delay = backoff(row.attempts)
            log.warning(
                "outbox %s to chat %s: %s; retry in %.0f s", row.key, row.chat_id, exc, delay
            )
            await self._postpone(row, delay, str(exc), "transient", attempt=True)
            result.postponed += 1
        finally:
            self.limiter.done(slots)
        return None

    def _flood(self, row: OutboxRow, seconds: float) -> None:
        """Honour a 429: that chat waits; when another chat was refused within a second
        too, it was the bot's own limit (Telegram does not say which), so everyone waits."""
        seconds = max(seconds, 1)
        now = self.limiter.seconds()
        last, self._last_429 = self._last_429, (now, row.chat_id)
        whole_bot = last is not None and last[1] != row.chat_id and now - last[0] <= GLOBAL_429
        log.warning(
            "%s: flood control, retry in %.0f s",
            "the bot" if whole_bot else f"chat {row.chat_id}",
            seconds,
        )
        self.limiter.block(None if whole_bot else row.chat_id, seconds)
        if self.svc.db.coordination is not None:  # the other workers wait too
            until = self.limiter.seconds() + seconds
            self._blocks.append((0 if whole_bot else row.chat_id, until))

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

    async def _postpone(
        self, row: OutboxRow, seconds: float, error: str, reason: str, *, attempt: bool
    ) -> None:
        """Try ``row`` again in ``seconds``; ``attempt``: the failure counts toward its
        backoff (a 429 does not: it is Telegram's schedule, not our failure)."""
        self.svc.metrics.send_postponed(reason, seconds)
        until = self.svc.clock.now() + timedelta(seconds=seconds)
        async with self.svc.db.transaction() as tx:
            await repo.postpone(tx, row.id, until, error, attempt=attempt)


def backoff(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` transient failures: 30 s, 60 s,
    ... capped at five minutes, so a long outage is followed within minutes."""
    return min(FIRST_BACKOFF * 2 ** min(attempts, 16), MAX_BACKOFF)


def sender_of(svc: Services) -> Sender:
    """The application's sender (built on first use with the settings' limits)."""
    if svc.sender is None:
        s = svc.settings
        svc.sender = Sender(
            svc,
            Limits.of(
                s.send_per_second,
                s.send_group_per_minute,
                s.send_private_per_second,
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
