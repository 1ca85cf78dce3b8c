"""Every catalog command is registered here, behind the one check of where it may be
used and by whom (``messages.help.refusal``, the rule the help and menus show).

Each feature declares its commands once, in its ``COMMANDS`` list (name, arguments,
description, roles, place); ``add`` registers a callback per declared command and
refuses to register one that is not declared, or to leave a declared one without a
callback. A command sent as a caption (handlers/captions.py) reaches the same guarded
callback. Finer rules (whose ticket, which group) stay in ``bot/``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import LobotApp, LobotContext
from handlers.common import reply
from messages.help import Command, refusal

Callback = Callable[[Update, LobotContext], Coroutine[Any, Any, None]]


def guarded(cmd: Command, callback: Callback) -> Callback:
    async def run(update: Update, context: LobotContext) -> None:
        chat, user = update.effective_chat, update.effective_user
        if chat is None:
            return
        roles = await context.services.roles_of(user.id) if user is not None else set()
        refused = refusal(cmd, roles, chat.type)
        if refused is not None:
            await reply(update, refused)
            return
        await callback(update, context)

    run.__name__ = run.__qualname__ = f"guarded_{cmd.name}"
    run.command = cmd  # type: ignore[attr-defined]  # read by tests/test_wiring.py
    return run


def add(
    app: LobotApp,
    declared: list[Command],
    callbacks: Mapping[str, Callback],
    aliases: Mapping[str, tuple[str, ...]] | None = None,
) -> None:
    """Register ``callbacks`` (command name -> callback) for the ``declared`` commands."""
    names = {c.name for c in declared}
    if set(callbacks) != names:
        raise ValueError(f"commands declared {sorted(names)} but handled {sorted(callbacks)}")
    for cmd in declared:
        words = [cmd.name, *(aliases or {}).get(cmd.name, ())]
        app.add_handler(CommandHandler(words, guarded(cmd, callbacks[cmd.name])))
