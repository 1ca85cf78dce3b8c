"""The fake Bot API refuses what Telegram refuses (checked with PTB's own Bot)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.clock import FakeClock
from storage import outbox as outbox_repo
from tests.e2e.harness import TOKEN, Harness
from tests.fakeapi.limits import TelegramLimits
from tests.fakeapi.server import FakeBotAPI


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    api.user(1, "Ani")
    api.chats[1].started = True
    b = Bot(TOKEN, base_url=api.base_url)
    async with b:
        yield b


async def test_invalid_html_is_refused(bot: Bot) -> None:
    for bad in ("<b>tebal", "a < b", "<script>x</script>", "AT&T", "<b><i>x</b></i>"):
        with pytest.raises(BadRequest, match="(?i)parse entities"):
            await bot.send_message(1, bad, parse_mode="HTML")
    await bot.send_message(1, "a &lt; b &amp; <b>ok</b>", parse_mode="HTML")


async def test_long_text_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)too long"):
        await bot.send_message(1, "x" * 4097)
    await bot.send_message(1, "x" * 4096)
    # The limit counts visible characters, not markup.
    await bot.send_message(1, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await bot.send_message(1, "pilih", reply_markup=markup)


async def test_unknown_chat_and_kicked_and_not_started(api: FakeBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(424242, "halo")
    api.group(-5, "G")
    api.chats[-5].bot_status = "kicked"
    with pytest.raises(Forbidden, match="(?i)kicked"):
        await bot.send_message(-5, "halo")
    api.user(2, "Budi")
    with pytest.raises(Forbidden, match="(?i)initiate"):
        await bot.send_message(2, "halo")


async def test_429_carries_retry_after(api: FakeBotAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(1, "halo")
    wait = info.value.retry_after
    assert (wait.total_seconds() if isinstance(wait, timedelta) else wait) == 7


async def test_outbox_waits_out_429_on_the_clock(harness: Harness) -> None:
    h = harness
    h.api.user(50, "Sari")
    h.api.chats[50].started = True
    async with h.services.db.transaction() as tx:
        await outbox_repo.enqueue(tx, "t:1", 50, "Pengingat <b>satu</b>", h.clock.now())
        await outbox_repo.enqueue(tx, "t:2", 50, "Pengingat dua", h.clock.now())
    h.api.fail_next("sendMessage", 429, "Too Many Requests: retry after 30", retry_after=30)
    first = await h.tick()
    assert (first.drained.sent, first.drained.postponed) == (0, 1)
    h.clock.advance(seconds=10)
    assert (await h.tick()).drained.sent == 0  # the chat is held for the 30 s Telegram named
    h.clock.advance(seconds=25)
    assert (await h.tick()).drained.sent == 2
    assert (await h.tick()).drained.sent == 0  # never twice
    # Flood control keeps the chat's order.
    assert [s.plain for s in h.api.sent_to(50)] == ["Pengingat satu", "Pengingat dua"]


async def test_outbox_rejected_row_fails_once_and_others_go(harness: Harness) -> None:
    h = harness
    h.api.user(51, "Rina")
    h.api.chats[51].started = True
    async with h.services.db.transaction() as tx:
        await outbox_repo.enqueue(tx, "bad", 51, "<b>rusak", h.clock.now())
        await outbox_repo.enqueue(tx, "good", 51, "baik", h.clock.now())
    # The tick, or the sender's own loop if it came first (a race the drain counts lost
    # now and then): the outcome is what counts.
    await h.tick()
    assert (await outbox_repo.count_by_status(h.services.db.reader)) == {"sent": 1, "failed": 1}


async def test_flood_limits_are_sliding_windows(
    api: FakeBotAPI, bot: Bot, clock: FakeClock
) -> None:
    """With limits on, the fake answers beyond Telegram's windows as Telegram does."""
    api.limits = TelegramLimits()
    for i in range(31):
        api.group(-2000 - i, f"Grup {i}").bot_status = "member"
    for i in range(30):
        clock.advance(milliseconds=20)
        await bot.send_message(-2000 - i, "halo")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(-2030, "halo")  # the 31st inside one second
    assert _seconds(info.value.retry_after) == 1
    clock.advance(milliseconds=420)  # sent at 20..600 ms: the first leaves at 1,020 ms
    await bot.send_message(-2030, "halo")
    assert api.too_many == 1 and api.limits.max_in_window() == 30


async def test_a_group_takes_twenty_messages_in_any_minute(
    api: FakeBotAPI, bot: Bot, clock: FakeClock
) -> None:
    api.limits = TelegramLimits()
    api.group(-3000, "Grup sibuk").bot_status = "member"
    for _ in range(20):
        await bot.send_message(-3000, "halo")
        clock.advance(seconds=2)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(-3000, "halo")
    assert _seconds(info.value.retry_after) == 20  # sent at 0..38 s, now 40 s
    edit_target = api.sent_to(-3000)[-1].message["message_id"]
    await bot.edit_message_text("halo lagi", chat_id=-3000, message_id=edit_target)  # not counted
    await bot.send_message(1, "pribadi")  # another chat is not held up
    clock.advance(seconds=20)
    await bot.send_message(-3000, "halo")


async def test_a_private_chat_takes_about_one_a_second(
    api: FakeBotAPI, bot: Bot, clock: FakeClock
) -> None:
    api.limits = TelegramLimits()
    for _ in range(3):  # a short burst is tolerated
        await bot.send_message(1, "halo")
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(1, "halo")
    assert _seconds(info.value.retry_after) == 3
    clock.advance(seconds=1)
    with pytest.raises(RetryAfter):
        await bot.send_message(1, "halo")
    clock.advance(seconds=2)
    await bot.send_message(1, "halo")


def _seconds(wait: float | timedelta) -> float:
    return wait.total_seconds() if isinstance(wait, timedelta) else wait


async def test_a_second_getupdates_ends_the_waiting_one_with_409(api: FakeBotAPI) -> None:
    """Telegram serves one long poll per token: the newer one wins, the older gets 409."""
    import asyncio

    from telegram.error import Conflict

    first, second = Bot(TOKEN, base_url=api.base_url), Bot(TOKEN, base_url=api.base_url)
    async with first, second:
        waiting = asyncio.create_task(first.get_updates(timeout=5, read_timeout=10))
        while api._poll is None:  # noqa: ASYNC110  (the fake's HTTP handler sets it)
            await asyncio.sleep(0.01)
        newer = asyncio.create_task(second.get_updates(timeout=5, read_timeout=10))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await waiting
        api.user(2, "Budi")
        api.say(2, 2, "halo")
        assert [u.message.text for u in await newer if u.message] == ["halo"]
    assert api.conflicts == 1
