"""The token never reaches the log, even when Telegram refuses it (401)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logsetup
from bot.app import build_application
from handlers import transport
from tests.e2e.harness import TOKEN, make_settings
from tests.e2e.process import finish, start_bot
from tests.fakeapi.server import FakeBotAPI

SECRET_HALF = TOKEN.split(":", 1)[1]


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    """The process's logging as `lobot run` sets it up, into a buffer, at DEBUG."""
    stream = io.StringIO()
    root = logging.getLogger()
    old_level, old_handlers = root.level, list(root.handlers)
    handler = logsetup.configure(logging.DEBUG, stream)
    logging.getLogger("httpx").setLevel(logging.DEBUG)  # URLs with the token, on purpose
    logsetup.protect(TOKEN)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
    root.handlers[:] = old_handlers


async def test_token_refused_by_telegram_is_not_logged(
    log_stream: io.StringIO, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # getMe goes through httpx, as at a real start (aiohttp is imported after the first
    # getUpdates, handlers/transport.py); here the fake's aiohttp is loaded already.
    monkeypatch.setattr(transport, "_aiohttp_loaded", lambda: False)
    api = FakeBotAPI("654321:the-token-telegram-actually-knows-xx")  # ours is wrong: 401
    await api.start()
    try:
        app = build_application(make_settings(api, tmp_path / "bot.sqlite3"), tick_job=False)
        with pytest.raises(Exception) as refused:
            await app.initialize()
        assert TOKEN in str(refused.value)  # python-telegram-bot's InvalidToken names it
        logging.getLogger("lobot.test").error(
            "start failed: %s", refused.value, exc_info=refused.value
        )
    finally:
        await api.stop()
    text = log_stream.getvalue()
    assert "401" in text and "InvalidToken" in text and "start failed" in text
    assert TOKEN not in text and SECRET_HALF not in text
    assert logsetup.MASK in text


def test_every_part_of_a_record_is_redacted(log_stream: io.StringIO) -> None:
    log = logging.getLogger("lobot.test")
    log.info("plain %s and %r", TOKEN, {"url": f"https://x/bot{TOKEN}/getMe"})
    log.warning("url-encoded 123456%%3A%s", SECRET_HALF)
    try:
        raise RuntimeError(f"boom {TOKEN}")
    except RuntimeError:
        log.exception("failed")
    log.error("with stack", stack_info=True, extra={"ignored": TOKEN})
    text = log_stream.getvalue()
    assert TOKEN not in text and SECRET_HALF not in text
    assert text.count(logsetup.MASK) >= 4 and "RuntimeError: boom [token]" in text


def test_short_or_empty_secrets_do_not_mask_everything() -> None:
    redactor = logsetup.RedactSecrets(["", "1:ab"])
    assert redactor.redact("a b 1:ab ab") == f"a b {logsetup.MASK} ab"


async def test_lobot_run_with_a_refused_token_writes_it_nowhere(tmp_path: Path) -> None:
    api = FakeBotAPI("654321:the-token-telegram-actually-knows-xx")
    await api.start()
    try:
        code, err = await finish(await start_bot(api, tmp_path / "bot.sqlite3"))
    finally:
        await api.stop()
    assert code == 1 and "InvalidToken" in err
    assert TOKEN not in err and SECRET_HALF not in err


def test_a_repeated_error_is_logged_once_a_minute_with_its_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    repeated = logsetup.Repeated(
        logging.getLogger("lobot.test"), every=60, monotonic=lambda: now[0]
    )
    logged = []
    for second in range(0, 150):  # an error every half second for 75 s
        now[0] = second / 2
        logged.append(repeated.error("disk full: %s", "database or disk is full"))
    assert [i / 2 for i, ok in enumerate(logged) if ok] == [0, 60]
    lines = [r.getMessage() for r in caplog.records if r.name == "lobot.test"]
    assert lines == [
        "disk full: database or disk is full",
        "disk full: database or disk is full (120 times since the last such line)",
    ]
