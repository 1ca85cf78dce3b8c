"""Links between the bot's private messages and the tickets they are about.

A notice, a digest or a "Jawab" prompt is recorded (a sent hook, in the transaction that
marks it sent) with its tickets, so that a reply to it finds them.
"""

from __future__ import annotations

import aiosqlite

from storage import tickets as repo

NOTICE_HOOK = "ticket_notice"


def notice_hook(chat_id: int, ticket_ids: list[int]) -> str:
    """The sent hook that links a private notice to its tickets: a reply to it answers."""
    return f"{NOTICE_HOOK}:{chat_id}:{','.join(map(str, ticket_ids))}"


async def record_notice(tx: aiosqlite.Connection, arg: str, message_id: int) -> None:
    """Sent hook: remember which tickets a private notice, digest or prompt was about."""
    chat, _, ids = arg.partition(":")
    await repo.link_message(tx, int(chat), message_id, [int(i) for i in ids.split(",") if i])
