"""/tahap and the "Sudah disampaikan" button of deadline reminders."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot import parsing
from bot import roles as roles_domain
from bot.context import LobotApp, LobotContext
from bot.deadlines import commands, service, signoff
from bot.deadlines.service import Outcome
from handlers import commands as registry
from handlers.common import arg_text, is_private, person, reply
from messages import common as common_msg
from messages import deadlines as msg
from messages.help import STAFF, Command

COMMANDS = [
    Command(
        "tahap",
        "[tambah|hapus|muat ...]",
        "Tenggat laporan: siapa sudah/belum menyampaikan",
        STAFF,
        "private",
    )
]


async def tahap(update: Update, context: LobotContext) -> None:
    user = person(update)
    if user is None:
        return
    svc = context.services
    action, rest = parsing.split_first(arg_text(update))
    action = action.lower()
    if action == "tambah":
        await _add(update, context, user.user_id, rest)
    elif action == "hapus":
        await _remove(update, context, user.user_id, rest)
    elif action == "muat":
        await _reload(update, context, user.user_id)
    elif action:
        await reply(update, msg.usage())
    else:
        statuses = await service.overview(svc, user.user_id)
        if statuses is None:
            await reply(update, common_msg.refused([]))
            return
        await reply(update, msg.overview(statuses, svc.tz, svc.clock.now()))


async def _add(update: Update, context: LobotContext, actor: int, text: str) -> None:
    svc = context.services
    if not await roles_domain.may_edit_deadlines(svc, actor):
        await reply(update, common_msg.refused(["admin"]))
        return
    request = commands.parse_add(text)
    if isinstance(request, str):
        await reply(update, msg.parse_problem(request))
        return
    added = await service.add_request(svc, actor, request)
    if added.outcome is Outcome.OK and added.deadline is not None:
        await reply(update, msg.added(added.deadline, added.first_due, svc.tz))
    elif added.outcome is Outcome.EXISTS:
        await reply(update, msg.exists())
    elif added.unknown_ref:
        await reply(update, msg.unknown_user(added.unknown_ref))
    else:
        await reply(update, common_msg.refused(["admin"]))


async def _remove(update: Update, context: LobotContext, actor: int, text: str) -> None:
    svc = context.services
    if not text.strip().isdigit() or len(text.strip()) > 12:
        await reply(update, msg.usage())
        return
    outcome, dl = await service.remove(svc, actor, int(text.strip()))
    if outcome is Outcome.REFUSED:
        await reply(update, common_msg.refused(["admin"]))
    elif dl is None:
        await reply(update, msg.not_found())
    else:
        await reply(update, msg.removed(dl))


async def _reload(update: Update, context: LobotContext, actor: int) -> None:
    """/tahap muat: the deadline file read again (admins)."""
    done = await service.reload(context.services, actor)
    if done.outcome is Outcome.REFUSED:
        await reply(update, common_msg.refused(["admin"]))
    elif done.outcome is Outcome.NO_FILE or done.file is None:
        await reply(update, msg.no_deadline_file())
    elif done.error is not None:
        e = done.error
        await reply(update, msg.reload_refused(done.file, e.line, e.entry, e.field, e.problem))
    elif done.loaded is not None:
        n = done.loaded
        await reply(update, msg.reloaded(done.file, n.total, n.added, n.changed, n.removed))


async def on_reported(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = parsing.callback(query.data, "dl")
    chat = update.effective_chat
    if data is None or chat is None:
        await query.answer()  # stop the spinner; a malformed button changes nothing
        return
    svc = context.services
    pressed = await service.mark_reported(svc, data.number(0), query.from_user.id, chat.id)
    if pressed.outcome is Outcome.OK and pressed.party and pressed.at and pressed.deadline:
        await query.answer(msg.pressed_ok(pressed.deadline, pressed.party, pressed.at, svc.tz))
        if is_private(update):
            await query.edit_message_reply_markup(None)  # one person, one press: done
    elif pressed.outcome is Outcome.ALREADY:
        await query.answer(msg.pressed_already(pressed.at, svc.tz))
    elif pressed.outcome is Outcome.NOT_OPERATOR:
        await query.answer(msg.not_operator(), show_alert=True)
    elif pressed.outcome is Outcome.NOT_RESPONSIBLE:
        await query.answer(msg.not_responsible(), show_alert=True)
    else:
        await query.answer(msg.gone(), show_alert=True)


async def on_signoff(update: Update, context: LobotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = parsing.callback(query.data, "so")
    if data is None:
        await query.answer()  # stop the spinner; a malformed button changes nothing
        return
    done = await signoff.press(context.services, data.number(0), data.fields[1], query.from_user.id)
    if done.result in (signoff.Pressed.OK, signoff.Pressed.DONE_BEFORE):
        ok = done.result is signoff.Pressed.OK and done.new_stage
        await query.answer(
            msg.signoff_pressed(done.new_stage)
            if ok and done.new_stage
            else msg.signoff_done_before()
        )
        message = query.message
        if message is not None and getattr(message, "reply_markup", None) is not None:
            await query.edit_message_reply_markup(None)  # this step is done for everyone
    elif done.result is signoff.Pressed.REFUSED:
        await query.answer(msg.signoff_refused(), show_alert=True)
    else:
        await query.answer(msg.gone(), show_alert=True)


def register(app: LobotApp) -> None:
    registry.add(app, COMMANDS, {"tahap": tahap})
    app.add_handler(CallbackQueryHandler(on_reported, pattern=parsing.callback_pattern("dl")))
    app.add_handler(CallbackQueryHandler(on_signoff, pattern=parsing.callback_pattern("so")))
