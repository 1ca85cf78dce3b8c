"""The last line of defence: unknown buttons and the error handler.

One log line per event, with the update, chat and user ids; a traceback only for what is
a bug. Telegram's own refusals (flood control, network trouble) are expected and handled,
so they are one WARNING line. Nothing about the failure reaches a chat but a polite line.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler

from bot import groups as groups_domain
from bot import inbox, parsing
from bot.context import LobotApp, LobotContext
from bot.logsetup import Repeated
from handlers.delivery import ChatOrderedProcessor
from messages.common import INTERNAL_ERROR, button_expired, button_failed

log = logging.getLogger(__name__)
# A full disk fails every update and every tick: one line a minute, with the count.
_storage_log = Repeated(log)

# After every feature's handlers (group 0..3) and the LO reply-answer: any button whose
# data none of them accepted is answered here, whatever order features register in.
UNKNOWN_BUTTON_GROUP = 50
# Before every feature (users are remembered at -10): a button press whose data is not on
# the message it came from goes no further.
FOREIGN_BUTTON_GROUP = -5


def describe(update: object) -> str:
    """'update 12 chat -1001 user 300' for a log line; ids only, never message text."""
    if not isinstance(update, Update):
        return "no update"
    parts = [f"update {update.update_id}"]
    if update.effective_chat is not None:
        parts.append(f"chat {update.effective_chat.id}")
    if update.effective_user is not None:
        parts.append(f"user {update.effective_user.id}")
    return " ".join(parts)


async def on_unknown_button(update: Update, context: LobotContext) -> None:
    """Forged, stale or foreign button data: answer it so the client stops waiting."""
    query = update.callback_query
    if query is None or parsing.is_known_callback(query.data):
        return  # a feature's handler had it
    log.info("%s: button data not ours (%d bytes), answered", describe(update), _size(query))
    await query.answer(button_expired(), show_alert=True)


async def on_foreign_button(update: Update, context: LobotContext) -> None:
    """Button data that is not on the message it was pressed on: a modified client.

    Every feature acts on the message a button belongs to (the FAQ aspect buttons rewrite
    it), so data forged onto another of the bot's messages, say a ticket's answer post,
    would rewrite that message. A message too old for Telegram to send us (no markup to
    compare with) cannot be edited either, so it is left to the features.
    """
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    markup = query.message.reply_markup
    offered = {
        button.callback_data
        for row in (markup.inline_keyboard if markup is not None else ())
        for button in row
    }
    if query.data in offered:
        return
    log.info(
        "%s: button data not on its message (%d bytes), answered", describe(update), _size(query)
    )
    await query.answer(button_expired(), show_alert=True)
    raise ApplicationHandlerStop


def _size(query: CallbackQuery) -> int:
    return len((query.data or "").encode("utf-8"))


async def on_error(update: object, context: LobotContext) -> None:
    error = context.error
    where = describe(update)
    if error is not None and inbox.is_storage_failure(error):
        # Nothing was committed: the update stays pending and is handled again after a
        # pause (handlers/delivery.py); the user gets the answer then, not an apology now.
        context.services.metrics.handler_error("storage")
        _storage_log.error("%s: storage failed, will retry: %s", where, error)
        processor = context.application.update_processor
        if isinstance(processor, ChatOrderedProcessor):
            processor.storage_failed(update)
        return
    context.services.metrics.handler_error(
        "telegram" if isinstance(error, TelegramError) else "bug"
    )
    chat = update.effective_chat if isinstance(update, Update) else None
    if isinstance(error, Forbidden) and chat is not None:
        # Kicked or blocked: stop talking to that chat.
        await groups_domain.bot_removed(context.services, chat.id, str(error))
        log.info("%s: chat refused us (%s); marked inactive", where, error)
        return
    if isinstance(error, RetryAfter):
        log.warning("%s: Telegram flood control, retry after %s s", where, error.retry_after)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        log.warning("%s: network trouble talking to Telegram: %s", where, error)
        return
    if isinstance(error, BadRequest) and "chat not found" in str(error).lower():
        log.warning("%s: Telegram does not know this chat: %s", where, error)
        return
    if isinstance(error, BadRequest) and "message is not modified" in str(error).lower():
        # The same button pressed twice: the message already shows what was asked for.
        log.info("%s: edit changed nothing", where)
        return
    if isinstance(error, TelegramError):
        log.error("%s: Telegram refused a call: %s", where, error)
    else:
        log.error("%s: unhandled %s", where, type(error).__name__, exc_info=error)
    await _tell(update, context)


async def _tell(update: object, context: LobotContext) -> None:
    """A pressed button gets its answer; a message gets the polite error line."""
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(button_failed(), show_alert=True)
        else:
            await context.bot.send_message(update.effective_chat.id, INTERNAL_ERROR)
    except TelegramError as exc:  # the chat may be gone too; nothing more to do
        log.warning("%s: could not tell the user about the error: %s", describe(update), exc)


def register(app: LobotApp) -> None:
    app.add_handler(CallbackQueryHandler(on_foreign_button), group=FOREIGN_BUTTON_GROUP)
    app.add_handler(CallbackQueryHandler(on_unknown_button), group=UNKNOWN_BUTTON_GROUP)
    app.add_error_handler(on_error)  # type: ignore[arg-type]
