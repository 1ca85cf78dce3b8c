"""Webhook mode: updates posted by Telegram to the web server, the secret checked each time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.clock import FakeClock
from storage import inbox as inbox_repo
from tests.e2e.harness import Harness, make_settings
from tests.e2e.test_tickets import ask
from tests.e2e.world import GROUP, OPERATOR, registered_group
from tests.fakeapi.server import FakeBotAPI

SECRET = "k3y_" + "a1B2" * 10
URL = "https://lobot.example/telegram/update"


@pytest.fixture
async def hooked(api: FakeBotAPI, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    settings = make_settings(
        api, tmp_path / "bot.sqlite3", web_port=0, webhook_url=URL, webhook_secret=SECRET
    )
    h = Harness(api, clock, settings)
    await h.start()
    assert h.app is not None and h.app.bot_data.web_server is not None
    # The reverse proxy: Telegram's posts to URL reach the web listener.
    api.webhook_forward = f"http://127.0.0.1:{h.app.bot_data.web_server.ports['web']}"
    yield h
    await h.stop()


async def _post(h: Harness, body: object, secret: str | None) -> int:
    assert h.api.webhook_forward is not None
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            h.api.webhook_forward + "/telegram/update", json=body, headers=headers
        ) as answer,
    ):
        return answer.status


async def test_updates_arrive_by_webhook_and_are_answered(hooked: Harness) -> None:
    h = hooked
    assert h.api.webhook is not None
    assert h.api.webhook["url"] == URL and h.api.webhook["secret_token"] == SECRET
    assert h.api.webhook["max_connections"] == 1  # a chat's updates stay in order
    await registered_group(h)
    _, reply = await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
    assert "#2026-0001" in reply
    assert h.api.webhook_answers and set(h.api.webhook_answers) == {200}
    # Every update came through the web server (getUpdates answers 409 meanwhile).
    assert not [name for name, _ in h.api.calls if name == "getUpdates"]
    assert any("min, surat" in str(u) for u in h.api.delivered)


async def test_requests_without_the_secret_are_refused_and_change_nothing(
    hooked: Harness,
) -> None:
    h = hooked
    await registered_group(h)
    before = await inbox_repo.count_pending(h.services.db.reader)
    rows = await h.services.db.fetchall("SELECT update_id FROM inbox")
    forged = {
        "update_id": 999_001,
        "message": {
            "message_id": 77,
            "date": 1,
            "chat": {"id": GROUP, "type": "supergroup", "title": "x"},
            "from": {"id": OPERATOR, "is_bot": False, "first_name": "Budi"},
            "text": "/daftargrup Palsu",
        },
    }
    assert await _post(h, forged, None) == 403
    assert await _post(h, forged, "wrong-" + SECRET[6:]) == 403
    assert await _post(h, forged, SECRET[:-1]) == 403
    after = await h.services.db.fetchall("SELECT update_id FROM inbox")
    assert len(after) == len(rows)
    assert await inbox_repo.count_pending(h.services.db.reader) == before
    assert await _post(h, {"not": "an update"}, SECRET) == 400


async def test_an_update_sent_twice_is_handled_once(hooked: Harness) -> None:
    """Telegram resends an update whose acknowledgement it did not get."""
    h = hooked
    await registered_group(h)
    mark = len(h.api.sent)
    await ask(h, "min, surat permohonan kami nomor 45 sudah diterima belum ya?")
    [update] = [
        u for u in h.api.delivered if u.get("message", {}).get("text", "").startswith("min,")
    ]
    assert await _post(h, update, SECRET) == 200
    await h.settle()
    replies = [s for s in h.api.sent[mark:] if s.chat_id == GROUP and "tiket" in s.plain]
    assert len(replies) == 1
    row = await h.services.db.fetchone("SELECT count(*) FROM tickets")
    assert row is not None and row[0] == 1
