"""Where lobot's CPU goes during a burst: py-spy over the bot's process.

    .venv/bin/pip install py-spy   # a profiler, not a dependency of the bot
    .venv/bin/python -m bench.profile_burst ticket|faq [--out FILE] [--top 40]

Starts lobot (``LOBOT_SEND_LIMITS=off``) on the fake Bot API, warms it with 50 tickets,
then samples it with ``py-spy record --gil`` (only the thread holding the GIL: CPU, not
waiting) while it handles 1,000 new tickets (one asker per message) or 1,000 FAQ
questions. Prints the share of samples under each function (inclusive) and the top
functions by own samples.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import signal
import tempfile
from pathlib import Path

from bench.delivery import USERS, faq_texts, setup_world, ticket_text
from bench.throughput import askers_for, burst, first_poll
from tests.e2e.harness import TOKEN
from tests.e2e.process import start_bot
from tests.fakeapi.server import FakeBotAPI

SPY = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "py-spy"


async def record(case: str, out: Path) -> None:
    api = FakeBotAPI(TOKEN)
    await api.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "profile.sqlite3"
        await setup_world(api, db)
        mark = len(api.calls)
        bot = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
        await first_poll(api, mark)
        warm = [ticket_text(90_000 + i) for i in range(50)]
        await burst(api, bot.pid, warm, askers_for(api, 50_000, 50))
        args = ["record", "-p", str(bot.pid), "-r", "250", "--gil", "--nonblocking"]
        spy = await asyncio.create_subprocess_exec(
            str(SPY), *args, "--format", "raw", "-o", str(out),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await asyncio.sleep(1.0)  # py-spy attaches
        if case == "ticket":
            texts = [ticket_text(i) for i in range(1000)]
            rate, cpu = await burst(api, bot.pid, texts, askers_for(api, 100_000, 1000))
        else:
            faq = faq_texts()
            rate, cpu = await burst(api, bot.pid, [faq[i % len(faq)] for i in range(1000)], USERS)
        print(f"{case}: {rate:.1f} msg/s, {cpu:.2f} ms CPU per message (whole process)")
        spy.send_signal(signal.SIGINT)
        await spy.wait()
        bot.send_signal(signal.SIGTERM)
        await bot.wait()
    await api.stop()


def _name(frame: str) -> str:
    """'func (path/to/file.py:12)' -> 'func (file.py)'."""
    func, _, where = frame.partition(" (")
    return f"{func} ({where.split(':')[0].split('/')[-1]})" if where else func


def summarise(path: Path, top: int) -> None:
    total = 0
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        frames = [_name(f) for f in stack.split(";")]
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    print(f"{total} samples holding the GIL")
    print("inclusive:")
    for name, n in inclusive.most_common(top):
        print(f"{100 * n / total:5.1f}% {name}")
    print("own:")
    for name, n in own.most_common(15):
        print(f"{100 * n / total:5.1f}% {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("case", choices=("ticket", "faq"))
    parser.add_argument("--out", type=Path, default=Path("profile.txt"))
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(record(args.case, args.out))
    summarise(args.out, args.top)
