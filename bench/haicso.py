"""Benchmark: the HAI CSO bridge on a year of 1,000,000 tickets (bench/rekap_scale's seed).

    .venv/bin/python -m bench.haicso [--tickets 1000000]

With the clock at 16.00 on Tuesday 15 December 2026 and no ticket entered yet (the worst
case: the 14-day window holds about 81,000 tickets not entered): the 16.00 list (the
count, the 15 oldest as blocks, including the FAQ category match), the 17.00 step
marking the day's and earlier ones late, the next morning's carried list (read once:
the scanners skip the read when the day's lists are written), and the reconciliation
of a 5,000-row export against its month (parse, match by number and similarity).
/rekap's HAI CSO figures come from the rollup: bench/rekap_scale.py times them.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.common import WIB, services
from bench.rekap_scale import seed
from bot.haicso import day, layout, reconcile


def export(rows: int) -> bytes:
    """A CSV export: a third with numbers the bot knows, the rest to match by text."""
    lines = ["Nomor Tiket;Tanggal;Kode Satker;Permasalahan;Status"]
    for i in range(rows):
        lines.append(
            f"H{i};{1 + i % 28:02d}/11/2026;{(i % 400):06d};"
            f"Pertanyaan operator nomor {i * 7} tentang layanan;Selesai"
        )
    return "\n".join(lines).encode()


async def timed(label: str, work) -> object:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = await work
    print(f"{label}: {time.perf_counter() - start:.3f} s")
    return result


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        svc = await services(Path(tmp) / "hai.sqlite3", datetime(2026, 12, 15, 16, tzinfo=WIB))
        start = time.perf_counter()
        await seed(svc, n)
        print(f"seeded {n:,} tickets in {time.perf_counter() - start:.1f} s")
        listing = await timed("16.00 list (count + 15 blocks)", day.open_list(svc, svc.clock.now()))
        print(f"  not entered in the window: {listing.total:,}")  # type: ignore[attr-defined]
        svc.clock.set(datetime(2026, 12, 15, 17, 1, tzinfo=WIB))  # type: ignore[attr-defined]
        await timed("17.00 step (mark late)", day.close_scan(svc))
        svc.clock.set(datetime(2026, 12, 16, 8, 0, tzinfo=WIB))  # type: ignore[attr-defined]
        carried = await timed(
            "morning list (carried)", day.open_list(svc, svc.clock.now(), carried=True)
        )
        print(f"  carried: {carried.total:,}")  # type: ignore[attr-defined]
        data = export(5_000)
        rows = await timed(
            "parse a 5,000-row export",
            asyncio.to_thread(reconcile.parse, data, "laporan.csv", layout.load()),
        )
        report = await timed("reconcile it (a month of tickets)", reconcile.reconcile(svc, rows))  # type: ignore[arg-type]
        print(
            f"  matched {len(report.matched)}, proposed {len(report.proposed)}, "  # type: ignore[attr-defined]
            f"HAI only {len(report.hai_only)}, bot only {len(report.bot_only):,}"  # type: ignore[attr-defined]
        )
        await svc.db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().tickets))
