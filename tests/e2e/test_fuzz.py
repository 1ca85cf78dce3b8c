"""Hypothesis over the real handlers: hostile text, commands, arguments and button presses.

One office (two registered groups, every role) is built once per module; each example
sends a few random updates, waits until everything they caused was sent, and checks:

- every call the bot made was accepted by the fake Bot API (which refuses what Telegram
  refuses: invalid HTML, over-long text, bad button data), apart from Telegram's own
  answers about people (403: never started the bot) and harmless no-op edits;
- every button press was answered;
- nothing was logged at ERROR (handled conditions are warnings; an ERROR is a bug);
- no text asked in one group appears in a message to the other group;
- the database passes PRAGMA integrity_check and storage.consistency.check.

Examples share the office and its growing history (building it anew would cost a second
each); a failure prints its example and the log lines. Profiles: tests/profiles.py
(``LOBOT_HYPOTHESIS_PROFILE=long`` for a long local run).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.clock import FakeClock
from bot.outbox import drain
from handlers.tick import make_sender
from storage import consistency
from tests.e2e.harness import ADMIN, SENTINEL, TOKEN, Harness, make_settings
from tests.e2e.world import (
    CSO,
    GROUP,
    KEPALA,
    LO,
    LO2,
    OPERATOR,
    OTHER_GROUP,
    STRANGER,
    SUPERVISOR,
    staffed_office,
)
from tests.fakeapi.server import TEXT_LIMIT, FakeBotAPI
from tests.profiles import at_least

WIB = ZoneInfo("Asia/Jakarta")
USERS = [ADMIN, LO, LO2, OPERATOR, STRANGER, CSO, SUPERVISOR, KEPALA]
GROUPS = [GROUP, OTHER_GROUP]
MARK = "zq"  # group texts carry "zq<chat><n>" so a leak to the other group can be found

HOSTILE = [
    "<b>tebal</b>",
    "</code><script>alert(1)</script>",
    "a & b < c > d \" ' ` ",
    "&amp; &lt; &#x1F600; &bogus;",
    "<a href='javascript:alert(1)'>x</a>",
    "' OR 1=1 --",
    '"; DROP TABLE tickets; --',
    'NEAR("x" OR "y") * AND -',
    "tk:1:ok fv:1:y fa:x:0:0",
    "١٢٣٤٥٦ ۱۲۳۴۵۶ ²³",
    "\u202eRTL override\u202c",
    "zero\u200bwidth\u200djoiner",
    "🙏" * 50,
    "x" * (TEXT_LIMIT + 10),
    "kenapa SPM saya ditolak? " * 200,
    "#2026-0001",
    "2026-0001 jawaban",
    "@sari_lo @dewi_lo @nobody_here",
    "0001-01-01 9999-12-31 2026-02-30 2026-13-01",
    "-1 0 99999999999999999999999 9223372036854775808",
    "min, syarat pengajuan TUP apa aja ya?",
    "izin bertanya, SAKTI tidak bisa login",
    "\n\n\t  ",
]
ARGS = [
    "",
    "123456",
    "654321 Satker Lain",
    "2026-0001",
    "2026-0001 sudah kami proses",
    "1 terima kasih",
    "@sari_lo",
    "@dewi_lo 2026-12-31",
    "lo @sari_lo",
    "admin 400",
    "tambah 2026-12-31 Cuti",
    "hapus 2026-12-31",
    "telepon 123456 bagaimana cara revisi DIPA?",
    "bulan ini",
    "2026-11-01..2026-11-15",
    "0001-01-01",
]

texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40),
)
numbers = st.one_of(st.integers(0, 30), st.sampled_from([2**63 - 1, 2**63, 10**25]))
aspects = st.integers(0, 9)
entry_ids = st.sampled_from(["tambahan-up", "revisi-dipa", "sakti-akses", "x", "nope-nope"])
forged = st.one_of(
    st.builds("tk:{}:{}".format, numbers, st.sampled_from(["ok", "more", "r1", "r5", "r9"])),
    st.builds("fv:{}:{}".format, numbers, st.sampled_from(["y", "n", "x"])),
    st.builds("fc:{}".format, numbers),
    st.builds("fa:{}:{}:{}".format, entry_ids, aspects, numbers),
    st.builds("fq:{}:{}".format, numbers, entry_ids),
    st.text(min_size=1, max_size=64),
)


@dataclass
class Say:
    chat: int
    user: int
    text: str
    reply_to_index: int | None = None  # a message the bot sent in that chat, by position


@dataclass
class Press:
    chat: int
    user: int
    data: str | None  # None: press a real button the bot sent (picked by ``index``)
    index: int = 0


def chats_for(user: int) -> st.SearchStrategy[int]:
    return st.sampled_from([*GROUPS, user])


def commands(names: list[str]) -> st.SearchStrategy[str]:
    words = st.sampled_from([*names, "start", "tidakada", "jawab@lobot_test_bot"])
    return st.builds(
        lambda w, a: f"/{w} {a}".rstrip(), words, st.one_of(st.sampled_from(ARGS), texts)
    )


def actions(names: list[str]) -> st.SearchStrategy[Any]:
    user = st.sampled_from(USERS)
    say = user.flatmap(
        lambda u: st.builds(
            Say,
            chats_for(u),
            st.just(u),
            st.one_of(texts, commands(names)),
            st.one_of(st.none(), st.integers(0, 50)),
        )
    )
    press = user.flatmap(
        lambda u: st.builds(
            Press, chats_for(u), st.just(u), st.one_of(st.none(), forged), st.integers(0, 500)
        )
    )
    return st.one_of(say, say, press)


class ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Office:
    loop: asyncio.AbstractEventLoop
    h: Harness
    commands: list[str]
    errors: ErrorRecords
    serial: Iterator[int] = field(default_factory=lambda: itertools.count(1))


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    loop = asyncio.new_event_loop()
    folder: Path = tmp_path_factory.mktemp("fuzz")
    clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=WIB))
    api = FakeBotAPI(TOKEN, now=clock.now)
    loop.run_until_complete(api.start())
    h = Harness(api, clock, make_settings(api, folder / "fuzz.sqlite3"))
    loop.run_until_complete(h.start())
    loop.run_until_complete(_second_group(h))
    assert h.app is not None
    names = sorted({c.name for c in h.app.bot_data.commands})
    errors = ErrorRecords()
    logging.getLogger().addHandler(errors)
    try:
        yield Office(loop, h, names, errors)
    finally:
        logging.getLogger().removeHandler(errors)
        loop.run_until_complete(h.stop())
        loop.run_until_complete(api.stop())
        loop.close()


async def _second_group(h: Harness) -> None:
    await staffed_office(h)
    h.api.add_bot(OTHER_GROUP, ADMIN)
    await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran")
    await h.say(OTHER_GROUP, LO2, "/daftargrup Kementerian Kesehatan")
    await h.say(OTHER_GROUP, LO2, "/satker 654321 RSUD Kotabumi")
    await h.settle()


async def _run(office: Office, steps: list[Any]) -> list[str]:
    """Send the steps; return the callback query ids that must be answered."""
    h = office.h
    presses: list[str] = []
    for step in steps:
        if isinstance(step, Say):
            text = step.text
            if step.chat in GROUPS and not text.startswith("/"):
                text = f"{text} {MARK}{abs(step.chat)}n{next(office.serial)}"
            reply_to = _pick(h, step.chat, step.reply_to_index)
            h.api.say(step.chat, step.user, text, reply_to=reply_to)
        else:
            target = _button(h, step)
            if target is None:
                continue
            message_id, data = target
            update = h.api.press(step.chat, step.user, message_id, data)
            presses.append(update["callback_query"]["id"])
        await _settle(h)
    return presses


async def _settle(h: Harness) -> None:
    """Harness.settle, but sending the outbox itself instead of waiting for the sender."""
    assert h.app is not None
    send = make_sender(h.app.bot)
    mark = len(h.api.sent)
    h.api.say(SENTINEL, SENTINEL, "/bantuan")

    async def answered() -> None:
        while not any(s.chat_id == SENTINEL for s in h.api.sent[mark:]):
            await drain(h.services, send)
            await asyncio.sleep(0.005)  # let the updater and handlers run

    await asyncio.wait_for(answered(), 20)
    await h.app.update_processor.idle()  # type: ignore[attr-defined]
    await drain(h.services, send)


def _pick(h: Harness, chat: int, index: int | None) -> int | None:
    if index is None:
        return None
    ids = [mid for (cid, mid) in h.api.messages if cid == chat]
    return ids[index % len(ids)] if ids else None


def _button(h: Harness, step: Press) -> tuple[int, str] | None:
    """A real button of a message in that chat, or forged data on any message there."""
    found = [
        (key[1], b["callback_data"])
        for key, message in h.api.messages.items()
        if key[0] == step.chat
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
        if "callback_data" in b
    ]
    if step.data is None:
        return found[step.index % len(found)] if found else None
    ids = [mid for (cid, mid) in h.api.messages if cid == step.chat]
    return (ids[step.index % len(ids)], step.data) if ids else None


HARMLESS = ("message is not modified", "query is too old")


def _check(office: Office, presses: list[str], mark_sent: int, mark_refusals: int) -> None:
    h = office.h
    refused = [
        r
        for r in h.api.refusals[mark_refusals:]
        if r[1] != 403 and not any(words in r[2] for words in HARMLESS)
    ]
    assert refused == [], refused
    unanswered = [q for q in presses if q not in h.api.answered]
    assert unanswered == [], unanswered
    errors = [f"{r.name}: {r.getMessage()}" for r in office.errors.records]
    assert errors == [], errors
    for sent in h.api.sent[mark_sent:]:
        if sent.chat_id in GROUPS:
            other = GROUP if sent.chat_id == OTHER_GROUP else OTHER_GROUP
            assert f"{MARK}{abs(other)}n" not in sent.plain, (sent.chat_id, sent.plain[:300])
    problems = office.loop.run_until_complete(consistency.check(h.services.db.reader))
    assert problems == [], problems


FUZZ = settings(
    max_examples=at_least(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_random_updates_keep_every_invariant(office: Office, data: st.DataObject) -> None:
    steps = data.draw(st.lists(actions(office.commands), min_size=1, max_size=5), label="steps")
    h = office.h
    office.errors.records.clear()
    mark_sent, mark_refusals = len(h.api.sent), len(h.api.refusals)
    presses = office.loop.run_until_complete(_run(office, steps))
    _check(office, presses, mark_sent, mark_refusals)
