"""Benchmark: the tick's scan over 100,000 open tickets.

    .venv/bin/python -m bench.tickets_scan [--tickets 100000]

Seeds open tickets spread over the past weeks (as a busy office after an outage would
have), then times: the scan when nothing fell due, the scan when 1,000 stages fell due
(reminders and alerts written to the outbox), and the office-wide /tiket listing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import WIB, services, timed
from bot import tickets as domain
from storage import groups, people
from storage import tickets as repo
from storage.timefmt import ts


async def seed(svc, n: int, now: datetime) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(7)
    async with svc.db.transaction() as tx:
        await groups.upsert_joined(tx, -1, "Grup", now)
        await groups.register(tx, -1, 10, "K/L", now)
        await people.grant(tx, 1, 20, "supervisor", 1, now)
        rows = []
        for i in range(n):
            created = now - timedelta(minutes=rnd.randint(60, 60 * 24 * 30))
            due = (
                svc.calendar.add_working_hours(created, 16)
                if i < 2000
                else now + timedelta(days=rnd.randint(3, 40))
            )
            nxt = due if i < 2000 else now + timedelta(days=rnd.randint(1, 30))
            rows.append(
                (
                    f"2026-{i + 1:06d}",
                    -1,
                    i,
                    10,
                    "grup",
                    f"pertanyaan {i}",
                    "baru",
                    ts(created),
                    ts(created),
                    ts(due),
                    ts(due),
                    ts(nxt),
                    2 if i < 2000 else 0,
                )
            )
        await tx.executemany(
            """INSERT INTO tickets (number, chat_id, message_id, lo_user_id, channel, text,
               status, created_at, clock_start_at, due_at, first_due_at, next_due_at, stage)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            rows,
        )


async def main(n: int) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
    with tempfile.TemporaryDirectory() as tmp:
        svc = await services(Path(tmp) / "bench.sqlite3", now)
        await seed(svc, n, now)
        # 2,000 tickets sit at their alert stage and are due; process them in two ticks.
        svc.clock.set(now - timedelta(days=400))  # nothing due yet
        idle_med, idle_max = await timed(lambda: domain.scan(svc), repeat=9)
        svc.clock.set(now)
        start = asyncio.get_running_loop().time()
        processed = await domain.scan(svc)
        busy = asyncio.get_running_loop().time() - start
        list_med, list_max = await timed(
            lambda: repo.open_tickets(svc.db.reader, 1, limit=30), repeat=9
        )
        outbox = await svc.db.fetchone("SELECT count(*) FROM outbox")
        await svc.db.close()
    print(f"open tickets: {n:,}")
    print(f"scan, nothing due: median {idle_med * 1000:.2f} ms, max {idle_max * 1000:.2f} ms")
    print(
        f"scan, {processed:,} stages due: {busy * 1000:.0f} ms "
        f"({outbox[0] if outbox else 0:,} outbox rows written)"
    )
    print(
        f"/tiket office listing (count + 30 oldest): median {list_med * 1000:.1f} ms, "
        f"max {list_max * 1000:.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().tickets))
