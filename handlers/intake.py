"""Group messages: one handler, one decision (bot/intake.py), one reply."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import MessageHandler, filters

from bot import intake
from bot.context import LobotApp, LobotContext
from bot.groups import User
from handlers import complaints
from handlers.captions import CAPTION_COMMAND
from handlers.common import attachment_of, markup, reply
from handlers.tick import send_soon
from messages import conversation as conversation_msg
from messages import faq as faq_msg


def incoming(message: Message, bot_username: str = "") -> intake.GroupMessage | None:
    author = message.from_user
    if author is None or author.is_bot:
        return None
    replied = message.reply_to_message
    return intake.GroupMessage(
        chat_id=message.chat_id,
        message_id=message.message_id,
        author=User(author.id, author.username, author.full_name),
        text=message.text or message.caption or "",
        is_caption=message.text is None,
        reply_to_message_id=replied.message_id if replied is not None else None,
        attachment=attachment_of(message),
        bot_username=bot_username,
    )


async def on_group_message(update: Update, context: LobotContext) -> None:
    message = update.effective_message
    m = incoming(message, context.bot.username) if message is not None else None
    if m is None:
        return
    if await complaints.continues_complaint(update, context, m):
        return  # '/pengaduan' then its text, or details replied to the acknowledgement
    svc = context.services
    decision = await intake.decide(svc, m)
    if decision.outcome is intake.Outcome.FAQ_ANSWER and decision.faq is not None:
        text, buttons = faq_msg.group_reply(*decision.faq)
        await reply(update, text, reply_markup=markup(buttons))
    elif decision.outcome is intake.Outcome.STATUS:
        await reply(update, conversation_msg.own_tickets(list(decision.own_tickets), svc.tz))
    elif decision.outcome is not intake.Outcome.SILENCE:
        # The reply, the LO's notice, the posted answer, the complaint's acknowledgement,
        # the question to a staff member, or the note: all written as outbox rows.
        send_soon(context)


def register(app: LobotApp) -> None:
    group_messages = (
        filters.ChatType.GROUPS
        & ~filters.COMMAND
        & ~CAPTION_COMMAND  # handled as that command (handlers/captions.py)
        & ~filters.StatusUpdate.ALL
        # A screenshot without a caption is a detail of the asker's question too.
        & (filters.TEXT | filters.CAPTION | filters.PHOTO | filters.Document.ALL)
    )
    app.add_handler(MessageHandler(group_messages, on_group_message), group=1)
