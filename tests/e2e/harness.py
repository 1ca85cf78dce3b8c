"""Runs the real Application against the fake Bot API, with a controllable clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.app import build_application
from bot.clock import FakeClock
from bot.context import LobotApp
from bot.outbox import drain
from bot.services import Services
from bot.tick import TickResult, tick
from config.settings import Settings
from handlers.tick import make_sender
from tests.fakeapi.server import FakeBotAPI, Sent

TOKEN = "123456:TEST-token-for-the-fake-bot-api-0000"


def _no_postgres() -> str | None:
    return None


# The test's own PostgreSQL database when the suite runs on PostgreSQL (TEST_POSTGRES_URL,
# see tests/conftest.py: created at the first call, dropped after the test), else None.
postgres: Callable[[], str | None] = _no_postgres


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` read beside the bot (another process may be writing): from the
    SQLite file ``db``, or from the test's PostgreSQL database when the suite runs there."""
    url = postgres()
    if url is not None:
        import psycopg

        from storage import dialect

        with psycopg.connect(url) as conn:
            return list(conn.execute(dialect.statement(sql), params or None).fetchall())
    import sqlite3

    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql, params).fetchall())


ADMIN = 100
SENTINEL = 999


def make_settings(api: FakeBotAPI, db: Path, **overrides: Any) -> Settings:
    base = Settings(
        token=TOKEN,
        admin_ids=frozenset({ADMIN}),
        database=db,
        database_url=postgres(),
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        office_name="KPPN Kotabumi",
        poll_timeout=5,
        # The clock stands still in tests, so a window would never open again: sending
        # limits are tested on their own, with both sides on and the clock moved in steps
        # (tests/test_ratelimit.py, tests/e2e/test_sending.py, tests/e2e/test_delivery.py).
        send_limits=False,
        # The schedule tests exercise two reminders (the product default has one).
        reminder_shares=(0.5, 0.75),
        # The notice tests were written for an hour's window (the product default is 90 min).
        digest_minutes=60.0,
    )
    return replace(base, **overrides)


class Harness:
    def __init__(self, api: FakeBotAPI, clock: FakeClock, settings: Settings) -> None:
        self.api = api
        self.clock = clock
        self.settings = settings
        self.app: LobotApp | None = None
        api.user(SENTINEL, "Penguji")

    async def start(self) -> None:
        # The same steps, in the same order, as Application.run_polling.
        app = build_application(self.settings, self.clock, tick_job=False)
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            timeout=5,
            poll_interval=0,
            allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"],
        )
        await app.start()
        assert app.bot_data.loading is not None
        await app.bot_data.loading  # the FAQ and deadlines, loaded while polling started
        self.app = app

    async def stop(self) -> None:
        app = self.app
        if app is None:
            return
        assert app.updater is not None
        stopping = asyncio.create_task(app.updater.stop())
        await self.api.release_polls()
        await stopping
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
        self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    @property
    def services(self) -> Services:
        assert self.app is not None
        return self.app.bot_data.services

    async def tick(self) -> TickResult:
        assert self.app is not None
        return await tick(self.services, make_sender(self.app.bot))

    async def say(self, chat_id: int, user_id: int, text: str, **kwargs: Any) -> Sent:
        """A user writes; returns the bot's first message in that chat in response."""
        mark = len(self.api.sent)
        self.api.say(chat_id, user_id, text, **kwargs)
        return await self.api.wait_sent(chat_id, after=mark)

    async def act(self, chat_id: int, user_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        """A user writes something the bot may acknowledge without a message (a 👍 on a
        routine answer); returns the user's message once everything it caused is sent."""
        message = self.api.say(chat_id, user_id, text, **kwargs)
        await self.settle()
        return message

    async def settle(self) -> None:
        """Wait until every update sent so far has been handled and its replies sent.

        Updates are fetched in order, so once the sentinel's reply arrives every earlier
        update is in hand; then wait for the handlers still running, and send what they
        enqueued."""
        mark = len(self.api.sent)
        self.api.say(SENTINEL, SENTINEL, "/bantuan")
        await self.api.wait_sent(SENTINEL, after=mark)
        assert self.app is not None
        workers = self.services.workers  # PostgreSQL: the chats this worker took, done
        if workers is not None:
            await workers.claimer.idle()
        processor = self.app.update_processor
        await processor.idle()  # type: ignore[attr-defined]
        await drain(self.services, make_sender(self.app.bot))

    async def silent(self, chat_id: int, user_id: int, text: str, **kwargs: Any) -> None:
        """A user writes and the bot must not answer in that chat."""
        mark = len(self.api.sent)
        self.api.say(chat_id, user_id, text, **kwargs)
        await self.settle()
        assert [s.plain for s in self.api.sent[mark:] if s.chat_id == chat_id] == []
