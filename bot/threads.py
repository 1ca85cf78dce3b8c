"""Start-up work in a daemon thread: a stopping bot does not wait for it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


async def in_daemon_thread(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a daemon thread. Unlike ``asyncio.to_thread`` (whose threads the
    interpreter joins at exit), a SIGTERM during start-up does not wait for seconds of
    FAQ stemming nobody will use; ``fn`` must only compute (no database, no files
    written), so abandoning it is harmless."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def deliver(set_outcome: Callable[[Any], None], value: Any) -> None:
        if not future.done():  # cancelled meanwhile: nobody is waiting
            set_outcome(value)

    def run() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting coroutine
            outcome: tuple[Callable[[Any], None], Any] = (future.set_exception, exc)
        else:
            outcome = (future.set_result, result)
        try:
            loop.call_soon_threadsafe(deliver, *outcome)
        except RuntimeError:  # the loop is closed: the bot has stopped
            pass

    threading.Thread(target=run, name="lobot-startup", daemon=True).start()
    return await future
