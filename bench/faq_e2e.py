"""End-to-end FAQ latency: operator question -> bot answer, through the real Application
and the fake Bot API over HTTP (long polling included).

    .venv/bin/python -m bench.faq_e2e
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import yaml

from bench.common import WIB
from bot.clock import FakeClock
from bot.conversation.questions import is_question
from tests.e2e.harness import ADMIN, TOKEN, Harness, make_settings
from tests.e2e.world import GROUP, LO, OPERATOR, registered_group
from tests.fakeapi.server import FakeBotAPI

EVAL = Path(__file__).resolve().parent.parent / "tests" / "faq_eval.yaml"


# Telegram (and PTB's rate limiter, which we keep on) allow 20 messages a minute per
# group; the questions are spread so that the limiter never has to hold one back.
PER_GROUP = 15


async def _more_groups(h: Harness, n: int) -> list[int]:
    ids = []
    for i in range(n):
        chat = -5000 - i
        h.api.group(chat, f"Grup uji {i}")
        h.api.add_bot(chat, ADMIN)
        await h.api.wait_sent(chat, "menunggu pendaftaran")
        await h.say(chat, LO, "/daftargrup Kementerian Uji")
        ids.append(chat)
    return ids


def _after(api: FakeBotAPI, sent: object, mark: int) -> bool:
    return any(s is sent for s in api.sent[mark:])


async def main() -> None:
    clock = FakeClock(datetime(2026, 11, 23, 10, tzinfo=WIB))
    api = FakeBotAPI(TOKEN, now=clock.now)
    await api.start()
    positives = yaml.safe_load(EVAL.read_text())["positives"].values()
    # Statements that are not questions get no reply at all; they are not timed here.
    questions = [q for qs in positives for q in qs if is_question(q)]
    with tempfile.TemporaryDirectory() as tmp:
        h = Harness(api, clock, make_settings(api, Path(tmp) / "e2e.sqlite3"))
        await h.start()
        try:
            await registered_group(h)
            chats = [GROUP, *await _more_groups(h, len(questions) // PER_GROUP)]
            times = []
            for i, q in enumerate(questions):
                chat = chats[i % len(chats)]
                mark = len(api.sent)
                start = time.perf_counter()
                api.say(chat, OPERATOR, q)
                await api.wait_for(lambda s, m=mark, c=chat: s.chat_id == c and _after(api, s, m))
                times.append(time.perf_counter() - start)
        finally:
            await h.stop()
            await api.stop()
    times.sort()
    print(f"{len(times)} questions, question -> first reply in the group (answer or ticket):")
    print(
        f"median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(0.95 * (len(times) - 1))] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
