"""/start and /bantuan, fitted to the caller's role and the chat type."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import LobotApp, LobotContext
from handlers.common import reply, roles
from messages.help import EVERYONE, Command, help_text

COMMANDS = [
    Command("bantuan", "", "Petunjuk penggunaan bot", EVERYONE, "both"),
]


async def bantuan(update: Update, context: LobotContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    svc = context.services
    catalog = context.bot_data.commands
    text = help_text(catalog, await roles(update, context), chat.type, svc.clock.now(), svc.tz)
    await reply(update, text)


def register(app: LobotApp) -> None:
    app.add_handler(CommandHandler(["start", "bantuan", "help"], bantuan))
