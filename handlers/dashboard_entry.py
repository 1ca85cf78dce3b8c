"""The "📊 Dasbor" entry points: an inline web_app button under /start, /bantuan and /rekap
in a staff member's private chat, and the chat's menu button.

Why inline and menu buttons, not a reply-keyboard web_app button: Telegram gives the
signed user (initData) to Mini Apps opened from inline and menu buttons; the server needs
it on every request to know who asks.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.error import TelegramError

from bot import dashboard
from bot.context import LobotContext
from handlers.common import is_private
from messages import dashboard as msg

log = logging.getLogger(__name__)


async def _url(update: Update, context: LobotContext) -> str | None:
    user = update.effective_user
    if user is None or not is_private(update):
        return None
    return await dashboard.launch_url(context.services, user.id)


async def markup(update: Update, context: LobotContext) -> InlineKeyboardMarkup | None:
    """The button under a reply, or None (not staff, a group, or no dashboard)."""
    url = await _url(update, context)
    if url is None:
        return None
    button = InlineKeyboardButton(msg.button_label(), web_app=WebAppInfo(url))
    return InlineKeyboardMarkup([[button]])


async def set_menu_button(update: Update, context: LobotContext) -> None:
    """The chat's menu button opens the dashboard too; the bot works without it."""
    url = await _url(update, context)
    chat = update.effective_chat
    if url is None or chat is None:
        return
    try:
        await context.bot.set_chat_menu_button(
            chat.id, MenuButtonWebApp(msg.button_label(), WebAppInfo(url))
        )
    except TelegramError as exc:
        log.warning("setChatMenuButton for %s failed: %s", chat.id, exc)
