"""Complaints in Telegram: /pengaduan (file, list, detail) and /tindaklanjut."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import complaints as domain
from bot.context import LobotApp, LobotContext
from handlers.common import arg_text, is_group, is_private, person, private_person, reply
from handlers.tick import send_soon
from messages import common as common_msg
from messages import complaints as msg
from messages.help import EVERYONE, Command

COMMANDS = [
    Command("pengaduan", "isi", "Sampaikan pengaduan layanan", EVERYONE, "both"),
    Command(
        "tindaklanjut",
        "nomor [selesai] isi",
        "Tindak lanjuti pengaduan",
        domain.HANDLER_ROLES,
        "private",
    ),
]
_LIST_WORDS = {"", "baru", "diterima", "belum", "proses", "selesai", "semua"}


async def pengaduan(update: Update, context: LobotContext) -> None:
    message = update.effective_message
    user = person(update)
    if message is None or user is None:
        return
    svc = context.services
    text = arg_text(update)
    if is_group(update):
        if not text:
            await reply(update, msg.usage())
            return
        filed = await domain.file(
            svc, user, text, message.message_id, message.chat_id, context.bot.username
        )
        if isinstance(filed, domain.Result):
            await reply(update, common_msg.group_not_registered())
            return
        send_soon(context)  # the acknowledgement and the staff notices went with it
        return
    if not is_private(update):
        return
    if domain.parse_number(text):
        await _detail(update, context, text)
    elif text.lower() in _LIST_WORDS:
        await _listing(update, context, text)
    else:
        await domain.file(svc, user, text, message.message_id)
        send_soon(context)


async def _listing(update: Update, context: LobotContext, word: str) -> None:
    user = person(update)
    assert user is not None
    svc = context.services
    found = await domain.listing(svc, user.user_id, word)
    if isinstance(found, domain.Result):
        await reply(update, msg.usage())  # not a handler: how to file one instead
        return
    await reply(update, msg.listing(*found, svc.tz))


async def _detail(update: Update, context: LobotContext, number: str) -> None:
    user = person(update)
    assert user is not None
    svc = context.services
    found = await domain.detail(svc, user.user_id, number)
    if isinstance(found, domain.Result):
        await reply(update, msg.not_found())
        return
    await reply(update, msg.detail(*found, svc.tz))


async def tindaklanjut(update: Update, context: LobotContext) -> None:
    user = await private_person(update)
    if user is None:
        return
    number, _, body = arg_text(update).partition(" ")
    if not number or not body.strip():
        await reply(update, msg.followup_usage())
        return
    source = f"upd:{update.update_id}"
    done = await domain.follow_up(context.services, user, number, body.strip(), source)
    if done.result is domain.Result.REFUSED:
        await reply(update, common_msg.refused(sorted(domain.HANDLER_ROLES)))
    elif done.result is domain.Result.NOT_FOUND:
        await reply(update, msg.not_found())
    elif done.result is domain.Result.CLOSED and done.complaint:
        await reply(update, msg.already_done(done.complaint))
    elif done.complaint:
        await reply(update, msg.followup_recorded(done.complaint))
        send_soon(context)


def register(app: LobotApp) -> None:
    app.add_handler(CommandHandler("pengaduan", pengaduan))
    app.add_handler(CommandHandler("tindaklanjut", tindaklanjut))
