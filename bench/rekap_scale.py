"""Benchmark: /rekap over a year with 1,000,000 tickets.

    .venv/bin/python -m bench.rekap_scale [--tickets 1000000] [--skip-workbook]

Seeds a year of tickets (six channels, 40 groups, 25 LOs, 400 satker; 85% answered, 88%
of those on time), then times the recap summary (what the chat reply needs) for the
whole year, and the workbook build with its peak Python memory (tracemalloc) and the
process's peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import WIB, services
from bot import periods, report_files, reports
from storage import groups, people
from storage.timefmt import ts

CHANNELS = ("grup", "grup", "grup", "meja_layanan", "telepon", "surat", "email", "whatsapp")


async def seed(svc, n: int) -> None:  # type: ignore[no-untyped-def]
    rnd = random.Random(11)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        for lo in range(25):
            await people.upsert_user(tx, 1000 + lo, None, f"LO {lo}", now)
            await people.grant(tx, 1, 1000 + lo, "lo", 1, now)
        for cso in range(3):
            await people.upsert_user(tx, 2000 + cso, None, f"CSO {cso}", now)
            await people.grant(tx, 1, 2000 + cso, "cso", 1, now)
        for g in range(40):
            await groups.upsert_joined(tx, -100 - g, f"Grup {g}", now)
            await groups.register(tx, -100 - g, 1000 + g % 25, "K/L", now)
            for s in range(10):
                await groups.add_satker(tx, -100 - g, f"{g * 10 + s:06d}", f"Satker {g}-{s}")
    year_start = datetime(2026, 1, 1, tzinfo=WIB).astimezone(UTC)
    batch: list[tuple[object, ...]] = []
    for i in range(n):
        created = year_start + timedelta(seconds=rnd.randrange(0, 364 * 86400))
        due = created + timedelta(hours=48)
        g = rnd.randrange(40)
        answered = rnd.random() < 0.85
        on_time = answered and rnd.random() < 0.88
        waited = round(rnd.uniform(0.5, 15.9) if on_time else rnd.uniform(16, 40), 2)
        batch.append(
            (
                f"2026-{i + 1:07d}",
                -100 - g,
                i,
                f"{g * 10 + rnd.randrange(10):06d}",
                CHANNELS[i % len(CHANNELS)],
                f"Pertanyaan operator nomor {i} tentang layanan",
                1000 + g % 25,
                "selesai" if answered else "baru",
                ts(created),
                ts(created),
                ts(due),
                ts(due),
                ts(created + timedelta(hours=waited * 2)) if answered else None,
                waited if answered else 0.0,
                (1 if on_time else 0) if answered else None,
                rnd.randint(3, 5) if answered and i % 4 == 0 else None,
                2000 + i % 3 if i % 8 >= 3 else None,
            )
        )
        if len(batch) == 50_000:
            await _flush(svc, batch)
            batch = []
    if batch:
        await _flush(svc, batch)


async def _flush(svc, rows: list[tuple[object, ...]]) -> None:  # type: ignore[no-untyped-def]
    async with svc.db.transaction() as tx:
        await tx.executemany(
            """INSERT INTO tickets (number, chat_id, message_id, kode_satker, channel, text,
               lo_user_id, status, created_at, clock_start_at, due_at, first_due_at,
               answered_at, waited_hours, on_time, rating, recorded_by)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            rows,
        )


async def main(n: int, workbook: bool, keep: Path | None, reuse: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "scale.sqlite3"
        if reuse:
            svc = await services_existing(path)
        else:
            svc = await services(path, datetime(2027, 1, 4, 9, tzinfo=WIB))
        try:
            if not reuse:
                start = time.perf_counter()
                await seed(svc, n)
                print(f"seeded {n:,} tickets in {time.perf_counter() - start:.1f} s")
            period = periods.parse("2026-01-01..2026-12-31", datetime(2027, 1, 4).date())
            assert period is not None
            scope = await reports.scope_for(svc, 2000, period)
            assert scope is not None
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                recap = await reports.build(svc, scope, period)
                runs.append(time.perf_counter() - start)
            print(
                f"recap summary over the year: {', '.join(f'{r:.2f}' for r in runs)} s "
                f"({recap.total.received:,} received, {recap.total.answered:,} answered)"
            )
            lo_scope = await reports.scope_for(svc, 1000, period)
            assert lo_scope is not None
            start = time.perf_counter()
            await reports.build(svc, lo_scope, period)
            print(f"recap summary for one LO: {time.perf_counter() - start:.2f} s")
            if workbook:
                tracemalloc.start()
                start = time.perf_counter()
                xlsx, png = await report_files.write_files(svc, recap, Path(tmp))
                took = time.perf_counter() - start
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(
                    f"workbook + chart: {took:.1f} s, {xlsx.stat().st_size / 1e6:.1f} MB xlsx, "
                    f"peak Python memory {peak / 1e6:.1f} MB, peak RSS {rss:.0f} MB"
                )
        finally:
            await svc.db.close()


async def services_existing(path: Path):  # type: ignore[no-untyped-def]
    from bot.clock import FakeClock
    from bot.services import Services, make_calendar
    from config.settings import Settings
    from storage.db import Database

    settings = Settings(token="1:x", database=path)
    db = Database(path)
    await db.open()
    clock = FakeClock(datetime(2027, 1, 4, 9, tzinfo=WIB))
    return Services(settings, db, clock, make_calendar(settings))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--skip-workbook", action="store_true")
    parser.add_argument("--keep", type=Path, help="database file to create once and reuse")
    args = parser.parse_args()
    reuse = args.keep is not None and os.path.exists(args.keep)
    asyncio.run(main(args.tickets, not args.skip_workbook, args.keep, reuse))
