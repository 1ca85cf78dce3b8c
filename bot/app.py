"""The application factory, used by the entry point and by the tests."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.clock import Clock, SystemClock
from bot.context import BotData, LobotApp, LobotContext
from bot.services import Services, make_calendar
from config.settings import Settings
from messages.help import Command, menu
from storage.db import Database, database_for

if TYPE_CHECKING:
    from bot.ops.metrics import Metrics
    from handlers.delivery import ChatOrderedProcessor, InboxBot

log = logging.getLogger(__name__)


def build_application(
    settings: Settings, clock: Clock | None = None, *, tick_job: bool = True
) -> LobotApp:
    """Wire the bot: Telegram client, inbox and processor, handlers, sender, the tick job."""
    from handlers.delivery import ChatOrderedProcessor, InboxBot
    from handlers.sender import quiet_prepared_requests
    from handlers.transport import AiohttpRequest

    quiet_prepared_requests()

    context_types = ContextTypes(context=LobotContext, bot_data=BotData)
    bot = InboxBot(
        settings.token,
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        # aiohttp under PTB: a third of httpx's CPU per request (handlers/transport.py).
        request=AiohttpRequest(connection_pool_size=32, read_timeout=15, media_write_timeout=30),
        get_updates_request=AiohttpRequest(read_timeout=settings.poll_timeout + 10),
        defaults=Defaults(
            parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
    )
    processor = ChatOrderedProcessor(settings.concurrent_updates)
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(context_types)
        .concurrent_updates(processor)
        .post_init(_post_init(settings, clock or SystemClock(), bot, processor))
        .post_stop(_post_stop(processor))
        .post_shutdown(_post_shutdown)
    )
    app: LobotApp = builder.build()  # type: ignore[assignment]
    # PTB takes an updater only without a bot of ours: replaced after the build, on the
    # same update queue.
    if settings.webhook_url is not None:
        from handlers.web.webhook import WebhookUpdater

        app.updater = WebhookUpdater(
            bot, app.update_queue, settings.webhook_url, settings.webhook_secret
        )
    elif settings.database_url:
        from handlers.workers import SharedUpdater

        # Several workers may share PostgreSQL: only the leader polls (bot/workers.py).
        app.updater = SharedUpdater(bot, app.update_queue, settings.poll_timeout)
    processor.rerun = app.process_update  # an update that failed on storage, again
    _register_handlers(app, settings, tick_job)
    return app


def _register_handlers(app: LobotApp, settings: Settings, tick_job: bool) -> None:
    """Every feature, in one list: handlers (in their handler groups), help commands."""
    # Imported here so that importing bot.app stays cheap for `check-config`.
    from handlers import (
        broadcast,
        calendar,
        captions,
        complaints,
        conversation,
        deadlines,
        errors,
        faq,
        faq_review,
        groups,
        haicso,
        help,
        intake,
        notifikasi,
        offices,
        rekap,
        roles,
        tick,
        tickets,
        unknown,
        users,
    )

    users.register(app)  # group -10: remember users before anything else
    groups.register(app)  # membership, migration, registration commands
    roles.register(app)
    if settings.offices:  # /kantor: which office a private chat acts for (several only)
        offices.register(app)
    calendar.register(app)
    intake.register(app)  # group 1: every member's message in a group, one decision
    conversation.register(app)  # group 1: staff replies to the bot; "which ticket?" taps
    tickets.register(app)
    faq.register(app)
    faq_review.register(app)
    rekap.register(app)
    haicso.register(app)  # also group -1: a CSO's HAI CSO number, before other private text
    complaints.register(app)
    notifikasi.register(app)
    deadlines.register(app)
    broadcast.register(app)
    help.register(app)
    captions.register(app)  # group 0, last: a command in a photo's or document's caption
    unknown.register(app)  # group 9: a private command nobody above knows
    errors.register(app)
    if tick_job:
        tick.register(app, settings.tick_seconds)
    app.bot_data.commands = [
        *help.COMMANDS,
        *groups.COMMANDS,
        *roles.COMMANDS,
        *(offices.COMMANDS if settings.offices else []),
        *calendar.COMMANDS,
        *tickets.COMMANDS,
        *faq.COMMANDS,
        *faq_review.COMMANDS,
        *rekap.COMMANDS,
        *haicso.COMMANDS,
        *complaints.COMMANDS,
        *notifikasi.COMMANDS,
        *deadlines.COMMANDS,
        *broadcast.COMMANDS,
    ]


def _wire_services(services: Services) -> None:
    """The tick's scanners, the calendar's followers and the sender's hooks, listed once."""
    from bot import (
        broadcast,
        complaints,
        digest,
        inbox,
        outbox,
        report_schedule,
        tickets,
        unreachable,
    )
    from bot.broadcast import cleanup as broadcast_files
    from bot.deadlines import cso_day, signoff
    from bot.deadlines import scanner as deadline_scanner
    from bot.deadlines import service as deadline_service
    from bot.digest import morning
    from bot.haicso import day as haicso_day
    from bot.offices import per_office
    from bot.ops import gauges
    from bot.ops.backup import BackupJob

    # Each office's scanners run in its own zone and calendar; the inbox and the digest
    # (per person, not per office) once.
    services.scanners = [
        ("morning", per_office(morning.scan)),  # 08.00, first: what is open and due today
        ("tickets", per_office(tickets.scan)),
        ("digest", digest.scan),  # after tickets: this tick's reminders go out bundled
        ("reports", per_office(report_schedule.scan)),
        ("inbox", inbox.purge_scan),
        ("complaints", per_office(complaints.scan)),
        ("deadlines", per_office(deadline_scanner.scan)),
        ("cso_day", per_office(cso_day.scan)),
        ("haicso_close", per_office(haicso_day.close_scan)),  # 17.00: the rest is late
        ("haicso_morning", per_office(haicso_day.morning_scan)),  # carried, next morning
        ("haicso_afternoon", per_office(haicso_day.afternoon_scan)),  # 16.00: today's list
        ("signoff", per_office(signoff.scan)),
        ("broadcasts", per_office(broadcast.scan)),
        ("broadcast_progress", per_office(broadcast.progress_message.scan)),  # final counts
        ("broadcast_files", per_office(broadcast_files.scan)),  # attachments not needed
    ]
    if services.settings.metrics_port is not None:
        services.scanners.append(("metrics", gauges.scan))  # counts for the gauges
    if services.settings.backup_dir is not None:
        # Last: the copy takes a moment (in a worker thread), alerts go out first.
        services.scanners.append(("backup", BackupJob().scan))
    services.calendar_hooks = [tickets.recompute_open, deadline_service.recompute_open]
    sender = outbox.sender_of(services)
    sender.sent_hooks = {
        complaints.ACK_HOOK: complaints.record_ack,
        complaints.CALLBACK_HOOK: complaints.group_note_after_callback(services),
        tickets.BOT_MESSAGE_HOOK: tickets.record_bot_message,
        tickets.NOTICE_HOOK: tickets.record_notice,
    }
    sender.gone_hooks = [unreachable.chat_refused]


