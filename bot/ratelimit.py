"""Telegram's sending limits as sliding windows, on the injected clock. No Telegram here.

Telegram allows a bot 30 messages in any second overall, 20 in any minute in one group,
and about one a second in a private chat, with short bursts tolerated (here: 3 in any
3 seconds). These are windows, not buckets: a bucket of 30 refilled at 30/s lets 60
through in its first second, and Telegram answers the 31st with 429.

The outbox sender asks ``wait(chat_id, n)`` before a row of ``n`` messages: 0 means go,
otherwise the seconds until that chat, or the bot as a whole, may send again. Going, it
``take``-s the slots and stamps them ``done`` when Telegram has answered. A slot counts
as in flight until then and from its answer on: the request reached Telegram somewhere
between our start and the answer, so the answer time is the one that can never be early,
whatever the network's delay. A chat (or the whole bot) that got a 429 anyway is
``block``-ed for the time Telegram named.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

IN_FLIGHT = math.inf  # a slot whose answer has not come yet
FORGET_AFTER = 20_000  # chats remembered before idle ones are dropped


@dataclass(frozen=True)
class Window:
    count: int
    seconds: float


@dataclass(frozen=True)
class Limits:
    bot: Window = Window(30, 1.0)
    group: Window = Window(20, 60.0)
    private: Window = Window(3, 3.0)
    enabled: bool = True

    @classmethod
    def of(
        cls,
        per_second: float,
        group_per_minute: float,
        private_per_second: float,
        enabled: bool = True,
    ) -> Limits:
        """From the settings' rates (LOBOT_SEND_*): the same burst shapes, other sizes."""
        burst = cls.private.count
        return cls(
            Window(max(1, int(per_second)), 1.0),
            Window(max(1, int(group_per_minute)), 60.0),
            Window(burst, burst / private_per_second),
            enabled,
        )


class Slot:
    """One message counted in the windows it belongs to."""

    __slots__ = ("at", "id")

    def __init__(self, at: float = IN_FLIGHT) -> None:
        self.at = at
        self.id: int | None = None  # its row, when the windows are shared (bot/outbox.py)

    def done(self, at: float) -> None:
        self.at = at


class _Window:
    """The slots of the last ``seconds``, at most ``count`` of them."""

    __slots__ = ("limit", "slots")

    def __init__(self, limit: Window) -> None:
        self.limit = limit
        self.slots: list[Slot] = []

    def wait(self, now: float, n: int) -> float:
        """Seconds until ``n`` more fit (0: now). A row larger than the window goes when
        the window is empty: it cannot ever fit, and must not wait for ever."""
        horizon = now - self.limit.seconds
        self.slots = [s for s in self.slots if s.at > horizon]
        room = self.limit.count - len(self.slots)
        if room >= min(n, self.limit.count):
            return 0.0
        # The oldest slots leave first; the one whose leaving makes room decides.
        need = min(n, self.limit.count) - room
        leaving = sorted(s.at for s in self.slots)[need - 1]
        if leaving == IN_FLIGHT:
            return 0.05  # an answer is still on its way; ask again shortly
        return leaving + self.limit.seconds - now

    def idle(self, now: float) -> bool:
        horizon = now - self.limit.seconds
        return all(s.at <= horizon for s in self.slots)


class RateLimiter:
    def __init__(self, limits: Limits, now: Callable[[], datetime]) -> None:
        self.limits = limits
        self._now = now
        self._bot = _Window(limits.bot)
        self._chats: dict[int, _Window] = {}
        self._blocked: dict[int | None, float] = {}  # chat (None: the bot) -> until

    def seconds(self) -> float:
        return self._now().timestamp()

    def load(self, slots: list[tuple[int, float, float | None]], blocks: dict[int, float]) -> None:
        """The windows as several workers filled them (storage/send_windows.py): (chat,
        taken at, answered at or None) per message, and the 429 waits (chat 0: the bot)."""
        for chat_id, _taken, done in slots:
            slot = Slot(IN_FLIGHT if done is None else done)
            self._bot.slots.append(slot)
            self._chat(chat_id).slots.append(slot)
        self._blocked = {(chat or None): until for chat, until in blocks.items()}

    def _chat(self, chat_id: int) -> _Window:
        window = self._chats.get(chat_id)
        if window is None:
            if len(self._chats) > FORGET_AFTER:
                now = self.seconds()
                self._chats = {k: w for k, w in self._chats.items() if not w.idle(now)}
            # Groups and channels have negative ids, users positive ones.
            window = _Window(self.limits.group if chat_id < 0 else self.limits.private)
            self._chats[chat_id] = window
        return window

    def wait(self, chat_id: int, n: int = 1) -> float:
        """Seconds until ``n`` messages may go to ``chat_id`` (0: now)."""
        now = self.seconds()
        blocked = max(self._blocked.get(chat_id, 0.0), self._blocked.get(None, 0.0)) - now
        if blocked > 0:
            return blocked
        if not self.limits.enabled:
            return 0.0
        return max(self._bot.wait(now, n), self._chat(chat_id).wait(now, n))

    def bot_wait(self, n: int = 1) -> float:
        """Seconds until the bot as a whole may send ``n`` messages (0: now)."""
        if not self.limits.enabled:
            return 0.0
        return self._bot.wait(self.seconds(), n)

    def take(self, chat_id: int, n: int = 1) -> list[Slot]:
        """Count ``n`` messages to ``chat_id`` as in flight (after ``wait`` said 0)."""
        slots = [Slot() for _ in range(n)]
        if self.limits.enabled:
            self._bot.slots.extend(slots)
            self._chat(chat_id).slots.extend(slots)
        return slots

    def done(self, slots: list[Slot]) -> None:
        """Telegram answered (whatever it said): the slots count from now."""
        now = self.seconds()
        for slot in slots:
            slot.done(now)

    def block(self, chat_id: int | None, seconds: float) -> None:
        """Telegram said 429: nothing to ``chat_id`` (None: to anyone) for ``seconds``."""
        until = self.seconds() + seconds
        self._blocked[chat_id] = max(self._blocked.get(chat_id, 0.0), until)

    def blocked_chats(self) -> list[int]:
        now = self.seconds()
        self._blocked = {chat: until for chat, until in self._blocked.items() if until > now}
        return [chat for chat in self._blocked if chat is not None]

    def bot_blocked(self) -> float:
        """Seconds the whole bot must still wait after a 429 for the bot (0: none)."""
        return max(0.0, self._blocked.get(None, 0.0) - self.seconds())
