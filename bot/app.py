"""The application factory, used by the entry point and by the tests."""

from __future__ import annotations

import logging
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import HTTPXRequest

from bot.clock import Clock, SystemClock
from bot.context import BotData, LobotApp, LobotContext
from bot.services import Services, make_calendar
from config.settings import Settings
from handlers.sender import LobotRateLimiter
from messages.help import Command, menu
from storage.db import Database

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, clock: Clock | None = None, *, tick_job: bool = True
) -> LobotApp:
    """Wire the bot: Telegram client, database life cycle, handlers, the tick job."""
    context_types = ContextTypes(context=LobotContext, bot_data=BotData)
    app: LobotApp = (  # type: ignore[assignment]
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .context_types(context_types)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .rate_limiter(LobotRateLimiter())
        .request(HTTPXRequest(connection_pool_size=16, read_timeout=15, write_timeout=30))
        .get_updates_request(HTTPXRequest(read_timeout=settings.poll_timeout + 10))
        .post_init(_post_init(settings, clock or SystemClock()))
        .post_shutdown(_post_shutdown)
        .build()
    )
    _register_handlers(app, settings, tick_job)
    return app


def _register_handlers(app: LobotApp, settings: Settings, tick_job: bool) -> None:
    """Every feature, in one list: handlers (in their handler groups), help commands."""
    # Imported here so that importing bot.app stays cheap for `check-config`.
    from handlers import calendar, errors, faq, groups, help, rekap, roles, tick, tickets, users

    users.register(app)  # group -10: remember users before anything else
    groups.register(app)  # membership, migration, registration commands
    roles.register(app)
    calendar.register(app)
    tickets.register(app)  # commands; plain replies (group 1); questions (group 3)
    faq.register(app)  # commands; automatic answers (group 2)
    rekap.register(app)
    help.register(app)
    errors.register(app)
    if tick_job:
        tick.register(app, settings.tick_seconds)
    app.bot_data.commands = [
        *help.COMMANDS,
        *groups.COMMANDS,
        *roles.COMMANDS,
        *calendar.COMMANDS,
        *tickets.COMMANDS,
        *faq.COMMANDS,
        *rekap.COMMANDS,
    ]


def _wire_services(services: Services) -> None:
    """The tick's scanners and the calendar's followers, in one list each."""
    from bot import report_schedule, tickets

    services.scanners = [("tickets", tickets.scan), ("reports", report_schedule.scan)]
    services.calendar_hooks = [tickets.recompute_open]


def _post_init(settings: Settings, clock: Clock) -> Any:
    async def post_init(app: LobotApp) -> None:
        db = Database(settings.database)
        await db.open()
        services = Services(settings, db, clock, make_calendar(settings))
        _wire_services(services)
        await services.reload_calendar()
        await _load_faq(services)
        app.bot_data.services = services
        await _publish_commands(app, app.bot_data.commands)

    return post_init


async def _load_faq(services: Services) -> None:
    """Load the reviewed content files; if they are broken, keep serving the last good set."""
    from bot import faq

    try:
        count = await faq.reload(services)
        log.info("FAQ: %d entries loaded", count)
    except faq.ContentError as exc:
        count = await faq.load_from_db(services)
        log.error("FAQ content refused (%s); serving the previous %d entries", exc, count)


async def _publish_commands(app: LobotApp, catalog: list[Command]) -> None:
    """Publish the command menus; the bot works without them, so failures only log."""
    scopes = [
        (BotCommandScopeAllGroupChats(), "group"),
        (BotCommandScopeAllPrivateChats(), "private"),
    ]
    for scope, chat_type in scopes:
        commands = [BotCommand(name, desc) for name, desc in menu(catalog, chat_type)]
        try:
            await app.bot.set_my_commands(commands, scope=scope, language_code=None)
        except TelegramError as exc:
            log.warning("setMyCommands for %s failed: %s", chat_type, exc)


async def _post_shutdown(app: LobotApp) -> None:
    try:
        services = app.bot_data.services
    except RuntimeError:
        return
    await services.db.close()
