"""Complaints in Telegram: /pengaduan (file, list, detail) and /tindaklanjut."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot import complaints as domain
from bot.context import LobotApp, LobotContext
from bot.intake import GroupMessage
from handlers import commands
from handlers.common import (
    arg_text,
    attachment_of,
    is_group,
    is_private,
    person,
    reply,
)
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
log = logging.getLogger(__name__)
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
            await _ask_for_text(update, context)
            return
        if not await domain.may_file_in(svc, message.chat_id):
            await reply(update, common_msg.group_not_registered())
            return
        removed = await _remove(context, message.chat_id, message.message_id)
        await domain.file(
            svc,
            user,
            text,
            message.message_id,
            message.chat_id,
            context.bot.username,
            attachment_of(message),
            removed,
        )
        send_soon(context)  # the acknowledgements and the staff notices went with it
        return
    if not is_private(update):
        return
    if domain.parse_number(text):
        await _detail(update, context, text)
    elif text.lower() in _LIST_WORDS:
        await _listing(update, context, text)
    else:
        await domain.file(svc, user, text, message.message_id, attachment=attachment_of(message))
        send_soon(context)


async def on_private_text(update: Update, context: LobotContext) -> None:
    """The text after '/pengaduan' alone in private chat is the complaint; then no other
    handler (the FAQ) looks at it."""
    message, user = update.effective_message, person(update)
    if message is None or user is None or not message.text or message.reply_to_message:
        return  # a reply answers what it replies to (a "Jawab" prompt, say)
    filed = await domain.file_prompted_private(
        context.services, user, message.message_id, message.text
    )
    if filed is not None:
        send_soon(context)  # the acknowledgement and the staff notices
        raise ApplicationHandlerStop


async def _ask_for_text(update: Update, context: LobotContext) -> None:
    """'/pengaduan' alone: the member's next message in that chat is the complaint."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    asked = await domain.ask_for_text(
        context.services, message.chat_id, user.id, message.message_id
    )
    minutes = int(domain.PROMPT_WINDOW.total_seconds() // 60)
    text = msg.ask_for_text(minutes, is_group(update))
    await reply(update, text if asked else common_msg.group_not_registered())


async def continues_complaint(update: Update, context: LobotContext, m: GroupMessage) -> bool:
    """Asked by the group intake first: does this message continue a complaint (the text
    after '/pengaduan' alone, or details replied to the acknowledgement)? Then it is
    recorded there, removed from the group when the bot may, and the intake does
    nothing more with it."""
    svc = context.services
    target = await domain.continues(svc, m.chat_id, m.author.user_id, m.text, m.reply_to_message_id)
    if target is None:
        return False
    removed = await _remove(context, m.chat_id, m.message_id)
    continued = await domain.record(
        svc,
        target,
        m.chat_id,
        m.author,
        m.message_id,
        m.text,
        attachment=m.attachment,
        bot_username=context.bot.username,
        removed=removed,
    )
    if continued is None:
        return False
    if continued.details:
        await reply(update, msg.details_received(continued.complaint))
    send_soon(context)  # the acknowledgements and the staff notices
    return True


async def _remove(context: LobotContext, chat_id: int, message_id: int) -> bool:
    """Delete a complaint's message from the group; False when the bot may not (it is
    not an admin with the right to delete messages). A message already gone counts as removed
    (the same update handled again after a crash)."""
    try:
        # Asked first: a refused deleteMessage is a call Telegram answers with 400.
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
        if not getattr(member, "can_delete_messages", False):
            return False
        return bool(await context.bot.delete_message(chat_id, message_id))
    except BadRequest as exc:
        if "not found" in str(exc).lower():
            return True
        log.info("complaint message %s in %s stays: %s", message_id, chat_id, exc)
    except TelegramError as exc:
        log.warning("complaint message %s in %s not removed: %s", message_id, chat_id, exc)
    return False


async def _listing(update: Update, context: LobotContext, word: str) -> None:
    user = person(update)
    assert user is not None
    svc = context.services
    found = await domain.listing(svc, user.user_id, word)
    if isinstance(found, domain.Result) and not word:
        await _ask_for_text(update, context)  # not a handler: the next message files one
        return
    if isinstance(found, domain.Result):
        await reply(update, msg.usage())  # not a handler: how to file one instead
        return
    text = msg.listing(found.statuses, found.complaints, found.counts, svc.tz, found.hidden)
    await reply(update, text)


async def _detail(update: Update, context: LobotContext, number: str) -> None:
    user = person(update)
    assert user is not None
    svc = context.services
    found = await domain.detail(svc, user.user_id, number)
    if isinstance(found, domain.Result):
        await reply(update, msg.not_found())
    elif found.full:
        await reply(update, msg.detail(found.complaint, found.followups, svc.tz))
    else:
        await reply(update, msg.detail_status_only(found.complaint, svc.tz))


async def tindaklanjut(update: Update, context: LobotContext) -> None:
    user = person(update)
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
    elif done.result is domain.Result.INTEGRITY:
        await reply(update, common_msg.refused(["kepatuhan"]))
    elif done.result is domain.Result.NOT_FOUND:
        await reply(update, msg.not_found())
    elif done.result is domain.Result.CLOSED and done.complaint:
        await reply(update, msg.already_done(done.complaint))
    elif done.complaint:
        await reply(update, msg.followup_recorded(done.complaint))
        send_soon(context)


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"pengaduan": pengaduan, "tindaklanjut": tindaklanjut})
    # Group 0 holds no other handler of private text; the FAQ's (group 2) comes after.
    private_text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_text, on_private_text))
