"""Group life cycle and registration: the rules, no Telegram."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import aiosqlite

from bot.services import Services
from storage import audit, outbox, people
from storage import groups as repo
from storage.models import Group
from storage.models import User as User  # re-exported: handlers take the record from bot/


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"
    NOT_REGISTERED = "not_registered"
    TARGET_NOT_LO = "target_not_lo"
    UNKNOWN_USER = "unknown_user"
    UNKNOWN_SATKER = "unknown_satker"
    NO_SATKER = "no_satker"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Registration:
    outcome: Outcome
    group: Group | None = None
    lo: people.User | None = None


async def bot_added(svc: Services, chat_id: int, title: str) -> Group:
    async with svc.db.transaction() as tx:
        return await repo.upsert_joined(tx, chat_id, title, svc.clock.now(), svc.office_id)


async def bot_removed(svc: Services, chat_id: int, reason: str) -> bool:
    """Mark the chat inactive and drop what was waiting to be sent there."""
    async with svc.db.transaction() as tx:
        return await refused_in(tx, svc, chat_id, reason)


async def refused_in(tx: aiosqlite.Connection, svc: Services, chat_id: int, reason: str) -> bool:
    """``bot_removed`` inside the caller's transaction."""
    changed = await repo.mark_inactive(tx, chat_id, svc.clock.now())
    await outbox.fail_pending_for_chat(tx, chat_id, reason)
    return changed


async def migrated(svc: Services, old_id: int, new_id: int) -> bool:
    async with svc.db.transaction() as tx:
        moved = await repo.migrate_chat(tx, old_id, new_id)
        if moved:
            await audit.record(
                tx,
                0,
                "group.migrate",
                str(new_id),
                svc.clock.now(),
                str(old_id),
                office_id=svc.office_id,
            )
    return moved


async def renamed(svc: Services, chat_id: int, title: str) -> None:
    async with svc.db.transaction() as tx:
        await repo.set_title(tx, chat_id, title)


async def may_manage(svc: Services, user_id: int, group: Group | None) -> bool:
    """Admins manage every group; an LO manages an unregistered group or their own."""
    roles = await svc.roles_of(user_id)
    if "admin" in roles:
        return True
    if "lo" not in roles:
        return False
    return group is None or group.lo_user_id in (None, user_id)


async def register(
    svc: Services, chat_id: int, title: str, actor_id: int, target: int | str | None, kl_name: str
) -> Registration:
    group = await repo.get(svc.db.reader, chat_id)
    if not await may_manage(svc, actor_id, group):
        return Registration(Outcome.REFUSED)
    lo = await _resolve_lo(svc, actor_id, target)
    if isinstance(lo, Outcome):
        return Registration(lo)
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        if group is None:
            await repo.upsert_joined(tx, chat_id, title, now, svc.office_id)
        await repo.register(tx, chat_id, lo.user_id, kl_name, now, svc.office_id)
        await audit.record(
            tx,
            actor_id,
            "group.register",
            str(chat_id),
            now,
            f"lo={lo.user_id}",
            office_id=svc.office_id,
        )
        registered = await repo.get(tx, chat_id)
    return Registration(Outcome.OK, registered, lo)


async def _resolve_lo(
    svc: Services, actor_id: int, target: int | str | None
) -> people.User | Outcome:
    if target is None:
        user_id = actor_id
    else:
        user = await resolve_user(svc, target)
        if user is None:
            return Outcome.UNKNOWN_USER
        user_id = user.user_id
    if "lo" not in await svc.roles_of(user_id):
        return Outcome.TARGET_NOT_LO
    user = await people.get_user(svc.db.reader, user_id)
    return user or people.User.by_id(user_id)


async def resolve_user(svc: Services, ref: int | str) -> people.User | None:
    if isinstance(ref, int):
        user = await people.get_user(svc.db.reader, ref)
        return user or people.User.by_id(ref)
    return await people.find_by_username(svc.db.reader, ref)


async def add_satker(svc: Services, chat_id: int, actor_id: int, kode: str, name: str) -> Outcome:
    group = await repo.get(svc.db.reader, chat_id)
    if group is None or not group.active:
        return Outcome.NOT_REGISTERED
    if not await may_manage(svc, actor_id, group):
        return Outcome.REFUSED
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        await repo.add_satker(tx, chat_id, kode, name)
        await audit.record(
            tx, actor_id, "satker.add", f"{chat_id}:{kode}", now, name, office_id=svc.office_id
        )
    return Outcome.OK


async def remove_satker(svc: Services, chat_id: int, actor_id: int, kode: str) -> Outcome:
    group = await repo.get(svc.db.reader, chat_id)
    if group is None or not group.active:
        return Outcome.NOT_REGISTERED
    if not await may_manage(svc, actor_id, group):
        return Outcome.REFUSED
    async with svc.db.transaction() as tx:
        removed = await repo.remove_satker(tx, chat_id, kode)
        if removed:
            await audit.record(
                tx,
                actor_id,
                "satker.remove",
                f"{chat_id}:{kode}",
                svc.clock.now(),
                office_id=svc.office_id,
            )
    return Outcome.OK if removed else Outcome.UNKNOWN_SATKER


async def register_operator(svc: Services, chat_id: int, user_id: int, kode: str) -> Registration:
    group = await repo.get(svc.db.reader, chat_id)
    if group is None or not group.active:
        return Registration(Outcome.NOT_REGISTERED)
    satker = await repo.satker_of(svc.db.reader, chat_id)
    if not satker:
        return Registration(Outcome.NO_SATKER, group)
    if kode not in {k for k, _ in satker}:
        return Registration(Outcome.UNKNOWN_SATKER, group)
    async with svc.db.transaction() as tx:
        await repo.register_operator(tx, user_id, chat_id, kode, svc.clock.now())
    return Registration(Outcome.OK, group)


async def seen_user(svc: Services, user_id: int, username: str | None, full_name: str) -> None:
    """Remember who we met (for @username lookups); writes only when something changed."""
    if svc.already_seen(user_id, username, full_name):
        return
    if not await people.user_is_current(svc.db.reader, user_id, username, full_name):
        async with svc.db.transaction() as tx:
            await people.upsert_user(tx, user_id, username, full_name, svc.clock.now())
    svc.seen(user_id, username, full_name)


@dataclass(frozen=True)
class GroupInfo:
    group: Group
    lo: people.User | None
    satker: list[tuple[str, str]]


async def info(svc: Services, chat_id: int) -> GroupInfo | None:
    """A group's registration as /infogrup shows it; None when the group is unknown."""
    group = await repo.get(svc.db.reader, chat_id)
    if group is None:
        return None
    lo = await people.get_user(svc.db.reader, group.lo_user_id) if group.lo_user_id else None
    return GroupInfo(group, lo, await repo.satker_of(svc.db.reader, group.chat_id))


async def satker_name(svc: Services, chat_id: int, kode: str) -> str | None:
    return await repo.satker_name(svc.db.reader, chat_id, kode)
