"""/kantor: the office a person's private chat acts for, when they may act for several."""

from __future__ import annotations

from telegram import Update

from bot import offices
from bot.context import LobotApp, LobotContext
from handlers import commands
from handlers.common import arg_text, person, reply
from messages import offices as msg
from messages.help import EVERYONE, Command

COMMANDS = [Command("kantor", "[nomor]", "Pilih kantor yang dilayani", EVERYONE, "private")]


async def kantor(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    found = await offices.choose(context.services, user.user_id, arg_text(update))
    texts = {
        offices.Choice.NO_OFFICE: msg.no_office,
        offices.Choice.BAD_INPUT: msg.usage,
    }
    if found.outcome in texts:
        await reply(update, texts[found.outcome]())
    elif found.outcome is offices.Choice.NOT_THEIRS:
        await reply(update, msg.not_theirs(found.allowed))
    elif found.outcome is offices.Choice.CHOSEN:
        await reply(update, msg.chosen(found.current))
    else:
        await reply(update, msg.shown(found.current, found.allowed))


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"kantor": kantor})
