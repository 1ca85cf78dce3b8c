"""Two and three worker processes on one PostgreSQL (bot/workers.py), with the fake Bot
API: a crowd of questions from many groups, the tick leader killed (-9) half-way. Every
question is answered once, each group's replies come in the order of its questions, and
no reminder goes out twice. Then the same behind a webhook proxy that hands each update
to the next worker. The full 1,000 questions from 50 groups: bench/workers.py."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tests.conftest import postgres_only
from tests.e2e import crowd
from tests.e2e.harness import Harness, query

pytestmark = postgres_only

GROUPS = 50
PER_GROUP = 4  # 200 questions in CI; bench/workers.py asks 20 a group (1,000)


@pytest.mark.parametrize("workers", [2, 3])
async def test_workers_share_a_crowd_and_survive_kill_9_of_the_leader(
    harness: Harness, workers: int
) -> None:
    await crowd.office(harness, GROUPS)
    setup_sent = len(harness.api.sent)
    clock_start = harness.clock.now() + crowd.LATER
    await harness.stop()
    total = GROUPS * PER_GROUP
    run = crowd.Crowd(
        harness.api,
        harness.settings.database,
        workers,
        GROUPS,
        PER_GROUP,
        clock_start,
        kill_at=random.randint(total // 5, total // 2),
    )
    try:
        await run.run()
    finally:
        results = await run.stop()
    for code, log in results:
        assert code == 0, log
        assert "Conflict" not in log  # one poller at a time (the fake answers 409 else)
    api = harness.api
    assert api.conflicts <= 1  # the killed leader's poll, ended by its successor's
    assert crowd.answered(api) == {(g, q) for g in range(GROUPS) for q in range(PER_GROUP)}
    # A reply the killed worker had in flight may go out again (the outbox's send window,
    # bot/outbox.py): at most the rows one worker sends at once.
    assert crowd.duplicates(api) <= 8
    assert crowd.out_of_order(api) == []
    [(tickets, distinct)] = query(
        harness.settings.database,
        "SELECT count(*), count(DISTINCT (chat_id, message_id)) FROM tickets WHERE chat_id <= ?",
        (crowd.FIRST_GROUP,),
    )
    assert tickets == distinct == total + GROUPS  # one ticket a question, none twice
    later = api.sent[setup_sent:]
    notices = Counter((s.chat_id, s.text) for s in later if s.chat_id > 0)
    print(run.killed, len(later), notices.most_common(3))
    assert notices  # the overdue tickets' reminders and alerts went out
    assert sum(n - 1 for n in notices.values()) <= 8 - crowd.duplicates(api)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_workers_behind_a_webhook_proxy_take_any_update(harness: Harness) -> None:
    """Webhook mode: the proxy sends each update to the next worker in turn (and past a
    dead one); whoever receives it stores it, and the chat's claimer handles it in order."""
    groups, per_group = 20, 5
    await crowd.office(harness, groups)
    clock_start = harness.clock.now() + crowd.LATER
    await harness.stop()
    ports = [_free_port() for _ in range(2)]
    harness.api.webhook_forward = [f"http://127.0.0.1:{p}" for p in ports]
    polls = sum(1 for name, _ in harness.api.calls if name == "getUpdates")
    run = crowd.Crowd(
        harness.api,
        harness.settings.database,
        2,
        groups,
        per_group,
        clock_start,
        kill_at=random.randint(20, 50),
        env={
            "LOBOT_WEBHOOK_URL": "https://lobot.example/telegram/update",
            "LOBOT_WEBHOOK_SECRET": "k3y_" + "a1B2" * 10,
        },
        env_of=lambda i: {"LOBOT_WEB_PORT": str(ports[i])},
    )
    try:
        await run.run()
    finally:
        results = await run.stop()
    for code, log in results:
        assert code == 0, log
    api = harness.api
    assert crowd.answered(api) == {(g, q) for g in range(groups) for q in range(per_group)}
    assert crowd.duplicates(api) <= 8
    assert crowd.out_of_order(api) == []
    # Both workers received updates; nobody polled.
    assert len(api.webhook_posts) == 2
    assert sum(1 for name, _ in api.calls if name == "getUpdates") == polls
