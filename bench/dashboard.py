"""Benchmark: each dashboard view's server time at 100,000 tickets (goal < 300 ms).

    .venv/bin/python -m bench.dashboard [--tickets 100000] [--repeat 7]

Seeds a year of tickets as bench/rekap_scale.py does (25 LOs, 40 groups, 400 satker; 15%
left open, so about 15,000 open tickets, nearly all past their deadline: the hard case for
the open-ticket view), then asks every view over HTTP on the loopback, through the real
aiohttp application with launch data validated on each request, as an admin (who sees
every view, office-wide) and as one LO. The time is the whole request as the client sees
it (server time plus a loopback round trip), median and max of ``--repeat`` runs, and the
process's CPU time per request (what the request costs when the machine is not shared:
on a loaded machine the wall time is mostly waiting for a core).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.common import WIB, services
from bench.rekap_scale import seed
from bot import reports
from handlers.web import dashboard
from handlers.web.server import Listener, WebServer, new_app
from tests.initdata import init_data

ADMIN = 1
LO = 1000
CASES = [
    ("tiket", ""),
    ("kinerja", ""),
    ("kinerja", "?periode=triwulan+ini"),
    ("kinerja", "?periode=2026-01-01..2026-12-31"),
    ("kinerja", "?satker=000012&periode=triwulan+ini"),
    ("iku", ""),
    ("pengaduan", ""),
    ("tahap", ""),
    ("siaran", ""),
]


async def one(http: aiohttp.ClientSession, url: str, auth: str) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds of this process: the server, SQLite's thread and the
    small client, status, body size)."""
    start, cpu = time.perf_counter(), time.process_time()
    async with http.get(url, headers={"Authorization": auth}) as r:
        body = await r.read()
    return time.perf_counter() - start, time.process_time() - cpu, r.status, len(body)


async def measure(port: int, svc: Any, user: int, who: str, repeat: int) -> None:
    auth = "tma " + init_data(svc.settings.token, user, svc.clock.now())
    async with aiohttp.ClientSession() as http:
        for view, query in CASES:
            url = f"http://127.0.0.1:{port}/api/view/{view}{query}"
            runs = [await one(http, url, auth) for _ in range(repeat)]
            status = runs[-1][2]
            if status == 403:
                continue  # not this role's view
            wall = sorted(r[0] for r in runs)
            cpu = sorted(r[1] for r in runs)
            print(
                f"{who:5} {view + query:42} wall median {statistics.median(wall) * 1e3:6.1f} ms"
                f" max {wall[-1] * 1e3:6.1f} | CPU median {statistics.median(cpu) * 1e3:5.1f} ms"
                f" max {cpu[-1] * 1e3:5.1f} ({status}, {runs[-1][3] / 1000:.0f} kB)"
            )


async def shares(svc: Any, repeat: int) -> None:
    """What /rekap's own recap (bot.reports.build) costs of the office-wide Kinerja view,
    and what the view adds (/rekap's chart bars; the answer-time buckets and percentiles
    are part of the recap)."""
    from bot import dashboard as views

    for text in ("", "triwulan ini", "2026-01-01..2026-12-31"):
        f = views.Filters(text)
        scope = await views.scope_of(svc, ADMIN, "kinerja", f)
        period = views.period_of(svc, "kinerja", text)
        assert scope is not None and period is not None
        recap = await reports.build(svc, scope, period)
        parts = {
            "reports.build": lambda s=scope, p=period: reports.build(svc, s, p),
            "chart_data": lambda r=recap: reports.chart_data(svc, r),
        }
        line = []
        for name, fn in parts.items():
            cpu = []
            for _ in range(repeat):
                start = time.process_time()
                await fn()
                cpu.append(time.process_time() - start)
            line.append(f"{name} {statistics.median(cpu) * 1e3:.0f} ms")
        print(f"  CPU of Kinerja '{text or 'bulan ini'}': {', '.join(line)}")


async def main(n: int, repeat: int, keep: Path | None) -> None:
    now = datetime(2026, 12, 30, 10, 0, tzinfo=WIB)
    with tempfile.TemporaryDirectory() as tmp:
        path = keep or Path(tmp) / "dash.sqlite3"
        reuse = path.exists()
        svc = await services(path, now)
        svc.settings = replace(
            svc.settings,
            token="123456:bench-token-0000000000000000",
            admin_ids=frozenset({ADMIN}),
            web_port=0,
        )
        if not reuse:
            start = time.perf_counter()
            await seed(svc, n)
            print(f"seeded {n:,} tickets in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        if await reports.prepare_rollup(svc) is not None:  # seeded straight into the table
            print(f"daily rollup built in {time.perf_counter() - start:.1f} s")
        app = new_app()
        dashboard.add_routes(app, svc, None)  # type: ignore[arg-type]  (no export here)
        server = WebServer(app, [Listener("web", "127.0.0.1", 0)])
        await server.start()
        try:
            await measure(server.port, svc, ADMIN, "admin", repeat)
            await measure(server.port, svc, LO, "LO", repeat)
            await shares(svc, repeat)
        finally:
            await server.stop()
            await svc.db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="database file to create once and reuse")
    args = parser.parse_args()
    asyncio.run(main(args.tickets, args.repeat, args.keep))
