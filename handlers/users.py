"""Remember every user the bot meets, so admins can name them by @username."""

from __future__ import annotations

from telegram import Update
from telegram.ext import TypeHandler

from bot import groups as domain
from bot.context import LobotApp, LobotContext


async def track(update: Update, context: LobotContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await domain.seen_user(context.services, user.id, user.username, user.full_name)


def register(app: LobotApp) -> None:
    # Group -10: runs before every feature handler and never stops the update.
    app.add_handler(TypeHandler(Update, track), group=-10)
