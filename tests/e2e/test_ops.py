"""/healthz and /metrics on a running bot, through the fake Bot API and the fake clock."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

import bot.tickets
from bench.common import WIB, services
from bot.clock import FakeClock
from bot.ops.metrics import Metrics
from bot.services import Services
from handlers.web import ops as ops_routes
from handlers.web.server import Listener, WebServer, new_app
from tests.e2e.harness import Harness, make_settings
from tests.e2e.test_tickets import ask
from tests.e2e.world import GROUP, LO, OPERATOR, STRANGER, answer_post, staffed_office
from tests.fakeapi.server import FakeBotAPI


async def http(port: int, request: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


async def get(port: int, path: str) -> tuple[int, bytes]:
    return await http(
        port, f"GET {path} HTTP/1.1\r\nHost: lobot\r\nConnection: close\r\n\r\n".encode()
    )


async def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    status, body = await get(port, "/metrics")
    assert status == 200
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body.decode())
        for s in family.samples
    }


async def healthz(port: int) -> tuple[int, dict[str, object]]:
    status, body = await get(port, "/healthz")
    return status, json.loads(body)


@pytest.fixture
async def ops(api: FakeBotAPI, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    h = Harness(api, clock, make_settings(api, tmp_path / "bot.sqlite3", metrics_port=0))
    await h.start()
    yield h
    await h.stop()


def port_of(h: Harness) -> int:
    assert h.app is not None and h.app.bot_data.web_server is not None
    return int(h.app.bot_data.web_server.ports["ops"])


async def test_health_and_metrics_after_a_question_is_answered(ops: Harness) -> None:
    h, port = ops, port_of(ops)
    status, body = await healthz(port)
    assert (status, body["status"], body["database"]) == (200, "ok", "ok")

    await staffed_office(h)
    before = await scrape(port)
    await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
    await ask(h, "pak, berkas yang kami titipkan ke petugas kemarin sudah sampai?", user=STRANGER)
    await h.act(LO, LO, "/jawab 2026-0001 sudah kami terima, Pak")
    await h.tick()  # the tick counts open and late tickets and the outbox
    after = await scrape(port)

    # Two questions (each followed by the harness's settling message), the answer and its
    # settling message: 6 updates; no handler error.
    handled = ("lobot_updates_handled_total", ())
    assert after[handled] - before[handled] == 6
    assert after[("lobot_handler_errors_total", (("kind", "bug"),))] == 0
    assert after[("lobot_handler_errors_total", (("kind", "telegram"),))] == 0
    assert after[("lobot_tickets_open", ())] == 1  # the answered one is no longer open
    assert after[("lobot_tickets_late", ())] == 0
    assert after[("lobot_outbox_pending", ())] == 0
    sent_rows = await h.services.db.fetchone("SELECT count(*) FROM outbox WHERE status = 'sent'")
    assert sent_rows is not None
    assert after[("lobot_send_seconds_count", (("outcome", "sent"),))] == sent_rows[0] > 0

    # Three days on, the open ticket is past its deadline (16 working hours).
    h.clock.advance(timedelta(days=3))
    await h.tick()
    late = await scrape(port)
    assert late[("lobot_tickets_late", ())] == 1
    assert late[("lobot_last_tick_timestamp_seconds", ())] == h.clock.now().timestamp()


async def test_errors_are_counted_by_kind(ops: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    h, port = ops, port_of(ops)
    bot_message = await answer_post(h)  # it offers "tk:1:ok"

    async def broken(*args: object) -> None:
        raise ZeroDivisionError("a bug")

    with monkeypatch.context() as patch:
        patch.setattr(bot.tickets, "asker_choice", broken)
        h.api.press(GROUP, OPERATOR, bot_message, "tk:1:ok")
        await h.settle()
    h.api.fail_next("answerCallbackQuery", 429, "Too Many Requests: retry after 7", 7)
    h.api.press(GROUP, OPERATOR, bot_message, "tk:1:ok")  # Telegram refuses the answer
    await h.settle()
    counted = await scrape(port)
    assert counted[("lobot_handler_errors_total", (("kind", "telegram"),))] == 1
    assert counted[("lobot_handler_errors_total", (("kind", "bug"),))] == 1


async def test_health_fails_when_the_tick_stops(ops: Harness) -> None:
    h, port = ops, port_of(ops)
    await h.tick()
    h.clock.advance(timedelta(minutes=10))  # ten minutes without a tick
    await h.settle()  # the sender has gone round since (it does every second)
    status, body = await healthz(port)
    assert status == 503 and body["status"] == "unavailable"
    assert body["problems"] == ["tick: last ran 600 s ago (limit 90 s)"]
    await h.tick()
    assert (await healthz(port))[0] == 200


async def test_the_server_stops_with_the_bot(
    api: FakeBotAPI, clock: FakeClock, tmp_path: Path
) -> None:
    h = Harness(api, clock, make_settings(api, tmp_path / "bot.sqlite3", metrics_port=0))
    await h.start()
    port = port_of(h)
    await h.stop()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)


SVC = web.AppKey("svc", Services)


def ops_server(svc: Services, web_port: bool = False) -> WebServer:
    """The ops routes on a port of their own (and a web listener on another, if asked)."""
    app = new_app()
    app[SVC] = svc
    holder: list[WebServer] = []
    ops_routes.add_routes(app, lambda: holder[0], svc, Metrics(svc.clock.now()), lambda: True)
    listeners = [Listener("ops", "127.0.0.1", 0)]
    if web_port:
        listeners.append(Listener("web", "127.0.0.1", 0))
    holder.append(WebServer(app, listeners))
    return holder[0]


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[WebServer]:
    from datetime import datetime

    svc = await services(tmp_path / "s.sqlite3", datetime(2026, 11, 23, 10, tzinfo=WIB))
    srv = ops_server(svc)
    await srv.start()
    yield srv
    await srv.stop()
    await svc.db.close()


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404),
        (
            b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            405,
        ),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),  # TLS hello
        (b"GET /" + b"a" * 10_000 + b" HTTP/1.1\r\n\r\n", 400),  # over the line limit
        (b"GET /metrics HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", 400),
        (b"GET /healthz?x=1 HTTP/1.0\r\n\r\n", 200),
    ],
)
async def test_what_the_port_answers_to_anything(
    server: WebServer, request_bytes: bytes, status: int
) -> None:
    assert (await http(server.port, request_bytes))[0] == status
    assert (await get(server.port, "/healthz"))[0] == 200  # and it still serves


async def test_health_names_a_database_that_does_not_answer(server: WebServer) -> None:
    await server.app[SVC].db.close()
    status, body = await healthz(server.port)
    assert status == 503
    assert body["problems"] == ["database: RuntimeError: database is not open"]


async def test_metrics_stay_off_the_web_port(tmp_path: Path) -> None:
    """The dashboard's port sits behind a public proxy: it never answers /metrics."""
    from datetime import datetime

    svc = await services(tmp_path / "s.sqlite3", datetime(2026, 11, 23, 10, tzinfo=WIB))
    srv = ops_server(svc, web_port=True)
    await srv.start()
    try:
        assert (await get(srv.ports["ops"], "/metrics"))[0] == 200
        assert (await get(srv.ports["web"], "/metrics"))[0] == 404
        assert (await get(srv.ports["web"], "/healthz"))[0] == 404
    finally:
        await srv.stop()
        await svc.db.close()


