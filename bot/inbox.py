"""The inbox: no update is lost to a crash. No Telegram here (updates are plain dicts).

Telegram forgets an update once the next getUpdates names a higher offset. We store every
update before that call (``accept``), handle it, and mark it done afterwards (``done``).
Handling is idempotent: a question already ticketed is not ticketed again, an answer
already recorded is not recorded again, and every reply or notice is an outbox row with a
key derived from the update or the change, so a second run writes nothing new. After a
crash, ``unfinished`` gives back what was stored and not done, in order.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from bot.logsetup import Repeated
from bot.services import Services
from storage import inbox as repo
from storage.db import is_storage_failure

__all__ = ["is_storage_failure"]  # handlers ask here: they do not import storage

log = logging.getLogger(__name__)

KEEP_DONE = timedelta(days=2)  # Telegram keeps unconfirmed updates for 24 hours


async def accept(svc: Services, updates: list[tuple[int, int | None, dict[str, Any]]]) -> set[int]:
    """Store a batch from getUpdates; returns the ids to handle (re-deliveries dropped)."""
    async with svc.db.transaction() as tx:
        return await repo.store_new(tx, updates, svc.clock.now())


async def unfinished(svc: Services) -> list[dict[str, Any]]:
    return await repo.pending(svc.db.reader)


class DoneMarker:
    """Marks handled updates done, a batch per write: one transaction for many updates."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self._ids: list[int] = []
        self._flushing: asyncio.Task[None] | None = None
        self._log = Repeated(log)

    def add(self, update_id: int) -> None:
        self._ids.append(update_id)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        while self._ids:
            ids, self._ids = self._ids, []
            try:
                async with self.svc.db.transaction() as tx:
                    await repo.mark_done(tx, ids, self.svc.clock.now())
            except Exception as exc:
                if not is_storage_failure(exc):
                    raise
                # Left pending: the next start handles them again, which changes nothing
                # (handling is idempotent per update); better than losing the mark quietly.
                self._log.error("inbox: cannot mark %d updates done: %s", len(ids), exc)

    async def wait(self) -> None:
        """Until every id added so far is recorded (shutdown, tests)."""
        while self._flushing is not None and not self._flushing.done():
            await self._flushing


async def purge(svc: Services) -> int:
    async with svc.db.transaction() as tx:
        return await repo.purge_done(tx, svc.clock.now() - KEEP_DONE)


async def purge_scan(svc: Services) -> int:
    """Tick scanner: forget old handled updates (enqueues nothing)."""
    await purge(svc)
    return 0
