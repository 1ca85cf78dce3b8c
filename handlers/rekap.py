"""/rekap: the recap, the two lists, the KPI and the weekly chart, in private chat."""

from __future__ import annotations

import tempfile
from pathlib import Path

from telegram import Update

from bot import kanwil, periods, report_files, reports
from bot.context import LobotApp, LobotContext
from bot.deadlines import signoff
from bot.haicso import rekap as haicso_rekap
from handlers import commands, dashboard_entry
from handlers.common import arg_text, reply
from messages import common as common_msg
from messages import deadlines as deadline_msg
from messages import haicso as haicso_msg
from messages import kanwil as kanwil_msg
from messages import rekap as msg
from messages.help import Command

COMMANDS = [
    Command(
        "rekap",
        "[periode]",
        "Rekap tiket, IKU dan laporan",
        frozenset((*reports.REKAP_ROLES, "kanwil")),
        "private",
    )
]


async def rekap(update: Update, context: LobotContext) -> None:
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    svc = context.services
    text = arg_text(update)
    head, _, rest = text.strip().partition(" ")
    if head.lower() == "kanwil":
        await _kanwil(update, context, user.id, rest)
        return
    today = svc.clock.now().astimezone(svc.tz).date()
    period = periods.parse(text, today)
    scope = await reports.scope_for(svc, user.id, period) if period else None
    if period is None:
        await reply(update, msg.usage())
        return
    if scope is None:
        if await kanwil.points_to_kanwil(svc, user.id):
            await reply(update, kanwil_msg.use_kanwil())
            return
        await reply(update, common_msg.refused(["supervisor", "cso", "lo", "admin"]))
        return
    recap = await reports.build(svc, scope, period)
    recap.hai = await haicso_rekap.figures(svc, recap)
    text = msg.summary(recap, svc.tz)
    text += "\n\n" + haicso_msg.rekap_lines(recap.hai, recap.kpi_office, recap.kpi_cso)
    signed, names = await signoff.for_period(svc, period.slug)
    if signed:  # the scheduled report's approval for this period (seed 002)
        text += "\n\n" + deadline_msg.signoff_status(signed, names, svc.tz)
    await reply(update, text, reply_markup=await dashboard_entry.markup(update, context))
    with tempfile.TemporaryDirectory() as tmp:
        parts, png = await report_files.write_files(svc, recap, Path(tmp))
        for part in parts:  # one file, or several when it would pass Telegram's 50 MB
            with part.path.open("rb") as fh:
                await chat.send_document(
                    fh, filename=part.path.name, caption=msg.workbook_caption(period.label, part)
                )
        with png.open("rb") as fh:
            await chat.send_photo(fh, caption=msg.chart_caption(period.label))


async def _kanwil(update: Update, context: LobotContext, user_id: int, text: str) -> None:
    """/rekap kanwil [office] [period]: the supervised offices side by side."""
    svc = context.services
    view = await kanwil.side_by_side(svc, user_id, text)
    answers = {
        kanwil.Outcome.NOT_KANWIL: kanwil_msg.not_kanwil,
        kanwil.Outcome.NOT_THEIRS: kanwil_msg.not_theirs,
        kanwil.Outcome.BAD_PERIOD: kanwil_msg.usage,
    }
    if view.outcome in answers:
        await reply(update, answers[view.outcome]())
        return
    await reply(
        update,
        kanwil_msg.side_by_side(view, svc.clock.now()),
        reply_markup=await dashboard_entry.markup(update, context),
    )


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"rekap": rekap})
