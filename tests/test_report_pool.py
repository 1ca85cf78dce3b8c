"""The report worker process: it builds files off the bot's process and ends with it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from bot.report_pool import FilePool

ROOT = Path(__file__).resolve().parent.parent
# A stand-in for the bot: starts the worker, prints its pid, then waits to be killed.
CHILD = """
import asyncio, os, sys, time
from bot.report_pool import FilePool
async def main():
    pool = FilePool()
    print(await pool.run(os.getpid), flush=True)
    time.sleep(600)
asyncio.run(main())
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose (its parent, the killed child, cannot reap it).
    stat = Path(f"/proc/{pid}/stat").read_text() if Path(f"/proc/{pid}/stat").exists() else ""
    return bool(stat) and stat.rsplit(")", 1)[1].split()[0] != "Z"


async def test_runs_in_another_process_and_stops() -> None:
    pool = FilePool()
    worker = await pool.run(os.getpid)
    assert worker != os.getpid()
    pool.shutdown()
    assert not alive(worker)


async def test_worker_ends_when_the_bot_is_killed() -> None:
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    assert bot.stdout is not None
    worker = int(await asyncio.wait_for(bot.stdout.readline(), 60))
    bot.send_signal(signal.SIGKILL)
    # An orphaned worker keeps the stdout pipe open, and wait() waits for the pipe too.
    await asyncio.wait_for(bot.wait(), 30)
    deadline = time.monotonic() + 15
    while alive(worker) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    assert not alive(worker), "the worker outlived the bot"
