"""handlers/transport.py: PTB over aiohttp answers and fails as it did over httpx."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from handlers import transport
from handlers.transport import AiohttpRequest

Handler = Any


async def serve(handler: Handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}/botTOKEN/sendMessage"


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    r = AiohttpRequest(read_timeout=0.2, connect_timeout=1, pool_timeout=1)
    await r.initialize()
    yield r
    await r.shutdown()


def data(**params: Any) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


async def test_form_parameters_and_answer(request_: AiohttpRequest) -> None:
    seen: dict[str, str] = {}

    async def handler(req: web.Request) -> web.Response:
        seen.update(await req.post())  # type: ignore[arg-type]
        return web.json_response({"ok": True, "result": {"message_id": 7}})

    runner, url = await serve(handler)
    try:
        result = await request_.post(url, data(chat_id=-5, text="Halo <b>Bapak</b>"))
    finally:
        await runner.cleanup()
    assert result == {"message_id": 7}
    assert seen == {"chat_id": "-5", "text": "Halo <b>Bapak</b>"}


async def test_an_upload_is_multipart_with_its_name_and_bytes(request_: AiohttpRequest) -> None:
    got: dict[str, Any] = {}

    async def handler(req: web.Request) -> web.Response:
        form = await req.post()
        part = form["document"]
        got.update(
            chat=form["chat_id"], name=part.filename, body=part.file.read(), type=part.content_type
        )
        return web.json_response({"ok": True, "result": True})

    runner, url = await serve(handler)
    upload = InputFile(io.BytesIO(b"PK\x03\x04rekap"), filename="rekap.xlsx")
    try:
        await request_.post(url, data(chat_id=-5, document=upload))
    finally:
        await runner.cleanup()
    assert got == {
        "chat": "-5",
        "name": "rekap.xlsx",
        "body": b"PK\x03\x04rekap",
        "type": upload.mimetype,
    }


async def test_telegram_errors_become_ptbs_exceptions(request_: AiohttpRequest) -> None:
    answers = [
        (429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 3}}),
        (400, {"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}),
    ]

    async def handler(req: web.Request) -> web.Response:
        status, body = answers.pop(0)
        return web.Response(status=status, text=json.dumps(body))

    runner, url = await serve(handler)
    try:
        with pytest.raises(RetryAfter) as retry:
            await request_.post(url, data(chat_id=1))
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await request_.post(url, data(chat_id=1))
    finally:
        await runner.cleanup()
    wait = retry.value.retry_after
    assert (wait.total_seconds() if isinstance(wait, timedelta) else wait) == 3


async def test_a_silent_server_is_a_timeout(request_: AiohttpRequest) -> None:
    never = asyncio.Event()

    async def handler(req: web.Request) -> web.Response:
        await never.wait()
        return web.Response()

    runner, url = await serve(handler)
    try:
        with pytest.raises(TimedOut):
            await request_.post(url, data(chat_id=1))
    finally:
        never.set()
        await runner.cleanup()


async def test_no_server_is_a_network_error(request_: AiohttpRequest) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(NetworkError, match="aiohttp"):
        await request_.post(f"http://127.0.0.1:{port}/botTOKEN/getMe")


async def test_used_before_initialize_or_after_shutdown_is_refused() -> None:
    r = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await r.post("http://127.0.0.1:9/botTOKEN/getMe")
    await r.initialize()
    await r.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):
        await r.post("http://127.0.0.1:9/botTOKEN/getMe")


async def test_the_environments_proxy_is_used_with_its_credentials(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """httpx honoured HTTP(S)_PROXY; so does the aiohttp transport (looked up once)."""
    seen: list[tuple[str | None, str | None]] = []

    async def proxy(req: web.Request) -> web.Response:
        seen.append((req.headers.get("Host"), req.headers.get("Proxy-Authorization")))
        return web.json_response({"ok": True, "result": True})

    runner, url = await serve(proxy)
    port = url.split(":")[2].split("/")[0]
    for name in ("NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://kppn:rahasia@127.0.0.1:{port}")
    r = AiohttpRequest()
    await r.initialize()
    try:
        assert await r.post("http://api.telegram.invalid/botTOKEN/getMe") is True
        assert await r.post("http://api.telegram.invalid/botTOKEN/getMe") is True
    finally:
        await r.shutdown()
        await runner.cleanup()
    auth = "Basic " + base64.b64encode(b"kppn:rahasia").decode()
    assert seen == [("api.telegram.invalid", auth)] * 2


async def test_httpx_until_the_upgrade_then_aiohttp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-up: aiohttp not imported yet, so PTB's httpx serves (getMe, the first
    getUpdates) until the bot calls ``upgrade`` once polling runs."""
    agents: list[str] = []

    async def handler(req: web.Request) -> web.Response:
        agents.append(req.headers.get("User-Agent", ""))
        return web.json_response({"ok": True, "result": len(agents)})

    runner, url = await serve(handler)
    monkeypatch.setattr(transport, "_aiohttp_loaded", lambda: False)
    r = AiohttpRequest()
    await r.initialize()
    try:
        assert r._session is None and r._early is not None  # noqa: SLF001
        assert await r.post(url, data(chat_id=1)) == 1
        await r.upgrade()
        assert r._session is not None  # noqa: SLF001
        assert await r.post(url, data(chat_id=1)) == 2
    finally:
        await r.shutdown()
        await runner.cleanup()
    # Both say they are PTB; only the transport under them differs.
    assert [a.startswith("python-telegram-bot") for a in agents] == [True, True]
    assert r._session is None and r._early is None  # noqa: SLF001  (both closed)