def _post_init(
    settings: Settings, clock: Clock, bot: InboxBot, processor: ChatOrderedProcessor
) -> Any:
    async def post_init(app: LobotApp) -> None:
        db = database_for(settings.database, settings.database_url)
        await db.open()
        try:
            await _start_services(app, settings, clock, db, bot, processor)
        except BaseException:
            await db.close()  # nothing half-starts: the caller reports and exits
            raise

    return post_init


async def _start_services(
    app: LobotApp,
    settings: Settings,
    clock: Clock,
    db: Database,
    bot: InboxBot,
    processor: ChatOrderedProcessor,
) -> None:
    from bot import inbox, offices, outbox, reports
    from handlers.delivery import replay
    from handlers.sender import make_sender

    services = Services(settings, db, clock, make_calendar(settings))
    metrics = None
    if settings.metrics_port is not None:
        from bot.ops.metrics import Metrics

        metrics = services.metrics = processor.metrics = Metrics(clock.now())
    _wire_services(services)
    await offices.set_up(services)  # each office's record, calendar and overrides
    for view in services.each_office():
        await reports.prepare_rollup(view)  # before any ticket changes: see bot/reports.py
    processor.done = inbox.DoneMarker(services)
    if db.shared:  # one of several workers: the inbox is shared out by chat
        await _join_workers(app, services, processor, bot)
    else:
        # Updates stored but not handled before the last stop are handled first.
        unfinished = replay(services, bot, await inbox.unfinished(services))
        if unfinished:
            log.warning("inbox: handling %d updates left from before the restart", len(unfinished))
        for update in unfinished:
            await app.update_queue.put(update)
    await _warn_unreachable(services)
    app.bot_data.services = services
    if settings.metrics_port is not None or settings.web_port is not None:
        # Last of what can fail (a port in use): after it only the sender starts.
        app.bot_data.web_server = await _start_web_server(app, services, metrics)
    bot.attach(services)
    outbox.sender_of(services).start(make_sender(bot))
    # Content and command menus load while polling starts; updates wait for the content
    # (ChatOrderedProcessor.ready). On a fresh database the FAQ is parsed and stemmed
    # (about a second of CPU, in a thread), which held up the first getUpdates.
    app.bot_data.loading = asyncio.create_task(_load_content(app, services, processor, bot))


async def _join_workers(
    app: LobotApp, services: Services, processor: ChatOrderedProcessor, bot: InboxBot
) -> None:
    """PostgreSQL: this process is one of any number of workers (bot/workers.py)."""
    from handlers import tick, workers
    from handlers.workers import SharedUpdater

    services.workers = await workers.start(
        app, services, processor, bot, on_lead=lambda: tick.tick_now(app)
    )
    if isinstance(app.updater, SharedUpdater):
        app.updater.leader = services.workers.leader


