"""The error handler: log the trace, answer politely, never leak details to a chat."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot import groups as groups_domain
from bot.context import LobotApp, LobotContext
from messages.common import INTERNAL_ERROR

log = logging.getLogger(__name__)


async def on_error(update: object, context: LobotContext) -> None:
    error = context.error
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and chat is not None:
        # Kicked or blocked: stop talking to that chat.
        await groups_domain.bot_removed(context.services, chat.id, str(error))
        log.info("chat %s refused us (%s); marked inactive", chat.id, error)
        return
    log.error("error while handling an update", exc_info=error)
    if chat is None or (isinstance(error, BadRequest) and "chat not found" in str(error).lower()):
        return
    try:
        await context.bot.send_message(chat.id, INTERNAL_ERROR)
    except Exception:  # the chat may be gone too; nothing more to do
        log.warning("could not tell chat %s about the error", chat.id)


def register(app: LobotApp) -> None:
    app.add_error_handler(on_error)  # type: ignore[arg-type]
