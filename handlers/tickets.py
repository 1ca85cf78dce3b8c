"""Tickets in Telegram: questions become tickets; /tanya, /jawab, /tiket, /catat,
/alihkan, /cuti, /tutup; the asker's buttons."""

from __future__ import annotations

import re
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
)

from bot import parsing
from bot import roles as roles_domain
from bot import tickets as domain
from bot.context import LobotApp, LobotContext
from bot.deadlines import cso_day
from bot.groups import User, resolve_user
from bot.tickets import Ticket, followups, views
from handlers import commands
from handlers.common import (
    acknowledge,
    arg_text,
    attachment_of,
    callback_parts,
    is_group,
    is_private,
    markup,
    person,
    reply,
)
from handlers.tick import send_soon
from messages import common as common_msg
from messages import deadlines as deadline_msg
from messages import faq as faq_msg
from messages import tickets as msg
from messages.help import EVERYONE, STAFF, Command

COMMANDS = [
    Command("tanya", "pertanyaan", "Ajukan pertanyaan (tiket)", EVERYONE, "group"),
    Command("tiket", "[nomor]", "Tiket terbuka / rincian tiket", EVERYONE, "both"),
    Command("jawab", "nomor jawaban", "Jawab tiket", STAFF, "both"),
    Command("proses", "nomor [catatan]", "Tandai tiket sedang diproses", STAFF, "both"),
    Command("tutup", "nomor", "Tutup tiket yang bukan pertanyaan", STAFF, "both"),
    Command(
        "catat",
        "kanal kode_satker [jam_diterima] pertanyaan",
        "Catat pertanyaan dari kanal lain",
        frozenset({"cso", "admin"}),
        "private",
    ),
    Command("alihkan", "nomor @lo", "Alihkan tiket ke LO lain", STAFF, "private"),
    Command(
        "cuti",
        "@cadangan sampai_tanggal",
        "Tunjuk LO cadangan selama cuti",
        frozenset({"lo"}),
        "private",
    ),
]


def _year(context: LobotContext) -> int:
    svc = context.services
    return svc.clock.now().astimezone(svc.tz).year


async def _open_from_message(
    update: Update, context: LobotContext, message: Message, text: str
) -> None:
    """Open a ticket for ``message`` (asked by its author) and reply with the number."""
    svc = context.services
    author = message.from_user
    if author is None:
        return
    asker = User(author.id, author.username, author.full_name)
    opened = await domain.open_in_group(
        svc, message.chat_id, message.message_id, asker, text, attachment_of(message)
    )
    if isinstance(opened, domain.Result):
        await reply(update, common_msg.group_not_registered())
        return
    send_soon(context)  # the reply and the LO's notice were enqueued with the ticket


