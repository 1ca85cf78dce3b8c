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
    match found.outcome:
        case offices.Choice.NO_OFFICE:
            text = msg.no_office()
        case offices.Choice.BAD_INPUT:
            text = msg.usage()
        case offices.Choice.NOT_THEIRS:
            text = msg.not_theirs(found.allowed)
        case offices.Choice.CHOSEN:
            text = msg.chosen(found.current)
        case _:
            text = msg.shown(found.current, found.allowed)
    await reply(update, text)


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"kantor": kantor})
