"""What /healthz answers: the application runs, the database answers, the loops go round.

Run on the event loop (bot/ops/server.py), so a loop that is stuck cannot answer at all,
and the database is asked through the bot's own reader connection, with a timeout; then,
in worker threads, whether the database path still names the file the bot has open (a
file unlinked or replaced under the bot takes every write into a file nobody reads), and
whether a write transaction can start within ``WRITE_TIMEOUT``. The checks live here, not
in the HTTP server, so any server can answer /healthz with them. The
tick and sender stamps are set on ``Metrics`` by the loops themselves, with the app's clock.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.ops.metrics import Metrics
from bot.services import Services

DB_TIMEOUT = 2.0
# A write that cannot start within a second: another process holds the lock (a backup
# tool, a sqlite3 shell left in a transaction), and the bot's own writes wait the same.
WRITE_TIMEOUT = 1.0
# The sender goes round at least once a second when idle and once per round of 8 sends.
SENDER_LIMIT = timedelta(seconds=60)


@dataclass(frozen=True)
class Health:
    ok: bool
    problems: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        status = "ok" if self.ok else "unavailable"
        return {"status": status, "problems": self.problems, **self.details}


def tick_limit(tick_seconds: float) -> timedelta:
    """Three missed ticks, and never less than 90 s (a tick may take a while)."""
    return timedelta(seconds=max(3 * tick_seconds, 90))


async def check(svc: Services, metrics: Metrics, running: bool) -> Health:
    now = svc.clock.now()
    problems = [] if running else ["application: not running"]
    database = await _database(svc)
    if database != "ok":
        problems.append(f"database: {database}")
    ages = {}
    for name, stamp, limit in (
        ("tick", metrics.tick_at, tick_limit(svc.settings.tick_seconds)),
        ("sender", metrics.sender_at, SENDER_LIMIT),
    ):
        age = now - (stamp or metrics.started_at)  # not run yet: counted from the start
        ages[f"{name}_age_seconds"] = round(age.total_seconds(), 1)
        if age > limit:
            seconds, most = age.total_seconds(), limit.total_seconds()
            problems.append(f"{name}: last ran {seconds:.0f} s ago (limit {most:.0f} s)")
    return Health(not problems, problems, {"database": database, **ages})


async def _database(svc: Services) -> str:
    """Reads answer, the path still names the open file, and a write can start."""
    try:
        await asyncio.wait_for(svc.db.ping(), DB_TIMEOUT)
        moved = await asyncio.wait_for(asyncio.to_thread(svc.db.file_problem), DB_TIMEOUT)
        if moved is not None:
            return moved
        blocked = await asyncio.wait_for(
            asyncio.to_thread(svc.db.write_blocked, WRITE_TIMEOUT), DB_TIMEOUT + WRITE_TIMEOUT
        )
        if blocked is not None:
            return blocked
    except TimeoutError:
        return f"no answer within {DB_TIMEOUT:g} s"
    except Exception as exc:  # closed, corrupt, disk gone: the reason is the answer
        return f"{type(exc).__name__}: {exc}"
    return "ok"
