"""Typed access to the services from handlers (PTB's contexttypesbot pattern)."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services


class BotData:
    """``application.bot_data``: holds the Services once post_init has built them."""

    def __init__(self) -> None:
        self._services: Services | None = None
        # The command catalog (messages.help.Command), listed in the app factory; /bantuan
        # and the Telegram menus are rendered from it.
        self.commands: list[Any] = []
        # The web application (handlers/web) when LOBOT_METRICS_PORT or LOBOT_WEB_PORT is set.
        # (handlers.web.server.WebServer; typed loosely: bot/ does not import handlers/).
        self.web_server: Any = None
        # The start-up task loading the FAQ and deadlines (bot/app.py _load_content).
        self.loading: asyncio.Task[None] | None = None
        # `lobot run`'s exit code once polling ends: 1 when the bot stopped itself on a
        # failure (a worker that lost its coordination connection, handlers/workers.py).
        self.exit_code = 0

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are not ready (post_init has not run)")
        return self._services

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value


class LobotContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], BotData]):
    # PTB makes one context per update: the office's view of the services, set by the
    # first handler (handlers/users.py) from the update's chat and user (bot/offices.py).
    office_services: Services | None = None

    @property
    def services(self) -> Services:
        return self.office_services or self.bot_data.services


LobotApp = Application[ExtBot[int], LobotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
