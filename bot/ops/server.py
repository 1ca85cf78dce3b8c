"""A small HTTP server on the bot's event loop: GET /healthz and GET /metrics.

Why not prometheus_client's ``start_http_server``: it serves from a thread of its own, so
it answers even when the event loop is stuck, and a health check from that thread could
not use the bot's database connections (aiosqlite's are tied to the loop). On the loop,
/healthz asks the real database and a stuck loop does not answer, which is what a
health check should notice. Rendering the metrics text is in-memory work (well under a
millisecond, docs/BENCHMARKS.md); no database read happens per scrape.

HTTP/1.1 with ``Connection: close``: one request per connection, a few KB at most, read
with a timeout and a size limit, as anything on a port may be probed by anything.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.ops import health
from bot.ops.metrics import Metrics
from bot.services import Services

log = logging.getLogger(__name__)

REQUEST_TIMEOUT = 5.0
LINE_LIMIT = 8192
MAX_HEADERS = 100
REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
TEXT = "text/plain; charset=utf-8"

Response = tuple[int, str, bytes]


class OpsServer:
    def __init__(
        self, svc: Services, metrics: Metrics, running: Callable[[], bool], host: str, port: int
    ) -> None:
        self.svc = svc
        self.metrics = metrics
        self.running = running
        self.host = host
        self.port = port  # the bound port once started (port 0 lets the system choose)
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=LINE_LIMIT
        )
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("health and metrics on http://%s:%d (/healthz, /metrics)", self.host, self.port)

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for task in list(self._clients):  # a slow client must not hold up the shutdown
            task.cancel()
        await asyncio.gather(*self._clients, return_exceptions=True)
        await self._server.wait_closed()
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._clients.add(task)
        try:
            method, (status, ctype, body) = await self._respond(reader)
            writer.write(_head(status, ctype, len(body)) + (b"" if method == "HEAD" else body))
            with suppress(ConnectionError):
                await writer.drain()
        finally:
            writer.close()
            with suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()
            self._clients.discard(task)

    async def _respond(self, reader: asyncio.StreamReader) -> tuple[str, Response]:
        try:
            method, path = await asyncio.wait_for(_read_request(reader), REQUEST_TIMEOUT)
        except (ValueError, TimeoutError, ConnectionError):  # garbage, too long, too slow
            return "GET", (400, TEXT, b"bad request\n")
        try:
            return method, await self._answer(method, path)
        except Exception:  # a bug here must not end the server, nor reach the client
            log.exception("ops server: %s %s failed", method, path[:100])
            return method, (500, TEXT, b"internal error\n")

    async def _answer(self, method: str, path: str) -> Response:
        if path not in ("/healthz", "/metrics"):
            return 404, TEXT, b"not found: try /healthz or /metrics\n"
        if method not in ("GET", "HEAD"):
            return 405, TEXT, b"only GET\n"
        if path == "/metrics":
            return 200, CONTENT_TYPE_LATEST, generate_latest(self.metrics.registry)
        result = await health.check(self.svc, self.metrics, self.running())
        body = json.dumps(result.body(), ensure_ascii=False).encode() + b"\n"
        return (200 if result.ok else 503), "application/json", body


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str]:
    """(method, path without the query) of one request; its headers are read and ignored."""
    parts = (await reader.readline()).decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ValueError("not an HTTP request line")
    for _ in range(MAX_HEADERS):
        if (await reader.readline()).strip() == b"":  # the blank line (or the end)
            return parts[0], parts[1].split("?", 1)[0]
    raise ValueError("too many header lines")


def _head(status: int, ctype: str, length: int) -> bytes:
    return (
        f"HTTP/1.1 {status} {REASONS[status]}\r\n"
        f"Content-Type: {ctype}\r\nContent-Length: {length}\r\n"
        "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
    ).encode("ascii")
