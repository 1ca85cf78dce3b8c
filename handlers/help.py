"""/start and /bantuan, fitted to the caller's role and the chat type."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import LobotApp, LobotContext
from handlers.common import reply, roles
from messages.help import help_text


async def bantuan(update: Update, context: LobotContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    svc = context.services
    await reply(update, help_text(await roles(update, context), chat.type, svc.clock.now(), svc.tz))


def register(app: LobotApp) -> None:
    app.add_handler(CommandHandler(["start", "bantuan", "help"], bantuan))
