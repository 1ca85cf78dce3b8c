"""Staff replies to the bot in private chat, and the one-tap "which ticket?" buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot import parsing
from bot import tickets as domain
from bot.context import LobotApp, LobotContext
from bot.conversation import drafts, private
from handlers.common import acknowledge, callback_parts, person, reply
from handlers.tick import send_soon
from handlers.tickets import plain, refusal
from messages import conversation as msg
from messages import tickets as tickets_msg


async def on_private_reply(update: Update, context: LobotContext) -> None:
    """A reply to the bot's notice, digest or prompt answers its ticket (or marks it in
    progress); replies that are about no ticket go on to the private chat's FAQ handler,
    unless a staff member wrote them to the bot (then a hint, never an FAQ answer)."""
    message, user = update.effective_message, person(update)
    if message is None or user is None or message.reply_to_message is None:
        return
    svc = context.services
    target = message.reply_to_message
    replied = private.Replied(
        target.message_id,
        target.text or target.caption or "",
        bool(target.from_user and target.from_user.is_bot),
    )
    text = message.text or ""
    got = await private.on_reply(svc, user, message.chat_id, message.message_id, replied, text)
    if got.kind is private.Kind.NOT_OURS:
        return
    if got.kind is private.Kind.HINT:
        await reply(update, msg.staff_reply_hint())
    elif got.kind is private.Kind.ASKED:
        send_soon(context)  # the question with its buttons
    elif got.done is not None and got.ticket is not None:
        done = got.done
        if done.result is domain.Result.OK and done.ticket is not None:
            send_soon(context)
            if done.ticket.status == domain.OPEN:  # held: say that the clock still runs
                await reply(update, tickets_msg.progress_noted(done.ticket, svc.tz))
            else:
                confirm = tickets_msg.answer_sent(done.ticket, svc.tz)
                await acknowledge(update, confirm, notable=done.ticket.on_time is False)
        else:
            await reply(update, refusal(done.result, got.ticket))
    raise ApplicationHandlerStop


async def on_draft_button(update: Update, context: LobotContext) -> None:
    """ "Jawaban #N" / "Bukan jawaban" under the bot's question about a kept text."""
    query, user = update.callback_query, person(update)
    parts = callback_parts(update, 3)
    if query is None or user is None or parts is None:
        if query is not None:
            await query.answer()
        return
    svc = context.services
    got = await drafts.resolve(svc, int(parts[1]), user, int(parts[2]))
    if got.result is drafts.Result.NOT_YOURS:
        await query.answer(msg.draft_not_yours(), show_alert=True)
        return
    if got.result is drafts.Result.ALREADY:
        await query.answer(msg.draft_already())
        await query.edit_message_reply_markup(None)
        return
    if got.result is drafts.Result.REFUSED and got.ticket is not None and got.refusal:
        text = refusal(got.refusal, got.ticket)
    elif got.result is drafts.Result.ANSWERED and got.ticket is not None:
        text = msg.draft_answered(got.ticket)
    elif got.result is drafts.Result.HELD and got.ticket is not None:
        text = msg.draft_held(got.ticket)
    else:
        text = msg.draft_dismissed()
    send_soon(context)  # the note in the group and the asker's buttons
    await query.answer(plain(text))
    await query.edit_message_text(text)


def register(app: LobotApp) -> None:
    app.add_handler(CallbackQueryHandler(on_draft_button, pattern=parsing.callback_pattern("cv")))
    # Group 1, before the private chat's FAQ handler (group 2): a reply to the bot.
    private_replies = filters.ChatType.PRIVATE & filters.REPLY & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_replies, on_private_reply), group=1)
