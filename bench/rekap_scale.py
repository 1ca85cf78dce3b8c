"""Benchmark: /rekap over a year with 1,000,000 tickets.

    .venv/bin/python -m bench.rekap_scale [--tickets 1000000] [--keep FILE] [--skip-workbook]
        [--postgres postgresql://user@host/empty_database]

Seeds a year of tickets (six channels, 40 groups, 25 LOs, 400 satker; 85% answered, 88%
of those on time; kept in FILE and reused when it exists), then, in a fresh process:
the recap summary (what the chat reply needs) for a day, a month, a quarter and the
year, office-wide and for one LO; the year again while the year's workbook is being
built (in the report worker process, bot/report_pool.py); the workbook's files (each
under Telegram's 50 MB) and the chart; the peak RSS of the bot-side process and of the
worker.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import WIB, services
from bot import periods, report_files, reports
from storage import copy, groups, people
from storage.timefmt import ts

CHANNELS = ("grup", "grup", "grup", "meja_layanan", "telepon", "surat", "email", "whatsapp")


async def seed(svc, n: int, office: int = 1, base: int = 0) -> None:  # type: ignore[no-untyped-def]
    """The office's staff, groups and satker, and ``n`` tickets (ids offset by ``base``
    for further offices, bench/offices.py)."""
    rnd = random.Random(11 + base)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        for lo in range(25):
            await people.upsert_user(tx, base + 1000 + lo, None, f"LO {lo}", now)
            await people.grant(tx, office, base + 1000 + lo, "lo", 1, now)
        for cso in range(3):
            await people.upsert_user(tx, base + 2000 + cso, None, f"CSO {cso}", now)
            await people.grant(tx, office, base + 2000 + cso, "cso", 1, now)
        for g in range(40):
            chat = -(base or 100) - g
            await groups.upsert_joined(tx, chat, f"Grup {g}", now, office)
            await groups.register(tx, chat, base + 1000 + g % 25, "K/L", now, office)
            for s in range(10):
                await groups.add_satker(tx, chat, f"{g * 10 + s:06d}", f"Satker {g}-{s}")
    year_start = datetime(2026, 1, 1, tzinfo=WIB).astimezone(UTC)
    batch: list[tuple[object, ...]] = []
    for i in range(n):
        batch.append(ticket_row(rnd, i, year_start, office, base))
        if len(batch) == 50_000:
            await _flush(svc, batch)
            batch = []
    if batch:
        await _flush(svc, batch)


def ticket_row(
    rnd: random.Random, i: int, year_start: datetime, office: int = 1, base: int = 0
) -> tuple[object, ...]:
    """One ticket of the year: 40 groups (chat -100-g, or -base-g), 25 LOs (base+1000+),
    3 CSOs (base+2000+); 85% answered, 88% of those on time. bench/offices.py seeds each
    office's year with the same rows, ids offset by ``base``."""
    created = year_start + timedelta(seconds=rnd.randrange(0, 364 * 86400))
    due = created + timedelta(hours=48)
    g = rnd.randrange(40)
    answered = rnd.random() < 0.85
    on_time = answered and rnd.random() < 0.88
    waited = round(rnd.uniform(0.5, 15.9) if on_time else rnd.uniform(16, 40), 2)
    return (
        office,
        f"2026-{i + 1:07d}",
        -(base or 100) - g,
        i,
        f"{g * 10 + rnd.randrange(10):06d}",
        CHANNELS[i % len(CHANNELS)],
        f"Pertanyaan operator nomor {i} tentang layanan",
        base + 1000 + g % 25,
        "selesai" if answered else "baru",
        ts(created),
        ts(created),
        ts(due),
        ts(due),
        ts(created + timedelta(hours=waited * 2)) if answered else None,
        waited if answered else 0.0,
        (1 if on_time else 0) if answered else None,
        rnd.randint(3, 5) if answered and i % 4 == 0 else None,
        base + 2000 + i % 3 if i % 8 >= 3 else None,
    )


