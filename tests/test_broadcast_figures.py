"""The broadcast delivery report's counts against a count made here from what happened to
each group (issue 20).

An office of groups, each with a fate drawn by hypothesis: Telegram accepts the message,
accepts it after network trouble or flood control, refuses it for good (the bot was
kicked, the chat is gone, the bot may not write there), the group became inactive before
the admin pressed Kirim, or it became a supergroup (a new chat id) before or after that.
Two announcements go out through the real outbox sender with a fake Telegram. The
expected counts come from the fates alone; they are compared with the report the admin
receives, the last edit of the status message and the dashboard's broadcast view.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.common import WIB
from bot import broadcast, dashboard, groups, outbox, unreachable
from bot.broadcast import announce, core, progress_message
from bot.clock import FakeClock
from bot.services import Services, make_calendar
from config.settings import Settings
from storage import groups as groups_repo
from storage import people, sql
from storage.db import Database
from storage.outbox import OutboxRow
from tests.profiles import at_least

ADMIN, LO = 100, 200
STATUS_MESSAGE = 77
START = datetime(2026, 12, 7, 9, 0, tzinfo=WIB)

SENT_FATES = ("ok", "slow_network", "flood", "migrated_after_confirm", "migrated_before_confirm")
FAILED_FATES = ("kicked", "chat_gone", "no_rights")
SKIPPED_FATES = ("inactive_before_confirm",)
FATES = SENT_FATES + FAILED_FATES + SKIPPED_FATES


def expected(fates: list[str]) -> tuple[int, int, int]:
    """(sent, failed, skipped) as a person counts them from what happened to each group."""
    c = Counter(fates)
    return (
        sum(c[f] for f in SENT_FATES),
        sum(c[f] for f in FAILED_FATES),
        sum(c[f] for f in SKIPPED_FATES),
    )


def chat(i: int) -> int:
    return -2000 - i


def new_chat(i: int) -> int:
    return -100_000_2000 - i  # the supergroup's id after the migration


class FakeTelegram:
    """Answers each send by the group's fate, as the Bot API would (via bot.outbox's
    error classes, which handlers/sender.py maps Telegram's errors to)."""

    def __init__(self, fates: list[str]) -> None:
        self.fate = {chat(i): f for i, f in enumerate(fates)}
        self.fate.update({new_chat(i): "ok" for i in range(len(fates))})
        self.calls: dict[int, int] = defaultdict(int)
        self.delivered: Counter[int] = Counter()  # group -> broadcast copies received
        self.next_id = 1000

    async def send(self, row: OutboxRow) -> int:
        self.next_id += 1
        if row.chat_id > 0:  # the admin's status edits and report, the LO's notices
            return self.next_id
        fate = self.fate[row.chat_id]
        n = self.calls[row.chat_id]
        self.calls[row.chat_id] += 1
        if fate in ("kicked", "inactive_before_confirm"):
            raise outbox.ChatGone("Forbidden: bot was kicked from the group chat")
        if fate == "chat_gone":
            raise outbox.ChatGone("Bad Request: chat not found")
        if fate == "no_rights":
            raise outbox.Rejected("Bad Request: not enough rights to send text messages")
        if fate == "slow_network" and n < 2:
            raise outbox.Transient("Timed out")
        if fate == "flood" and n < 1:
            raise outbox.RetryLater(7)
        if row.key.startswith("bc:") and ":progress" not in row.key:
            self.delivered[row.chat_id] += 1
        return self.next_id


async def office(folder: Path, n: int) -> Services:
    settings = Settings(token="1:x", database=folder / "b.sqlite3", office_name="KPPN Kotabumi")
    db = Database(settings.database)
    await db.open()
    svc = Services(settings, db, FakeClock(START), make_calendar(settings))
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        for uid, name, role in ((ADMIN, "Admin", "admin"), (LO, "Sari", "lo")):
            await people.upsert_user(tx, uid, None, name, now)
            await people.grant(tx, 1, uid, role, 1, now)
        for i in range(n):
            await groups_repo.upsert_joined(tx, chat(i), f"LO Grup {i:02d}", now)
            await groups_repo.register(tx, chat(i), LO, f"K/L {i % 3}", now)
    # As bot/app.py wires it: a chat that refuses us for good is marked inactive.
    outbox.sender_of(svc).gone_hooks = [unreachable.chat_refused]
    return svc


async def happen_before_confirm(svc: Services, fates: list[str]) -> None:
    for i, fate in enumerate(fates):
        if fate == "inactive_before_confirm":
            async with svc.db.transaction() as tx:
                await groups_repo.mark_inactive(tx, chat(i), svc.clock.now())
        elif fate == "migrated_before_confirm":
            assert await groups.migrated(svc, chat(i), new_chat(i))


