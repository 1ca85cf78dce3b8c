"""The sender against Telegram's refusals: a 429 is a schedule, not a failure.

Limits are tested deterministically: the fake Bot API counts its sliding windows on the
test's FakeClock, the bot's limiter reads the same clock, and the test moves the clock in
small steps and drains the outbox after each; nothing sleeps, and a window opens exactly
when the clock says so. (The harness's other tests keep both sides' limits off: their
clock stands still, so a window would never open.)
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from bot.outbox import MAX_BACKOFF, drain
from handlers.sender import make_sender
from storage import groups as groups_repo
from storage import outbox as outbox_repo
from storage.timefmt import parse_ts
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.test_ops import ops as ops  # the fixture: a harness with /metrics
from tests.e2e.test_ops import port_of, scrape
from tests.e2e.world import LO, OPERATOR, people
from tests.fakeapi.limits import TelegramLimits

QUESTION_GROUP = -9000


def _started(h: Harness, *user_ids: int) -> None:
    for uid in user_ids:
        h.api.user(uid, f"Pengguna {uid}")
        h.api.chats[uid].started = True


async def _row(h: Harness, key: str) -> dict[str, object]:
    row = await h.services.db.fetchone(
        "SELECT status, attempts, not_before, error FROM outbox WHERE key = ?", (key,)
    )
    assert row is not None
    return dict(row)


async def _enqueue(h: Harness, key: str, chat_id: int, text: str) -> None:
    async with h.services.db.transaction() as tx:
        await outbox_repo.enqueue(tx, key, chat_id, text, h.clock.now())


async def _refused(h: Harness, before: int) -> None:
    """Drain until the fake has refused one more call (the sender's own loop may be the
    one that met the refusal; either way it is recorded before this returns)."""
    await h.tick()
    for _ in range(200):
        if len(h.api.refusals) > before:
            break
        await asyncio.sleep(0.01)
    assert len(h.api.refusals) == before + 1
    await h.tick()  # whoever sent it, its result is recorded (one drain at a time)


async def test_a_429_is_never_an_attempt(ops: Harness) -> None:  # noqa: F811
    """7 x 429 and then a 500: the row waits the first backoff (30 s) and goes out. It was
    marked failed for good (eight 'attempts'); 6 x 429 + 500 waited 1,926 s."""
    h = ops
    _started(h, 50)
    await _enqueue(h, "t:1", 50, "Jawaban untuk Bapak")
    for _ in range(7):
        h.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 5", retry_after=5)
        await _refused(h, len(h.api.refusals))
        row = await _row(h, "t:1")
        assert (row["status"], row["attempts"]) == ("pending", 0)
        h.clock.advance(seconds=5)
    h.api.fail_next("sendMessage", 500, "Internal Server Error")
    await _refused(h, len(h.api.refusals))
    row = await _row(h, "t:1")
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert parse_ts(str(row["not_before"])) == h.clock.now() + timedelta(seconds=30)
    h.clock.advance(seconds=30)
    await h.tick()
    assert (await _row(h, "t:1"))["status"] == "sent"
    assert [s.plain for s in h.api.sent_to(50)] == ["Jawaban untuk Bapak"]
    metrics = await scrape(port_of(h))
    delay = "lobot_outbox_retry_delay_seconds"
    assert metrics[(f"{delay}_count", (("reason", "flood"),))] == 7
    assert metrics[(f"{delay}_count", (("reason", "transient"),))] == 1
    assert metrics[(f"{delay}_sum", (("reason", "transient"),))] == 30


async def test_no_row_fails_for_a_transient_error(harness: Harness) -> None:
    """Twelve server errors in a row: the backoff doubles up to five minutes, and the
    row still goes out (it failed for good at the eighth, after an hour's wait)."""
    h = harness
    _started(h, 51)
    await _enqueue(h, "t:2", 51, "Pengingat tiket")
    waits = []
    for _ in range(12):
        h.api.fail_next("sendMessage", 502, "Bad Gateway")
        await _refused(h, len(h.api.refusals))
        row = await _row(h, "t:2")
        assert row["status"] == "pending"
        wait = parse_ts(str(row["not_before"])) - h.clock.now()
        waits.append(wait.total_seconds())
        h.clock.advance(wait)
    assert waits == [30, 60, 120, 240] + [MAX_BACKOFF] * 8
    await h.tick()
    row = await _row(h, "t:2")
    assert (row["status"], row["attempts"]) == ("sent", 13)
    assert len(h.api.sent_to(51)) == 1


async def test_429s_in_two_chats_hold_the_whole_bot(harness: Harness) -> None:
    """Telegram does not say which limit a 429 is about; two chats refused within a
    second is the bot's own limit, so nobody is sent to for the time named."""
    h = harness
    _started(h, 52, 53, 54)
    for chat in (52, 53):
        h.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", 3, chat_id=chat)
        await _enqueue(h, f"t:{chat}", chat, "Halo")
    await h.tick()
    assert {c for _, c, _ in h.api.refusals} == {429}
    await _enqueue(h, "t:54", 54, "Halo juga")
    await h.tick()
    assert h.api.sent_to(54) == []  # chat 54 was never refused, but the bot is held
    h.clock.advance(seconds=3)
    await h.tick()
    assert [len(h.api.sent_to(chat)) for chat in (52, 53, 54)] == [1, 1, 1]


async def _limited_world(h: Harness, groups: list[int]) -> None:
    """Staff, the broadcast's groups (written straight to the database) and a question
    group; then both the bot's and the fake's limits on, on the test's clock."""
    people(h)
    await h.say(LO, LO, "/start")
    await h.say(ADMIN, ADMIN, "/beriperan lo @sari_lo")
    await h.say(ADMIN, ADMIN, "/start")
    now = h.clock.now()
    async with h.services.db.transaction() as tx:
        for i, chat in enumerate([*groups, QUESTION_GROUP]):
            h.api.group(chat, f"Grup uji {i:03d}").bot_status = "member"
            await groups_repo.upsert_joined(tx, chat, f"Grup uji {i:03d}", now)
            kl = "K/L Lain" if chat == QUESTION_GROUP else "K/L Uji"
            await groups_repo.register(tx, chat, LO, kl, now)
    h.settings = replace(h.settings, send_limits=True)
    await h.restart()
    h.api.limits = TelegramLimits()
    h.clock.advance(seconds=60)  # every window empty


async def _question_enqueued(h: Harness, mark: int) -> None:
    """Until the bot has handled the question (its reply row is in the outbox)."""
    for _ in range(500):
        row = await h.services.db.fetchone(
            "SELECT count(*) FROM outbox WHERE chat_id = ? AND id > ?", (QUESTION_GROUP, mark)
        )
        if row is not None and row[0]:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the question was not handled")


async def test_a_300_group_broadcast_draws_no_429(harness: Harness) -> None:
    """300 groups under Telegram's windows: no 429, done within 1.05 x the bound the
    bot's 30 a second sets, and a question in another group answered within a second."""
    h = harness
    groups = [-200_000 - i for i in range(300)]
    await _limited_world(h, groups)
    mark = len(h.api.sent)
    preview = await h.say(ADMIN, ADMIN, "/umumkan kl K/L Uji\nUji pengumuman massal")
    ok = next(b for b in preview.buttons if b["callback_data"].endswith(":ok"))
    h.api.press(ADMIN, ADMIN, preview.message["message_id"], ok["callback_data"])
    await h.api.wait_for(lambda s: s.method == "editMessageText" and h.api.sent.index(s) > mark)
    start = h.clock.now()
    sender = make_sender(h.app.bot)  # type: ignore[union-attr]
    asked = answered = None
    targets = set(groups)
    while sum(1 for s in h.api.sent if s.chat_id in targets) < len(groups):
        assert h.clock.now() - start < timedelta(seconds=60), "the broadcast stalled"
        h.clock.advance(milliseconds=100)
        await h.tick()
        await drain(h.services, sender)
        if asked is None and h.clock.now() - start >= timedelta(seconds=5):
            last = await h.services.db.fetchone("SELECT max(id) FROM outbox")
            h.api.say(QUESTION_GROUP, OPERATOR, "Mohon info pak, SPM kami kapan diproses?")
            await _question_enqueued(h, int(last[0]) if last else 0)
            asked = h.clock.now()
        if asked is not None and answered is None and h.api.sent_to(QUESTION_GROUP):
            answered = h.clock.now()
    elapsed = (h.clock.now() - start).total_seconds()
    assert h.api.too_many == 0 and not [r for r in h.api.refusals if r[1] == 429]
    assert elapsed <= 1.05 * len(groups) / 30
    assert asked is not None and answered is not None
    assert answered - asked <= timedelta(seconds=1)
    assert all(len(h.api.sent_to(chat)) == 1 for chat in groups)  # each exactly once
    assert h.api.limits is not None and h.api.limits.max_in_window() == 30  # at the bound
