"""The tick: ask the database what fell due, enqueue it, then drain the outbox.

Each feature has a scanner (``async def scan(svc) -> int``) that turns due work into
outbox rows inside its own transactions; the app factory lists them in ``svc.scanners``.
Nothing important lives in the scheduler's memory: after downtime the next tick finds
everything that fell due meanwhile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import outbox
from bot.services import Services

log = logging.getLogger(__name__)


@dataclass
class TickResult:
    enqueued: int
    drained: outbox.DrainResult


async def tick(svc: Services, send: outbox.Send) -> TickResult:
    svc.metrics.tick_started(svc.clock.now())
    enqueued = 0
    for name, scanner in svc.scanners:
        try:
            enqueued += await scanner(svc)
        except Exception:  # one broken feature must not stop the others' alerts
            log.exception("scanner %s failed", name)
    drained = await outbox.drain(svc, send)
    return TickResult(enqueued, drained)