# The content waits this long at most for polling to start (it always does, at once).
POLLING_WAIT = 5.0


async def _load_content(
    app: LobotApp, services: Services, processor: ChatOrderedProcessor, bot: InboxBot
) -> None:
    from bot.conversation.learned import model as learned
    from bot.threads import in_daemon_thread

    # Loading starts once the first getUpdates is on its way: before, its threads (the
    # holidays package, the FAQ's stemming) took the GIL from the start-up's last steps.
    try:
        await asyncio.wait_for(bot.polling.wait(), POLLING_WAIT)
    except TimeoutError:
        pass
    try:
        await bot.upgrade_transport()
        await in_daemon_thread(services.calendar.warm)
        await _load_faq(services)
        # The learned reader's weights (a fifth of a second): read before the first
        # group message needs them, not on it.
        await in_daemon_thread(learned.warm)
        await _load_deadlines(services)
    except Exception:
        # Unexpected (a broken file only logs): stop rather than answer without content.
        log.exception("content could not be loaded; stopping")
        processor.refused = True
        processor.ready.set()  # the updates waiting for it give up (they stay in the inbox)
        app.stop_running()
        return
    processor.ready.set()
    await _publish_commands(app, app.bot_data.commands)


async def _start_web_server(app: LobotApp, services: Services, metrics: Metrics | None) -> Any:
    """The web application (handlers/web): /healthz and /metrics when LOBOT_METRICS_PORT is
    set, the dashboard when LOBOT_WEB_PORT is (README "Operations", "Dashboard")."""
    from bot.ops import gauges
    from handlers.web import dashboard, ops
    from handlers.web.server import Listener, WebServer, new_app

    s = services.settings
    web_app = new_app()
    listeners = []
    holder: list[WebServer] = []
    if metrics is not None and s.metrics_port is not None:
        await gauges.scan(services)  # the first scrape already has the counts
        ops.add_routes(
            web_app,
            lambda: holder[0] if holder else None,
            services,
            metrics,
            lambda: app.running,
        )
        listeners.append(Listener("ops", s.metrics_host, s.metrics_port))
    if s.web_port is not None:
        dashboard.add_routes(web_app, services, app.bot)
        if s.webhook_url is not None:
            from handlers.web import webhook

            webhook.add_routes(web_app, services, app.update_queue, app.bot)
        listeners.append(Listener("web", s.web_host, s.web_port))
    server = WebServer(web_app, listeners)
    holder.append(server)
    await server.start()
    return server


async def _warn_unreachable(services: Services) -> None:
    from bot import unreachable

    staff = [
        u for view in services.each_office() for u in await unreachable.unreachable_staff(view)
    ]
    if staff:
        names = ", ".join(f"{u.full_name} ({u.user_id})" for u in staff)
        log.warning("staff the bot cannot write to (belum memulai bot atau memblokir): %s", names)


def _post_stop(processor: ChatOrderedProcessor) -> Any:
    async def post_stop(app: LobotApp) -> None:
        """Polling has stopped: let the updates in hand finish, then the send in flight."""
        from bot import outbox

        if app.bot_data.web_server is not None:
            await app.bot_data.web_server.stop()  # a stopping bot is not healthy
            app.bot_data.web_server = None
        processor.stop_retrying()  # an update waiting out a full disk stays pending
        loading = app.bot_data.loading
        if loading is not None and not loading.done():
            loading.cancel()  # stopped while starting: the content is not needed any more
            await asyncio.gather(loading, return_exceptions=True)
        handled = processor.ready.is_set()
        if not handled:  # updates waiting for the content give up (the inbox keeps them)
            processor.refused = True
            processor.ready.set()
        try:
            workers = app.bot_data.services.workers
        except RuntimeError:
            workers = None
        if workers is not None:  # take no more chats; their updates go to the others
            await workers.stop()
        if handled:  # else nothing was handled: the inbox keeps the updates
            await processor.idle()
        try:
            services = app.bot_data.services
        except RuntimeError:
            return
        await outbox.sender_of(services).stop()

    return post_stop


async def _load_faq(services: Services) -> None:
    """Load the reviewed content files; if they are broken, keep serving the last good set."""
    from bot import faq

    try:
        count = await faq.reload(services)
        log.info("FAQ: %d entries loaded", count)
    except faq.ContentError as exc:
        count = await faq.load_from_db(services)
        log.error("FAQ content refused (%s); serving the previous %d entries", exc, count)


async def _load_deadlines(services: Services) -> None:
    """Load the deadline file when one is configured; a broken file leaves the calendar as is."""
    from bot.deadlines import content, service

    for view in services.each_office():
        path = view.settings.deadlines_file
        if path is None:
            continue
        try:
            loaded = await service.load_file(view, path)
            log.info("deadlines of office %d: %d entries in %s", view.office_id, loaded.total, path)
        except content.DeadlineContentError as exc:
            log.error("deadline file refused (%s); the stored deadlines stay", exc)


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
    services.files.shutdown()
    await services.db.close()
