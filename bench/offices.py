"""Benchmark: what scoping by office costs (issue 23).

    .venv/bin/python -m bench.offices [--tickets 100000] [--offices 1 5]

For each office count K, a fresh database holds K offices (zones WIB, WITA, WIT in turn),
each with a year of ``--tickets`` tickets (bench/rekap_scale.py's seed: 40 groups, 25
LOs, 400 satker, six channels), and its rollup built at start as the bot
does. Then, in the same process: office 1's /rekap (bot.reports.build, office-wide) for
a month, a quarter and the year, median of 7; /rekap kanwil of the year over all K
offices; and the office lookup every update now makes (bot.offices.of_chat, for a group
and for a private chat), per call. The rows of the other offices sit in the same tables
and indexes: the difference between K=1 and K=5 at the same office size is the cost of
scoping.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bench.common import WIB
from bench.rekap_scale import seed
from bot import kanwil, offices, periods, reports
from bot.clock import FakeClock
from bot.services import Services, make_calendar
from config.offices import KanwilSpec, OfficeSpec
from config.settings import Settings
from storage.db import Database
from storage.reports import Scope

CHANNELS = ("grup", "grup", "grup", "meja_layanan", "telepon", "surat", "email", "whatsapp")
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
KANWIL = 9000
NOW = datetime(2027, 1, 4, 9, tzinfo=WIB)


def settings_for(path: Path, k: int) -> Settings:
    further = tuple(
        OfficeSpec(o, f"KPPN {o}", "A1" if o % 2 else "A2", ZONES[(o - 1) % 3])
        for o in range(2, k + 1)
    )
    return replace(
        Settings(token="1:x", database=path, office_name="KPPN 1"),
        offices=further,
        kanwils=(KanwilSpec("Kanwil Bench", frozenset({KANWIL}), tuple(range(1, k + 1))),),
    )


async def _open(settings: Settings) -> Services:
    db = Database(settings.database)
    await db.open()
    svc = Services(settings, db, FakeClock(NOW), make_calendar(settings))
    await offices.set_up(svc)
    return svc


async def median_of(fn, repeat: int = 7) -> str:  # type: ignore[no-untyped-def]
    """Median wall and CPU milliseconds (CPU of the whole process: SQLite works in the
    connection's thread; less disturbed than wall time by other processes' load)."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        await fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls) * 1000:.0f} ms ({statistics.median(cpus) * 1000:.0f} ms CPU)"


async def run(k: int, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "offices.sqlite3"
        svc = await _open(settings_for(path, k))
        start = time.perf_counter()
        for o in range(1, k + 1):
            await seed(svc, n, o, 0 if o == 1 else o * 100_000)
        print(f"\n{k} office(s), {n:,} tickets each: seeded in {time.perf_counter() - start:.0f} s")
        await svc.db.close()
        # Measured as after a restart, in a process of its own (as bench/rekap_scale.py):
        # nothing of the seeding cached in Python, the rollups built at start as the bot does.
        cmd = [sys.executable, "-m", "bench.offices", "--measure", str(path), str(k)]
        proc = await asyncio.create_subprocess_exec(*cmd)
        await proc.wait()


async def measure(path: Path, k: int) -> None:
    svc = await _open(settings_for(path, k))
    try:
        start = time.perf_counter()
        for view in svc.each_office():
            await reports.prepare_rollup(view)
        print(f"  rollups built at start: {time.perf_counter() - start:.1f} s")
        for label, text in (
            ("month", "2026-06"),
            ("quarter", "2026-q2"),
            ("year", "2026-01-01..2026-12-31"),
        ):
            period = periods.parse(text, NOW.date())
            assert period is not None
            start_at, end_at = period.bounds(svc.tz)

            async def build(p=period, a=start_at, b=end_at):  # type: ignore[no-untyped-def]
                return await reports.build(svc, Scope(1, a, b), p)

            took = await median_of(build)
            recap = await build()
            print(f"  /rekap {label} of office 1 ({recap.total.received:,} tickets): {took}")
        took = await median_of(
            lambda: kanwil.side_by_side(svc, KANWIL, "2026-01-01..2026-12-31"), 3
        )
        print(f"  /rekap kanwil year over {k} office(s): {took}")
        for label, chat, private, user in (
            ("group", -100, False, 1000),
            ("private", 2000, True, 2000),
        ):
            calls = 5000
            start = time.perf_counter()
            for _ in range(calls):
                await offices.of_chat(svc, chat, private, user)
            per = (time.perf_counter() - start) / calls
            print(f"  office of an update ({label} chat): {per * 1e6:.0f} µs")
    finally:
        svc.files.shutdown()
        await svc.db.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tickets", type=int, default=100_000)
    ap.add_argument("--offices", type=int, nargs="+", default=[1, 5])
    ap.add_argument("--measure", nargs=2, metavar=("FILE", "K"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        asyncio.run(measure(Path(args.measure[0]), int(args.measure[1])))
        return
    for k in args.offices:
        asyncio.run(run(k, args.tickets))


if __name__ == "__main__":
    main()
