"""The Telegram side of the outbox: turn a row into a Bot API call, errors into outbox's."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import ForceReply, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot
from telegram.warnings import PTBUserWarning

from bot import outbox
from bot.outbox import OutboxRow
from messages.format import TELEGRAM_CAPTION_LIMIT, TELEGRAM_TEXT_LIMIT, split_text

log = logging.getLogger(__name__)

NO_PREVIEW = {"is_disabled": True}  # the application's Defaults, which _post bypasses


async def _deliver(
    bot: ExtBot[int],
    row: OutboxRow,
    markup: InlineKeyboardMarkup | ForceReply | None,
) -> int:
    """Send one row, the first message's id; text over Telegram's limit goes out in parts
    (buttons on the last).

    A failure after the first part makes the outbox retry the whole row, so a part may
    then arrive twice; that is the price of never losing the end of a long answer.
    """
    text = row.text
    first: int | None = None
    reply_to = (
        {"message_id": row.reply_to_message_id, "allow_sending_without_reply": True}
        if row.reply_to_message_id
        else None
    )
    if row.attachment is not None:
        caption = text if len(text) <= TELEGRAM_CAPTION_LIMIT else None
        sent = await _send_file(bot, row, caption, markup if caption is not None else None)
        if caption is not None:
            return sent.message_id
        first, reply_to = sent.message_id, None
    parts = split_text(text) if len(text) > TELEGRAM_TEXT_LIMIT else [text]
    for i, part in enumerate(parts):
        result = await _post(
            bot,
            "sendMessage",
            {
                "chat_id": row.chat_id,
                "text": part,
                "parse_mode": "HTML",
                "link_preview_options": NO_PREVIEW,
                "reply_markup": row.reply_markup if i == len(parts) - 1 else None,
                "reply_parameters": reply_to if i == 0 else None,
            },
        )
        first = first or int(result["message_id"])
    assert first is not None
    return first


async def _post(bot: ExtBot[int], method: str, params: dict[str, Any]) -> dict[str, Any]:
    """One Bot API call from the row's plain values, its answer as Telegram sent it.

    ``bot.send_message`` builds objects from the row and a ``Message`` (with the quoted
    message inside) from every answer, of which the outbox keeps only the id: 0.5-1.4 ms
    of a send's 4-4.6 ms of CPU (bench/send_cost.py). PTB's own client still sends it, so
    Telegram's errors arrive as the same exceptions (RetryAfter, Forbidden, BadRequest).
    """
    result = await bot.do_api_request(
        method, api_kwargs={k: v for k, v in params.items() if v is not None}
    )
    assert isinstance(result, dict)
    return result


def quiet_prepared_requests() -> None:
    """PTB warns that ``sendMessage`` has a method of its own at every ``_post``: it is
    used on purpose (bot/app.py calls this once while wiring)."""
    warnings.filterwarnings(
        "ignore", message=r"Please use 'Bot\.sendMessage'", category=PTBUserWarning
    )


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
        markup = _markup(row, bot) if row.attachment or row.edit_message_id else None
        try:
            if row.edit_message_id is not None:
                return await _edit(bot, row, markup)
            return await _deliver(bot, row, markup)
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

    return send
