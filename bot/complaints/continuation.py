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

import bot.complaints.audience as audience
import bot.complaints.rules as rules
from bot.conversation.questions import is_chatter
from bot.services import Services
from messages import complaints as msg
from storage import complaints as repo
from storage import groups as groups_repo
from storage import outbox
from storage.models import GENERAL, INTEGRITY, Complaint, User

PROMPT_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Continued:
    complaint: Complaint
    details: bool  # True: details added to ``complaint``; False: the prompted complaint


async def ask_for_text(svc: Services, chat_id: int, user_id: int, message_id: int) -> bool:
    """'/pengaduan' alone: the member's next message in that chat (a group, or the private
    chat, whose id is the user's) is the complaint. False when the group is not
    registered (nothing is remembered then)."""
    if chat_id != user_id:
        group = await groups_repo.get(svc.db.reader, chat_id)
        if group is None or not group.active:
            return False
    async with svc.db.transaction() as tx:
        await repo.set_prompt(tx, chat_id, user_id, message_id, svc.clock.now())
    return True


@dataclass(frozen=True)
class Target:
    """What a group message continues: details to ``complaint``, or the prompted one."""

    complaint: Complaint | None


async def continues(
    svc: Services, chat_id: int, author_id: int, text: str, reply_to: int | None = None
) -> Target | None:
    """Whether this group message continues a complaint (read only: the handler removes
    the message from the group, then ``record`` writes it)."""
    if not text or is_chatter(text):
        return None
    if reply_to is not None:
        c = await repo.by_ack_message(svc.db.reader, chat_id, reply_to)
        if c is not None and c.complainant_id == author_id:
            return Target(c)
    asked = await repo.prompted_at(svc.db.reader, chat_id, author_id)
    if asked is None or svc.clock.now() - asked > PROMPT_WINDOW:
        return None  # an expired prompt is cleared by the member's next complaint
    return Target(None)


async def file_prompted_private(
    svc: Services, author: User, message_id: int, text: str
) -> Complaint | None:
    """A private message after '/pengaduan' alone there: the complaint, or None."""
    if await continues(svc, author.user_id, author.user_id, text) is None:
        return None
    filed = await rules.file(svc, author, text, message_id)  # clears the prompt
    return filed.complaint if isinstance(filed, rules.Filed) else None


async def record(
    svc: Services,
    target: Target,
    chat_id: int,
    author: User,
    message_id: int,
    text: str,
    *,
    attachment: tuple[str, str] | None = None,
    bot_username: str = "",
    removed: bool = False,
) -> Continued | None:
    """Record what ``continues`` found; None when the group was unregistered meanwhile."""
    if target.complaint is not None:
        c = await add_details(svc, target.complaint, message_id, text, removed)
        return Continued(c, details=True)
    # rules.file clears the prompt in the complaint's transaction.
    filed = await rules.file(
        svc, author, text, message_id, chat_id, bot_username, attachment, removed
    )
    if isinstance(filed, rules.Result):
        return None
    return Continued(filed.complaint, details=False)


async def add_details(
    svc: Services, c: Complaint, message_id: int, text: str, removed: bool = False
) -> Complaint:
    """Append the details and tell whoever may read the complaint; once per message."""
    category = INTEGRITY if c.category == INTEGRITY or rules.is_integrity(text) else GENERAL
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        if await repo.add_details(tx, c.id, message_id, text, category, now):
            updated = await repo.get(tx, c.id)
            assert updated is not None
            notice = msg.staff_details(updated, text)
            readers, _ = await audience.readers_and_heads(svc, tx, updated)
            for uid in readers:
                key = f"complaint:{c.id}:detail:{message_id}:{uid}"
                await audience.tell(svc, tx, updated, uid, key, notice, notice)
            await outbox.enqueue(
                tx,
                f"complaint:{c.id}:detail:{message_id}:private",
                c.complainant_id,
                msg.details_private(updated, removed),
                now,
            )
        current = await repo.get(tx, c.id)
    assert current is not None
    return current
