"""The delivery core end to end: concurrency, crashes, one instance, start-up, shutdown."""

from __future__ import annotations

import asyncio
import random
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from tests.e2e.harness import ADMIN, Harness, query
from tests.e2e.process import finish, start_bot, wait_polling
from tests.e2e.world import GROUP, LO, OPERATOR, OTHER_GROUP, registered_group
from tests.fakeapi.server import FakeBotAPI

QUESTIONS = 50


def _question(i: int) -> str:
    return f"Mohon info pak, berkas pengajuan kami nomor {i:03d} sudah diproses belum?"


def _asker(api: FakeBotAPI, i: int) -> int:
    """Question i comes from its own operator: one asker's second open question the same
    day joins their first ticket (issue 10), and these tests count one ticket a question."""
    user_id = 5000 + i
    if user_id not in api.users:
        api.user(user_id, f"Operator {i:03d}")
    return user_id


def _replies_to_questions(api: FakeBotAPI) -> dict[int, int]:
    """How many replies each question message in the group received."""
    counts: dict[int, int] = {}
    for s in api.sent_to(GROUP):
        replied = (s.message.get("reply_to_message") or {}).get("text", "")
        if "berkas pengajuan kami nomor" in replied:
            number = int(replied.split("nomor ")[1][:3])
            counts[number] = counts.get(number, 0) + 1
    return counts


def _tickets(db: Path) -> tuple[int, int]:
    [(total, distinct)] = query(
        db, "SELECT count(*), count(DISTINCT message_id) FROM tickets WHERE chat_id = ?", (GROUP,)
    )
    return total, distinct


