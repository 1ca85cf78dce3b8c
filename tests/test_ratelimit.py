"""The sender's limiter against Telegram's windows, as the fake Bot API counts them.

The fake's windows (tests/fakeapi/limits.py) are written apart from bot/ratelimit.py, so
these properties compare two implementations: whatever the limiter lets go, the fake
accepts, and the limiter does not hold a message back longer than the windows require.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.ratelimit import Limits, RateLimiter, Window
from tests.fakeapi.limits import TelegramLimits

START = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
CHATS = [-1001, -1002, -1003, 11, 12]  # three groups, two private chats

# A burst of sends: (milliseconds after the previous one, chat, messages in the row).
bursts = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1500),
        st.sampled_from(CHATS),
        st.integers(min_value=1, max_value=2),
    ),
    min_size=1,
    max_size=300,
)


def _limiter(clock: FakeClock) -> RateLimiter:
    return RateLimiter(Limits(), clock.now)


@given(bursts)
def test_what_the_limiter_lets_go_telegram_accepts(sends: list[tuple[int, int, int]]) -> None:
    clock = FakeClock(START)
    limiter = _limiter(clock)
    telegram = TelegramLimits()
    for gap, chat, n in sends:
        clock.advance(milliseconds=gap)
        if limiter.wait(chat, n) > 0:
            continue
        slots = limiter.take(chat, n)
        now = clock.now().timestamp()
        for _ in range(n):
            assert telegram.check(chat, chat > 0, now) is None, (chat, now)
            telegram.record(chat, now)
        limiter.done(slots)
    assert telegram.max_in_window() <= 30


@given(bursts)
def test_the_wait_is_exact(sends: list[tuple[int, int, int]]) -> None:
    """A chat told to wait w seconds may send at w and not a millisecond before: the
    sender sleeps exactly that long, and throughput stays at the bound."""
    clock = FakeClock(START)
    limiter = _limiter(clock)
    for gap, chat, n in sends:
        clock.advance(milliseconds=gap)
        wait = limiter.wait(chat, n)
        if wait > 0:
            at = clock.now()
            if wait > 0.002:
                clock.set(at + timedelta(seconds=wait - 0.001))
                assert limiter.wait(chat, n) > 0
            clock.set(at + timedelta(seconds=wait))
            assert limiter.wait(chat, n) == 0
        limiter.done(limiter.take(chat, n))


def test_thirty_a_second_not_sixty() -> None:
    """A bucket of 30 refilled at 30/s let 60 go in its first second; the window, 30."""
    clock = FakeClock(START)
    limiter = _limiter(clock)
    went = 0
    for i in range(100):
        clock.set(START + timedelta(milliseconds=10 * i))  # 100 sends over one second
        if limiter.wait(-5000 - i) == 0:
            limiter.done(limiter.take(-5000 - i))
            went += 1
    assert went == 30


def test_a_group_takes_twenty_in_any_minute() -> None:
    clock = FakeClock(START)
    limiter = _limiter(clock)
    for _ in range(20):
        assert limiter.wait(-1001) == 0
        limiter.done(limiter.take(-1001))
        clock.advance(seconds=1)
    assert limiter.wait(-1001) == 40  # sent at 0..19 s, now 20 s: the first leaves at 60 s
    assert limiter.wait(-1002) == 0  # another group is not held up


def test_a_message_in_flight_counts_until_answered() -> None:
    clock = FakeClock(START)
    limiter = RateLimiter(Limits(private=Window(1, 1.0)), clock.now)
    slots = limiter.take(11)
    clock.advance(seconds=5)
    assert limiter.wait(11) > 0  # Telegram may not have counted it yet
    limiter.done(slots)
    assert limiter.wait(11) == 1.0  # counted from the answer


def test_a_row_larger_than_the_window_goes_when_it_is_empty() -> None:
    clock = FakeClock(START)
    limiter = _limiter(clock)
    assert limiter.wait(11, 5) == 0
    limiter.done(limiter.take(11, 5))
    clock.advance(seconds=2)
    assert limiter.wait(11) == 1.0


def test_a_429_blocks_the_chat_or_the_bot() -> None:
    clock = FakeClock(START)
    limiter = _limiter(clock)
    limiter.block(-1001, 30)
    assert limiter.wait(-1001) == 30 and limiter.wait(-1002) == 0
    assert limiter.blocked_chats() == [-1001]
    limiter.block(None, 2)
    assert limiter.wait(-1002) == 2 and limiter.bot_blocked() == 2
    clock.advance(seconds=2)
    assert limiter.wait(-1002) == 0 and limiter.wait(-1001) == 28


def test_limits_off_only_a_429_holds_back() -> None:
    clock = FakeClock(START)
    limiter = RateLimiter(Limits(enabled=False), clock.now)
    for _ in range(100):
        assert limiter.wait(11) == 0
        limiter.done(limiter.take(11))
    limiter.block(11, 5)
    assert limiter.wait(11) == 5


def test_settings_rates_keep_the_window_shapes() -> None:
    limits = Limits.of(20, 10, 0.5)
    assert (limits.bot, limits.group, limits.private) == (
        Window(20, 1.0),
        Window(10, 60.0),
        Window(3, 6.0),
    )
