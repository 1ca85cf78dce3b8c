"""The services every handler and job needs, built once per Application."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.clock import Clock
from bot.ops.recorder import Recorder
from bot.report_pool import FilePool
from bot.worktime import WorkCalendar
from config.settings import Settings
from storage import calendar as calendar_repo
from storage import people
from storage.db import Database


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    calendar: WorkCalendar
    office_id: int = 1
    # The FAQ index currently in service (bot.faq.FaqIndex); None until content is loaded.
    faq: Any = None
    # Wired by the app factory (bot/app.py), never by importing a feature module:
    # the tick's scanners, as (name, scan) pairs, and what must follow a calendar change.
    scanners: list[tuple[str, Callable[[Services], Awaitable[int]]]] = field(default_factory=list)
    calendar_hooks: list[Callable[[Services], Awaitable[None]]] = field(default_factory=list)
    # The outbox sender (bot.outbox.Sender), built on first use: see bot.outbox.sender_of.
    sender: Any = None
    # Metrics and liveness for the health endpoint (bot/ops/metrics.py when
    # LOBOT_METRICS_PORT is set; this base records nothing).
    metrics: Recorder = field(default_factory=Recorder)
    # The worker process that builds report files; started on first use.
    files: FilePool = field(default_factory=FilePool)
    # Several workers on PostgreSQL (bot/workers.py): tells the other workers what this one
    # changed ("roles", "calendar", "faq") so their copies follow; None: one process.
    announce: Callable[[str], Awaitable[None]] | None = None
    # This process as one of several workers (handlers.workers.Workers), else None.
    workers: Any = None
    # Every group message asks for its author's roles and records the author. Roles change
    # only through bot/roles.py, which forgets the cached ones here and, with several
    # workers, in the others too (``changed``); so these in-process caches do not go stale.
    _roles: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)
    _seen: dict[int, tuple[str | None, str]] = field(default_factory=dict, repr=False)

    @property
    def tz(self):  # type: ignore[no-untyped-def]
        return self.calendar.tz

    async def roles_of(self, user_id: int) -> set[str]:
        cached = self._roles.get(user_id)
        if cached is None:
            roles = await people.roles_of(self.db.reader, self.office_id, user_id)
            if user_id in self.settings.admin_ids:
                roles.add("admin")
            if len(self._roles) > 50_000:
                self._roles.clear()
            cached = self._roles[user_id] = frozenset(roles)
        return set(cached)

    def roles_changed(self, user_id: int) -> None:
        self._roles.pop(user_id, None)

    def forget_roles(self) -> None:
        self._roles.clear()

    async def changed(self, what: str) -> None:
        """This worker changed ``what`` (committed): the other workers reload their copy."""
        if self.announce is not None:
            await self.announce(what)

    def already_seen(self, user_id: int, username: str | None, full_name: str) -> bool:
        return self._seen.get(user_id) == (username, full_name)

    def seen(self, user_id: int, username: str | None, full_name: str) -> None:
        if len(self._seen) > 50_000:
            self._seen.clear()
        self._seen[user_id] = (username, full_name)

    async def has_role(self, user_id: int, *wanted: str) -> bool:
        return bool((await self.roles_of(user_id)) & set(wanted))

    async def reload_calendar(self) -> None:
        hol, work = await calendar_repo.overrides(self.db.reader, self.office_id)
        self.calendar.set_overrides(hol, work)


def make_calendar(settings: Settings) -> WorkCalendar:
    return WorkCalendar(settings.tz, settings.work_start, settings.work_end)
