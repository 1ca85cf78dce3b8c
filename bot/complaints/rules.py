"""Who may file, follow up and read complaints, and what each step writes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any

import aiosqlite

import bot.complaints.audience as audience
from bot import digest
from bot.complaints.audience import HANDLER_ROLES as HANDLER_ROLES
from bot.services import Services
from messages import complaints as msg
from storage import complaints as repo
from storage import groups as groups_repo
from storage import outbox, people
from storage.models import (
    COMPLAINT_DONE,
    COMPLAINT_IN_PROGRESS,
    COMPLAINT_RECEIVED,
    COMPLAINT_STATUSES,
    GENERAL,
    GROUP_CHANNEL,
    INTEGRITY,
    PRIORITY_REPLY,
    PRIVATE_CHANNEL,
    Complaint,
    FollowUp,
)

_INTEGRITY = re.compile(
    r"\b(pungli|pungutan\s+liar|gratifikasi|suap|sogok|uang\s+pelicin|uang\s+rokok|"
    r"pemerasan|korupsi|imbalan|minta\s+uang|meminta\s+uang)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^(?:p-?)?(\d{4})-(\d{1,6})$", re.IGNORECASE)
# Words a handler may put before the follow-up text to set the status it leaves.
STATUS_WORDS = {
    "selesai": COMPLAINT_DONE,
    "proses": COMPLAINT_IN_PROGRESS,
    "dalam_proses": COMPLAINT_IN_PROGRESS,
}
LIST_WORDS = {
    "baru": (COMPLAINT_RECEIVED,),
    "diterima": (COMPLAINT_RECEIVED,),
    "belum": (COMPLAINT_RECEIVED,),
    "proses": (COMPLAINT_IN_PROGRESS,),
    "selesai": (COMPLAINT_DONE,),
    "semua": COMPLAINT_STATUSES,
}


class Result(Enum):
    OK = "ok"
    REFUSED = "refused"
    NOT_FOUND = "not_found"
    NOT_REGISTERED = "not_registered"
    CLOSED = "closed"
    INTEGRITY = "integrity"  # an integrity complaint: the compliance section's only


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    group_title: str | None


@dataclass(frozen=True)
class FollowedUp:
    result: Result
    complaint: Complaint | None = None


def is_integrity(text: str) -> bool:
    """Pungli, gratifikasi and the like belong in the official integrity channels too."""
    return bool(_INTEGRITY.search(text))


def parse_number(text: str) -> str | None:
    """'P-2026-0007', 'p-2026-7' or '2026-0007' -> 'P-2026-0007'."""
    m = _NUMBER.match(text.strip())
    return f"P-{m.group(1)}-{int(m.group(2)):04d}" if m else None


async def may_file_in(svc: Services, chat_id: int) -> bool:
    """A complaint can be recorded in this group (it is registered and active)."""
    group = await groups_repo.get(svc.db.reader, chat_id)
    return group is not None and group.active


async def file(
    svc: Services,
    complainant: people.User,
    text: str,
    message_id: int,
    chat_id: int | None = None,
    bot_username: str = "",
    attachment: tuple[str, str] | None = None,
    removed: bool = False,
) -> Filed | Result:
    """Record a complaint made in a group (chat_id given) or in private chat.

    The acknowledgements (in the group, and privately to the complainant with whether
    the group message could be ``removed``) are written with the complaint, so a crash
    can leave neither a complaint nobody was told about nor a second complaint for the
    same message (the inbox hands a message in again after a crash)."""
    reader = svc.db.reader
    group = None
    if chat_id is not None:
        group = await groups_repo.get(reader, chat_id)
        if group is None or not group.active:
            return Result.NOT_REGISTERED
        kode = await groups_repo.operator_satker(reader, complainant.user_id, chat_id)
    else:
        kode = await groups_repo.any_operator_satker(reader, complainant.user_id)
    title = group.title if group else None
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        known = await repo.find_by_message(tx, complainant.user_id, chat_id, message_id)
        if known is not None:
            return Filed(known, title)
        # It answers the member's '/pengaduan' alone in this chat, if any (a private
        # chat's id is the user's).
        await repo.clear_prompt(tx, chat_id or complainant.user_id, complainant.user_id)
        number = await repo.next_number(tx, svc.office_id, now.astimezone(svc.tz).year)
        complaint = await repo.insert(
            tx,
            office_id=svc.office_id,
            number=number,
            chat_id=chat_id,
            message_id=message_id,
            complainant_id=complainant.user_id,
            complainant_name=complainant.full_name,
            kode_satker=kode,
            channel=GROUP_CHANNEL if chat_id is not None else PRIVATE_CHANNEL,
            category=INTEGRITY if is_integrity(text) else GENERAL,
            text=text,
            now=now,
            attachment=attachment,
        )
        await _tell_staff(svc, tx, complaint, title)
        if chat_id is not None:
            await _acknowledge_in_group(svc, tx, complaint, removed, bot_username)
        else:
            await outbox.enqueue(
                tx,
                f"complaint:{complaint.id}:received",
                complainant.user_id,
                msg.received_private(complaint, now, svc.tz),
                now,
                reply_to_message_id=message_id,
                priority=PRIORITY_REPLY,
            )
    return Filed(complaint, title)


async def _tell_staff(
    svc: Services, tx: aiosqlite.Connection, c: Complaint, title: str | None
) -> None:
    """The whole complaint (and its file) to those who may read it; an integrity
    complaint's existence only to the head of office (bot/complaints/audience.py)."""
    readers, heads = await audience.readers_and_heads(svc, tx, c)
    notice, line = msg.staff_new(c, title, svc.tz), msg.staff_new_line(c, title)
    for uid in readers:
        await audience.tell(svc, tx, c, uid, f"complaint:{c.id}:new:{uid}", notice, line)
        await _send_attachment(tx, c, uid, svc.clock.now())
    for uid in heads:
        key = f"complaint:{c.id}:exists:{uid}"
        text = msg.head_new(c)
        await digest.notify(svc, tx, key=key, user_id=uid, text=text, line=text)


