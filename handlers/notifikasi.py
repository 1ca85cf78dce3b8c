"""/notifikasi: each staff member chooses immediate or bundled private notices."""

from __future__ import annotations

from telegram import Update

from bot import digest
from bot import roles as roles_domain
from bot.context import LobotApp, LobotContext
from handlers import commands
from handlers.common import arg_text, person, reply
from handlers.tick import send_soon
from messages import common as common_msg
from messages import digest as msg
from messages.help import STAFF, Command

COMMANDS = [
    # Everyone who receives staff notices (the compliance section too).
    Command(
        "notifikasi",
        "[segera|ringkas]",
        "Atur pemberitahuan pribadi",
        STAFF | {"kepatuhan"},
        "private",
    ),
]
MODES = {"segera": "segera", "langsung": "segera", "ringkas": "ringkas", "gabung": "ringkas"}


async def notifikasi(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    svc = context.services
    if not await roles_domain.may_choose_notices(svc, user.user_id):
        await reply(update, common_msg.refused([]))
        return
    choice = arg_text(update).lower()
    if not choice:
        await reply(update, msg.notifikasi_status(await digest.mode_of(svc, user.user_id)))
        return
    mode = MODES.get(choice)
    if mode is None:
        await reply(update, msg.notifikasi_usage())
        return
    await digest.set_mode(svc, user.user_id, mode)
    send_soon(context)  # choosing "segera" sends what was waiting
    await reply(update, msg.notifikasi_set(mode))


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"notifikasi": notifikasi})
