"""Remember every user the bot meets, so admins can name them by @username."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import TypeHandler

from bot import groups as domain
from bot import offices, unreachable
from bot.context import LobotApp, LobotContext


async def track(update: Update, context: LobotContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if chat is not None:
        svc = context.bot_data.services
        office = await offices.of_chat(
            svc, chat.id, chat.type == ChatType.PRIVATE, user.id if user else None
        )
        context.office_services = svc.for_office(office)
    if user is None or user.is_bot:
        return
    await domain.seen_user(context.services, user.id, user.username, user.full_name)
    if chat is not None and chat.type == ChatType.PRIVATE:
        await unreachable.reached(context.services, user.id)


def register(app: LobotApp) -> None:
    # Group -10: runs before every feature handler and never stops the update.
    app.add_handler(TypeHandler(Update, track), group=-10)
