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
