"""The FAQ review in Telegram: /tinjaufaq, the approve button, /kembalikanfaq, /faqstatus."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot import faq_review, parsing
from bot.context import LobotApp, LobotContext
from handlers import commands
from handlers.common import arg_text, callback_parts, markup, reply
from handlers.common import user_id as _uid
from messages import common as common_msg
from messages import faq_review as msg
from messages.help import STAFF, Command

REVIEWERS = frozenset({"peninjau", "kepala"})
COMMANDS = [
    Command("tinjaufaq", "[id entri]", "Tinjau entri FAQ berikutnya", REVIEWERS, "private"),
    Command(
        "kembalikanfaq", "id catatan", "Kembalikan entri FAQ dengan catatan", REVIEWERS, "private"
    ),
    Command("faqstatus", "", "Status tinjauan konten FAQ", STAFF | REVIEWERS, "private"),
]


async def tinjaufaq(update: Update, context: LobotContext) -> None:
    """Privately, the next entry waiting (or the one named), whole, with its changes."""
    svc = context.services
    wanted = arg_text(update).split()
    if wanted:
        entry = svc.faq.entries.get(wanted[0]) if svc.faq else None
        if entry is None:
            await reply(update, msg.unknown_entry(wanted[0]))
            return
    else:
        waiting = await faq_review.waiting(svc)
        if not waiting:
            await reply(update, msg.nothing_waiting())
            return
        entry = waiting[0]
    state = (await faq_review.current(svc))[entry.id]
    await reply(
        update,
        msg.review_text(entry, faq_review.reviewed_content(entry), state, svc.tz),
        reply_markup=markup(msg.review_buttons(entry.id, faq_review.fingerprint(entry))),
    )


async def on_approve(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    parts = callback_parts(update, 3)
    if query is None or parts is None:
        return
    svc = context.services
    outcome, entry = await faq_review.decide(
        svc, query.from_user.id, parts[1], approve=True, shown=parts[2]
    )
    if outcome is faq_review.Outcome.REFUSED:
        await query.answer(common_msg.refused(["peninjau", "kepala"])[:200], show_alert=True)
        return
    if outcome is not faq_review.Outcome.DONE or entry is None:
        await query.answer(msg.changed_since_shown(), show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    await reply(update, msg.approved(entry))


async def on_send_back_button(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    parts = callback_parts(update, 3)
    if query is None or parts is None:
        return
    await query.answer(msg.send_back_how(parts[1]), show_alert=True)


async def kembalikanfaq(update: Update, context: LobotContext) -> None:
    svc = context.services
    entry_id, _, note = arg_text(update).partition(" ")
    if not entry_id or not note.strip():
        await reply(update, msg.send_back_usage())
        return
    outcome, entry = await faq_review.decide(svc, _uid(update), entry_id, False, note)
    if outcome is faq_review.Outcome.UNKNOWN or entry is None:
        await reply(update, msg.unknown_entry(entry_id))
        return
    await reply(update, msg.sent_back(entry, note.strip()))


async def faqstatus(update: Update, context: LobotContext) -> None:
    svc = context.services
    found = await faq_review.current(svc)
    entries = svc.faq.entries.values() if svc.faq else []
    rows = [(e, found[e.id]) for e in entries]
    await reply(update, msg.status_text(rows, svc.settings.faq_only_reviewed, svc.tz))


def register(app: LobotApp) -> None:
    # Who and where (reviewers, private chat; staff for /faqstatus) is checked by
    # handlers.commands from COMMANDS; a decision is checked again in bot.faq_review.
    commands.add(
        app,
        COMMANDS,
        {"tinjaufaq": tinjaufaq, "kembalikanfaq": kembalikanfaq, "faqstatus": faqstatus},
    )
    app.add_handler(CallbackQueryHandler(on_approve, pattern=parsing.callback_pattern("frok")))
    app.add_handler(
        CallbackQueryHandler(on_send_back_button, pattern=parsing.callback_pattern("frno"))
    )
