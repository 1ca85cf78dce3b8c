"""Several worker processes on one PostgreSQL with the fake Bot API: many groups, a crowd
of questions, a worker killed on the way (tests/e2e/test_workers.py, bench/workers.py).

The office is set up in process (the harness, its fake clock on Monday 23 November 2026,
10.00 WIB): an LO, ``groups`` registered groups, and in each an old question, so that
when the workers start (their clock three working days later, running in real time:
tests/e2e/worker.py) every one of those tickets is overdue and the tick leader's first
tick has reminders and alerts to send while the crowd's questions come in.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

from storage import coordination
from tests.e2e import harness as harness_module
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.process import finish, log_of, start_bot
from tests.e2e.world import LO, people
from tests.fakeapi.server import FakeBotAPI, Sent

FIRST_GROUP = -5000
LATER = timedelta(days=3)  # the workers' clock: Thursday 26 November, 10.00 WIB
_QUESTION = re.compile(r"grup (\d+) nomor (\d+) ")


def group_id(g: int) -> int:
    return FIRST_GROUP - g


def question(g: int, q: int) -> str:
    return f"Mohon info pak, berkas pengajuan grup {g:02d} nomor {q:04d} sudah diproses belum?"


async def office(h: Harness, groups: int) -> None:
    """The LO, ``groups`` registered groups, an overdue-to-be question in each."""
    people(h)
    await h.say(LO, LO, "/start")
    reply = await h.say(ADMIN, ADMIN, "/beriperan lo @sari_lo")
    assert "diberikan" in reply.plain
    for g in range(groups):
        chat = group_id(g)
        h.api.group(chat, f"LO Satker {g:02d}")
        h.api.add_bot(chat, ADMIN)
        await h.api.wait_sent(chat, "menunggu pendaftaran")
        reply = await h.say(chat, LO, f"/daftargrup Satker {g:02d}")
        assert "telah terdaftar" in reply.plain
        reply = await h.say(chat, LO, f"/satker {600000 + g} Satker Nomor {g:02d}")
        assert str(600000 + g) in reply.plain
    for g in range(groups):
        h.api.say(group_id(g), _asker(h.api, g, 9999), question(g, 9999))
    await h.settle()


def _asker(api: FakeBotAPI, g: int, q: int) -> int:
    """Each question from its own operator (a second open question of one asker the same
    day joins the first ticket, and this crowd counts one ticket a question)."""
    user_id = 1_000_000 + g * 10_000 + q
    if user_id not in api.users:
        api.user(user_id, f"Operator {g:02d}-{q:04d}")
    return user_id


def replies(api: FakeBotAPI) -> list[tuple[int, int, Sent]]:
    """(group, question) of each of the bot's replies to a crowd question, in send order
    (read on from where the last call stopped: the run polls this while the workers run)."""
    read: tuple[int, list[tuple[int, int, Sent]]] = getattr(api, "crowd_read", (0, []))
    done, found = read
    for s in api.sent[done:]:
        replied = (s.message.get("reply_to_message") or {}).get("text", "")
        m = _QUESTION.search(replied)
        if m and s.chat_id <= FIRST_GROUP:
            found.append((int(m.group(1)), int(m.group(2)), s))
    api.crowd_read = (len(api.sent), found)  # type: ignore[attr-defined]
    return found


@dataclass
class Crowd:
    """A run: ``workers`` processes, ``per_group`` questions in each of ``groups`` groups,
    the leader killed (-9) once ``kill_at`` of the questions were answered (None: never)."""

    api: FakeBotAPI
    db: Path
    workers: int
    groups: int
    per_group: int
    clock_start: datetime  # the workers' clock when they start
    kill_at: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    env_of: Callable[[int], dict[str, str]] = lambda i: {}  # worker i's own settings
    procs: list[asyncio.subprocess.Process] = field(default_factory=list)
    killed: str | None = None
    answered_in: float = 0.0  # seconds from the first question to the last one answered
    # Called just before the first question and once the last one is answered (a bench
    # takes its CPU readings there).
    on_first: Callable[[], object] = lambda: None
    on_answered: Callable[[], object] = lambda: None

    @property
    def url(self) -> str:
        url = harness_module.postgres()
        assert url is not None, "several workers need PostgreSQL (TEST_POSTGRES_URL)"
        return url

    async def start(self) -> None:
        self._env = {
            "TEST_CLOCK_START": self.clock_start.isoformat(),
            "TEST_CLOCK_AT": str(time.time()),
            "LOBOT_SEND_LIMITS": "off",
            **self.env,
        }
        for i in range(self.workers):
            self.procs.append(await self.spawn(i))
        await until(lambda: len(self.live()) == self.workers and self.leader() is not None, 60)
        # Ready: each has its content loaded (until then updates wait in the inbox).
        await until(lambda: all("FAQ:" in log_of(p) for p in self.procs), 60)

    async def spawn(self, i: int) -> asyncio.subprocess.Process:
        """Worker ``i`` (its application name in PostgreSQL: w<i>), on the run's clock."""
        env = {**self._env, **self.env_of(i)}
        return await start_bot(
            self.api, self.db, ("-m", "tests.e2e.worker"), PGAPPNAME=f"w{i}", **env
        )

    def _query(self, sql: str) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            return list(conn.execute(sql).fetchall())  # type: ignore[arg-type]

    def live(self) -> list[str]:
        """Application names of the workers alive (holding their worker lock)."""
        rows = self._query(
            f"""SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                WHERE l.locktype = 'advisory' AND l.classid = {coordination.WORKER}
                AND l.objsubid = 2 AND l.granted AND a.datname = current_database()"""
        )
        return sorted(str(r[0]) for r in rows)

    def leader(self) -> str | None:
        rows = self._query(
            f"""SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                WHERE l.locktype = 'advisory' AND l.classid = {coordination.LEADER}
                AND l.objsubid = 2 AND l.granted AND a.datname = current_database()"""
        )
        return str(rows[0][0]) if rows else None

    def due_pending(self) -> int:
        """Outbox rows waiting to be sent whose time has come (by the workers' clock)."""
        now = self.clock_start + timedelta(seconds=time.time() - self._t0)
        from storage.timefmt import ts

        rows = self._query(
            f"SELECT count(*) FROM outbox WHERE status = 'pending' AND not_before <= '{ts(now)}'"
        )
        return int(rows[0][0])  # type: ignore[call-overload]

    async def run(self) -> None:
        self._t0 = time.time()
        await self.start()
        total = self.groups * self.per_group
        self.on_first()
        started = time.perf_counter()
        for q in range(self.per_group):
            for g in range(self.groups):
                self.api.say(group_id(g), _asker(self.api, g, q), question(g, q))
        if self.kill_at is not None:
            await until(lambda: len(answered(self.api)) >= self.kill_at, 300)  # type: ignore[operator]
            await self.kill_leader()
        await until(lambda: len(answered(self.api)) >= total, 600)
        self.answered_in = time.perf_counter() - started
        self.on_answered()
        await until(lambda: self.due_pending() == 0, 120)

    async def kill_leader(self) -> None:
        name = self.leader()
        assert name is not None
        proc = self.procs[int(name[1:])]
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
        self.killed = name

    async def stop(self) -> list[tuple[int, str]]:
        """SIGTERM to every worker still running; (exit code, log) of each."""
        out = []
        for i, proc in enumerate(self.procs):
            if self.killed == f"w{i}":
                continue
            proc.send_signal(signal.SIGTERM)
        for i, proc in enumerate(self.procs):
            if self.killed != f"w{i}":
                out.append(await finish(proc, 60))
        return out


def answered(api: FakeBotAPI) -> set[tuple[int, int]]:
    return {(g, q) for g, q, _ in replies(api) if q != 9999}


def duplicates(api: FakeBotAPI) -> int:
    counts = Counter((g, q) for g, q, _ in replies(api))
    return sum(n - 1 for n in counts.values())


def out_of_order(api: FakeBotAPI) -> list[int]:
    """Groups whose replies came in another order than their questions."""
    seen: dict[int, list[int]] = {}
    for g, q, _ in replies(api):
        if q != 9999 and q not in seen.setdefault(g, []):
            seen[g].append(q)
    return [g for g, qs in seen.items() if qs != sorted(qs)]


async def until(predicate, timeout: float) -> None:  # type: ignore[no-untyped-def]
    async def wait() -> None:
        while not predicate():  # noqa: ASYNC110  (other processes write what we check)
            await asyncio.sleep(0.1)

    await asyncio.wait_for(wait(), timeout)
