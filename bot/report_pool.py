"""A worker process for building report files (workbooks and charts).

xlsxwriter and matplotlib are pure Python for most of their work: in a thread of the
bot's process they hold the GIL, and a year's workbook (minutes of work) slowed every
reply and every other /rekap by several times. In a process of its own the bot keeps
its core. One worker: files are rare, and a second one would only take the core back.
The worker is started on first use ("spawn": the bot's process has threads, which a
fork would copy in whatever state they are) and stays for the next file.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


def _end_with_parent(parent: int) -> None:
    """In the worker: exit when the bot's process is gone. After a kill -9 of the bot
    nothing else would end it (the worker holds its own end of the task queue's pipe, so
    it never sees end-of-file) and it would keep building a file nobody will send."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="lobot-parent-watch", daemon=True).start()


class FilePool:
    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` in the worker process; ``fn`` and the arguments must pickle."""
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_end_with_parent,
                initargs=(os.getpid(),),
            )
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        except BrokenProcessPool:
            self._pool = None  # the worker died (killed, out of memory): a new one next time
            raise

    def shutdown(self) -> None:
        """Stop the worker now: a file half built is thrown away (a scheduled report is
        recorded only once its files exist, so the next start builds it again)."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The executor would wait for a running build; its processes are ended instead.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
