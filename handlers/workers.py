"""Several workers on one PostgreSQL, the Telegram side (the design: bot/workers.py).

``SharedUpdater`` stands in for PTB's Updater: only the leader long-polls, and what it
gets goes to the inbox, not to this process's queue; every worker's ``Claimer`` takes
the updates from there, chat by chat. In webhook mode the WebhookUpdater stays, and the
web route stores without queueing (handlers/web/webhook.py).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Updater

from bot import workers
from bot.context import LobotApp
from bot.services import Services
from handlers.delivery import ChatOrderedProcessor, InboxBot

log = logging.getLogger(__name__)

CONFLICT_PAUSE = 5.0  # another client polls this token (outside this deployment)
NETWORK_PAUSE_MAX = 30.0


@dataclass
class Workers:
    """What makes this process one of several workers (Services.workers)."""

    coordination: Any
    claimer: workers.Claimer
    leader: workers.Leader

    async def stop(self) -> None:
        await self.leader.stop()
        await self.claimer.stop()


async def start(
    app: LobotApp, svc: Services, processor: ChatOrderedProcessor, bot: InboxBot, on_lead: Any
) -> Workers:
    """Join the workers of the shared database: claim chats, try to lead, follow changes."""
    coordination = await svc.db.start_worker()

    async def handle(payload: dict[str, Any]) -> bool:
        try:
            update = Update.de_json(payload, bot)
        except Exception:  # a row we cannot read must not block its chat for ever
            log.exception("inbox: cannot rebuild update %s", payload.get("update_id"))
            if processor.done is not None:
                processor.done.add(int(payload.get("update_id", 0)))
            return True
        return await processor.handle_now(update, app.process_update(update))

    async def marked() -> None:
        if processor.done is not None:
            await processor.done.wait()

    claimer = workers.Claimer(svc, coordination, handle, marked, svc.settings.concurrent_updates)

    def lost() -> None:
        app.bot_data.exit_code = 1  # for the service manager: restart this worker
        app.stop_running()

    claimer.lost = lost
    leader = workers.Leader(coordination, on_lead)

    def changed(what: str) -> None:
        asyncio.get_running_loop().create_task(workers.follow_change(svc, what))

    coordination.listen(claimer.wake, changed)
    svc.announce = coordination.announce
    claimer.start()
    leader.start()
    return Workers(coordination, claimer, leader)


class SharedUpdater(Updater):
    """Long polling by the leader only (Telegram serves one getUpdates client per token),
    into the inbox; followers wait for the lead. Stopping ends the poll in flight: what it
    had not stored is not confirmed, so Telegram gives it to the next leader."""

    def __init__(self, bot: InboxBot, update_queue: Any, timeout: int) -> None:
        super().__init__(bot, update_queue)
        self.inbox_bot = bot
        self.timeout = timeout
        self.leader: workers.Leader | None = None  # set once the workers have started
        self._task: asyncio.Task[None] | None = None

    async def start_polling(self, *args: Any, **kwargs: Any) -> Any:
        if self.running:
            raise RuntimeError("This Updater is already running!")
        allowed = list(kwargs.get("allowed_updates") or [])
        self._running = True
        # Followers never poll: the start-up's content must not wait for a first poll.
        self.inbox_bot.polling.set()
        self._task = asyncio.create_task(self._poll(allowed), name="lobot-poller")
        return self.update_queue

    async def stop(self) -> None:
        self._running = False
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _poll(self, allowed: list[str]) -> None:
        offset: int | None = None
        started = False
        pause = 1.0
        while self._running:
            if self.leader is None or not self.leader.leading:
                # A new lead starts from what Telegram has not confirmed yet.
                offset, started = None, False
                with suppress(TimeoutError):
                    if self.leader is None:
                        await asyncio.sleep(workers.LEAD_EVERY)
                    else:
                        await asyncio.wait_for(self.leader.became.wait(), workers.LEAD_EVERY)
                continue
            try:
                if not started:
                    await self.bot.delete_webhook()  # polling and a webhook exclude each other
                    started = True
                offset = await self.inbox_bot.fetch(offset, self.timeout, allowed)
                pause = 1.0
            except Conflict as exc:
                log.error("getUpdates: %s (another client polls this token?)", exc)
                await asyncio.sleep(CONFLICT_PAUSE)
            except TelegramError as exc:  # the network, Telegram's servers
                log.warning("getUpdates failed: %s; again in %.0f s", exc, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, NETWORK_PAUSE_MAX)
