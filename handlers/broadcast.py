"""Broadcasts in Telegram: /umumkan (with a photo or document), /status, per-satker
CSV/XLSX files sent in private chat, the Kirim/Batal buttons, and the progress message.

Every group message goes through the outbox (bot/broadcast), and so do the progress
edits of the status message (bot/broadcast/progress.py); the job here only looks more
often than the tick, so the counts move while a broadcast runs.
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot import broadcast as domain
from bot import parsing
from bot.broadcast import announce, files, status
from bot.context import LobotApp, LobotContext
from handlers import commands
from handlers.common import (
    arg_text,
    callback_parts,
    markup,
    person,
    reply,
)
from handlers.tick import send_soon
from messages import broadcast as msg
from messages.help import Command

COMMANDS = [
    Command("umumkan", "tujuan isi", "Kirim pengumuman ke grup", domain.SENDER_ROLES, "private"),
    Command(
        "status",
        "layanan kode_satker keterangan",
        "Kirim status layanan ke grup satker",
        domain.SENDER_ROLES,
        "private",
    ),
]
MAX_FILE_BYTES = 5 * 1024 * 1024
PROGRESS_SECONDS = domain.progress_message.EDIT_SECONDS
_UMUMKAN_CAPTION = re.compile(r"^/umumkan(@\w+)?(\s|$)")


async def _preview(update: Update, found: announce.Draft | domain.Result) -> None:
    if found is domain.Result.REFUSED:
        await reply(update, msg.refused())
    elif found is domain.Result.NO_TARGETS:
        await reply(update, msg.no_targets())
    elif isinstance(found, announce.Draft):
        b = found.broadcast
        buttons = markup(msg.confirm_buttons(b.id, len(found.titles)))
        await reply(update, msg.preview(b, found.titles), reply_markup=buttons)
    else:
        await reply(update, msg.umumkan_usage())


async def umumkan(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    found = await announce.draft(
        context.services, user.user_id, arg_text(update), source=f"upd:{update.update_id}"
    )
    await _preview(update, found)


def _attachment(message: Message) -> dict[str, str] | None:
    if message.photo:
        return {"file_id": message.photo[-1].file_id, "kind": "photo"}
    if message.document:
        return {"file_id": message.document.file_id, "kind": "document"}
    return None


async def umumkan_with_file(update: Update, context: LobotContext) -> None:
    """A photo or document whose caption is '/umumkan tujuan isi'."""
    message = update.effective_message
    user = person(update)
    if message is None or user is None:
        return
    args = (message.caption or "").split(maxsplit=1)
    found = await announce.draft(
        context.services,
        user.user_id,
        args[1] if len(args) > 1 else "",
        _attachment(message),
        source=f"upd:{update.update_id}",
    )
    await _preview(update, found)


async def status_command(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    text = arg_text(update)
    result, count = await status.post(
        context.services, user.user_id, text, source=f"upd:{update.update_id}"
    )
    if result is domain.Result.OK:
        await reply(update, msg.status_queued(count))
        send_soon(context)
    elif result is domain.Result.REFUSED:
        await reply(update, msg.refused())
    elif result is domain.Result.NO_TARGETS:
        parsed = status.parse(text)
        await reply(update, msg.status_no_group(parsed.kode if parsed else "-"))
    else:
        await reply(update, msg.status_usage())


async def on_file(update: Update, context: LobotContext) -> None:
    """A CSV/XLSX export in private chat: check it, then preview per group."""
    message = update.effective_message
    user = person(update)
    if message is None or user is None or message.document is None:
        return
    doc = message.document
    name = doc.file_name or "berkas"
    svc = context.services
    if not await domain.may_send(svc, user.user_id):
        await reply(update, msg.refused())  # checked before downloading anyone's file
        return
    if (doc.file_size or 0) > MAX_FILE_BYTES:
        await reply(update, msg.file_refused(name, [msg.file_too_big(MAX_FILE_BYTES)], 1))
        return
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    found = await files.draft_from_file(svc, user.user_id, name, data, f"upd:{update.update_id}")
    if isinstance(found, files.FileRefused):
        await _refused(update, name, found)
    elif isinstance(found, files.NothingToSend):
        await reply(update, msg.file_nothing_to_send(found.orphans))
    elif isinstance(found, files.FileDraft):
        b = found.broadcast
        buttons = markup(msg.confirm_buttons(b.id, len(found.per_group)))
        text = msg.file_preview(b, found.per_group, found.orphans, found.rows)
        await reply(update, text, reply_markup=buttons)


async def _refused(update: Update, name: str, found: files.FileRefused) -> None:
    """One message with the first errors; the whole list as a text file when longer."""
    await reply(update, msg.file_refused(name, found.errors, found.count))
    chat = update.effective_chat
    if chat is None or msg.errors_shown(found.errors) >= found.count:
        return
    content = msg.errors_file(name, found.errors).encode("utf-8")
    await chat.send_document(
        content,
        filename=msg.errors_file_name(name),
        caption=msg.errors_file_caption(name, found.count),
    )


async def on_button(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    parts = callback_parts(update, 3)
    if query is None or parts is None:
        if query is not None:
            await query.answer()
        return
    svc = context.services
    broadcast_id, user_id = int(parts[1]), query.from_user.id
    message = query.message if isinstance(query.message, Message) else None
    if parts[2] == "no":
        done = await domain.cancel(svc, broadcast_id, user_id)
        await query.answer()
        if done is domain.Result.OK and message is not None:
            await query.edit_message_text(msg.cancelled())
        return
    confirmed = await domain.confirm(
        svc,
        broadcast_id,
        user_id,
        message.chat_id if message else None,
        message.message_id if message else None,
    )
    if not isinstance(confirmed, domain.Confirmed):
        await query.answer(msg.not_draft(), show_alert=True)
        return
    await query.answer()
    send_soon(context)
    await query.edit_message_text(confirmed.progress_text)  # the preview becomes the status


async def _progress_job(context: LobotContext) -> None:
    if await domain.progress_message.scan(context.services):
        send_soon(context)


def register(app: LobotApp) -> None:
    private = filters.ChatType.PRIVATE
    caption = filters.CaptionRegex(_UMUMKAN_CAPTION)
    commands.add(app, COMMANDS, {"umumkan": umumkan, "status": status_command})
    app.add_handler(
        MessageHandler(
            private & (filters.PHOTO | filters.Document.ALL) & caption, umumkan_with_file
        )
    )
    sheets = filters.Document.FileExtension("csv") | filters.Document.FileExtension("xlsx")
    app.add_handler(MessageHandler(private & sheets & ~caption, on_file))
    app.add_handler(CallbackQueryHandler(on_button, pattern=parsing.callback_pattern("bc")))
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _progress_job,  # type: ignore[arg-type]
            interval=PROGRESS_SECONDS,
            first=PROGRESS_SECONDS,
            name="lobot-broadcast-progress",
        )
