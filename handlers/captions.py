"""A command written as a photo's or document's caption.

Telegram marks it as a command, but ``CommandHandler`` and ``filters.COMMAND`` look at
text only: such a message used to reach the group intake as a question, so a complaint
with a photo became a ticket for the LO. Here it is that command when the command keeps
the file (``/pengaduan``, ``/tanya``), and otherwise refused plainly; the intake never
sees it. ``/umumkan`` with a file has its own handler (handlers/broadcast.py), registered
before this one.
"""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import LobotApp, LobotContext
from handlers.common import is_private, reply
from messages import common as common_msg

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@(\w+))?(?:\s|$)")
CAPTION_COMMAND = filters.CaptionRegex(_COMMAND)
# Commands whose handler keeps the photo or document with what it records.
KEEPS_FILE = frozenset({"pengaduan", "tanya"})


def _callbacks(app: LobotApp) -> dict[str, object]:
    """Each command's callback, read from the registered handlers."""
    found: dict[str, object] = {}
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                for name in handler.commands:
                    found.setdefault(name, handler.callback)
    return found


async def on_caption_command(update: Update, context: LobotContext) -> None:
    message = update.effective_message
    m = _COMMAND.match(message.caption or "") if message is not None else None
    if m is None:
        return
    word, addressee = m.group(1).lower(), m.group(2)
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # another bot's command
    callback = _callbacks(context.application).get(word)  # type: ignore[arg-type]
    if callback is not None and word in KEEPS_FILE:
        await callback(update, context)  # type: ignore[operator]
    elif callback is not None:
        await reply(update, common_msg.caption_command_refused(word))
    elif is_private(update):
        await reply(update, common_msg.unknown_command(word))


def register(app: LobotApp) -> None:
    # Group 0, after every feature's handlers: the first handler of a group that matches
    # is the only one that runs there, so /umumkan's own caption handler comes first.
    app.add_handler(MessageHandler(filters.CAPTION & CAPTION_COMMAND, on_caption_command))
