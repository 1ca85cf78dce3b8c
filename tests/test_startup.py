"""Start-up: polling begins before the content is loaded; updates wait for it."""

from __future__ import annotations

import asyncio

from handlers.delivery import ChatOrderedProcessor


async def test_updates_wait_until_the_content_is_ready() -> None:
    processor = ChatOrderedProcessor(4)
    handled: list[str] = []

    async def handle(name: str) -> None:
        handled.append(name)

    first = asyncio.create_task(processor.do_process_update(object(), handle("a")))
    second = asyncio.create_task(processor.do_process_update(object(), handle("b")))
    for _ in range(5):  # let both tasks run as far as they can
        await asyncio.sleep(0)
    assert handled == [] and not first.done()
    processor.ready.set()
    await asyncio.gather(first, second)
    assert handled == ["a", "b"]
    await processor.idle()


async def test_updates_give_up_when_the_content_fails() -> None:
    """A failed start-up releases the waiting updates unhandled (the bot is stopping and
    PTB's stop waits for them); the inbox keeps them for the next start."""
    processor = ChatOrderedProcessor(4)
    handled: list[str] = []

    async def handle() -> None:
        handled.append("x")

    waiting = asyncio.create_task(processor.do_process_update(object(), handle()))
    await asyncio.sleep(0)
    processor.refused = True
    processor.ready.set()
    await waiting
    assert handled == []
    await processor.idle()
