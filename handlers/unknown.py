"""An unknown or mistyped command in private (/jwab) gets a pointer to /bantuan."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import LobotApp, LobotContext
from handlers.common import reply
from messages import common as common_msg
from messages.help import Command

COMMANDS: list[Command] = []  # it adds no command of its own


def _known(app: LobotApp) -> set[str]:
    """Every command some handler answers, read from the registered handlers."""
    names: set[str] = set()
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                names |= set(handler.commands)
    return names


async def on_command(update: Update, context: LobotContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    word = message.text.split()[0][1:].split("@", 1)[0].lower()
    if word and word not in _known(context.application):  # type: ignore[arg-type]
        await reply(update, common_msg.unknown_command(word))


def register(app: LobotApp) -> None:
    # Its own handler group, after every feature: it runs for each private command and
    # answers only those no CommandHandler knows.
    private_commands = filters.ChatType.PRIVATE & filters.COMMAND
    app.add_handler(MessageHandler(private_commands, on_command), group=9)
