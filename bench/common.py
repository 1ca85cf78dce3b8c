"""Shared set-up for benchmarks: a Services object over a fresh database file."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import FakeClock
from bot.services import Services, make_calendar
from config.settings import Settings
from storage.db import Database

WIB = ZoneInfo("Asia/Jakarta")


async def services(path: Path, now: datetime) -> Services:
    """``path`` must not exist yet (benchmarks use a fresh temporary folder)."""
    settings = Settings(token="1:x", database=path)
    db = Database(path)
    await db.open()
    return Services(settings, db, FakeClock(now), make_calendar(settings))


async def timed(fn: Callable[[], Awaitable[object]], repeat: int = 5) -> tuple[float, float]:
    """(median, max) wall seconds over ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), max(runs)