async def test_answers_carry_the_security_headers(server: WebServer) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: lobot\r\nConnection: close\r\n\r\n")
    head = (await asyncio.wait_for(reader.read(), 10)).partition(b"\r\n\r\n")[0].decode()
    writer.close()
    assert "frame-ancestors https://web.telegram.org" in head
    assert "X-Content-Type-Options: nosniff" in head


@pytest.mark.sqlite_only
async def test_health_fails_when_the_database_file_is_unlinked(ops: Harness) -> None:
    """Issue 18, item 9: the files removed under the running bot answered 200 while every
    write went into a deleted file."""
    port = port_of(ops)
    assert (await healthz(port))[0] == 200
    db = ops.settings.database
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    status, body = await healthz(port)
    assert status == 503
    assert body["problems"] == ["database: file removed while open (writes go to a deleted file)"]


@pytest.mark.sqlite_only
async def test_health_fails_when_the_database_file_is_replaced(ops: Harness) -> None:
    port = port_of(ops)
    db = ops.settings.database
    db.with_name("copy").write_bytes(db.read_bytes())
    db.with_name("copy").replace(db)  # e.g. a restore run while the bot was still up
    status, body = await healthz(port)
    assert status == 503
    assert body["problems"] == ["database: file replaced while open (writes go to the old file)"]


LOCK_HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
"""


@pytest.mark.sqlite_only
async def test_health_fails_while_another_process_holds_the_write_lock(ops: Harness) -> None:
    """Issue 18, item 9: another process holding the write lock for 20 s left /healthz at
    200 while the bot could not write."""
    port = port_of(ops)
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LOCK_HOLDER,
        str(ops.settings.database),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert await asyncio.wait_for(holder.stdout.readline(), 10) == b"locked\n"
        status, body = await healthz(port)
        assert status == 503
        [problem] = body["problems"]
        assert problem == "database: a write cannot start within 1 s (database is locked)"
        holder.stdin.write(b"done\n")
        await holder.stdin.drain()
        assert await asyncio.wait_for(holder.wait(), 10) == 0
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
    assert (await healthz(port))[0] == 200
