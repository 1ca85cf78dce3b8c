"""FAQ in Telegram: automatic answers in groups, /faq browsing, votes, admin reload."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot import faq as domain
from bot import faq_flow, parsing
from bot.context import LobotApp, LobotContext
from handlers import commands
from handlers.common import arg_text, callback_parts, markup, reply
from handlers.common import user_id as _uid
from handlers.tick import send_soon
from messages import common as common_msg
from messages import faq as msg
from messages.help import ADMIN, EVERYONE, Command

log = logging.getLogger(__name__)

COMMANDS = [
    Command("faq", "[kata kunci]", "Cari informasi layanan", EVERYONE, "both"),
    Command("muatfaq", "", "Muat ulang konten FAQ", ADMIN, "private"),
    Command("faqgagal", "", "Pertanyaan yang belum terjawab FAQ, per tema", ADMIN, "private"),
    Command("faqdraf", "", "Draf FAQ dari jawaban LO", ADMIN, "private"),
]


async def on_private_message(update: Update, context: LobotContext) -> None:
    """A free-text message in private chat: an FAQ answer when confident, else a pointer."""
    message = update.effective_message
    index = context.services.faq
    if message is None or not message.text:
        return
    match, _ = (
        await domain.answer_for(context.services, index, message.text) if index else (None, 0.0)
    )
    if match is None:
        await reply(update, msg.private_hint())
        return
    if match.alternatives:
        options = [match.entry, *match.alternatives]
        await reply(
            update, msg.choose_text(options), reply_markup=markup(msg.choose_buttons(options, None))
        )
        return
    aspect = domain.pick_aspect(message.text, match.entry)
    await reply(
        update,
        msg.entry_text(match.entry, aspect),
        reply_markup=markup(msg.entry_buttons(match.entry.id, aspect, None)),
    )


async def faq_command(update: Update, context: LobotContext) -> None:
    svc = context.services
    index = svc.faq
    if index is None:
        await reply(update, msg.no_content())
        return
    keyword = arg_text(update)
    if not keyword:
        await reply(
            update,
            msg.categories_text(),
            reply_markup=markup(msg.categories_buttons(faq_flow.categories(svc, index))),
        )
        return
    found = await faq_flow.browse(svc, index, keyword)
    buttons = msg.entries_buttons([(m.entry.id, m.entry.title) for m in found])
    await reply(
        update,
        msg.search_text(keyword[:100], len(found)),
        reply_markup=markup(buttons) if found else None,
    )


async def on_category(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    index = context.services.faq
    parts = callback_parts(update, 2)
    if query is None:
        return
    categories = faq_flow.categories(context.services, index) if index is not None else []
    if parts is None or int(parts[1]) >= len(categories):
        await query.answer(msg.no_content(), show_alert=True)
        return
    category = categories[int(parts[1])]
    await query.answer()
    await query.edit_message_text(
        msg.category_text(category),
        reply_markup=markup(
            msg.entries_buttons(faq_flow.entries_in(context.services, index, category))
        ),
    )


async def on_aspect(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    parts = callback_parts(update, 4)
    if query is None:
        return
    entry = faq_flow.shown_entry(context.services, parts[1]) if parts is not None else None
    aspect = (
        msg.ASPECT_ORDER[int(parts[2])] if parts and int(parts[2]) < len(msg.ASPECT_ORDER) else ""
    )
    if parts is None or entry is None or aspect not in entry.aspects:
        await query.answer(msg.no_content(), show_alert=True)
        return
    log_id = int(parts[3]) or None
    still_voting = log_id is not None and await faq_flow.vote_open(context.services, log_id)
    text = msg.auto_answer(entry, aspect) if still_voting else msg.entry_text(entry, aspect)
    await query.answer()
    await query.edit_message_text(
        text,
        reply_markup=markup(msg.entry_buttons(entry.id, aspect, log_id if still_voting else None)),
    )


async def on_choice(update: Update, context: LobotContext) -> None:
    """The asker picked one of the close entries: show its answer in the same message."""
    query = update.callback_query
    parts = callback_parts(update, 3)
    if query is None:
        return
    entry = (
        faq_flow.shown_entry(context.services, parts[2]) if parts and parts[1].isdigit() else None
    )
    if parts is None or entry is None:
        await query.answer(msg.no_content(), show_alert=True)
        return
    log_id = int(parts[1]) or None
    if log_id is None:  # private chat: no question log, nothing to vote on
        aspect = domain.pick_aspect("", entry)
        await query.answer()
        await query.edit_message_text(
            msg.entry_text(entry, aspect),
            reply_markup=markup(msg.entry_buttons(entry.id, aspect, None)),
        )
        return
    chosen = await faq_flow.choose(context.services, log_id, query.from_user.id, entry.id)
    if chosen is None:
        await query.answer(msg.vote_not_asker(), show_alert=True)
        return
    await query.answer()
    await query.edit_message_text(
        msg.auto_answer(entry, chosen),
        reply_markup=markup(msg.entry_buttons(entry.id, chosen, log_id)),
    )


async def on_vote(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    parts = callback_parts(update, 3)
    if query is None or parts is None:
        if query is not None:
            await query.answer()  # stop the button's spinner; nothing else to do
        return
    svc = context.services
    outcome = await faq_flow.vote(svc, int(parts[1]), query.from_user.id, parts[2] == "y")
    if outcome.result is faq_flow.VoteResult.NOT_ASKER:
        await query.answer(msg.vote_not_asker(), show_alert=True)
        return
    if outcome.result is faq_flow.VoteResult.ALREADY:
        await query.answer(msg.already_voted())
        return
    await query.answer(msg.vote_thanks() if parts[2] == "y" else msg.vote_forwarded())
    if isinstance(query.message, Message):
        await query.edit_message_reply_markup(None)
    if outcome.opened is not None:
        send_soon(context)  # the ticket's reply was enqueued with the ticket


async def muatfaq(update: Update, context: LobotContext) -> None:
    if not await faq_flow.may_curate(context.services, _uid(update)):
        await reply(update, common_msg.refused(["admin"]))
        return
    try:
        count = await domain.reload(context.services)
    except domain.ContentError as exc:
        await reply(update, msg.reload_failed(str(exc)))
        return
    await reply(update, msg.reloaded(count))


async def faqgagal(update: Update, context: LobotContext) -> None:
    if not await faq_flow.may_curate(context.services, _uid(update)):
        await reply(update, common_msg.refused(["admin"]))
        return
    svc = context.services
    await reply(update, msg.miss_themes(await faq_flow.miss_themes(svc), svc.tz))


async def faqdraf(update: Update, context: LobotContext) -> None:
    """Admins: drafts from LO answers, each with approve/reject buttons."""
    user = update.effective_user
    svc = context.services
    if user is None or not await faq_flow.may_curate(svc, user.id):
        await reply(update, common_msg.refused(["admin"]))
        return
    rows = await faq_flow.pending_drafts(svc)
    await reply(
        update,
        msg.drafts_text(rows),
        reply_markup=markup(msg.drafts_buttons(rows)) if rows else None,
    )


async def on_make_draft(update: Update, context: LobotContext) -> None:
    """ "Jadikan FAQ" under the LO's confirmation: the ticket's Q&A becomes a draft."""
    query = update.callback_query
    parts = callback_parts(update, 2)
    if query is None:
        return
    if parts is None or not parts[1].isdigit():
        await query.answer()
        return
    result, draft_id = await faq_flow.draft_from_ticket(
        context.services, int(parts[1]), query.from_user.id
    )
    texts = {
        faq_flow.DraftResult.ALREADY: msg.draft_exists(),
        faq_flow.DraftResult.NOT_ALLOWED: msg.draft_not_allowed(),
        faq_flow.DraftResult.NOT_ANSWERED: msg.draft_not_answered(),
    }
    if result is faq_flow.DraftResult.CREATED and draft_id is not None:
        await query.answer(msg.draft_created(draft_id), show_alert=True)
        await query.edit_message_reply_markup(None)
        return
    await query.answer(texts[result], show_alert=result is not faq_flow.DraftResult.ALREADY)


async def on_decide_draft(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    parts = callback_parts(update, 2)
    svc = context.services
    if query is None:
        return
    if parts is None or not parts[1].isdigit():
        await query.answer()
        return
    if not await faq_flow.may_curate(svc, query.from_user.id):
        await query.answer(common_msg.refused(["admin"]), show_alert=True)
        return
    draft_id = int(parts[1])
    if parts[0] == "fdno":
        done = await faq_flow.reject_draft(svc, draft_id, query.from_user.id)
        await query.answer(msg.draft_rejected(draft_id) if done else msg.draft_gone())
        return
    entry = await faq_flow.approve_draft(svc, draft_id, query.from_user.id)
    if entry is None:
        await query.answer(msg.draft_gone())
        return
    await query.answer()
    await reply(update, msg.draft_approved(entry, domain.to_yaml(entry)))


def register(app: LobotApp) -> None:
    commands.add(
        app,
        COMMANDS,
        {"faq": faq_command, "muatfaq": muatfaq, "faqgagal": faqgagal, "faqdraf": faqdraf},
    )
    # Only the bot's own button shapes reach these; handlers.errors answers the rest.
    app.add_handler(CallbackQueryHandler(on_category, pattern=parsing.callback_pattern("fc")))
    app.add_handler(CallbackQueryHandler(on_aspect, pattern=parsing.callback_pattern("fa")))
    app.add_handler(CallbackQueryHandler(on_vote, pattern=parsing.callback_pattern("fv")))
    app.add_handler(CallbackQueryHandler(on_choice, pattern=parsing.callback_pattern("fq")))
    app.add_handler(CallbackQueryHandler(on_make_draft, pattern=parsing.callback_pattern("fd")))
    for prefix in ("fdok", "fdno"):
        pattern = parsing.callback_pattern(prefix)
        app.add_handler(CallbackQueryHandler(on_decide_draft, pattern=pattern))
    private_text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(private_text, on_private_message), group=2)
