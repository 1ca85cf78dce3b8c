"""Telegram's sending limits as token buckets, on the injected clock. No Telegram here.

Telegram allows a bot about 30 messages a second overall, 20 a minute in one group and
about one a second in a private chat (short bursts are tolerated). The outbox sender asks
``reserve(chat_id)`` before each send: 0 means go (a token was taken), otherwise the
number of seconds until that chat, or the bot as a whole, may send again. A chat that got
a 429 is ``block``-ed for the time Telegram named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Limits:
    per_second: float = 30.0  # the whole bot
    group_per_minute: float = 20.0
    private_per_second: float = 1.0
    private_burst: float = 3.0
    enabled: bool = True


class _Bucket:
    __slots__ = ("capacity", "rate", "tokens", "at")

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity, self.rate, self.tokens, self.at = capacity, rate, capacity, now

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0: available now); refills first."""
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class RateLimiter:
    def __init__(self, limits: Limits, now: Callable[[], datetime]) -> None:
        self.limits = limits
        self._now = now
        self._global: _Bucket | None = None
        self._chats: dict[int, _Bucket] = {}
        self._blocked: dict[int, float] = {}  # chat -> until (seconds on our clock)

    def _seconds(self) -> float:
        return self._now().timestamp()

    def _chat_bucket(self, chat_id: int, now: float) -> _Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            lim = self.limits
            if chat_id < 0:  # groups and channels have negative ids
                bucket = _Bucket(lim.group_per_minute, lim.group_per_minute / 60, now)
            else:
                bucket = _Bucket(lim.private_burst, lim.private_per_second, now)
            if len(self._chats) > 20_000:  # forget idle chats; a full bucket is the default
                self._chats = {k: b for k, b in self._chats.items() if b.wait(now) > 0}
            self._chats[chat_id] = bucket
        return bucket

    def reserve(self, chat_id: int) -> float:
        now = self._seconds()
        blocked = self._blocked.get(chat_id, 0.0) - now
        if blocked > 0:
            return blocked
        self._blocked.pop(chat_id, None)
        if not self.limits.enabled:
            return 0.0
        if self._global is None:
            self._global = _Bucket(self.limits.per_second, self.limits.per_second, now)
        chat = self._chat_bucket(chat_id, now)
        wait = max(self._global.wait(now), chat.wait(now))
        if wait > 0:
            return wait
        self._global.tokens -= 1
        chat.tokens -= 1
        return 0.0

    def block(self, chat_id: int, seconds: float) -> None:
        self._blocked[chat_id] = self._seconds() + seconds

    def blocked_chats(self) -> list[int]:
        now = self._seconds()
        return [chat for chat, until in self._blocked.items() if until > now]
