"""/haicso and the buttons of the HAI CSO lists: the open list, the daily file, the
HAI number in one reply, and (as a document's caption) the reconciliation upload."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot import parsing
from bot.context import LobotApp, LobotContext
from bot.haicso import blocks, day, entries
from bot.haicso.entries import Outcome
from handlers import commands
from handlers.common import arg_text, callback_parts, markup, person, reply
from messages import common as common_msg
from messages import haicso as msg
from messages.help import Command

COMMANDS = [
    Command(
        "haicso",
        "[berkas [tanggal] [csv]]",
        "Tiket untuk diinput ke HAI CSO, berkas harian, rekonsiliasi",
        frozenset(entries.ROLES),
        "private",
    )
]


async def haicso(update: Update, context: LobotContext) -> None:
    args = arg_text(update).split()
    if not args:
        await _open_list(update, context)
    else:
        await reply(update, msg.usage())


async def _open_list(update: Update, context: LobotContext) -> None:
    svc = context.services
    now = svc.clock.now()
    listing = await day.open_list(svc, now)
    if not listing.blocks:
        await reply(update, msg.nothing_open(now, svc.tz))
        return
    await reply(update, msg.open_header(listing.total, len(listing.blocks), listing.late))
    for b in listing.blocks:
        await reply(
            update, msg.block(b, svc.tz), reply_markup=markup(msg.block_buttons(b.ticket.id))
        )


async def on_button(update: Update, context: LobotContext) -> None:
    """The buttons under a block: entered, not needed (and why), skip the number."""
    query, user = update.callback_query, person(update)
    parts = callback_parts(update, 3)
    if query is None or user is None or parts is None:
        if query is not None:
            await query.answer()
        return
    svc = context.services
    ticket_id, action = int(parts[1]), parts[2]
    if not await entries.may_keep(svc, user.user_id):
        await query.answer(common_msg.refused(["cso"]), show_alert=True)
        return
    if action == "no":
        await query.answer(msg.pick_reason())
        await query.edit_message_reply_markup(markup(msg.reason_buttons(ticket_id)))
        return
    if action == "back":
        await query.answer()
        await query.edit_message_reply_markup(markup(msg.block_buttons(ticket_id)))
        return
    if action == "ok":
        done = await entries.entered(svc, user.user_id, ticket_id)
    elif action == "skip":
        done = await entries.skip_number(svc, user.user_id, ticket_id)
    else:
        reason = msg.REASON_OF_CODE[action]
        done = await entries.not_needed(svc, user.user_id, ticket_id, reason)
    await _after_tap(update, context, done, action)


async def _after_tap(
    update: Update, context: LobotContext, done: entries.Done, action: str
) -> None:
    query = update.callback_query
    assert query is not None
    svc = context.services
    if done.outcome is Outcome.NOT_FOUND or done.ticket is None:
        await query.answer(msg.ticket_gone(), show_alert=True)
        return
    b = await blocks.block_of(svc, done.ticket.id)
    if b is None:
        await query.answer(msg.ticket_gone(), show_alert=True)
        return
    text = msg.decided_text(b, svc.tz, b.by_name)
    if done.outcome is Outcome.ALREADY:
        await query.answer(msg.already(done.ticket.number))
        await query.edit_message_text(text)
    elif action == "ok":
        await query.answer()
        await query.edit_message_text(
            text + "\n\n" + msg.ask_number(), reply_markup=markup(msg.skip_button(b.ticket.id))
        )
    elif action == "skip":
        await query.answer(msg.number_skipped(b.ticket.number))
        await query.edit_message_text(text)
    else:
        await query.answer()
        await query.edit_message_text(text)


async def on_private_text(update: Update, context: LobotContext) -> None:
    """A CSO's HAI number: a reply to a block, or the next message after "Sudah diinput".
    Anything else goes on to the other handlers of private text."""
    message, user = update.effective_message, person(update)
    if message is None or user is None or not message.text:
        return
    svc = context.services
    if not await entries.may_keep(svc, user.user_id):
        return
    ticket_id = await _target(context, message)
    replied = ticket_id is not None
    if ticket_id is None:
        ticket_id = await entries.prompted_ticket(svc, user.user_id)
        if ticket_id is None or entries.parse_number(message.text) is None:
            return  # not a number: maybe a question to the bot; the prompt stays
    done = await entries.give_number(svc, user.user_id, ticket_id, message.text)
    if done.outcome is Outcome.OK and done.ticket is not None:
        number = done.ticket.entry.hai_number or ""
        await reply(update, msg.number_saved(done.ticket.number, number))
    elif done.outcome is Outcome.BAD_NUMBER and replied:
        await reply(update, msg.bad_number())
    elif done.outcome is Outcome.NUMBER_TAKEN:
        await reply(update, msg.number_taken(entries.parse_number(message.text) or "", done.other))
    elif done.outcome is Outcome.ALREADY and done.ticket is not None:
        await reply(update, msg.already(done.ticket.number))
    else:
        return
    raise ApplicationHandlerStop


async def _target(context: LobotContext, message: Message) -> int | None:
    """The ticket of the bot's block this message replies to, if it is one."""
    target = message.reply_to_message
    if target is None or target.from_user is None or not target.from_user.is_bot:
        return None
    return await entries.replied_ticket(context.services, target.text or "")


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"haicso": haicso})
    app.add_handler(CallbackQueryHandler(on_button, pattern=parsing.callback_pattern("hai")))
    # Group -1: before the private chat's other text handlers (complaints in group 0, replies
    # to the bot in 1, the FAQ in 2), which would take a bare number for a question.
    private_text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_text, on_private_text), group=-1)
