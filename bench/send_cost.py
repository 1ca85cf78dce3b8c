"""CPU per Bot API send on the bot's side: the outbox's PTB path against leaner ones.

    .venv/bin/python -m bench.send_cost [--sends 1000] [--repeat 2]

The fake Bot API runs in a child process, so only the sending side's CPU is counted
(``time.process_time`` in this process). Each mode sends the same rows (a ticket reply
with a button, replying to a message) in rounds of 8 concurrent sends, as the sender does:
``ptb``, the outbox's own send (handlers/sender.py: PTB builds a ``Message`` from each
answer); ``api``, PTB's ``do_api_request`` (same client and errors, no objects); ``raw``,
a JSON POST over httpx.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Defaults, ExtBot
from telegram.request import HTTPXRequest

from handlers.sender import make_sender
from handlers.transport import AiohttpRequest
from storage.outbox import OutboxRow
from tests.e2e.harness import TOKEN

CHATS = 8
SERVE = f"""
import asyncio
from tests.fakeapi.server import FakeBotAPI

async def main():
    api = FakeBotAPI({TOKEN!r})
    await api.start()
    for i in range({CHATS}):
        api.group(-100 - i, "g").bot_status = "member"
    print(api.port, flush=True)
    while True:  # forget what was sent: memory stays flat over many sends
        await asyncio.sleep(1)
        api.sent.clear(); api.calls.clear(); api.messages.clear()

asyncio.run(main())
"""


def rows(n: int) -> list[OutboxRow]:
    return [
        OutboxRow(
            i,
            f"k{i}",
            -100 - i % CHATS,
            f"Jawaban atas tiket <b>#2026-{i:04d}</b> untuk Bapak/Ibu, silakan cek OM-SPAN.",
            {"inline_keyboard": [[{"text": "Terjawab", "callback_data": f"tk:{i}:ok"}]]},
            5,
            0,
        )
        for i in range(n)
    ]


def body(row: OutboxRow) -> dict[str, Any]:
    return {
        "chat_id": row.chat_id,
        "text": row.text,
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
        "reply_markup": row.reply_markup,
        "reply_parameters": {
            "message_id": row.reply_to_message_id,
            "allow_sending_without_reply": True,
        },
    }


async def measure(mode: str, base: str, n: int) -> tuple[float, float]:
    """(client CPU ms per send, wall seconds) for ``n`` sends."""
    bot = ExtBot(
        TOKEN,
        base_url=base,
        request=(
            AiohttpRequest(connection_pool_size=32)
            if mode == "aiohttp"
            else HTTPXRequest(connection_pool_size=32)
        ),
        defaults=Defaults(
            parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
    )
    await bot.initialize()
    if isinstance(bot.request, AiohttpRequest):
        await bot.request.upgrade()
    client = httpx.AsyncClient(limits=httpx.Limits(max_connections=32))
    url = f"{base}{TOKEN}/sendMessage"

    async def raw(row: OutboxRow) -> int:
        answer = await client.post(
            url, content=json.dumps(body(row)), headers={"content-type": "application/json"}
        )
        return int(json.loads(answer.content)["result"]["message_id"])

    async def api(row: OutboxRow) -> int:
        found = await bot.do_api_request("sendMessage", api_kwargs=body(row))
        return int(found["message_id"])

    send: Callable[[OutboxRow], Awaitable[int]] = {
        "ptb": make_sender(bot),
        "aiohttp": make_sender(bot),
        "api": api,
        "raw": raw,
    }[mode]
    todo = rows(n + 50)
    for row in todo[:50]:  # warm up: connections, caches
        await send(row)
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(50, n + 50, 8):
        await asyncio.gather(*(send(row) for row in todo[i : i + 8]))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await bot.shutdown()
    await client.aclose()
    return cpu * 1000 / n, wall


async def run(n: int, repeat: int) -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SERVE, stdout=asyncio.subprocess.PIPE
    )
    assert server.stdout is not None
    port = int((await server.stdout.readline()).decode())
    base = f"http://127.0.0.1:{port}/bot"
    try:
        for _ in range(repeat):
            for mode in ("ptb", "aiohttp", "api", "raw"):
                cpu, wall = await measure(mode, base, n)
                print(f"{mode}: {n} sends, client CPU {cpu:.2f} ms/send, wall {wall:.1f} s")
    finally:
        server.terminate()
        await server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sends", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # do_api_request warns that sendMessage exists
    asyncio.run(run(args.sends, args.repeat))


if __name__ == "__main__":
    main()