async def _until(predicate, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    async def wait() -> None:
        while not predicate():  # noqa: ASYNC110  (another process writes what we check)
            await asyncio.sleep(0.05)

    await asyncio.wait_for(wait(), timeout)


async def test_busy_group_does_not_delay_a_quiet_one(harness: Harness, tmp_path: Path) -> None:
    """With Telegram's limits on, a group at its 20/min limit holds up only itself."""
    h = harness
    await registered_group(h)
    h.api.add_bot(OTHER_GROUP, ADMIN)
    await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran")
    reply = await h.say(OTHER_GROUP, LO, "/daftargrup Kementerian Kesehatan")
    assert "terdaftar" in reply.plain
    h.settings = replace(h.settings, send_limits=True)
    await h.restart()
    for i in range(30):
        h.api.say(GROUP, _asker(h.api, i), _question(i))
    # Every question is handled (a ticket each) although the group can take only 20 a minute.
    await _until(lambda: _tickets(h.settings.database)[0] == 30)
    quiet = await h.say(OTHER_GROUP, OPERATOR, "Mohon info pak, kapan rekon bulan ini dibuka?")
    assert quiet.chat_id == OTHER_GROUP
    # The busy group's backlog is still waiting for Telegram's minute (20 messages).
    assert len(_replies_to_questions(h.api)) <= 20
    # ...and it is delivered, in order, as Telegram's minutes pass (20 a minute: how many
    # went before the quiet reply depends on how fast the tickets were opened).
    for _ in range(2):
        h.clock.advance(seconds=61)
        await h.tick()
        await h.settle()
    numbers = list(_replies_to_questions(h.api))
    assert numbers == list(range(30))


async def _setup_world(harness: Harness) -> Path:
    await registered_group(harness)
    await harness.say(GROUP, OPERATOR, "/operator 123456")
    await harness.stop()
    return harness.settings.database


async def test_kill_9_mid_burst_loses_no_question(harness: Harness) -> None:
    db = await _setup_world(harness)
    api = harness.api
    mark = len(api.calls)
    proc = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
    await wait_polling(api, mark)
    for i in range(QUESTIONS):
        api.say(GROUP, _asker(api, i), _question(i))
    kill_after = random.randint(1, QUESTIONS - 10)
    await _until(lambda: len(_replies_to_questions(api)) >= kill_after)
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    restart = len(api.calls)
    proc = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
    await _until(lambda: len(_replies_to_questions(api)) == QUESTIONS)
    # Killed late in the burst, the first process may have sent every reply before it
    # died (requests in flight): the second is then still starting, before its signal
    # handlers, and a SIGTERM ended it with -15 (1 run in 5). It is stopped once polling.
    await wait_polling(api, restart)
    proc.send_signal(signal.SIGTERM)
    code, err = await finish(proc)
    assert code == 0, err
    total, distinct = _tickets(db)
    assert total == distinct == QUESTIONS  # one ticket per question, none lost
    # A duplicate reply is possible only for rows in flight at the kill (the send window).
    duplicates = sum(n - 1 for n in _replies_to_questions(api).values())
    assert duplicates <= 8


@pytest.mark.sqlite_only  # on PostgreSQL a second process is a second worker (test_workers)
async def test_second_instance_is_refused(harness: Harness) -> None:
    db = await _setup_world(harness)
    mark = len(harness.api.calls)
    first = await start_bot(harness.api, db)
    await wait_polling(harness.api, mark)
    second = await start_bot(harness.api, db)
    code, err = await finish(second)
    assert code == 3
    assert "already running" in err and err.count("\n") == 1
    first.send_signal(signal.SIGTERM)
    code, err = await finish(first)
    assert code == 0, err


@pytest.mark.sqlite_only
async def test_corrupt_database_exits_at_once(api: FakeBotAPI, tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    code, err = await finish(await start_bot(api, db))
    assert code == 1
    assert "cannot start" in err and "not a database" in err
    assert "Traceback" not in err


async def test_refused_token_exits_without_showing_it(api: FakeBotAPI, tmp_path: Path) -> None:
    other = "654321:ANOTHER-token-the-fake-api-refuses-00"
    code, err = await finish(
        await start_bot(api, tmp_path / "bot.sqlite3", TELEGRAM_BOT_TOKEN=other)
    )
    assert code == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith("lobot: cannot start: InvalidToken")
    # The log lines before it are redacted by the logging filter (tests/test_logging.py).
    assert other not in last


async def test_sigterm_during_a_send_repeats_nothing(harness: Harness) -> None:
    """SIGTERM while the ticket replies go out: what was sent is recorded, nothing twice."""
    db = await _setup_world(harness)
    api = harness.api
    mark = len(api.calls)
    proc = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
    await wait_polling(api, mark)
    for i in range(20):
        api.say(GROUP, _asker(api, i), _question(i))
    await _until(lambda: len(_replies_to_questions(api)) >= 5)
    proc.send_signal(signal.SIGTERM)
    code, err = await finish(proc)
    assert code == 0, err
    mark = len(api.calls)
    proc = await start_bot(api, db, LOBOT_SEND_LIMITS="off")
    await wait_polling(api, mark)
    await _until(lambda: len(_replies_to_questions(api)) == 20)
    proc.send_signal(signal.SIGTERM)
    assert (await finish(proc))[0] == 0
    assert all(n == 1 for n in _replies_to_questions(api).values())
    assert _tickets(db) == (20, 20)


async def test_long_answer_reaches_the_group_in_parts(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    await h.say(GROUP, OPERATOR, _question(1))
    sentences = [f"Langkah ke-{i}: periksa dokumen <{i}> & lengkapi." for i in range(120)]
    answer = " ".join(sentences)
    assert len(answer) > 4096
    mark = len(h.api.sent)
    await h.act(LO, LO, f"/jawab 2026-0001 {answer}")
    posted = [s.plain for s in h.api.sent[mark:] if s.chat_id == GROUP]
    assert len(posted) >= 2 and not h.api.refusals
    joined = " ".join(posted)
    assert all(sentence in joined for sentence in sentences)  # nothing lost, escaped right


async def test_ticket_reply_refused_by_a_server_error_is_retried(harness: Harness) -> None:
    h = harness
    await registered_group(h)
    h.api.fail_next("sendMessage", 500, "Internal Server Error", chat_id=GROUP)
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, _question(2))
    await h.settle()
    assert not [s for s in h.api.sent[mark:] if s.chat_id == GROUP]  # not posted yet...
    h.clock.advance(seconds=31)
    await h.tick()
    replies = [s.plain for s in h.api.sent[mark:] if s.chat_id == GROUP]
    assert len(replies) == 1 and "#2026-0001" in replies[0]  # ...then once, no second ticket
    assert _tickets(h.settings.database) == (1, 1)
