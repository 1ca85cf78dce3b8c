"""The first minutes with the bot (issue 18, item 11): the admin's first steps, honest
group replies when the bot cannot read the group, files behind a self-hosted Bot API."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.clock import FakeClock
from config.settings import load_settings
from tests.e2e.harness import ADMIN, TOKEN, Harness
from tests.e2e.world import GROUP, LO, OTHER_GROUP, people
from tests.fakeapi.server import FakeBotAPI


async def test_admin_start_gives_first_steps(harness: Harness) -> None:
    h = harness
    people(h)
    text = (await h.say(ADMIN, ADMIN, "/start")).plain
    assert "Langkah pertama Admin" in text
    for step in ("/beriperan lo @username", "admin grup", "/daftargrup", "/satker"):
        assert step in text
    plain = (await h.say(LO, LO, "/start")).plain
    assert "Langkah pertama Admin" not in plain


async def test_group_replies_say_when_the_bot_cannot_read(harness: Harness) -> None:
    h = harness
    h.api.privacy_mode = True
    await h.restart()  # getMe is read at start-up
    people(h)
    await h.say(LO, LO, "/start")
    await h.say(ADMIN, ADMIN, "/beriperan lo @sari_lo")
    mark = len(h.api.sent)
    h.api.add_bot(OTHER_GROUP, LO)  # a plain member: with privacy mode it reads nothing
    joined = await h.api.wait_sent(OTHER_GROUP, "menunggu pendaftaran", after=mark)
    assert "dijadikan admin" in joined.plain
    await h.settle()  # the privacy warning too
    registered = await h.say(OTHER_GROUP, LO, "/daftargrup Kementerian Kesehatan")
    assert "telah terdaftar" in registered.plain
    assert "akan kami jawab" not in registered.plain and "belum dapat membaca" in registered.plain
    info = await h.say(OTHER_GROUP, LO, "/infogrup")
    assert "Status: aktif (bot belum dapat membaca" in info.plain
    # As an administrator it reads the group: the promise, and no warning.
    h.api.add_bot(GROUP, LO, status="administrator")
    await h.api.wait_sent(GROUP, "menunggu pendaftaran")
    await h.settle()
    registered = await h.say(GROUP, LO, "/daftargrup Kementerian Agama")
    assert "akan kami jawab" in registered.plain and "belum dapat" not in registered.plain
    info = await h.say(GROUP, LO, "/infogrup")
    assert "Status: aktif\n" in info.plain


async def test_a_self_hosted_bot_api_alone_still_gets_files(
    api: FakeBotAPI, clock: FakeClock, tmp_path: Path
) -> None:
    """Only LOBOT_BASE_URL set: the file the admin sends is fetched from that server and
    answered (it was fetched from api.telegram.org and never answered)."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "LOBOT_BASE_URL": api.base_url,
        "LOBOT_ADMIN_IDS": str(ADMIN),
        "LOBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
    }
    settings = replace(load_settings(env), send_limits=False, poll_timeout=5)
    h = Harness(api, clock, settings)
    await h.start()
    try:
        people(h)
        await h.say(ADMIN, ADMIN, "/start")
        mark = len(h.api.sent)
        sent = h.api.send_document(ADMIN, ADMIN, "", name="status.csv")
        h.api.files[sent["document"]["file_id"]] = b"kode_satker;status\n123456;SP2D terbit\n"
        answer = await h.api.wait_sent(ADMIN, "", after=mark, timeout=20)
        assert "status.csv" in answer.plain or "berkas" in answer.plain.lower()
    finally:
        await h.stop()
