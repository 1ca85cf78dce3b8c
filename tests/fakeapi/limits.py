"""Telegram's flood limits as the fake Bot API enforces them: sliding windows, 429s.

Written apart from bot/ratelimit.py on purpose (a plain list of arrival times per
window, no shared code), so that a mistake there cannot hide itself here. The windows
are Telegram's documented ones: 30 messages in any second for the bot, 20 in any minute
in one group, and about one a second in a private chat, short bursts tolerated (3 in any
3 seconds). A message beyond a window is refused the way Telegram refuses it: HTTP 429,
"Too Many Requests: retry after N", ``parameters.retry_after`` N whole seconds, N being
the time until the window has room again, rounded up.

Time is the fake's clock (the tests' FakeClock, or the wall clock in benchmarks): with a
FakeClock nothing expires until the test moves the clock, so tests never sleep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# The methods that put a message in a chat; edits, answers to buttons and getters do not.
COUNTED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendSticker",
        "sendAnimation",
        "sendLocation",
        "sendContact",
        "sendPoll",
    }
)


@dataclass
class TelegramLimits:
    bot: tuple[int, float] = (30, 1.0)
    group: tuple[int, float] = (20, 60.0)
    private: tuple[int, float] = (3, 3.0)
    # Arrival times of accepted messages: the bot's, and each chat's (all of them, for
    # max_in_window), and those still inside a window (pruned, for check).
    sent: list[float] = field(default_factory=list)
    per_chat: dict[int, list[float]] = field(default_factory=dict)
    _recent: list[float] = field(default_factory=list)
    _recent_chat: dict[int, list[float]] = field(default_factory=dict)
    refused: list[tuple[float, int, int]] = field(default_factory=list)  # (at, chat, wait)

    def check(self, chat_id: int, private: bool, now: float) -> int | None:
        """None when a message to ``chat_id`` may go now, else the retry_after to answer."""
        self._recent = [t for t in self._recent if t > now - self.bot[1]]
        window = self.private if private else self.group
        mine = [t for t in self._recent_chat.get(chat_id, []) if t > now - window[1]]
        self._recent_chat[chat_id] = mine
        wait = max(self._wait(self._recent, self.bot, now), self._wait(mine, window, now))
        if wait <= 0:
            return None
        retry_after = max(1, math.ceil(wait))
        self.refused.append((now, chat_id, retry_after))
        return retry_after

    def record(self, chat_id: int, now: float) -> None:
        self.sent.append(now)
        self.per_chat.setdefault(chat_id, []).append(now)
        self._recent.append(now)
        self._recent_chat.setdefault(chat_id, []).append(now)

    @staticmethod
    def _wait(times: list[float], window: tuple[int, float], now: float) -> float:
        count, seconds = window
        recent = [t for t in times if t > now - seconds]
        if len(recent) < count:
            return 0.0
        # The message that must leave the window first for one more to fit.
        return sorted(recent)[len(recent) - count] + seconds - now

    def max_in_window(self, chat_id: int | None = None) -> int:
        """The most messages found in any one window (the bot's, or one chat's)."""
        if chat_id is None:
            times, seconds = self.sent, self.bot[1]
        else:
            times = self.per_chat.get(chat_id, [])
            seconds = (self.group if chat_id < 0 else self.private)[1]
        ordered = sorted(times)
        best, start = 0, 0
        for end, t in enumerate(ordered):
            while ordered[start] <= t - seconds:
                start += 1
            best = max(best, end - start + 1)
        return best
