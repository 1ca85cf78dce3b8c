"""Pressing an inline button in the e2e scenarios and reading the bot's answer."""

from __future__ import annotations

from typing import Any

from tests.e2e.harness import Harness


async def press(h: Harness, chat: int, user: int, message: Any) -> dict[str, Any]:
    """Press the message's first button; returns the callback answer (exactly one)."""
    data = message.buttons[0]["callback_data"]
    assert len(data.encode()) <= 64
    before = len([c for c in h.api.calls if c[0] == "answered"])
    h.api.press(chat, user, message.message["message_id"], data)
    await h.settle()
    answers = [c[1] for c in h.api.calls if c[0] == "answered"]
    assert len(answers) == before + 1, "every callback query is answered, once"
    return answers[-1]
