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
3. Limits on: the same with 1 and 3 workers, Telegram's limits kept by the workers
   (shared through the database) and enforced by the fake (429 beyond a window); the
   429s answered and the most messages seen in any second and any group's minute.
4. Failover of the tick leader: 3 idle workers, the leader killed (-9); seconds until
   another worker holds the lead (the database's lock table, looked at every 5 ms) and
   until the fake sees that worker's first getUpdates (it polls as leader).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
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


TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # the fields after the command name


def process_cpu(pid: int, children: bool = False) -> float:
    """CPU seconds of a running process (with its reaped children: ``children``)."""
    try:
        f = _stat(pid)
    except OSError:
        return 0.0
    ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children else 0)
    return ticks / TICK


def postmaster(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
    assert row is not None
    return int(_stat(int(row[0]))[1])  # the backend's parent


def server_cpu(master: int) -> float:
    """The server's CPU: the postmaster and its children, live or reaped."""
    total = process_cpu(master, children=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == master:
                    total += process_cpu(int(entry.name))
            except (OSError, IndexError):
                continue
    return total


def machine_busy() -> float:
    """CPU seconds the whole machine spent not idle (every core, every process)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICK


def cpu_now(run: crowd.Crowd, master: int) -> dict[str, float]:
    return {
        "workers": sum(process_cpu(p.pid) for p in run.procs if p.returncode is None),
        "postgres": server_cpu(master),
        "driver": process_cpu(os.getpid()),  # this process: the fake Bot API and the crowd
        "machine": machine_busy(),
    }


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
        master = postmaster(run.url)
        cpu: dict[str, dict[str, float]] = {}
        run.on_first = lambda: cpu.setdefault("first", cpu_now(run, master))
        run.on_answered = lambda: cpu.setdefault("answered", cpu_now(run, master))
        try:
            await run.run()
        finally:
            codes = [code for code, _ in await run.stop()]
        api = h.api
        used = {k: round(cpu["answered"][k] - cpu["first"][k], 1) for k in cpu["first"]}
        notices = Counter((s.chat_id, s.text) for s in api.sent[mark:] if s.chat_id > 0)
        return {
            "workers": workers,
            "seconds": round(run.answered_in, 2),
            "per_s": round(total / run.answered_in, 1),
            "cpu_s": used,  # from the first question to the last answer
            "answered": len(crowd.answered(api)),
            "duplicates": crowd.duplicates(api),
            "out_of_order": len(crowd.out_of_order(api)),
            "notices": sum(notices.values()),
            "notices_twice": sum(n - 1 for n in notices.values()),
            "exit_codes": codes,
            "killed": run.killed,
        }


async def limits(admin_url: str, template: str, workers: int, groups: int, per_group: int) -> dict:
    """The same crowd with Telegram's limits on, in the workers (their shared windows) and
    in the fake (sliding windows on the wall clock, 429 beyond them)."""
    from tests.fakeapi.limits import TelegramLimits

    async with office(admin_url, template, groups) as h:
        h.api.limits = TelegramLimits()
        total = groups * per_group
        run = crowd.Crowd(
            h.api,
            h.settings.database,
            workers,
            groups,
            per_group,
            SETUP + crowd.LATER,
            env={"LOBOT_SEND_LIMITS": "on"},
        )
        try:
            await run.run()
        finally:
            codes = [code for code, _ in await run.stop()]
        fake = h.api.limits
        groups_max = max(fake.max_in_window(crowd.group_id(g)) for g in range(groups))
        return {
            "workers": workers,
            "seconds": round(run.answered_in, 1),
            "answered": len(crowd.answered(h.api)),
            "duplicates": crowd.duplicates(h.api),
            "responses_429": h.api.too_many,
            "max_per_second": fake.max_in_window(),
            "max_per_group_minute": groups_max,
            "exit_codes": codes,
            "of": total,
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
    parser.add_argument(
        "--skip", default="", help="comma list of parts: throughput,kill,limits,failover"
    )
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
        if "limits" not in skip:
            for workers in (1, 3):
                result = await limits(admin_url, template, workers, args.groups, args.per_group)
                print(f"limits on: {result} load {os.getloadavg()[0]:.1f}")
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
