"""Running lobot as a real process against the fake Bot API (crash and signal tests)."""

from __future__ import annotations

import asyncio
import itertools
import os
import sys
from pathlib import Path

from tests.e2e import harness
from tests.e2e.harness import ADMIN, TOKEN
from tests.fakeapi.server import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
_RUNS = itertools.count(1)


async def start_bot(
    api: FakeBotAPI, db: Path, args: tuple[str, ...] = ("-m", "bot", "run"), **env: str
) -> asyncio.subprocess.Process:
    environ = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "LOBOT_ADMIN_IDS": str(ADMIN),
        "LOBOT_DATABASE": harness.postgres() or str(db),
        "LOBOT_BASE_URL": api.base_url,
        "LOBOT_BASE_FILE_URL": api.base_file_url,
        "LOBOT_POLL_TIMEOUT": "1",
        "LOBOT_OFFICE_NAME": "KPPN Kotabumi",
        **env,
    }
    # The log goes to a file of its own beside the database: a pipe nobody reads would fill
    # and stop the bot in the middle of a long run.
    log = db.with_name(f"{db.name}.{next(_RUNS)}.log")
    with log.open("wb") as sink:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *args,
            cwd=ROOT,
            env=environ,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=sink,
        )
    proc.log_path = log  # type: ignore[attr-defined]
    return proc


async def wait_polling(api: FakeBotAPI, after: int, timeout: float = 20) -> None:
    """Until a getUpdates arrives after call number ``after`` (the process is up)."""

    async def polled() -> None:
        # Polled: the state is written by another process or by the fake's HTTP handlers.
        while not any(method == "getUpdates" for method, _ in api.calls[after:]):  # noqa: ASYNC110
            await asyncio.sleep(0.05)

    await asyncio.wait_for(polled(), timeout)


async def finish(proc: asyncio.subprocess.Process, timeout: float = 20) -> tuple[int, str]:
    """Exit code and stderr of a process that is ending."""
    await asyncio.wait_for(proc.wait(), timeout)
    assert proc.returncode is not None
    return proc.returncode, log_of(proc)


def log_of(proc: asyncio.subprocess.Process) -> str:
    """What this process wrote to stderr (its part of the shared log file)."""
    path: Path = proc.log_path  # type: ignore[attr-defined]
    return path.read_bytes().decode(errors="replace")