async def tanya(update: Update, context: LobotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    text = arg_text(update)
    target = message
    if (
        not text
        and message.reply_to_message
        and (message.reply_to_message.text or message.reply_to_message.caption)
    ):
        target = message.reply_to_message
        text = target.text or target.caption or ""
    if not text:
        await reply(update, msg.tanya_usage())
        return
    await _open_from_message(update, context, target, text)


async def _ticket_from_args(
    update: Update, context: LobotContext, args: str
) -> tuple[Ticket | None, str, str]:
    """(ticket, number text, rest) from '/cmd <nomor> rest' or a reply to a ticket message."""
    svc = context.services
    first, rest = parsing.split_first(args)
    number = parsing.ticket_number(first, _year(context)) if first else None
    if number is not None:
        return await domain.find(svc, number), first, rest
    message = update.effective_message
    if message and message.reply_to_message:
        # A reply names its ticket: the first word is text, never a ticket number.
        return await _replied_ticket(update, context, message), "", args
    return None, first, args


async def _replied_ticket(update: Update, context: LobotContext, message: Message) -> Ticket | None:
    """The ticket a reply is about: a question or the bot's post in a group, or the bot's
    private notice, digest (when it holds one ticket) or "Jawab" prompt."""
    svc = context.services
    replied = message.reply_to_message
    assert replied is not None
    if is_group(update):
        return await domain.find_by_message(svc, message.chat_id, replied.message_id)
    linked = await domain.tickets_of_message(svc, message.chat_id, replied.message_id)
    return linked[0] if len(linked) == 1 else None


async def _visible_ticket(
    update: Update, context: LobotContext, usage: str
) -> tuple[Ticket, str] | None:
    """The ticket a command names (or replies to) and the rest of its text, if the caller
    may see it; otherwise the polite answer has been sent and None is returned."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    ticket, number, rest = await _ticket_from_args(update, context, arg_text(update))
    if ticket is None and not number:
        await reply(update, usage)
        return None
    if ticket is None or not await domain.may_view(
        context.services, ticket, user.id, chat.id, is_private(update)
    ):
        await reply(update, msg.not_found(number or "-"))
        return None
    return ticket, rest


async def jawab(update: Update, context: LobotContext) -> None:
    user = person(update)
    chat = update.effective_chat
    found = await _visible_ticket(update, context, msg.jawab_usage())
    if user is None or chat is None or found is None:
        return
    svc = context.services
    ticket, text = found
    if not text:
        await reply(update, msg.jawab_usage())
        return
    done = await domain.answer(svc, ticket, user, text, posted_in_group=False)
    if done.result is domain.Result.OK:
        send_soon(context)
        if is_private(update) or ticket.chat_id != chat.id:
            assert done.ticket is not None
            confirm = msg.answer_sent(done.ticket, svc.tz)
            if views.may_become_faq(done.ticket):  # the confirmation carries "Jadikan FAQ"
                faq_button = markup(faq_msg.make_faq_button(done.ticket.id))
                await reply(update, confirm, reply_markup=faq_button)
            else:
                await acknowledge(update, confirm, notable=done.ticket.on_time is False)
    else:
        await reply(update, refusal(done.result, ticket))


async def proses(update: Update, context: LobotContext) -> None:
    """Mark a ticket in progress: the asker sees the note, the SLA clock keeps running."""
    user = person(update)
    found = await _visible_ticket(update, context, msg.proses_usage())
    if user is None or found is None:
        return
    svc = context.services
    ticket, note = found
    done = await domain.hold(svc, ticket, user, note, posted_in_group=False)
    if done.result is domain.Result.OK and done.ticket is not None:
        send_soon(context)
        await reply(update, msg.progress_noted(done.ticket, svc.tz))
    else:
        await reply(update, refusal(done.result, ticket))


async def on_notice_button(update: Update, context: LobotContext) -> None:
    """The notice's buttons: "Jawab" opens a ForceReply prompt; "Sedang diproses" holds."""
    query, user = update.callback_query, person(update)
    parts = callback_parts(update, 2)
    if query is None or user is None or parts is None:
        if query is not None:
            await query.answer()
        return
    svc = context.services
    ticket = await domain.find_by_id(svc, int(parts[1]))
    if ticket is None or not await domain.may_answer(svc, ticket, user.user_id):
        await query.answer(msg.button_not_yours(), show_alert=True)
        return
    if parts[0] == "jw":
        if ticket.status != domain.OPEN:
            await query.answer(
                plain(refusal(domain.Result.ALREADY_ANSWERED, ticket)), show_alert=True
            )
            return
        await query.answer()
        await domain.prompt_answer(svc, f"prompt:{update.update_id}", user.user_id, ticket)
        send_soon(context)
        return
    done = await domain.hold(svc, ticket, user, "", posted_in_group=False)
    if done.result is domain.Result.OK and done.ticket is not None:
        await query.answer(plain(msg.progress_noted(done.ticket, svc.tz)))
        send_soon(context)
    else:
        await query.answer(plain(refusal(done.result, ticket)), show_alert=True)


async def on_split_button(update: Update, context: LobotContext) -> None:
    """ "Ini pertanyaan baru": the attached follow-up becomes a ticket of its own."""
    query = update.callback_query
    parts = callback_parts(update, 2)
    if query is None or parts is None:
        if query is not None:
            await query.answer()
        return
    opened = await followups.split(context.services, int(parts[1]), query.from_user.id)
    if isinstance(opened, domain.Result):
        text = msg.not_asker() if opened is domain.Result.NOT_ASKER else msg.already_closed()
        await query.answer(text, show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    send_soon(context)  # the new ticket's reply and the LO's notice


def plain(html: str) -> str:
    """A callback answer is plain text (no HTML)."""
    return re.sub(r"<[^>]+>", "", html)


def refusal(result: domain.Result, ticket: Ticket) -> str:
    if result is domain.Result.ALREADY_ANSWERED:
        return msg.already_answered(ticket)
    if result is domain.Result.CLOSED:
        return msg.is_closed(ticket)
    if result is domain.Result.TARGET_NOT_STAFF:
        return msg.target_not_staff()
    return common_msg.refused(["lo", "cso", "admin"])


async def tiket(update: Update, context: LobotContext) -> None:
    user = person(update)
    chat = update.effective_chat
    if user is None or chat is None:
        return
    svc = context.services
    args = arg_text(update)
    if args:
        number = parsing.ticket_number(args, _year(context))
        ticket = await domain.find(svc, number) if number else None
        if number is None:
            await reply(update, msg.tiket_usage())
        elif ticket is None or not await domain.may_view(
            svc, ticket, user.user_id, chat.id, is_private(update)
        ):
            await reply(update, msg.not_found(args))
        else:
            await _show(update, context, ticket)
        return
    found, total = await views.open_list(svc, user.user_id, chat.id, is_private(update))
    await reply(update, msg.open_list(found, total, svc.clock.now(), svc.tz))


async def _show(update: Update, context: LobotContext, t: Ticket) -> None:
    svc = context.services
    d = await views.detail(svc, t)
    ctx = msg.TicketContext(t, d.group_title, d.satker_name, d.lo, svc.tz)
    await reply(update, msg.detail(ctx, d.events, t.asker_name))
    # The attachments are shown in private only: in a group they would be posted again.
    # Through the outbox like the text, so they follow it in order.
    if not is_private(update):
        return
    files = [(t.attachment_kind, t.attachment_id, msg.attachment_caption(t))]
    files += [
        (f.attachment_kind, f.attachment_id, msg.followup_file_caption(t, f.author_name))
        for f in d.files
    ]
    for kind, file_id, caption in files:
        if file_id:
            await reply(update, caption, attachment={"kind": kind, "file_id": file_id})


async def catat(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    if not await roles_domain.may_record_other_channels(context.services, user.user_id):
        await reply(update, common_msg.refused(["cso", "admin"]))
        return
    channel_text, rest = parsing.split_first(arg_text(update))
    kode_text, rest = parsing.split_first(rest)
    day, at, question = parsing.received_prefix(rest)
    channel = domain.CHANNEL_ALIASES.get(channel_text.lower())
    kode = parsing.kode_satker(kode_text)
    if channel is None or kode is None or not question:
        await reply(update, msg.catat_usage())
        return
    svc = context.services
    received = cso_day.received_at(svc, day, at, svc.clock.now()) if at else None
    if at and received is None:
        await reply(update, deadline_msg.received_refused())
        return
    opened = await domain.record_other_channel(svc, user, channel, kode, question, received)
    if isinstance(opened, domain.Result):
        await reply(update, common_msg.refused(["cso", "admin"]))
        return
    text = msg.recorded(opened.ticket, opened.clock_starts, svc.tz)
    if opened.late_record:
        until = cso_day.record_until(svc, opened.ticket.created_at.astimezone(svc.tz).date())
        text += "\n" + deadline_msg.late_record_note(until)
    await reply(update, text)


async def alihkan(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    first, target_text = parsing.split_first(arg_text(update))
    number = parsing.ticket_number(first, _year(context)) if first else None
    target_ref = parsing.user_ref(target_text) if target_text else None
    if number is None or target_ref is None:
        await reply(update, msg.alihkan_usage())
        return
    svc = context.services
    ticket = await domain.find(svc, number)
    chat_id = update.effective_chat.id if update.effective_chat else 0
    if ticket is None or not await domain.may_view(
        svc, ticket, user.user_id, chat_id, is_private(update)
    ):
        await reply(update, msg.not_found(first))
        return
    new_lo = await resolve_user(svc, target_ref)
    if new_lo is None:
        await reply(update, msg.target_not_staff())
        return
    done = await domain.reassign(svc, ticket, user.user_id, new_lo)
    if done.result is domain.Result.OK:
        send_soon(context)
        await reply(update, msg.reassigned(ticket, new_lo))
    else:
        await reply(update, refusal(done.result, ticket))


async def cuti(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    svc = context.services
    if not await roles_domain.is_lo(svc, user.user_id):
        await reply(update, common_msg.refused(["lo"]))
        return
    first, rest = parsing.split_first(arg_text(update))
    if first.lower() == "selesai":
        cleared = await domain.clear_backup(svc, user.user_id)
        await reply(update, msg.cuti_cleared() if cleared else msg.cuti_none())
        return
    ref = parsing.user_ref(first) if first else None
    until = parsing.iso_date(rest) if rest else None
    today = svc.clock.now().astimezone(svc.tz).date()
    if ref is None or until is None or until < today:
        await reply(update, msg.cuti_usage())
        return
    backup = await resolve_user(svc, ref)
    if backup is None:
        await reply(update, msg.target_not_staff())
        return
    from datetime import datetime

    until_dt = datetime.combine(until, svc.settings.work_end, tzinfo=svc.tz)
    result = await domain.set_backup(svc, user.user_id, backup, until_dt)
    if result is domain.Result.OK:
        await reply(update, msg.cuti_set(backup, until_dt))
    else:
        await reply(update, msg.target_not_staff())


async def tutup(update: Update, context: LobotContext) -> None:
    user = person(update)
    found = await _visible_ticket(update, context, msg.tutup_usage())
    if user is None or found is None:
        return
    ticket, _ = found
    done = await domain.close_not_question(context.services, ticket, user.user_id)
    if done.result is domain.Result.OK:
        await reply(update, msg.not_question_closed(ticket))
    else:
        await reply(update, refusal(done.result, ticket))


async def on_button(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    parts = callback_parts(update, 3)
    if query is None or parts is None:
        if query is not None:
            await query.answer()  # stop the button's spinner; nothing else to do
        return
    svc = context.services
    done = await domain.asker_choice(svc, int(parts[1]), query.from_user.id, parts[2])
    t = done.ticket
    if done.result is not domain.Result.OK or t is None:
        text = {
            domain.Result.NOT_ASKER: msg.not_asker(),
            domain.Result.NOT_ANSWERED: msg.not_answered_yet(),
            domain.Result.CLOSED: msg.already_closed(),
        }.get(done.result, msg.already_closed())
        await query.answer(text, show_alert=True)
        return
    choice = parts[2]
    if choice == "ok":
        await query.answer(msg.closed_done(t))
        await _refresh_post(update, context, t, None if t.rating else msg.rating_buttons(t.id))
    elif choice == "more":
        await query.answer()
        await query.edit_message_reply_markup(None)
        send_soon(context)
        if isinstance(query.message, Message):
            await reply(update, msg.reopened_notice(t, svc.tz), quote=query.message.message_id)
    else:
        await query.answer(msg.rated(t.rating or 0))
        keep = (
            msg.asker_buttons(t.id)["inline_keyboard"][:1] if t.status == domain.ANSWERED else None
        )
        await _refresh_post(update, context, t, {"inline_keyboard": keep} if keep else None)


async def _refresh_post(
    update: Update, context: LobotContext, t: Ticket, buttons: dict[str, Any] | None
) -> None:
    """Show the ticket's state under the answer, so no request is left that no button meets.
    A long answer was sent in parts; then only its buttons change."""
    query = update.callback_query
    assert query is not None
    current = query.message.text if isinstance(query.message, Message) else None
    text = None
    if current and t.answer_text is not None:
        text = msg.refreshed_post(current, t, await views.answerer(context.services, t))
    if text is not None:
        await query.edit_message_text(text, reply_markup=markup(buttons))
    else:
        await query.edit_message_reply_markup(markup(buttons))


def register(app: LobotApp) -> None:
    commands.add(
        app,
        COMMANDS,
        {
            "tanya": tanya,
            "jawab": jawab,
            "tiket": tiket,
            "catat": catat,
            "alihkan": alihkan,
            "cuti": cuti,
            "tutup": tutup,
            "proses": proses,
        },
    )
    app.add_handler(CallbackQueryHandler(on_button, pattern=parsing.callback_pattern("tk")))
    for prefix, handler in (
        ("jw", on_notice_button),
        ("jp", on_notice_button),
        ("ts", on_split_button),
    ):
        app.add_handler(CallbackQueryHandler(handler, pattern=parsing.callback_pattern(prefix)))