async def _flush(svc, rows: list[tuple[object, ...]]) -> None:  # type: ignore[no-untyped-def]
    async with svc.db.transaction() as tx:
        await tx.executemany(
            """INSERT INTO tickets (office_id, number, chat_id, message_id, kode_satker, channel,
               text, lo_user_id, status, created_at, clock_start_at, due_at, first_due_at,
               answered_at, waited_hours, on_time, rating, recorded_by)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            rows,
        )


def period(text: str) -> periods.Period:
    found = periods.parse(text, datetime(2027, 1, 4).date())
    assert found is not None
    return found


async def timed_build(svc, user_id: int, text: str) -> tuple[float, reports.Recap]:  # type: ignore[no-untyped-def]
    p = period(text)
    scope = await reports.scope_for(svc, user_id, p)
    assert scope is not None
    start = time.perf_counter()
    recap = await reports.build(svc, scope, p)
    return time.perf_counter() - start, recap


def vm_hwm(pid: int) -> float:
    """Peak RSS of a live process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def measure(
    path: Path, workbook: bool, wait_files: bool = True, url: str | None = None
) -> None:
    """Run in a fresh process: the recap for a day, a month and a year (office and one
    LO), then the year again while the year's workbook is being built, then the files."""
    start = time.perf_counter()
    svc = await services_existing(path, url)
    print(f"fresh process: database open {time.perf_counter() - start:.2f} s")
    start, cpu = time.perf_counter(), time.process_time()
    days = await reports.prepare_rollup(svc)  # a database seeded before migration 023
    if days is not None:
        print(
            f"daily rollup built from the tickets: {days} days in "
            f"{time.perf_counter() - start:.1f} s ({time.process_time() - cpu:.1f} s CPU)"
        )
    try:
        for label, text in DAY_MONTH_YEAR:
            took, recap = await timed_build(svc, 2000, text)
            lo_took, _ = await timed_build(svc, 1000, text)
            print(
                f"recap {label} ({recap.total.received:,} tickets): office {took:.2f} s, "
                f"one LO {lo_took:.2f} s"
            )
        alone = [(await timed_build(svc, 2000, YEAR))[0] for _ in range(3)]
        print(f"recap year alone: {', '.join(f'{t:.2f}' for t in alone)} s")
        await hai_part(svc)
        if not workbook:
            return
        _, recap = await timed_build(svc, 2000, YEAR)
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            files = asyncio.create_task(report_files.write_files(svc, recap, Path(tmp)))
            while not svc.files._pool or not svc.files._pool._processes:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            await asyncio.sleep(3)  # the worker is importing, then writing rows
            busy = [(await timed_build(svc, 2000, YEAR))[0] for _ in range(3)]
            ratio = statistics.median(busy) / statistics.median(alone)
            print(
                f"recap year while the year's workbook is built: "
                f"{', '.join(f'{t:.2f}' for t in busy)} s; median busy / alone {ratio:.2f}"
            )
            worker = next(iter(svc.files._pool._processes.values())).pid
            if not wait_files:  # the year's workbook takes half an hour on a busy machine
                svc.files.shutdown()
                files.cancel()
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"bot-side process peak RSS (files not waited for): {rss:.0f} MB")
                return
            parts, png = await files
            took = time.perf_counter() - start
            for part in parts:
                spans = "; ".join(f"{s.title} {s.rows:,} {s.first}..{s.last}" for s in part.spans)
                size = part.path.stat().st_size
                print(f"  {part.path.name}: {size / 1e6:.1f} MB ({spans})")
                assert size <= report_files.UPLOAD_LIMIT
            print(
                f"workbook + chart: {took:.1f} s, {len(parts)} files, largest "
                f"{max(p.path.stat().st_size for p in parts) / 1e6:.1f} MB, chart "
                f"{png.stat().st_size / 1e3:.0f} kB; worker peak RSS {vm_hwm(worker):.0f} MB"
            )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"bot-side process peak RSS over all of the above: {rss:.0f} MB")
    finally:
        svc.files.shutdown()
        await svc.db.close()


async def hai_part(svc) -> None:  # type: ignore[no-untyped-def]
    """What /rekap's reply adds for HAI CSO (handlers/rekap: bot.haicso.rekap.figures),
    for the year, office-wide: it reads the period's tickets with their HAI state."""
    from bot.haicso import rekap as haicso_rekap

    _, recap = await timed_build(svc, 2000, YEAR)
    start = time.perf_counter()
    await haicso_rekap.figures(svc, recap)
    took = time.perf_counter() - start
    print(f"HAI CSO figures of the year (/rekap's reply adds them): {took:.2f} s")


DAY_MONTH_YEAR = (
    ("one day (2026-06-10)", "2026-06-10"),
    ("one month (2026-06)", "2026-06-01..2026-06-30"),
    ("one quarter (2026 Q2)", "2026-04-01..2026-06-30"),
    ("one year (2026)", "2026-01-01..2026-12-31"),
)
YEAR = "2026-01-01..2026-12-31"


async def main(n: int, keep: Path | None, extra: list[str], url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "scale.sqlite3"
        if not path.exists():
            svc = await services(path, datetime(2027, 1, 4, 9, tzinfo=WIB))
            start = time.perf_counter()
            await seed(svc, n)
            print(f"seeded {n:,} tickets in {time.perf_counter() - start:.1f} s")
            await svc.db.close()  # the rollup is built in the measuring process
        if url:
            start = time.perf_counter()
            counts = await asyncio.to_thread(copy.copy_office, path, url)
            total = sum(c.target for c in counts)
            print(f"lobot migrate-db: {total:,} rows in {time.perf_counter() - start:.1f} s")
            extra = [*extra, "--postgres", url]
        # The measurements run in a process of their own: nothing cached in Python.
        cmd = [sys.executable, "-m", "bench.rekap_scale", "--measure", str(path), *extra]
        proc = await asyncio.create_subprocess_exec(*cmd)
        await proc.wait()


async def services_existing(path: Path, url: str | None = None):  # type: ignore[no-untyped-def]
    from bot.clock import FakeClock
    from bot.services import Services, make_calendar
    from config.settings import Settings
    from storage.db import database_for

    settings = Settings(token="1:x", database=path, database_url=url)
    db = database_for(path, url)
    await db.open()
    clock = FakeClock(datetime(2027, 1, 4, 9, tzinfo=WIB))
    return Services(settings, db, clock, make_calendar(settings))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--skip-workbook", action="store_true")
    parser.add_argument("--keep", type=Path, help="database file to create once and reuse")
    parser.add_argument(
        "--no-wait-files",
        action="store_true",
        help="stop the workbook once the year was timed beside it (no file sizes)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="an empty PostgreSQL database: the seeded file is copied there (lobot migrate-db)"
        " and measured there",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        asyncio.run(
            measure(args.measure, not args.skip_workbook, not args.no_wait_files, args.postgres)
        )
    else:
        flags = ["--skip-workbook"] * args.skip_workbook + ["--no-wait-files"] * args.no_wait_files
        asyncio.run(main(args.tickets, args.keep, flags, args.postgres))
