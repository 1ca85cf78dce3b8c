"""/bantuan per command: each command's example, sent to the real bot by someone allowed
to use it, is understood (never answered with that command's usage text)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import messages
from messages.help import EXAMPLES
from messages.roles import usage as role_usage
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import GROUP, staffed_office


def usage_texts() -> set[str]:
    """Every "how to write this command" reply the bot has."""
    found = {role_usage("beriperan"), role_usage("cabutperan")}
    for info in pkgutil.iter_modules(messages.__path__):
        module = importlib.import_module(f"messages.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("usage") and not inspect.signature(fn).parameters:
                found.add(fn())
    return found


async def test_every_example_is_understood_by_its_command(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    for role in ("lo", "cso", "kepatuhan"):  # the admin may then use every command
        await h.say(ADMIN, ADMIN, f"/beriperan {role} @admin_kppn")
    usages = usage_texts()
    assert len(usages) >= 15
    where = {c.name: c.where for c in h.app.bot_data.commands} if h.app else {}
    for name, example in EXAMPLES.items():
        if name == "kantor":
            continue  # only in a deployment of several offices (tests/e2e/test_offices.py)
        chat = GROUP if where[name] == "group" else ADMIN
        mark = len(h.api.sent)
        h.api.say(chat, ADMIN, example)
        await h.settle()
        replies = [s.text for s in h.api.sent[mark:] if s.chat_id == chat]
        assert replies, example
        assert not set(replies) & usages, (example, replies)
        assert not any("tidak kami kenal" in r for r in replies), example
    assert h.api.refusals == []


async def test_bantuan_shows_one_command_with_its_example(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    overview = await h.say(ADMIN, ADMIN, "/bantuan")
    assert "/bantuan tiket" in overview.plain and "Contoh:" not in overview.plain
    one = await h.say(ADMIN, ADMIN, "/bantuan /jawab")
    assert one.plain.startswith("/jawab nomor jawaban — Jawab tiket")
    assert "Contoh:\n/jawab 2026-0001 Sudah kami proses" in one.plain
    assert "Liaison Officer (LO)" in one.plain
    unknown = await h.say(ADMIN, ADMIN, "/bantuan jwb<b>")
    assert "jwb<b>" in unknown.plain and "tidak kami kenal" in unknown.plain
    start = await h.say(ADMIN, ADMIN, "/start jawab")  # a deep-link payload: the overview
    assert "/bantuan tiket" in start.plain
