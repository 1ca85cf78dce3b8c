"""Granting and revoking roles; only admins may, and every change is audited."""

from __future__ import annotations

from enum import Enum

from bot.groups import resolve_user
from bot.services import Services
from messages import roles as msg
from storage import audit, outbox, people
from storage import offices as offices_repo
from storage.models import ROLES

GRANTABLE = ("admin", "lo", "cso", "supervisor", "kepala", "kepatuhan", "peninjau")
ALIASES = {
    "lo": "lo",
    "liaison": "lo",
    "cso": "cso",
    "supervisor": "supervisor",
    "kasi": "supervisor",
    "kepala": "kepala",
    "kakanwil": "kepala",
    "kepalakantor": "kepala",
    "admin": "admin",
    "kepatuhan": "kepatuhan",
    "ki": "kepatuhan",
    "peninjau": "peninjau",
    "peninjaufaq": "peninjau",
    "reviewer": "peninjau",
}


class RoleOutcome(Enum):
    GRANTED = "granted"
    ALREADY = "already"
    REVOKED = "revoked"
    NOT_HELD = "not_held"
    UNKNOWN_ROLE = "unknown_role"
    UNKNOWN_USER = "unknown_user"
    REFUSED = "refused"
    CONFIG_ADMIN = "config_admin"


def parse_role(text: str) -> str | None:
    return ALIASES.get(text.strip().lower().replace("_", "").replace("-", ""))


async def change(
    svc: Services, actor_id: int, role_text: str, target: int | str, grant: bool
) -> tuple[RoleOutcome, people.User | None, str | None]:
    if "admin" not in await svc.roles_of(actor_id):
        return RoleOutcome.REFUSED, None, None
    role = parse_role(role_text)
    if role is None:
        return RoleOutcome.UNKNOWN_ROLE, None, None
    user = await resolve_user(svc, target)
    if user is None:
        return RoleOutcome.UNKNOWN_USER, None, role
    if not grant and role == "admin" and user.user_id in svc.settings.admin_ids:
        return RoleOutcome.CONFIG_ADMIN, user, role
    now = svc.clock.now()
    async with svc.db.transaction() as tx:
        if grant:
            changed = await people.grant(tx, svc.office_id, user.user_id, role, actor_id, now)
        else:
            changed = await people.revoke(tx, svc.office_id, user.user_id, role)
        if changed:
            action = "role.grant" if grant else "role.revoke"
            await audit.record(
                tx, actor_id, action, str(user.user_id), now, role, office_id=svc.office_id
            )
        if changed and grant:
            # The receiver learns what the role lets them do and their first steps.
            await outbox.enqueue(
                tx,
                f"role:{user.user_id}:{role}:{now.timestamp():.0f}",
                user.user_id,
                msg.role_received(role, svc.settings.office_name),
                now,
            )
    svc.roles_changed(user.user_id)
    if changed:
        await svc.changed("roles")
    if grant:
        return (RoleOutcome.GRANTED if changed else RoleOutcome.ALREADY), user, role
    return (RoleOutcome.REVOKED if changed else RoleOutcome.NOT_HELD), user, role


async def unreachable_ids(svc: Services) -> set[int]:
    """Who cannot receive the bot's private messages (never pressed Start, or blocked it)."""
    return await people.unreachable_ids(svc.db.reader)


async def listing(svc: Services) -> dict[str, list[people.User]]:
    result = {role: await people.holders(svc.db.reader, svc.office_id, role) for role in GRANTABLE}
    known = {u.user_id for u in result["admin"]}
    for admin_id in sorted(svc.settings.admin_ids - known):
        user = await people.get_user(svc.db.reader, admin_id)
        result["admin"].append(user or people.User.by_id(admin_id))
    return result


# ---- who may use which command (the one home of these rules) ------------------------------
async def is_admin(svc: Services, user_id: int) -> bool:
    return "admin" in await svc.roles_of(user_id)


async def may_choose_notices(svc: Services, user_id: int) -> bool:
    """/notifikasi: anyone who receives staff notices (every role but the satker's)."""
    return bool(await svc.roles_of(user_id))


async def may_edit_deadlines(svc: Services, user_id: int) -> bool:
    """/tahap tambah and /tahap hapus: the office's deadline calendar."""
    return await is_admin(svc, user_id)


async def may_reload_deadlines(svc: Services, user_id: int) -> bool:
    """/tahap muat: re-reading the reviewed deadline calendar file."""
    return await is_admin(svc, user_id)


async def may_record_other_channels(svc: Services, user_id: int) -> bool:
    """/catat: questions from the desk, phone, letters and other chats."""
    return await svc.has_role(user_id, "cso", "admin")


async def may_review_faq(svc: Services, user_id: int) -> bool:
    """Approving FAQ content speaks for the office: the head of office, or the Kasi the
    admin named reviewer."""
    return await svc.has_role(user_id, "peninjau", "kepala")


async def is_lo(svc: Services, user_id: int) -> bool:
    return await svc.has_role(user_id, "lo")


async def is_staff(svc: Services, user_id: int) -> bool:
    """Any office role: their group messages are answers or their own talk, never
    questions, and their replies to the bot are never FAQ questions."""
    return bool(await svc.roles_of(user_id) & set(ROLES))


async def supervised_offices(svc: Services, user_id: int) -> list[tuple[int, str]]:
    """(office id, Kanwil name) of the offices a Kanwil supervisor oversees (the offices
    file, config/offices.py); empty for everyone else. Their /rekap kanwil and the
    dashboard's Kanwil view show these offices and no other."""
    return await offices_repo.supervised(svc.db.reader, user_id)


async def is_kanwil(svc: Services, user_id: int) -> bool:
    return bool(await supervised_offices(svc, user_id))


async def acting_offices(svc: Services, user_id: int) -> list[int]:
    """The offices a person may act for in their private chat (/kantor): where they hold a
    role or that they supervise; every office for the deployment's admins (LOBOT_ADMIN_IDS)."""
    if user_id in svc.settings.admin_ids:
        return sorted(svc.offices)
    return await offices_repo.acting_offices(svc.db.reader, user_id)
