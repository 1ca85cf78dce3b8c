"""Draining the outbox: the one place that sends what the bot says on its own initiative.

Rows are written in the same transaction as the state change that caused them, with an
idempotency key; this module sends due rows in order and records each result. Telegram
specifics stay outside: the caller hands in a ``send`` function that raises the errors
below.

A crash between Telegram accepting a message and ``mark_sent`` committing would send
that one row again after restart; every other path sends a key at most once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.groups import bot_removed
from bot.services import Services
from storage import outbox as repo
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


class SendError(Exception):
    pass


class RetryLater(SendError):
    """Flood control: nothing more should be sent for ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class ChatGone(SendError):
    """The bot was kicked/blocked or the chat does not exist: stop sending there."""


class Rejected(SendError):
    """Telegram refused this message for good (bad request)."""


class Transient(SendError):
    """Network trouble or a server error: try again later."""


Send = Callable[[OutboxRow], Awaitable[int]]


@dataclass
class DrainResult:
    sent: int = 0
    failed: int = 0
    postponed: int = 0


_lock = asyncio.Lock()


async def drain(svc: Services, send: Send, limit: int = 200) -> DrainResult:
    """Send every due row (up to ``limit``); one drain at a time."""
    result = DrainResult()
    async with _lock:
        rows = await repo.due(svc.db.reader, svc.clock.now(), limit)
        for row in rows:
            if not await _send_one(svc, send, row, result):
                break
    return result


async def _send_one(svc: Services, send: Send, row: OutboxRow, result: DrainResult) -> bool:
    """Send a row and record the outcome; False means stop this drain (flood control)."""
    try:
        message_id = await send(row)
    except RetryLater as exc:
        await _postpone(svc, row, timedelta(seconds=max(exc.seconds, 1)), str(exc))
        result.postponed += 1
        return False
    except ChatGone as exc:
        await bot_removed(svc, row.chat_id, str(exc))  # fails this row and the chat's others
        result.failed += 1
        return True
    except Rejected as exc:
        log.error("outbox %s rejected by Telegram: %s", row.key, exc)
        async with svc.db.transaction() as tx:
            await repo.mark_failed(tx, row.id, str(exc))
        result.failed += 1
        return True
    except Transient as exc:
        if row.attempts + 1 >= MAX_ATTEMPTS:
            async with svc.db.transaction() as tx:
                await repo.mark_failed(tx, row.id, str(exc))
            result.failed += 1
        else:
            delay = timedelta(seconds=min(30 * 2**row.attempts, 3600))
            await _postpone(svc, row, delay, str(exc))
            result.postponed += 1
        return True
    async with svc.db.transaction() as tx:
        await repo.mark_sent(tx, row.id, message_id, svc.clock.now())
    result.sent += 1
    return True


async def _postpone(svc: Services, row: OutboxRow, delay: timedelta, error: str) -> None:
    async with svc.db.transaction() as tx:
        await repo.postpone(tx, row.id, svc.clock.now() + delay, error)
