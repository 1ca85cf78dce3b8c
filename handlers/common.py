"""Helpers shared by handlers: replying safely and reading arguments."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ReactionEmoji
from telegram.error import TelegramError

from bot import parsing, replies
from bot.context import LobotContext
from bot.groups import User
from bot.replies import reply_key
from bot.services import Services


def services_of(update: Update) -> Services:
    """The services, from the bot that received the update (handlers.delivery.InboxBot)."""
    services = getattr(update.get_bot(), "services", None)
    if services is None:
        raise RuntimeError("the bot has no services (post_init has not run)")
    return services  # type: ignore[no-any-return]


async def reply(
    update: Update,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    attachment: dict[str, Any] | None = None,
    quote: int | None = None,
) -> None:
    """Reply to the message (or write to the chat) through the outbox; ``quote`` names
    another message of the chat to reply to (e.g. the bot's own, under a button).

    The handler does not wait for Telegram: the sender delivers it at once, before
    notices and broadcasts, within the chat's limits, splitting text over 4096 characters.
    """
    message = update.effective_message
    chat = update.effective_chat
    if chat is None:
        return
    reply_to = message.message_id if message is not None and update.message is not None else None
    reply_to = quote or reply_to
    markup_data = reply_markup.to_dict() if reply_markup is not None else None
    key = reply_key(update.update_id, chat.id, text, str(attachment or ""))
    await replies.enqueue(
        services_of(update),
        key,
        chat.id,
        text,
        reply_to=reply_to,
        markup=markup_data,
        attachment=attachment,
    )


async def acknowledge(update: Update, text: str, *, notable: bool = False) -> None:
    """Acknowledge a staff member's routine message with a 👍 on it instead of a new message
    (an LO answers a dozen tickets a day: a confirmation each would flood their private
    chat). A ``notable`` outcome (e.g. an answer past its deadline) is said in words, and so
    is any where Telegram refuses the reaction."""
    message = update.effective_message
    if notable:
        await reply(update, text)
        return
    try:
        if message is None:
            raise TelegramError("no message to react to")
        await message.set_reaction(ReactionEmoji.THUMBS_UP)
    except TelegramError:
        await reply(update, text)


def attachment_of(message: Message) -> tuple[str, str] | None:
    """(kind, Telegram file id) of a photo or document, if the message carries one."""
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.document:
        return "document", message.document.file_id
    return None


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


def user_id(update: Update) -> int:
    """The sender's id (0 for updates without one, which hold no role)."""
    return update.effective_user.id if update.effective_user else 0


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
    """Button data of one of the bot's shapes, as [prefix, *fields] of ``count`` parts.

    Numeric fields are ASCII digits within SQLite's INTEGER range (bot.parsing.callback),
    so ``int(parts[i])`` is safe for them; anything else gives None.
    """
    query = update.callback_query
    parsed = parsing.callback(query.data if query is not None else None)
    if parsed is None or len(parsed.fields) + 1 != count:
        return None
    return [parsed.prefix, *parsed.fields]