async def _acknowledge_in_group(
    svc: Services, tx: aiosqlite.Connection, c: Complaint, removed: bool, bot_username: str
) -> None:
    """Thanks and the number in the group; privately, the text as recorded and whether
    the group message could be removed (or the advice to write privately first)."""
    assert c.chat_id is not None
    now = svc.clock.now()
    await outbox.enqueue(
        tx,
        f"complaint:{c.id}:received",
        c.chat_id,
        msg.received_in_group(c, now, svc.tz, removed),
        now,
        reply_to_message_id=c.message_id,
        reply_markup=msg.private_button(bot_username) if bot_username else None,
        priority=PRIORITY_REPLY,
        # A reply to the acknowledgement adds details (bot/complaints/continuation.py).
        on_sent=f"{ACK_HOOK}:{c.id}",
    )
    await outbox.enqueue(
        tx,
        f"complaint:{c.id}:received:private",
        c.complainant_id,
        msg.received_from_group(c, now, svc.tz, removed),
        now,
        priority=PRIORITY_REPLY,
    )


ACK_HOOK = "complaint_ack"
CALLBACK_HOOK = "complaint_callback"


async def record_ack(tx: aiosqlite.Connection, complaint_id: str, message_id: int) -> None:
    """Sent hook: remember the acknowledgement, so that a reply to it finds the complaint."""
    await repo.set_ack_message(tx, int(complaint_id), message_id)


def group_note_after_callback(svc: Services) -> Callable[[aiosqlite.Connection, str, int], Any]:
    """Sent hook: the complainant has the follow-up privately; now the group may hear
    that there was one (never before: the note says the complainant was told)."""

    async def hook(tx: aiosqlite.Connection, arg: str, message_id: int) -> None:
        complaint_id, _, n = arg.partition(":")
        c = await repo.get(tx, int(complaint_id))
        followups = await repo.followups(tx, int(complaint_id))
        if c is None or c.chat_id is None or len(followups) < int(n):
            return
        at_the_time = replace(c, status=followups[int(n) - 1].status)
        await outbox.enqueue(
            tx,
            f"complaint:{c.id}:fu:{n}:group",
            c.chat_id,
            msg.group_note(at_the_time),
            svc.clock.now(),
            reply_to_message_id=c.message_id,
        )

    return hook


