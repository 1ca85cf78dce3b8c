"""The delivery core against a bare echo bot, both as processes on the same fake Bot API.

    .venv/bin/python -m bench.delivery [--crash-rounds 10]

1. Throughput, limits off (LOBOT_SEND_LIMITS=off): 1,000 messages from 20 users in 5
   groups, as a burst and one after another, FAQ-answered and ticket-opening; the echo
   bot answers every message. Reported: messages/s and lobot's share of the echo rate;
   sequential p95 from the question to the reply.
2. Head-of-line, limits on (the bot's, and the fake's sliding windows on the wall clock,
   tests/fakeapi/limits.py): 15 questions into one group, then one into another; the
   second group's reply time, over 5 rounds, and the 429s the fake answered.
3. Crash: kill -9 at a random point during 50 questions and during 50 /jawab answers,
   per round; questions or answers lost, and duplicate posts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml

from bench.common import WIB
from bot.clock import FakeClock
from tests.e2e.harness import ADMIN, TOKEN, Harness, make_settings
from tests.e2e.process import log_of, start_bot, wait_polling
from tests.e2e.world import LO, people
from tests.fakeapi.limits import TelegramLimits
from tests.fakeapi.server import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
GROUPS = [-7001, -7002, -7003, -7004, -7005]
USERS = list(range(8001, 8021))
EVAL = ROOT / "tests" / "faq_eval.yaml"


def faq_texts() -> list[str]:
    positives = yaml.safe_load(EVAL.read_text())["positives"].values()
    return [q for qs in positives for q in qs if "?" in q]


def ticket_text(i: int) -> str:
    return f"Mohon info pak, berkas pengajuan kami nomor {i:04d} sudah diproses belum?"


async def setup_world(api: FakeBotAPI, db: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 10, tzinfo=WIB))
    h = Harness(api, clock, make_settings(api, db))
    await h.start()
    people(h)
    for uid in USERS:
        api.user(uid, f"Operator {uid}")
    await h.say(LO, LO, "/start")
    await h.say(ADMIN, ADMIN, "/beriperan lo @sari_lo")
    for chat in GROUPS:
        api.group(chat, f"Grup bench {chat}")
        api.add_bot(chat, ADMIN)
        await api.wait_sent(chat, "menunggu pendaftaran")
        await h.say(chat, LO, "/daftargrup Kementerian Uji")
    await h.stop()


def group_replies(api: FakeBotAPI, mark: int) -> int:
    return sum(1 for s in api.sent[mark:] if s.chat_id in GROUPS)


async def until(check: Callable[[], bool], limit: float = 300) -> None:
    async def wait() -> None:
        while not check():  # noqa: ASYNC110  (the state changes in the fake's HTTP handlers)
            await asyncio.sleep(0.002)

    await asyncio.wait_for(wait(), limit)


async def burst(api: FakeBotAPI, texts: list[str]) -> float:
    mark = len(api.sent)
    start = time.perf_counter()
    for i, text in enumerate(texts):
        api.say(GROUPS[i % len(GROUPS)], USERS[i % len(USERS)], text)
    await until(lambda: group_replies(api, mark) >= len(texts))
    return len(texts) / (time.perf_counter() - start)


async def sequential(api: FakeBotAPI, texts: list[str]) -> tuple[float, list[float]]:
    times = []
    start = time.perf_counter()
    for i, text in enumerate(texts):
        mark = len(api.sent)
        t0 = time.perf_counter()
        api.say(GROUPS[i % len(GROUPS)], USERS[i % len(USERS)], text)
        await until(lambda m=mark: group_replies(api, m) >= 1)
        times.append(time.perf_counter() - t0)
    return len(texts) / (time.perf_counter() - start), sorted(times)


def p95(values: list[float]) -> float:
    return values[int(0.95 * (len(values) - 1))]


async def start_echo(api: FakeBotAPI) -> asyncio.subprocess.Process:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "ECHO_BASE_URL": api.base_url}
    mark = len(api.calls)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.echo_bot", cwd=ROOT, env=env, stderr=asyncio.subprocess.DEVNULL
    )
    await wait_polling(api, mark)
    return proc


async def stop(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGTERM)
    await proc.wait()


async def throughput(api: FakeBotAPI, db: Path, n: int) -> None:
    faq = faq_texts()
    cases = {
        "faq": [faq[i % len(faq)] for i in range(n)],
        "ticket": [ticket_text(i) for i in range(n)],
    }
    echo = await start_echo(api)
    echo_rate = {k: await burst(api, v) for k, v in cases.items()}
    echo_seq = {k: await sequential(api, v[: n // 4]) for k, v in cases.items()}
    await stop(echo)
    mark = len(api.calls)
    bot = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
    await wait_polling(api, mark)
    # Each case uses fresh messages (fresh updates), so nothing is answered from memory.
    lobot_rate = {k: await burst(api, v) for k, v in cases.items()}
    await stop(bot)
    lobot_seq = {}
    own = {}
    for k, v in cases.items():
        mark = len(api.calls)
        bot = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
        await wait_polling(api, mark)
        lobot_seq[k] = await sequential(api, [f"{t} ({j})" for j, t in enumerate(v[: n // 4])])
        await stop(bot)
        # The processor's own summary: time spent handling each update.
        line = [x for x in log_of(bot).splitlines() if "processing p50" in x]
        own[k] = line[-1].split("updates: ")[-1] if line else "?"
    print(f"Throughput, {n} messages, 20 users, 5 groups, limits off")
    print("| case | echo bot msg/s | lobot msg/s | ratio | lobot seq p95 | echo seq p95 |")
    print("|---|---|---|---|---|---|")
    for k in cases:
        ratio = lobot_rate[k] / echo_rate[k]
        print(
            f"| burst {k} | {echo_rate[k]:.0f} | {lobot_rate[k]:.0f} | {ratio:.2f} "
            f"| {p95(lobot_seq[k][1]) * 1000:.1f} ms | {p95(echo_seq[k][1]) * 1000:.1f} ms |"
        )
        seq_ratio = lobot_seq[k][0] / echo_seq[k][0]
        rates = f"{echo_seq[k][0]:.0f} | {lobot_seq[k][0]:.0f} | {seq_ratio:.2f}"
        print(f"| sequential {k} | {rates} | | |")
    for k in cases:
        print(f"lobot's own handling time, sequential {k}: {own[k]}")


async def head_of_line(api: FakeBotAPI, db: Path) -> None:
    mark = len(api.calls)
    api.limits = TelegramLimits()  # the fake counts Telegram's windows from here on
    bot = await start_bot(api, db)  # and so does the bot
    await wait_polling(api, mark)
    busy, quiet = GROUPS[0], GROUPS[1:]
    waits = []
    for r in range(5):
        for i in range(15):
            api.say(busy, USERS[i], ticket_text(10_000 + r * 100 + i))
        chat = quiet[r % len(quiet)]
        start_mark = len(api.sent)
        t0 = time.perf_counter()
        api.say(chat, USERS[19], ticket_text(20_000 + r))
        await until(lambda m=start_mark, c=chat: any(s.chat_id == c for s in api.sent[m:]))
        waits.append(time.perf_counter() - t0)
    await stop(bot)
    too_many, api.limits = api.too_many, None
    waits.sort()
    print(
        f"Head-of-line, limits on: quiet group's reply after 15 questions in a busy group, "
        f"5 rounds (75 busy questions): median {statistics.median(waits) * 1000:.0f} ms, "
        f"max {waits[-1] * 1000:.0f} ms; 429s from the fake: {too_many}"
    )


def replies_to(api: FakeBotAPI, mark: int, texts: set[str]) -> list[str]:
    """The question each group reply after ``mark`` answers, if it is one of ``texts``."""
    found = []
    for s in api.sent[mark:]:
        question = (s.message.get("reply_to_message") or {}).get("text", "")
        if s.chat_id in GROUPS and question in texts:
            found.append(question)
    return found


def answer_posts(api: FakeBotAPI, mark: int, numbers: list[str]) -> list[str]:
    wanted = {f"Jawaban atas tiket #{n} " for n in numbers}
    return [s.plain[:40] for s in api.sent[mark:] if s.plain[:40].rsplit("dari", 1)[0] in wanted]


async def kill_and_restart(
    api: FakeBotAPI, db: Path, bot: asyncio.subprocess.Process, ready: Callable[[], bool]
) -> asyncio.subprocess.Process:
    await until(ready)
    bot.send_signal(signal.SIGKILL)
    await bot.wait()
    return await start_bot(api, db, LOBOT_SEND_LIMITS="off")


async def crash_round(api: FakeBotAPI, db: Path, base: int) -> tuple[int, int, int, int]:
    """(questions lost, duplicate replies, answers lost, duplicate answer posts)."""
    texts = [ticket_text(base + i) for i in range(50)]
    wanted = set(texts)
    mark = len(api.sent)
    bot = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
    for i, text in enumerate(texts):
        api.say(GROUPS[i % 5], USERS[i % 20], text)
    kill_at = random.randint(1, 45)
    bot = await kill_and_restart(
        api, db, bot, lambda: len(set(replies_to(api, mark, wanted))) >= kill_at
    )
    marks = ",".join("?" * len(texts))
    with sqlite3.connect(db) as conn:
        ticketed = f"SELECT count(*), group_concat(number) FROM tickets WHERE text IN ({marks})"

        def tickets_now() -> tuple[int, str]:
            return conn.execute(ticketed, texts).fetchone()  # type: ignore[no-any-return]

        await until(
            lambda: tickets_now()[0] >= 50 and len(set(replies_to(api, mark, wanted))) >= 50, 60
        )
        total, joined = tickets_now()
    replies = replies_to(api, mark, wanted)
    q_lost, q_dup = 50 - len(set(replies)), len(replies) - len(set(replies)) + (total - 50)
    numbers = joined.split(",")
    mark = len(api.sent)
    for n in numbers:
        api.say(LO, LO, f"/jawab {n} Sudah kami proses, silakan cek OM-SPAN.")
    kill_at = random.randint(1, 45)
    bot = await kill_and_restart(
        api, db, bot, lambda: len(set(answer_posts(api, mark, numbers))) >= kill_at
    )
    await until(lambda: len(set(answer_posts(api, mark, numbers))) >= 50, 60)
    await stop(bot)
    posts = answer_posts(api, mark, numbers)
    return q_lost, q_dup, 50 - len(set(posts)), len(posts) - len(set(posts))


async def crashes(api: FakeBotAPI, db: Path, rounds: int) -> None:
    totals = [0, 0, 0, 0]
    for r in range(rounds):
        result = await crash_round(api, db, 100_000 + r * 100)
        totals = [a + b for a, b in zip(totals, result, strict=True)]
    print(
        f"Crash, {rounds} rounds of kill -9 during 50 questions and 50 answers: "
        f"questions lost {totals[0]}, duplicate question replies {totals[1]}, "
        f"answers lost {totals[2]}, duplicate answer posts {totals[3]}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--crash-rounds", type=int, default=10)
    parser.add_argument(
        "--only-head-of-line", action="store_true", help="skip throughput and crash rounds"
    )
    args = parser.parse_args()
    api = FakeBotAPI(TOKEN)
    await api.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.sqlite3"
        await setup_world(api, db)
        if not args.only_head_of_line:
            await throughput(api, db, args.messages)
        await head_of_line(api, db)
        if not args.only_head_of_line:
            await crashes(api, db, args.crash_rounds)
    await api.stop()


if __name__ == "__main__":
    asyncio.run(main())
