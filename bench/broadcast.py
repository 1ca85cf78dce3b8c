"""A broadcast to 2,000 groups under Telegram's limits, with a question asked meanwhile.

    .venv/bin/python -m bench.broadcast [--groups 2000] [--questions 15]

The fake Bot API here keeps Telegram's limits strictly, as sliding windows on the wall
clock (tests/fakeapi/limits.py: 30 messages in any second for the bot, 20 in any minute
per group, 3 in any 3 s per private chat) and answers 429 with retry_after beyond them;
the bot runs in-process with its sending limits on and the real clock.
Reported: time for every group to receive the broadcast against the bound the limits set
(groups / 30 s), 429s received, the most messages the fake saw in any one second, the
time from a question in another group to the bot's reply, asked several times during
the broadcast, and the progress message's edits (how many, the shortest gap between two).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.clock import SystemClock
from storage import groups as groups_repo
from tests.e2e.harness import ADMIN, TOKEN, Harness, make_settings
from tests.e2e.world import LO, OPERATOR, people
from tests.fakeapi.limits import TelegramLimits
from tests.fakeapi.server import FakeBotAPI

QUESTION_GROUP = -9000
PER_SECOND = 30.0


class LimitedFakeBotAPI(FakeBotAPI):
    """The fake Bot API with Telegram's limits on, noting when the progress was edited."""

    def __init__(self, token: str) -> None:
        super().__init__(token, limits=TelegramLimits())
        self.edited_at: list[float] = []

    async def api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        found = await super().api_editMessageText(p)
        self.edited_at.append(time.monotonic())
        return found


async def until(check: Callable[[], bool], limit: float = 600) -> None:
    async def wait() -> None:
        while not check():  # noqa: ASYNC110  (the fake's HTTP handlers change the state)
            await asyncio.sleep(0.05)

    await asyncio.wait_for(wait(), limit)


async def world(h: Harness, chats: list[int]) -> None:
    """Staff, 2,000 broadcast groups (written straight to the database) and a question
    group of another K/L with a registered operator."""
    people(h)
    await h.say(LO, LO, "/start")
    await h.say(ADMIN, ADMIN, "/beriperan lo @sari_lo")
    now = h.clock.now()
    async with h.services.db.transaction() as tx:
        for i, chat in enumerate(chats):
            h.api.group(chat, f"Grup bench {i:04d}").bot_status = "member"
            await groups_repo.upsert_joined(tx, chat, f"Grup bench {i:04d}", now)
            await groups_repo.register(tx, chat, LO, "K/L Bench", now)
        h.api.group(QUESTION_GROUP, "Grup tanya").bot_status = "member"
        await groups_repo.upsert_joined(tx, QUESTION_GROUP, "Grup tanya", now)
        await groups_repo.register(tx, QUESTION_GROUP, LO, "K/L Lain", now)


async def duplicates_explained(h: Harness, chats: list[int]) -> list[str]:
    """The outbox rows of groups that got the broadcast twice (attempts, last error)."""
    out = []
    for chat in chats[:10]:
        row = await h.services.db.fetchone(
            "SELECT key, status, attempts, error FROM outbox WHERE key = ?",
            (f"bc:1:{chat}",),
        )
        out.append(f"{chat}: {dict(row) if row else None}")
    return out


async def ask(api: FakeBotAPI, i: int) -> float:
    """Seconds from a question in the question group to the bot's reply there."""
    mark = len(api.sent)
    start = time.perf_counter()
    api.say(QUESTION_GROUP, OPERATOR, f"Mohon info pak, berkas nomor {i:03d} sudah diproses?")
    await api.wait_sent(QUESTION_GROUP, after=mark, timeout=60)
    return time.perf_counter() - start


async def run(groups: int, questions: int) -> None:
    api = LimitedFakeBotAPI(TOKEN)
    await api.start()
    chats = [-100_000 - i for i in range(groups)]
    with tempfile.TemporaryDirectory() as tmp:
        settings = replace(make_settings(api, Path(tmp) / "bench.sqlite3"), send_limits=True)
        h = Harness(api, SystemClock(), settings)  # type: ignore[arg-type]
        await h.start()
        try:
            await world(h, chats)
            await h.say(ADMIN, ADMIN, "/start")
            preview = await h.say(ADMIN, ADMIN, "/umumkan kl K/L Bench\nUji pengumuman massal")
            ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
            targets = set(chats)

            copies: dict[int, int] = {}
            scanned = 0

            def delivered() -> int:
                # Incremental, and the chat checked before the text: a full scan of
                # everything sent, every few ms, would slow the bot it measures.
                nonlocal scanned
                for s in api.sent[scanned:]:
                    if s.chat_id in targets and s.method == "sendMessage":
                        copies[s.chat_id] = copies.get(s.chat_id, 0) + 1
                scanned = len(api.sent)
                return sum(copies.values())

            start = time.perf_counter()
            api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
            bound = groups / PER_SECOND
            latencies = []
            for i in range(questions):
                await until(
                    lambda i=i: time.perf_counter() - start >= (i + 1) * bound / (questions + 1)
                )
                latencies.append(await ask(api, i))
            await until(lambda: delivered() >= groups)
            elapsed = time.perf_counter() - start
            twice = sorted(chat for chat, n in copies.items() if n > 1)
            rows = await duplicates_explained(h, twice)
            report = None
            for _ in range(30):  # the scanner reports once every row's result is recorded
                await h.tick()  # (in production the tick job runs every 30 s)
                try:
                    report = await api.wait_sent(ADMIN, "Laporan pengiriman", timeout=1)
                    break
                except TimeoutError:
                    continue
        finally:
            await h.stop()
            await api.stop()
    total = sum(copies.values())
    print(f"groups: {groups}, copies delivered: {total}, groups with two or more: {len(twice)}")
    for row in rows:
        print(f"  more than once: {row}")
    print(f"broadcast: {elapsed:.1f} s; bound {bound:.1f} s; ratio {elapsed / bound:.3f}")
    print(f"429s from the fake: {api.too_many}")
    assert api.limits is not None
    print(f"most messages in any one second: {api.limits.max_in_window()}")
    shown_report = report.plain.replace("\n", " / ")[:200] if report else "(none)"
    print(f"report: {shown_report}")
    shown = ", ".join(f"{x * 1000:.0f} ms" for x in latencies)
    print(f"question answered during the broadcast ({len(latencies)}x): {shown}")
    print(f"max {max(latencies) * 1000:.0f} ms" if latencies else "no questions")
    gaps = [b - a for a, b in zip(api.edited_at, api.edited_at[1:], strict=False)]
    shortest = f", shortest gap {min(gaps):.1f} s" if gaps else ""
    print(f"progress edits: {len(api.edited_at)}{shortest}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=15)
    args = parser.parse_args()
    asyncio.run(run(args.groups, args.questions))


if __name__ == "__main__":
    main()
