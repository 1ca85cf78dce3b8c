"""Helpers shared by handlers: replying safely and reading arguments."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType

from bot.context import LobotContext
from messages.format import split_text
from storage.people import User


async def reply(update: Update, text: str, **kwargs: object) -> Message | None:
    """Reply to the message (or send to the chat), split under Telegram's limit."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return None
    first: Message | None = None
    for part in split_text(text):
        if message is not None and first is None:
            sent = await message.reply_text(part, do_quote=True, **kwargs)  # type: ignore[arg-type]
        else:
            sent = await chat.send_message(part, **kwargs)  # type: ignore[arg-type]
        first = first or sent
        kwargs.pop("reply_markup", None)  # buttons belong on the first part only
    return first


def arg_text(update: Update) -> str:
    """Everything after the command word (keeps line breaks)."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def is_group(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def roles(update: Update, context: LobotContext) -> set[str]:
    user = update.effective_user
    return await context.services.roles_of(user.id) if user else set()


def replied_user_id(update: Update) -> int | None:
    message = update.effective_message
    if message and message.reply_to_message and message.reply_to_message.from_user:
        user = message.reply_to_message.from_user
        return None if user.is_bot else user.id
    return None


def person(update: Update) -> User | None:
    user = update.effective_user
    return User(user.id, user.username, user.full_name) if user else None


def markup(data: dict[str, Any] | None) -> InlineKeyboardMarkup | None:
    """Buttons described as plain dicts in messages/ become Telegram objects here."""
    return InlineKeyboardMarkup.de_json(data, None) if data else None  # type: ignore[arg-type]


def callback_parts(update: Update, count: int) -> list[str] | None:
    """'prefix:<digits>:...' callback data split in ``count`` parts, else None."""
    query = update.callback_query
    if query is None or query.data is None:
        return None
    parts = query.data.split(":")
    return parts if len(parts) == count and parts[1].isdigit() else None
