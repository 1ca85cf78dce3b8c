"""/start and /bantuan, fitted to the caller's role and the chat type."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import LobotApp, LobotContext
from handlers import commands, dashboard_entry
from handlers.common import arg_text, reply, roles
from messages.help import EVERYONE, Command, command_help, find, help_text, unknown_command

COMMANDS = [
    Command("bantuan", "", "Petunjuk penggunaan bot", EVERYONE, "both"),
]


async def start(update: Update, context: LobotContext) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    svc = context.services
    catalog = context.bot_data.commands
    text = help_text(catalog, await roles(update, context), chat.type, svc.clock.now(), svc.tz)
    await reply(update, text, reply_markup=await dashboard_entry.markup(update, context))
    await dashboard_entry.set_menu_button(update, context)


async def bantuan(update: Update, context: LobotContext) -> None:
    """/bantuan: the overview; /bantuan jawab: that command with its example."""
    word = arg_text(update).split(maxsplit=1)
    if not word:
        await start(update, context)
        return
    cmd = find(context.bot_data.commands, word[0])
    await reply(update, command_help(cmd) if cmd else unknown_command(word[0]))


def register(app: LobotApp) -> None:
    app.add_handler(CommandHandler("start", start))  # a deep-link payload is not a command
    commands.add(app, COMMANDS, {"bantuan": bantuan}, aliases={"bantuan": ("help",)})
