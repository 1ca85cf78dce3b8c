"""Benchmark: the daily backup of a big database, the tick's gauge count, scrape latency.

    .venv/bin/python -m bench.ops [--tickets 100000] [--scrapes 500]

Seeds open tickets as bench/tickets_scan.py does (2,000 of them late), then times:
the backup as the tick makes it (SQLite backup API in a worker thread, integrity check of
the copy, rename), with the longest stall of the event loop meanwhile (a 10 ms ticker);
the tick's count for the gauges; GET /metrics and GET /healthz over local TCP.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from prometheus_client import generate_latest

from bench.common import WIB, services, timed
from bench.tickets_scan import seed
from bot.ops import backup, gauges
from bot.ops.metrics import SEND_OUTCOMES, Metrics
from handlers.web import ops as ops_routes
from handlers.web.server import Listener, WebServer, new_app
from storage import backup as copies


async def loop_stall(done: asyncio.Event) -> float:
    """The longest a 10 ms sleep overran while ``done`` was not set (seconds)."""
    worst = 0.0
    while not done.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - start - 0.01)
    return worst


async def backup_runs(db: Path, folder: Path, day: datetime, runs: int) -> None:
    for i in range(runs):
        done = asyncio.Event()
        stall = asyncio.create_task(loop_stall(done))
        made = await asyncio.to_thread(
            backup.make, db, folder, (day + timedelta(days=i)).date(), runs
        )
        done.set()
        print(
            f"backup {i + 1}: {made.size / 1e6:.1f} MB in {made.seconds:.2f} s"
            f" (copy + integrity check + rename); longest loop stall {await stall * 1000:.1f} ms"
        )


def phases(db: Path, folder: Path) -> None:
    """The two parts of a backup on their own: the copy, the integrity check of the copy."""
    target = folder / "phases.sqlite3"
    start = time.perf_counter()
    copies.online_copy(db, target)
    copied = time.perf_counter()
    info = copies.inspect(target)
    checked = time.perf_counter()
    target.unlink()
    print(
        f"  of which: copy {copied - start:.2f} s, integrity check {checked - copied:.2f} s"
        f" ({info.integrity})"
    )


async def get(port: int, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
    body = await reader.read()
    writer.close()
    return time.perf_counter() - start, len(body)


async def scrapes(server: WebServer, path: str, n: int) -> None:
    runs = [await get(server.port, path) for _ in range(n)]
    times = sorted(t for t, _ in runs)
    print(
        f"GET {path} x{n}: median {statistics.median(times) * 1000:.2f} ms,"
        f" p95 {times[int(0.95 * (n - 1))] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms,"
        f" {runs[-1][1]} bytes"
    )


def _render(metrics: Metrics) -> Callable[[], Awaitable[bytes]]:
    async def render() -> bytes:
        return generate_latest(metrics.registry)

    return render


async def main(n: int, n_scrapes: int) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)
    with tempfile.TemporaryDirectory() as tmp:
        svc = await services(Path(tmp) / "bench.sqlite3", now)
        await seed(svc, n, now)
        print(f"{n} tickets seeded; database {svc.db.path.stat().st_size / 1e6:.1f} MB")
        await backup_runs(svc.db.path, Path(tmp) / "backups", now, 3)
        phases(svc.db.path, Path(tmp) / "backups")

        metrics = Metrics(now)
        svc.metrics = metrics
        med, worst = await timed(lambda: gauges.scan(svc), repeat=9)
        print(f"gauge count ({n} open): median {med * 1000:.1f} ms, max {worst * 1000:.1f} ms")
        for outcome in SEND_OUTCOMES:  # every series present, as after a long run
            metrics.send_finished(outcome, 0.1)
        metrics.tick_started(now)
        metrics.sender_alive(now)
        app = new_app()
        server = WebServer(app, [Listener("ops", "127.0.0.1", 0)])
        ops_routes.add_routes(app, lambda: server, svc, metrics, lambda: True)
        await server.start()
        render, render_max = await timed(_render(metrics), repeat=n_scrapes)
        print(
            f"rendering /metrics on the loop: median {render * 1000:.2f} ms,"
            f" max {render_max * 1000:.2f} ms"
        )
        await scrapes(server, "/metrics", n_scrapes)
        await scrapes(server, "/healthz", n_scrapes)
        await server.stop()
        await svc.db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--scrapes", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(main(args.tickets, args.scrapes))
