"""/haicso and the buttons of the HAI CSO lists: the open list, the daily file, the
HAI number in one reply, and (as a document's caption) the reconciliation upload."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot import parsing, uploads
from bot.context import LobotApp, LobotContext
from bot.haicso import blocks, day, dayfile, entries, reconcile
from bot.haicso.entries import Outcome
from bot.haicso.layout import LayoutError, UnknownLayout, load
from handlers import commands
from handlers.common import arg_text, callback_parts, markup, person, reply
from messages import common as common_msg
from messages import haicso as msg
from messages import uploads as upload_msg
from messages.help import Command

log = logging.getLogger(__name__)
MAX_DETAILS = 10  # messages per kind of finding; the rest are counted
# The caption that makes a CSV/XLSX an export to reconcile (else it is an SP2D status file).
EXPORT_CAPTION = filters.CaptionRegex(r"^/haicso(@\w+)?(\s|$)")

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
    args = arg_text(update).lower().split()
    if not args:
        await _open_list(update, context)
    elif args[0] == "berkas":
        await _day_file(update, context)
    else:
        await reply(update, msg.usage())


async def _day_file(update: Update, context: LobotContext) -> None:
    """``/haicso berkas [YYYY-MM-DD] [csv]``: the day's tickets in HAI CSO's order."""
    svc = context.services
    chat = update.effective_chat
    today = svc.clock.now().astimezone(svc.tz).date()
    wanted = dayfile.parse_request(arg_text(update), today)
    if chat is None or wanted is None:
        await reply(update, msg.file_usage())
        return
    day = wanted.day
    try:
        made = await dayfile.build(svc, day, wanted.as_csv)
    except LayoutError:
        log.exception("HAI CSO layout file refused")
        await reply(update, msg.layout_broken())
        return
    await chat.send_document(
        made.content, filename=made.name, caption=msg.file_caption(day, made.rows)
    )


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
        await query.answer(msg.number_skipped(b.ticket.number, b.ticket.entry.hai_number))
        await query.edit_message_text(text)
    else:
        await query.answer()
        await query.edit_message_text(text)


async def on_export(update: Update, context: LobotContext) -> None:
    """An OM-SPAN "Laporan Layanan Permasalahan" export sent with the caption /haicso."""
    message, user, chat = update.effective_message, person(update), update.effective_chat
    if message is None or user is None or chat is None or message.document is None:
        return
    svc = context.services
    doc = message.document
    name = doc.file_name or "berkas"
    if not await entries.may_keep(svc, user.user_id):
        await reply(update, common_msg.refused(["cso"]))  # before downloading anyone's file
        return
    if not name.lower().endswith((".csv", ".xlsx")):
        await reply(update, msg.not_a_table(name))
        return
    if (doc.file_size or 0) > reconcile.LIMITS.upload_bytes:
        too_big = uploads.UploadRefused("too_big", reconcile.LIMITS.upload_bytes)
        await reply(update, msg.upload_refused(name, upload_msg.refusal(too_big)))
        return
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    try:
        layout = load(svc.settings.haicso_layout_file)
        rows = await asyncio.to_thread(reconcile.parse, data, name, layout)
    except LayoutError:
        log.exception("HAI CSO layout file refused")
        await reply(update, msg.layout_broken())
        return
    except uploads.UploadRefused as refused:
        await reply(update, msg.upload_refused(name, upload_msg.refusal(refused)))
        return
    except UnknownLayout as unknown:
        await reply(update, msg.unknown_layout(name, unknown.found, unknown.missing))
        return
    except reconcile.EmptyExport:
        await reply(update, msg.empty_export(name))
        return
    report = await reconcile.reconcile(svc, rows)
    import_id = await reconcile.record(svc, user.user_id, name, report)
    await reply(update, msg.reconcile_summary(name, report))
    await _details(update, context, import_id, report)


async def _details(
    update: Update, context: LobotContext, import_id: int, report: reconcile.Report
) -> None:
    """Each finding with its one-tap fix: proposals to confirm, tickets to enter (the list's
    block and buttons), mismatches with the answer to copy into HAI CSO."""
    tz = context.services.tz
    for p in report.proposed[:MAX_DETAILS]:
        confirm = markup(msg.proposal_buttons(import_id, p.row.row))
        await reply(update, msg.proposal(p, tz), reply_markup=confirm)
    found = await blocks.blocks_for(
        context.services, report.bot_only[:MAX_DETAILS], context.services.clock.now()
    )
    for b in found:
        text, buttons = msg.missing_from_hai(b, tz)
        await reply(update, text, reply_markup=markup(buttons))
    for m in report.mismatched[:MAX_DETAILS]:
        await reply(update, msg.mismatch(m))
    for kind, items in (
        ("usulan", report.proposed),
        ("tiket", report.bot_only),
        ("status berbeda", report.mismatched),
    ):
        if len(items) > MAX_DETAILS:
            await reply(update, msg.more_details(kind, len(items) - MAX_DETAILS))


async def on_proposal(update: Update, context: LobotContext) -> None:
    """ "✅ Cocok" / "Bukan" under a proposed match."""
    query, user = update.callback_query, person(update)
    parts = callback_parts(update, 4)
    if query is None or user is None or parts is None:
        if query is not None:
            await query.answer()
        return
    svc = context.services
    outcome, ticket = await reconcile.confirm(
        svc, user.user_id, int(parts[1]), int(parts[2]), parts[3] == "y"
    )
    if outcome == "refused":
        await query.answer(common_msg.refused(["cso"]), show_alert=True)
    elif outcome == "gone" or ticket is None:
        await query.answer(msg.ticket_gone(), show_alert=True)
    elif outcome == "already":
        await query.answer(msg.already(ticket.number))
        await query.edit_message_reply_markup(None)
    elif outcome == "taken":
        await query.answer(msg.proposal_taken(), show_alert=True)
    else:
        await query.answer()
        shown = query.message.text_html if isinstance(query.message, Message) else ""
        await query.edit_message_text(msg.proposal_decided(shown, outcome, ticket.number))


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
    app.add_handler(CallbackQueryHandler(on_proposal, pattern=parsing.callback_pattern("hr")))
    # Group 0, registered before handlers/broadcast.py's, which takes every other private
    # CSV/XLSX as an SP2D status file, and before handlers/captions.py's refusal.
    export = filters.ChatType.PRIVATE & filters.Document.ALL & EXPORT_CAPTION
    app.add_handler(MessageHandler(export, on_export))
    # Group -1: before the private chat's other text handlers (complaints in group 0, replies
    # to the bot in 1, the FAQ in 2), which would take a bare number for a question.
    private_text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_text, on_private_text), group=-1)
