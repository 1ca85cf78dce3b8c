"""Say what is wrong when the bot cannot read a group.

With privacy mode on (BotFather's default), a bot that is not an administrator only
receives commands and replies to itself: members' questions never reach it and nobody
learns why. When it joins such a group it says so there, and tells the person who
added it how to fix it. No Telegram here: the handler reports what Telegram said.
"""

from __future__ import annotations

from bot.services import Services
from messages import groups as msg
from storage import outbox
from storage.models import PRIORITY_REPLY


def cannot_read(status: str, can_read_all_group_messages: bool) -> bool:
    """Only administrators (or bots with privacy mode off) see every member's message."""
    return status != "administrator" and not can_read_all_group_messages


async def warn(svc: Services, chat_id: int, title: str, adder_id: int | None, key: str) -> None:
    """The group hears it, and so does whoever added the bot (in private)."""
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        await outbox.enqueue(
            tx, f"{key}:group", chat_id, msg.privacy_warning_group(), now, priority=PRIORITY_REPLY
        )
        if adder_id is not None:
            await outbox.enqueue(
                tx, f"{key}:adder", adder_id, msg.privacy_warning_private(title), now
            )