async def happen_after_confirm(svc: Services, fates: list[str]) -> None:
    for i, fate in enumerate(fates):
        if fate == "migrated_after_confirm":
            assert await groups.migrated(svc, chat(i), new_chat(i))


async def run_until_reported(svc: Services, telegram: FakeTelegram, ids: list[int]) -> None:
    for _ in range(120):
        await outbox.drain(svc, telegram.send)
        await broadcast.scan(svc)
        await progress_message.scan(svc)
        await outbox.drain(svc, telegram.send)
        states = [(await broadcast.progress(svc, i)) for i in ids]
        pending = await sql.one(
            svc.db.reader, "SELECT count(*) FROM outbox WHERE status = 'pending'"
        )
        if all(s is not None and s[0].status == "done" for s in states) and pending[0] == 0:
            # One more scan: the status message's last edit shows the finished counts.
            svc.clock.advance(seconds=5)
            await progress_message.scan(svc)
            await outbox.drain(svc, telegram.send)
            return
        svc.clock.advance(seconds=31)
    raise AssertionError("the broadcasts never finished")


def counts_in(text: str, pattern: str) -> tuple[int, ...]:
    m = re.search(pattern, text)
    assert m is not None, text
    return tuple(int(g.replace(".", "")) for g in m.groups())


async def last_text(svc: Services, key_like: str) -> str:
    row = await sql.one(
        svc.db.reader,
        "SELECT text FROM outbox WHERE key LIKE ? ORDER BY id DESC LIMIT 1",
        [key_like],
    )
    assert row is not None, key_like
    return str(row["text"])


async def check(fates: list[str], folder: Path) -> None:
    svc = await office(folder, len(fates))
    try:
        telegram = FakeTelegram(fates)
        ids = []
        for text in ("Rapat koordinasi Kamis pukul 09.00", "Layanan tutup pukul 12.00 Jumat"):
            made = await announce.draft(svc, ADMIN, f"semua\n{text}")
            assert isinstance(made, announce.Draft)
            ids.append(made.broadcast.id)
        await happen_before_confirm(svc, fates)
        for b in ids:
            confirmed = await core.confirm(svc, b, ADMIN, ADMIN, STATUS_MESSAGE + b)
            assert isinstance(confirmed, core.Confirmed)
        await happen_after_confirm(svc, fates)
        await run_until_reported(svc, telegram, ids)

        sent, failed, skipped = expected(fates)
        for b in ids:
            report = await last_text(svc, f"bc:{b}:report")
            assert counts_in(report, r"Terkirim: ([\d.]+) grup") == (sent,)
            assert counts_in(report, r"Gagal: ([\d.]+) grup") == (failed,)
            assert counts_in(report, r"Dilewati: ([\d.]+) grup") == (skipped,)
            # Each group that did not get it is named, with the reason.
            for i, fate in enumerate(fates):
                named = f"LO Grup {i:02d}:" in report
                assert named == (fate in FAILED_FATES + SKIPPED_FATES), (fate, report)
            shown = await last_text(svc, f"bc:{b}:progress:%")
            assert "Pengiriman selesai" in shown
            assert counts_in(
                shown,
                r"([\d.]+)/([\d.]+) grup — terkirim ([\d.]+), gagal ([\d.]+), dilewati ([\d.]+)",
            ) == (sent + failed, sent + failed, sent, failed, skipped)
        # The dashboard's view of the same broadcasts.
        found = await dashboard.broadcast_reports(svc, ADMIN, dashboard.Filters("2026-12"))
        assert found is not None
        _, reports = found
        assert len(reports) == 2
        for r in reports:
            c = r.counts
            assert (c.sent, c.failed, c.skipped, c.pending) == (sent, failed, skipped, 0)
            assert sorted(t for t, _ in r.failed) == sorted(
                f"LO Grup {i:02d}" for i, f in enumerate(fates) if f in FAILED_FATES
            )
        # And what Telegram itself received: each group that counts as sent got each
        # broadcast exactly once.
        received = sum(telegram.delivered.values())
        assert received == 2 * sent
        assert all(n == 2 for n in telegram.delivered.values())
    finally:
        await svc.db.close()


@settings(max_examples=at_least(20), deadline=None)
@given(st.lists(st.sampled_from(FATES), min_size=1, max_size=12))
def test_delivery_report_matches_a_count_from_each_groups_fate(fates: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(check(fates, Path(folder)))


def test_every_fate_at_once(tmp_path: Path) -> None:
    """A realistic morning: 40 groups, most fine, a few of every other kind."""
    fates = ["ok"] * 25 + [f for f in FATES if f != "ok" for _ in range(2)][:15]
    asyncio.run(check(fates, tmp_path))
