"""The error handler: one line per event, tracebacks only for bugs, buttons always answered."""

from __future__ import annotations

import logging

import pytest

import bot.tickets
from tests.e2e.harness import Harness
from tests.e2e.world import GROUP, OPERATOR, answer_post, office_with_bot_message


def error_handler_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "handlers.errors"]


async def test_flood_control_is_one_warning_without_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h = harness
    bot_message = await office_with_bot_message(h)
    caplog.set_level(logging.INFO)
    for _ in range(5):  # a burst: every answer hits Telegram's flood control
        h.api.fail_next("answerCallbackQuery", 429, "Too Many Requests: retry after 7", 7)
        h.api.press(GROUP, OPERATOR, bot_message, "tk:1:ok")
    await h.settle()
    records = [r for r in error_handler_records(caplog) if "flood" in r.getMessage()]
    assert len(records) == 5
    for record in records:
        assert record.levelno == logging.WARNING and record.exc_info is None
        text = record.getMessage()
        assert f"chat {GROUP}" in text and f"user {OPERATOR}" in text and "7" in text
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_bug_in_a_button_is_one_error_with_traceback_and_the_button_is_answered(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    bot_message = await answer_post(h)  # it offers "tk:1:ok"

    async def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(bot.tickets, "asker_choice", broken)
    caplog.set_level(logging.INFO)
    mark = len(h.api.sent)
    answer = await h.api.wait_answered(h.api.press(GROUP, OPERATOR, bot_message, "tk:1:ok"))
    assert "kendala teknis" in answer["text"] and answer.get("show_alert")
    await h.settle()
    errors = [r for r in error_handler_records(caplog) if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None
    assert (
        "ZeroDivisionError" in errors[0].getMessage() and f"chat {GROUP}" in errors[0].getMessage()
    )
    # Nothing about it is posted into the group.
    assert [s.plain for s in h.api.sent[mark:] if s.chat_id == GROUP] == []
