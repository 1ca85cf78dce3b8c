"""The fake Bot API refuses what Telegram refuses (checked with PTB's own Bot)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from storage import outbox as outbox_repo
from tests.e2e.harness import TOKEN, Harness
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
    result = await h.tick()
    assert (result.drained.sent, result.drained.failed) == (1, 1)
    assert (await outbox_repo.count_by_status(h.services.db.reader)) == {"sent": 1, "failed": 1}
