"""The services every handler and job needs, built once per Application.

One deployment may serve several offices (config/offices.py). The Services built at
start-up are office 1's; ``for_office`` gives another office's view of the same services:
its id, its working calendar and the settings as that office sees them (name, type, zone,
hours, deadline file), sharing everything else (database, clock, sender, FAQ, caches). A
handler gets the view of the office of its chat or user (handlers/users.py), a scanner
runs once per office (bot/app.py ``per_office``), so the features keep asking
``svc.office_id``, ``svc.tz`` and ``svc.calendar`` as they did with one office.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.clock import Clock
from bot.ops.recorder import Recorder
from bot.report_pool import FilePool
from bot.worktime import WorkCalendar
from config.settings import Settings
from storage import calendar as calendar_repo
from storage import people
from storage.db import Database
from storage.models import Office


@dataclass
class _Shared:
    """What every office's view reads and replaces in one place."""

    # The FAQ index currently in service (bot.faq.FaqIndex); None until content is loaded.
    faq: Any = None
    # The outbox sender (bot.outbox.Sender), built on first use: see bot.outbox.sender_of.
    sender: Any = None
    # Each office's record, calendar and settings as it sees them (bot/offices.py).
    offices: dict[int, Office] = field(default_factory=dict)
    calendars: dict[int, WorkCalendar] = field(default_factory=dict)
    settings: dict[int, Settings] = field(default_factory=dict)


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    calendar: WorkCalendar
    office_id: int = 1
    # Wired by the app factory (bot/app.py), never by importing a feature module:
    # the tick's scanners, as (name, scan) pairs, and what must follow a calendar change.
    scanners: list[tuple[str, Callable[[Services], Awaitable[int]]]] = field(default_factory=list)
    calendar_hooks: list[Callable[[Services], Awaitable[None]]] = field(default_factory=list)
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
    # Roles are per office: keyed by (office id, user id).
    _roles: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict, repr=False)
    _seen: dict[int, tuple[str | None, str]] = field(default_factory=dict, repr=False)
    shared: _Shared = field(default_factory=_Shared, repr=False)

    @property
    def tz(self):  # type: ignore[no-untyped-def]
        return self.calendar.tz

    @property
    def faq(self) -> Any:
        return self.shared.faq

    @faq.setter
    def faq(self, value: Any) -> None:
        self.shared.faq = value

    @property
    def sender(self) -> Any:
        return self.shared.sender

    @sender.setter
    def sender(self, value: Any) -> None:
        self.shared.sender = value

    @property
    def offices(self) -> dict[int, Office]:
        """Every office the deployment serves, by id (office 1 alone unless configured)."""
        return self.shared.offices

    @property
    def office(self) -> Office:
        return self.shared.offices[self.office_id]

    def for_office(self, office_id: int) -> Services:
        """This office's view of the services (see the module docstring)."""
        if office_id == self.office_id or office_id not in self.shared.calendars:
            return self
        return replace(
            self,
            settings=self.shared.settings[office_id],
            calendar=self.shared.calendars[office_id],
            office_id=office_id,
        )

    def each_office(self) -> list[Services]:
        """One view per office, by office id."""
        return [self.for_office(o) for o in sorted(self.shared.calendars)] or [self]

    async def roles_of(self, user_id: int) -> set[str]:
        key = (self.office_id, user_id)
        cached = self._roles.get(key)
        if cached is None:
            roles = await people.roles_of(self.db.reader, self.office_id, user_id)
            if user_id in self.settings.admin_ids:
                roles.add("admin")
            if len(self._roles) > 50_000:
                self._roles.clear()
            cached = self._roles[key] = frozenset(roles)
        return set(cached)

    def roles_changed(self, user_id: int) -> None:
        for key in [k for k in self._roles if k[1] == user_id]:
            self._roles.pop(key, None)

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
