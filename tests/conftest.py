from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FakeClock
from storage.db import Database, database_for
from tests import (
    pgtest,
    profiles,  # noqa: F401  (loads the hypothesis profile first)
)
from tests.e2e import harness as harness_module
from tests.e2e.harness import TOKEN, Harness, make_settings
from tests.fakeapi.server import FakeBotAPI

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def clock() -> FakeClock:
    # Monday 23 November 2026, 10.00 WIB: working time.
    return FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=WIB))


# Set (a postgresql:// URL of a server where the user may create databases), the tests run
# on PostgreSQL: each test that opens a database gets a fresh one, copied from a template
# migrated once per session (.ci/run starts a throwaway server and sets it).
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL") or None
postgres_only = pytest.mark.skipif(POSTGRES_URL is None, reason="needs TEST_POSTGRES_URL")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if POSTGRES_URL is None:
        return
    skip = pytest.mark.skip(reason="SQLite only (reads or writes the database file itself)")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str | None]:
    if POSTGRES_URL is None:
        yield None
        return
    template = pgtest.make_template(POSTGRES_URL)
    yield template
    pgtest.finish(POSTGRES_URL, template)


@pytest.fixture(autouse=True)
def postgres_database(postgres_template: str | None) -> Iterator[None]:
    """The test's PostgreSQL database, made when the test first asks (make_settings)."""
    if POSTGRES_URL is None or postgres_template is None:
        yield
        return
    made: list[str] = []

    def url() -> str:
        if not made:
            made.append(pgtest.copy_template(POSTGRES_URL, postgres_template))
        return made[0]

    harness_module.postgres = url
    try:
        yield
    finally:
        harness_module.postgres = harness_module._no_postgres
        for name in made:
            pgtest.drop(POSTGRES_URL, name)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = database_for(tmp_path / "unit.sqlite3", harness_module.postgres())
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


@pytest.fixture
async def offices_harness(
    api: FakeBotAPI, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[Harness]:
    """A bot serving two offices (tests/e2e/two_offices.py), with the dashboard on a port
    of the system's choosing."""
    from tests.e2e.two_offices import settings_for

    settings = settings_for(api, tmp_path, web_port=0, web_url="https://dasbor.example/")
    h = Harness(api, clock, settings)
    await h.start()
    yield h
    await h.stop()