async def _send_attachment(
    tx: aiosqlite.Connection, c: Complaint, user_id: int, now: datetime
) -> None:
    """The photo or document filed with the complaint, to one of its readers."""
    if c.attachment_kind is None or c.attachment_id is None:
        return
    await outbox.enqueue(
        tx,
        f"complaint:{c.id}:file:{user_id}",
        user_id,
        msg.attachment_caption(c),
        now,
        attachment={"file_id": c.attachment_id, "kind": c.attachment_kind},
    )


async def follow_up(
    svc: Services, actor: people.User, number_text: str, body: str, source: str | None = None
) -> FollowedUp:
    """Add a follow-up; ``body`` may start with 'selesai' or 'proses' (the default).

    The complainant is told privately in the call-back style; once that message is
    delivered, a complaint made in a group gets a short neutral note there, as a reply
    to the original (``group_note_after_callback``). ``source`` names the update, so
    handling it twice records one follow-up."""
    if not await audience.is_handler(svc, actor.user_id):
        return FollowedUp(Result.REFUSED)
    number = parse_number(number_text)
    c = await repo.get_by_number(svc.db.reader, svc.office_id, number) if number else None
    if c is None:
        return FollowedUp(Result.NOT_FOUND)
    if not await audience.may_read(svc, actor.user_id, c):
        return FollowedUp(Result.INTEGRITY)
    if source and await repo.has_followup_from(svc.db.reader, source):
        return FollowedUp(Result.OK, c)
    if c.status == COMPLAINT_DONE:
        return FollowedUp(Result.CLOSED, c)
    first, _, rest = body.partition(" ")
    # "Selesai." or "SELESAI:" means done as much as "selesai" (the usage says: start with it).
    status = STATUS_WORDS.get(first.lower().rstrip(".,:;!-"))
    text = rest.strip() if status and rest.strip() else body
    status = status or COMPLAINT_IN_PROGRESS
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        n = await repo.add_followup(
            tx, c, actor.user_id, actor.full_name, text, status, now, source
        )
        updated = await repo.get(tx, c.id)
        assert updated is not None
        office = svc.settings.office_name
        await outbox.enqueue(
            tx,
            f"complaint:{c.id}:fu:{n}:complainant",
            c.complainant_id,
            msg.callback(updated, text, office, now, svc.tz),
            now,
            on_sent=f"{CALLBACK_HOOK}:{c.id}:{n}" if c.chat_id is not None else None,
        )
    return FollowedUp(Result.OK, updated)


@dataclass(frozen=True)
class Listing:
    statuses: tuple[str, ...]
    complaints: list[Complaint]
    counts: dict[str, int]
    hidden: frozenset[int]  # ids of integrity complaints this reader sees the status of only


async def listing(svc: Services, user_id: int, word: str = "") -> Listing | Result:
    """Complaints by status for the handlers."""
    if not await audience.is_handler(svc, user_id):
        return Result.REFUSED
    statuses = LIST_WORDS.get(word.strip().lower(), (COMPLAINT_RECEIVED, COMPLAINT_IN_PROGRESS))
    found = await repo.by_status(svc.db.reader, svc.office_id, statuses)
    counts = await repo.count_by_status(svc.db.reader, svc.office_id)
    hidden = frozenset([c.id for c in found if not await audience.may_read(svc, user_id, c)])
    return Listing(statuses, found, counts, hidden)


@dataclass(frozen=True)
class Detail:
    complaint: Complaint
    followups: list[FollowUp]
    full: bool  # False: the head of office's view of an integrity complaint (status only)


async def detail(svc: Services, user_id: int, number_text: str) -> Detail | Result:
    """A handler sees any complaint (the head of office an integrity complaint's status
    only); a complainant sees their own."""
    number = parse_number(number_text)
    c = await repo.get_by_number(svc.db.reader, svc.office_id, number) if number else None
    if c is None:
        return Result.NOT_FOUND
    mine = c.complainant_id == user_id
    if not mine and not await audience.is_handler(svc, user_id):
        return Result.NOT_FOUND  # never confirm that someone else's complaint exists
    full = mine or await audience.may_read(svc, user_id, c)
    return Detail(c, await repo.followups(svc.db.reader, c.id) if full else [], full)
