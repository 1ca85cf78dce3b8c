"""Replies to what users write, through the outbox like everything the bot sends.

A reply is a row with the highest priority and a key made from the update and the text,
so handling the same update twice (after a crash) enqueues nothing new, and a reply that
Telegram refuses for a moment is retried instead of lost.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot import outbox
from bot.services import Services
from storage import outbox as repo
from storage.models import PRIORITY_REPLY


def reply_key(update_id: int, chat_id: int, text: str, extra: str = "") -> str:
    digest = hashlib.blake2b(f"{chat_id}\0{text}\0{extra}".encode(), digest_size=8).hexdigest()
    return f"upd:{update_id}:{digest}"


async def enqueue(
    svc: Services,
    key: str,
    chat_id: int,
    text: str,
    *,
    reply_to: int | None = None,
    markup: dict[str, Any] | None = None,
    attachment: dict[str, Any] | None = None,
) -> None:
    async with svc.db.transaction() as tx:
        await repo.enqueue(
            tx,
            key,
            chat_id,
            text,
            svc.clock.now(),
            reply_markup=markup,
            reply_to_message_id=reply_to,
            attachment=attachment,
            priority=PRIORITY_REPLY,
        )
    outbox.wake(svc)
