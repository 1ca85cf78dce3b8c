"""Who may file, follow up and read complaints, and what each step writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import aiosqlite

from bot import digest
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

# The compliance section handles complaints; the head of office and admins may too.
HANDLER_ROLES = frozenset({"kepatuhan", "kepala", "admin"})
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


async def is_handler(svc: Services, user_id: int) -> bool:
    return bool(await svc.roles_of(user_id) & HANDLER_ROLES)


async def handlers_and_head(svc: Services, conn: aiosqlite.Connection) -> list[int]:
    """Told of each new complaint: the compliance section and the head of office; with
    neither appointed, the admins, so a complaint is never left unseen."""
    ids: set[int] = set()
    for role in ("kepatuhan", "kepala"):
        ids |= {u.user_id for u in await people.holders(conn, svc.office_id, role)}
    if not ids:
        ids = {u.user_id for u in await people.holders(conn, svc.office_id, "admin")}
        ids |= set(svc.settings.admin_ids)
    return sorted(ids)


async def file(
    svc: Services,
    complainant: people.User,
    text: str,
    message_id: int,
    chat_id: int | None = None,
    bot_username: str = "",
    attachment: tuple[str, str] | None = None,
) -> Filed | Result:
    """Record a complaint made in a group (chat_id given) or in private chat.

    The acknowledgement to the complainant is written with the complaint, so a crash can
    leave neither a complaint nobody was told about nor a second complaint for the same
    message (the inbox hands a message in again after a crash)."""
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
        if chat_id is not None:  # it answers the member's '/pengaduan' alone, if any
            await repo.clear_prompt(tx, chat_id, complainant.user_id)
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
        # Staff notices share each person's digest with ticket notices (bot/digest).
        notice = msg.staff_new(complaint, title, svc.tz)
        line = msg.staff_new_line(complaint, title)
        for uid in await handlers_and_head(svc, tx):
            key = f"complaint:{complaint.id}:new:{uid}"
            await digest.notify(svc, tx, key=key, user_id=uid, text=notice, line=line)
            await _send_attachment(tx, complaint, uid, now)
        if chat_id is not None:
            ack = msg.received_in_group(complaint, now, svc.tz)
            markup = msg.private_button(bot_username) if bot_username else None
        else:
            ack, markup = msg.received_private(complaint, now, svc.tz), None
        await outbox.enqueue(
            tx,
            f"complaint:{complaint.id}:received",
            chat_id if chat_id is not None else complainant.user_id,
            ack,
            now,
            reply_to_message_id=message_id,
            reply_markup=markup,
            priority=PRIORITY_REPLY,
            # In a group, a reply to the acknowledgement adds details (bot/complaints/intake).
            on_sent=f"{ACK_HOOK}:{complaint.id}" if chat_id is not None else None,
        )
    return Filed(complaint, title)


ACK_HOOK = "complaint_ack"


async def record_ack(tx: aiosqlite.Connection, complaint_id: str, message_id: int) -> None:
    """Sent hook: remember the acknowledgement, so that a reply to it finds the complaint."""
    await repo.set_ack_message(tx, int(complaint_id), message_id)


async def _send_attachment(
    tx: aiosqlite.Connection, c: Complaint, user_id: int, now: datetime
) -> None:
    """The photo or document filed with the complaint, to one of its handlers."""
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

    The complainant is told privately in the call-back style; a complaint made in a group
    gets a short neutral note there, as a reply to the original message. ``source`` names
    the update, so handling it twice records one follow-up."""
    if not await is_handler(svc, actor.user_id):
        return FollowedUp(Result.REFUSED)
    number = parse_number(number_text)
    c = await repo.get_by_number(svc.db.reader, svc.office_id, number) if number else None
    if c is None:
        return FollowedUp(Result.NOT_FOUND)
    if source and await repo.has_followup_from(svc.db.reader, source):
        return FollowedUp(Result.OK, c)
    if c.status == COMPLAINT_DONE:
        return FollowedUp(Result.CLOSED, c)
    first, _, rest = body.partition(" ")
    status = STATUS_WORDS.get(first.lower())
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
        )
        if c.chat_id is not None:
            await outbox.enqueue(
                tx,
                f"complaint:{c.id}:fu:{n}:group",
                c.chat_id,
                msg.group_note(updated),
                now,
                reply_to_message_id=c.message_id,
            )
    return FollowedUp(Result.OK, updated)


async def listing(
    svc: Services, user_id: int, word: str = ""
) -> tuple[tuple[str, ...], list[Complaint], dict[str, int]] | Result:
    """Complaints by status for the handlers: (statuses shown, complaints, counts)."""
    if not await is_handler(svc, user_id):
        return Result.REFUSED
    statuses = LIST_WORDS.get(word.strip().lower(), (COMPLAINT_RECEIVED, COMPLAINT_IN_PROGRESS))
    found = await repo.by_status(svc.db.reader, svc.office_id, statuses)
    counts = await repo.count_by_status(svc.db.reader, svc.office_id)
    return statuses, found, counts


async def detail(
    svc: Services, user_id: int, number_text: str
) -> tuple[Complaint, list[FollowUp]] | Result:
    """A handler sees any complaint; a complainant sees their own."""
    number = parse_number(number_text)
    c = await repo.get_by_number(svc.db.reader, svc.office_id, number) if number else None
    if c is None:
        return Result.NOT_FOUND
    if c.complainant_id != user_id and not await is_handler(svc, user_id):
        return Result.NOT_FOUND  # never confirm that someone else's complaint exists
    return c, await repo.followups(svc.db.reader, c.id)
