"""The tick: ask the database what fell due, enqueue it, then drain the outbox.

Features register a scanner (``async def scan(svc) -> int``) that turns due work into
outbox rows inside its own transactions. Nothing important lives in the scheduler's
memory: after downtime the next tick finds everything that fell due meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot import outbox
from bot.services import Services

log = logging.getLogger(__name__)

Scanner = Callable[[Services], Awaitable[int]]
_scanners: list[tuple[str, Scanner]] = []


def add_scanner(name: str, scanner: Scanner) -> None:
    if name not in {n for n, _ in _scanners}:
        _scanners.append((name, scanner))


@dataclass
class TickResult:
    enqueued: int
    drained: outbox.DrainResult


async def tick(svc: Services, send: outbox.Send) -> TickResult:
    enqueued = 0
    for name, scanner in _scanners:
        try:
            enqueued += await scanner(svc)
        except Exception:  # one broken feature must not stop the others' alerts
            log.exception("scanner %s failed", name)
    drained = await outbox.drain(svc, send)
    return TickResult(enqueued, drained)
