from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from storage.db import Database
from tests import profiles  # noqa: F401  (loads the hypothesis profile first)
from tests.e2e.harness import TOKEN, Harness, make_settings
from tests.fakeapi.server import FakeBotAPI

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def clock() -> FakeClock:
    # Monday 23 November 2026, 10.00 WIB: working time.
    return FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=WIB))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "unit.sqlite3")
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def api(clock: FakeClock) -> AsyncIterator[FakeBotAPI]:
    server = FakeBotAPI(TOKEN, now=clock.now)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def harness(api: FakeBotAPI, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(api, clock, make_settings(api, tmp_path / "bot.sqlite3"))
    await h.start()
    yield h
    await h.stop()
