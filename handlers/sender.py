"""The Telegram side of the outbox: turn a row into a Bot API call, errors into outbox's."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from telegram import ForceReply, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot import outbox
from bot.outbox import OutboxRow
from messages.format import TELEGRAM_CAPTION_LIMIT, split_text

log = logging.getLogger(__name__)


async def _deliver(
    bot: ExtBot[int],
    row: OutboxRow,
    markup: InlineKeyboardMarkup | ForceReply | None,
    reply_to: ReplyParameters | None,
) -> Message:
    """Send one row; text over Telegram's limit goes out in parts (buttons on the last).

    A failure after the first part makes the outbox retry the whole row, so a part may
    then arrive twice; that is the price of never losing the end of a long answer.
    """
    text = row.text
    first: Message | None = None
    if row.attachment is not None:
        caption = text if len(text) <= TELEGRAM_CAPTION_LIMIT else None
        first = await _send_file(bot, row, caption, markup if caption is not None else None)
        if caption is not None:
            return first
        reply_to = None
    parts = split_text(text)
    for i, part in enumerate(parts):
        sent = await bot.send_message(
            row.chat_id,
            part,
            reply_markup=markup if i == len(parts) - 1 else None,
            reply_parameters=reply_to if i == 0 else None,
        )
        first = first or sent
    assert first is not None
    return first


async def _edit(
    bot: ExtBot[int], row: OutboxRow, markup: InlineKeyboardMarkup | ForceReply | None
) -> int:
    """An edit row: the message's text replaced (a broadcast's progress, say)."""
    assert row.edit_message_id is not None
    try:
        await bot.edit_message_text(
            row.text,
            chat_id=row.chat_id,
            message_id=row.edit_message_id,
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
        )
    except BadRequest as exc:
        # The message already shows this text (an edit sent again after a crash inside
        # the send window): what the row wanted is done.
        if "message is not modified" not in str(exc).lower():
            raise
    return row.edit_message_id


async def _send_file(
    bot: ExtBot[int],
    row: OutboxRow,
    caption: str | None,
    markup: InlineKeyboardMarkup | ForceReply | None,
) -> Message:
    """An attachment by Telegram file id (a user's photo) or by a file we wrote."""
    attachment = row.attachment or {}
    photo = attachment.get("kind") == "photo"
    if "file_id" in attachment:
        file_id = attachment["file_id"]
        if photo:
            return await bot.send_photo(row.chat_id, file_id, caption=caption, reply_markup=markup)
        return await bot.send_document(row.chat_id, file_id, caption=caption, reply_markup=markup)
    path = Path(attachment["path"])
    try:
        if photo:
            return await bot.send_photo(row.chat_id, path, caption=caption, reply_markup=markup)
        return await bot.send_document(
            row.chat_id,
            path,
            filename=path.name,
            caption=caption,
            reply_markup=markup,
        )
    except OSError as exc:  # the file went missing: retrying will not bring it back
        raise outbox.Rejected(f"attachment {path.name}: {exc}") from exc


def _markup(row: OutboxRow, bot: ExtBot[int]) -> InlineKeyboardMarkup | ForceReply | None:
    """Buttons, or a ForceReply prompt (the "Jawab" button's question)."""
    if not row.reply_markup:
        return None
    if row.reply_markup.get("force_reply"):
        return ForceReply.de_json(row.reply_markup, bot)
    return InlineKeyboardMarkup.de_json(row.reply_markup, bot)


def make_sender(bot: ExtBot[int]) -> outbox.Send:
    async def send(row: OutboxRow) -> int:
        markup = _markup(row, bot)
        reply_to = (
            ReplyParameters(row.reply_to_message_id, allow_sending_without_reply=True)
            if row.reply_to_message_id
            else None
        )
        try:
            if row.edit_message_id is not None:
                return await _edit(bot, row, markup)
            message = await _deliver(bot, row, markup, reply_to)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise outbox.RetryLater(seconds) from exc
        except Forbidden as exc:
            raise outbox.ChatGone(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise outbox.ChatGone(str(exc)) from exc
            raise outbox.Rejected(str(exc)) from exc
        except (TimedOut, NetworkError) as exc:
            raise outbox.Transient(str(exc)) from exc
        return message.message_id

    return send
