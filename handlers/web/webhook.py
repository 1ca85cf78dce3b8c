"""Webhook mode: Telegram posts each update to the web server (LOBOT_WEBHOOK_URL).

The same delivery core as long polling: an update is stored in the inbox before it is
acknowledged (the 200), so a crash loses nothing (Telegram sends again what was not
acknowledged, and the inbox drops what it already holds); it is then handled by the same
processor, a chat's updates in order. The webhook is registered with one connection at a
time (``max_connections=1``): Telegram then sends the next update only after the previous
one was acknowledged, which keeps a chat's updates in the order Telegram has them.

Every request must carry the secret (LOBOT_WEBHOOK_SECRET) in Telegram's header,
compared in constant time; anything else is refused with 403 and never read further.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Updater

from bot import inbox
from bot.services import Services
from handlers.delivery import chat_key

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


def path_of(url: str) -> str:
    return urlsplit(url).path or "/"


def add_routes(app: web.Application, svc: Services, queue: Any, bot: Any) -> None:
    """POST on the path of LOBOT_WEBHOOK_URL; ``queue`` is the application's update queue."""
    settings = svc.settings
    assert settings.webhook_url is not None
    hook = Webhook(svc, queue, bot, settings.webhook_secret)
    app.router.add_post(path_of(settings.webhook_url), hook.receive)


class Webhook:
    def __init__(self, svc: Services, queue: Any, bot: Any, secret: str) -> None:
        self.svc = svc
        self.queue = queue
        self.bot = bot
        self.secret = secret.encode()

    async def receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning("webhook: a request without the right secret was refused")
            raise web.HTTPForbidden(text="forbidden\n")
        try:
            payload = json.loads(await request.read())
            update = Update.de_json(payload, self.bot)
        except (ValueError, TypeError, KeyError):
            raise web.HTTPBadRequest(text="not an update\n") from None
        if update is None:
            raise web.HTTPBadRequest(text="not an update\n")
        try:
            fresh = await inbox.accept(self.svc, [(update.update_id, chat_key(update), payload)])
        except Exception as exc:
            if not inbox.is_storage_failure(exc):
                raise
            # Not stored, so not acknowledged: Telegram sends it again later.
            log.error("webhook: cannot store update %d, Telegram will resend it", update.update_id)
            raise web.HTTPServiceUnavailable(text="try again\n") from None
        # Several workers: stored is enough, the worker claiming its chat handles it.
        if update.update_id in fresh and self.svc.db.coordination is None:
            await self.queue.put(update)
        return web.Response(text="ok\n")


class WebhookUpdater(Updater):
    """Stands in for PTB's Updater in webhook mode: where polling would start, the webhook
    is registered with Telegram (its URL, secret and one connection at a time); the updates
    arrive through the web server (Webhook above). Stopping leaves the webhook registered:
    Telegram keeps what arrives meanwhile and sends it after the restart. Long polling
    (the default) deletes it again at start."""

    def __init__(self, bot: Any, update_queue: Any, url: str, secret: str) -> None:
        super().__init__(bot, update_queue)
        self.webhook_url = url
        self.webhook_secret = secret

    async def start_polling(self, *args: Any, **kwargs: Any) -> Any:
        if self.running:
            raise RuntimeError("This Updater is already running!")
        await self.bot.set_webhook(
            self.webhook_url,
            secret_token=self.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
            max_connections=1,
        )
        self._running = True
        return self.update_queue

    async def stop(self) -> None:
        self._running = False
