"""Several workers on one PostgreSQL (bot/workers.py): throughput, kill -9, failover.

    TEST_POSTGRES_URL=postgresql://lobot@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.workers [--rounds 2] [--groups 50] [--per-group 20]

The URL is a server where the user may create databases (one fresh database per run).
Every run sets up the office of tests/e2e/crowd.py in process (an LO, ``groups``
registered groups, an old question in each that is overdue when the workers start),
then starts real worker processes (tests/e2e/worker.py) on the fake Bot API.

1. Throughput: ``groups x per-group`` questions (1,000 by default) put to 1, 2 and 3
   workers at once, limits off (LOBOT_SEND_LIMITS=off); seconds from the first question
   to the last reply, questions per second, and the workers' CPU seconds (their rusage).
2. Kill -9 at full size: the same with 2 and 3 workers, the tick leader killed at a
   random point; questions answered once (duplicates: the rows in flight at the kill),
   groups whose replies came out of order, notices (reminders, alerts) sent twice.
3. Failover of the tick leader: 3 idle workers, the leader killed (-9); seconds until
   another worker holds the lead (the database's lock table, looked at every 5 ms) and
   until the fake sees that worker's first getUpdates (it polls as leader).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from bench.common import WIB
from bot.clock import FakeClock
from tests import pgtest
from tests.e2e import crowd
from tests.e2e import harness as harness_module
from tests.e2e.harness import TOKEN, Harness, make_settings
from tests.fakeapi.server import FakeBotAPI

SETUP = datetime(2026, 11, 23, 10, tzinfo=WIB)


@asynccontextmanager
async def office(admin_url: str, template: str, groups: int) -> AsyncIterator[Harness]:
    """A fresh database with the crowd's office, the harness stopped (its api running)."""
    url = pgtest.copy_template(admin_url, template)
    harness_module.postgres = lambda: url
    api = FakeBotAPI(TOKEN)
    await api.start()
    folder = Path(tempfile.mkdtemp(prefix="lobot-workers-"))
    clock = FakeClock(SETUP)
    h = Harness(api, clock, make_settings(api, folder / "bot.sqlite3"))
    try:
        await h.start()
        await crowd.office(h, groups)
        await h.stop()
        yield h
    finally:
        await api.stop()
        harness_module.postgres = harness_module._no_postgres
        pgtest.drop(admin_url, url)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def throughput(
    admin_url: str, template: str, workers: int, groups: int, per_group: int, kill: bool
) -> dict[str, object]:
    async with office(admin_url, template, groups) as h:
        total = groups * per_group
        run = crowd.Crowd(
            h.api,
            h.settings.database,
            workers,
            groups,
            per_group,
            SETUP + crowd.LATER,
            kill_at=random.randint(total // 5, total // 2) if kill else None,
        )
        mark = len(h.api.sent)
        cpu = children_cpu()
        try:
            await run.run()
        finally:
            codes = [code for code, _ in await run.stop()]
        api = h.api
        notices = Counter((s.chat_id, s.text) for s in api.sent[mark:] if s.chat_id > 0)
        return {
            "workers": workers,
            "seconds": round(run.answered_in, 2),
            "per_s": round(total / run.answered_in, 1),
            "cpu_s": round(children_cpu() - cpu, 1),
            "answered": len(crowd.answered(api)),
            "duplicates": crowd.duplicates(api),
            "out_of_order": len(crowd.out_of_order(api)),
            "notices": sum(notices.values()),
            "notices_twice": sum(n - 1 for n in notices.values()),
            "exit_codes": codes,
            "killed": run.killed,
        }


async def failover(admin_url: str, template: str, rounds: int) -> list[tuple[float, float]]:
    found = []
    async with office(admin_url, template, 1) as h:
        run = crowd.Crowd(h.api, h.settings.database, 3, 1, 0, SETUP + crowd.LATER)
        await run.start()
        try:
            for _ in range(rounds):
                await asyncio.sleep(2)  # the workers settled (content loaded, polling)
                old = run.leader()
                assert old is not None
                proc = run.procs[int(old[1:])]
                polls = sum(1 for m, _ in h.api.calls if m == "getUpdates")
                proc.kill()
                t0 = time.perf_counter()
                await proc.wait()
                new = None
                while new is None or new == old:  # noqa: ASYNC110  (another process)
                    new = run.leader()
                    await asyncio.sleep(0.005)
                lead = time.perf_counter() - t0
                while sum(1 for m, _ in h.api.calls if m == "getUpdates") <= polls:  # noqa: ASYNC110
                    await asyncio.sleep(0.005)
                polling = time.perf_counter() - t0
                found.append((lead, polling))
                print(f"  failover {old} -> {new}: lead {lead:.3f} s, polling {polling:.3f} s")
                # the killed one comes back as a follower, for the next round
                run.procs[int(old[1:])] = await run.spawn(int(old[1:]))
                await crowd.until(lambda: len(run.live()) == 3, 60)
        finally:
            run.killed = None
            await run.stop()
    return found


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--per-group", type=int, default=20)
    parser.add_argument("--failover-rounds", type=int, default=10)
    parser.add_argument("--skip", default="", help="comma list of parts: throughput,kill,failover")
    args = parser.parse_args()
    admin_url = os.environ["TEST_POSTGRES_URL"]
    skip = set(args.skip.split(","))
    template = await asyncio.to_thread(pgtest.make_template, admin_url)  # runs its own loop
    print(f"load average at start: {os.getloadavg()}")
    try:
        if "throughput" not in skip:
            for r in range(args.rounds):
                for workers in (1, 2, 3):
                    result = await throughput(
                        admin_url, template, workers, args.groups, args.per_group, False
                    )
                    print(f"throughput round {r + 1}: {result} load {os.getloadavg()[0]:.1f}")
        if "kill" not in skip:
            for workers in (2, 3):
                result = await throughput(
                    admin_url, template, workers, args.groups, args.per_group, True
                )
                print(f"kill -9 of the leader: {result} load {os.getloadavg()[0]:.1f}")
        if "failover" not in skip:
            times = await failover(admin_url, template, args.failover_rounds)
            leads = sorted(t for t, _ in times)
            polls = sorted(p for _, p in times)
            print(
                f"failover over {len(times)} kills: lead median {statistics.median(leads):.3f} s"
                f" max {leads[-1]:.3f} s; polling median {statistics.median(polls):.3f} s"
                f" max {polls[-1]:.3f} s"
            )
    finally:
        pgtest.finish(admin_url, template)
    print(f"load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    asyncio.run(main())
