"""/libur: admins add or remove holidays and working days (private chat)."""

from __future__ import annotations

from telegram import Update

from bot import calendar as domain
from bot import parsing
from bot import roles as roles_domain
from bot.context import LobotApp, LobotContext
from handlers import commands
from handlers.common import arg_text, reply
from handlers.common import user_id as _uid
from messages import calendar as msg
from messages import common as common_msg
from messages.help import ADMIN, Command

COMMANDS = [
    Command("libur", "[tambah|hapus|kerja] tanggal", "Atur hari libur kantor", ADMIN, "private"),
]


async def libur(update: Update, context: LobotContext) -> None:
    if not await roles_domain.is_admin(context.services, _uid(update)):
        await reply(update, common_msg.refused(["admin"]))
        return
    svc = context.services
    verb, rest = parsing.split_first(arg_text(update))
    if not verb:
        today = svc.clock.now().astimezone(svc.tz).date()
        await reply(update, msg.listing(await domain.upcoming(svc, today)))
        return
    day_text, note = parsing.split_first(rest)
    day = parsing.iso_date(day_text)
    actor = update.effective_user.id if update.effective_user else 0
    if day is None or verb.lower() not in ("tambah", "kerja", "hapus") or len(note) > 200:
        await reply(update, msg.usage())
    elif verb.lower() == "tambah":
        await domain.set_day(svc, actor, day, "holiday", note or None)
        await reply(update, msg.set_holiday(day, note or None))
    elif verb.lower() == "kerja":
        await domain.set_day(svc, actor, day, "workday", note or None)
        await reply(update, msg.set_workday(day))
    elif await domain.clear_day(svc, actor, day):
        await reply(update, msg.cleared(day))
    else:
        await reply(update, msg.not_overridden(day))


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"libur": libur})
