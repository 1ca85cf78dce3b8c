"""lobot against a bare python-telegram-bot echo bot, interleaved in one run.

    .venv/bin/python -m bench.throughput [--messages 1000] [--rounds 3] [--starts 5]

Each bot is its own process on its own fake Bot API (both fakes live in this process, so
they cost both bots the same), lobot with ``LOBOT_SEND_LIMITS=off``. Per round, in turn:
the echo bot and then lobot get the same burst of FAQ-answered questions (20 askers in 5
groups), then the same burst of ticket-opening questions with **one asker per message**
(1,000 askers never seen before, so every message opens a ticket: none is a follow-up of
an earlier one). A burst is timed from pushing the first update to the last reply
recorded by the fake. Interleaving the two bots round by round means a change in the
machine's load touches both, so the ratio is what compares.

Start-up: a fresh process (lobot on a fresh database file) until its first getUpdates,
echo and lobot alternately, ``--starts`` times each.

CPU per message: user+system CPU time of each bot process over its bursts (from
/proc/PID/stat), divided by the messages it handled.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.delivery import (
    GROUPS,
    USERS,
    faq_texts,
    group_replies,
    setup_world,
    ticket_text,
    until,
)
from tests.e2e.harness import ADMIN, TOKEN
from tests.e2e.process import start_bot
from tests.fakeapi.server import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """user + system CPU of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


async def burst(
    api: FakeBotAPI, pid: int, texts: list[str], askers: list[int]
) -> tuple[float, float]:
    """(messages per second, CPU ms per message) for one burst."""
    mark = len(api.sent)
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    for i, text in enumerate(texts):
        api.say(GROUPS[i % len(GROUPS)], askers[i % len(askers)], text)
    await until(lambda: group_replies(api, mark) >= len(texts), 600)
    took = time.perf_counter() - start
    return len(texts) / took, (cpu_seconds(pid) - cpu) * 1000 / len(texts)


async def first_poll(api: FakeBotAPI, mark: int, limit: float = 60) -> None:
    async def polled() -> None:
        while not any(m == "getUpdates" for m, _ in api.calls[mark:]):  # noqa: ASYNC110
            await asyncio.sleep(0.001)

    await asyncio.wait_for(polled(), limit)


async def start_echo(api: FakeBotAPI) -> asyncio.subprocess.Process:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "ECHO_BASE_URL": api.base_url}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.echo_bot", cwd=ROOT, env=env, stderr=asyncio.subprocess.DEVNULL
    )


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGTERM)
    await proc.wait()


async def startups(echo_api: FakeBotAPI, api: FakeBotAPI, folder: Path, n: int) -> None:
    echo_times, lobot_times = [], []
    for i in range(n):
        mark = len(echo_api.calls)
        t0 = time.perf_counter()
        echo = await start_echo(echo_api)
        await first_poll(echo_api, mark)
        echo_times.append(time.perf_counter() - t0)
        await stop(echo)
        mark = len(api.calls)
        t0 = time.perf_counter()
        bot = await start_bot(api, folder / f"fresh-{i}.sqlite3")
        await first_poll(api, mark)
        lobot_times.append(time.perf_counter() - t0)
        await stop(bot)
    e, lo = statistics.median(echo_times), statistics.median(lobot_times)
    print(
        f"start-up to first getUpdates, fresh database, {n} each: echo median {e:.2f} s "
        f"({', '.join(f'{t:.2f}' for t in echo_times)}), lobot median {lo:.2f} s "
        f"({', '.join(f'{t:.2f}' for t in lobot_times)}); lobot / echo {lo / e:.2f}"
    )


def askers_for(api: FakeBotAPI, first: int, n: int) -> list[int]:
    ids = list(range(first, first + n))
    for uid in ids:
        api.user(uid, f"Operator {uid}")
    return ids


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--only", choices=("startup", "burst"), default=None)
    args = parser.parse_args()
    n = args.messages
    echo_api, api = FakeBotAPI(TOKEN), FakeBotAPI(TOKEN)
    await echo_api.start()
    await api.start()
    echo_api.user(ADMIN, "Admin")
    for uid in USERS:
        echo_api.user(uid, f"Operator {uid}")
    for chat in GROUPS:
        echo_api.group(chat, f"Grup bench {chat}")
        echo_api.add_bot(chat, ADMIN)  # the fake refuses messages to a chat the bot is not in
    faq = faq_texts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only != "burst":
            await startups(echo_api, api, folder, args.starts)
        if args.only == "startup":
            return
        db = folder / "bench.sqlite3"
        await setup_world(api, db)
        echo = await start_echo(echo_api)
        await first_poll(echo_api, 0)
        mark = len(api.calls)
        bot = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
        await first_poll(api, mark)
        pids = {"echo": echo.pid, "lobot": bot.pid}
        apis = {"echo": echo_api, "lobot": api}
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for r in range(args.rounds):
            # Ticket texts and askers are new each round: none is an earlier ticket's follow-up.
            cases = {
                "faq": ([f"{faq[i % len(faq)]}" for i in range(n)], None),
                "ticket": ([ticket_text(r * n + i) for i in range(n)], 100_000 + r * n),
            }
            for case, (texts, first_asker) in cases.items():
                for who in ("echo", "lobot"):
                    askers = USERS if first_asker is None else askers_for(apis[who], first_asker, n)
                    got = await burst(apis[who], pids[who], texts, askers)
                    results.setdefault((case, who), []).append(got)
                    print(
                        f"round {r + 1} {case} {who}: {got[0]:.1f} msg/s, {got[1]:.2f} ms CPU/msg"
                    )
        await stop(bot)
        await stop(echo)
        print(f"\nBurst throughput, {n} messages a burst, {args.rounds} rounds, interleaved")
        print(
            "| case | echo msg/s | lobot msg/s | lobot / echo (per round) "
            "| CPU ms/msg echo / lobot |"
        )
        print("|---|---|---|---|---|")
        for case in ("faq", "ticket"):
            e, lo = results[(case, "echo")], results[(case, "lobot")]
            ratios = ", ".join(f"{b[0] / a[0]:.2f}" for a, b in zip(e, lo, strict=True))
            print(
                f"| {case} | {statistics.median(x[0] for x in e):.0f} "
                f"| {statistics.median(x[0] for x in lo):.0f} | {ratios} "
                f"| {statistics.median(x[1] for x in e):.2f} / "
                f"{statistics.median(x[1] for x in lo):.2f} |"
            )
    await api.stop()
    await echo_api.stop()


if __name__ == "__main__":
    asyncio.run(main())
