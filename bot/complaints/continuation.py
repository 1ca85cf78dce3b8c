"""A complaint written in more than one message. No Telegram.

Two shapes, both from the issue's reproduction, where the second message used to become
a ticket for the LO (who may be the person complained about):
- '/pengaduan' alone in a group: the bot asks for the text, and the member's next
  message there (within ``PROMPT_WINDOW``) is the complaint;
- the complainant's reply to the bot's acknowledgement adds details to that complaint.
The group intake asks ``continues`` first; None means the message is not about a complaint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import bot.complaints.rules as rules
from bot import digest
from bot.questions import is_chatter
from bot.services import Services
from messages import complaints as msg
from storage import complaints as repo
from storage import groups as groups_repo
from storage.models import GENERAL, INTEGRITY, Complaint, User

PROMPT_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Continued:
    complaint: Complaint
    details: bool  # True: details added to ``complaint``; False: the prompted complaint


async def ask_for_text(svc: Services, chat_id: int, user_id: int, message_id: int) -> bool:
    """'/pengaduan' alone: the member's next message is the complaint. False when the
    group is not registered (nothing is remembered then)."""
    group = await groups_repo.get(svc.db.reader, chat_id)
    if group is None or not group.active:
        return False
    async with svc.db.transaction() as tx:
        await repo.set_prompt(tx, chat_id, user_id, message_id, svc.clock.now())
    return True


async def continues(
    svc: Services,
    chat_id: int,
    author: User,
    message_id: int,
    text: str,
    reply_to: int | None = None,
    attachment: tuple[str, str] | None = None,
    bot_username: str = "",
) -> Continued | None:
    """The complaint this group message continues (recorded), or None."""
    if not text or is_chatter(text):
        return None
    if reply_to is not None:
        c = await repo.by_ack_message(svc.db.reader, chat_id, reply_to)
        if c is not None and c.complainant_id == author.user_id:
            return Continued(await add_details(svc, c, message_id, text), details=True)
    asked = await repo.prompted_at(svc.db.reader, chat_id, author.user_id)
    if asked is None or svc.clock.now() - asked > PROMPT_WINDOW:
        return None  # an expired prompt is cleared by the member's next complaint
    # rules.file clears the prompt in the complaint's transaction.
    filed = await rules.file(svc, author, text, message_id, chat_id, bot_username, attachment)
    if isinstance(filed, rules.Result):
        return None  # the group was unregistered meanwhile: an ordinary message
    return Continued(filed.complaint, details=False)


async def add_details(svc: Services, c: Complaint, message_id: int, text: str) -> Complaint:
    """Append the details, tell the complaint's handlers; once per message."""
    category = INTEGRITY if c.category == INTEGRITY or rules.is_integrity(text) else GENERAL
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        if await repo.add_details(tx, c.id, message_id, text, category, now):
            updated = await repo.get(tx, c.id)
            assert updated is not None
            notice = msg.staff_details(updated, text)
            for uid in await rules.handlers_and_head(svc, tx):
                key = f"complaint:{c.id}:detail:{message_id}:{uid}"
                await digest.notify(svc, tx, key=key, user_id=uid, text=notice, line=notice)
        current = await repo.get(tx, c.id)
    assert current is not None
    return current
