"""Role administration: /beriperan, /cabutperan, /peran (private chat)."""

from __future__ import annotations

from telegram import Update

from bot import parsing
from bot import roles as domain
from bot.context import LobotApp, LobotContext
from handlers import commands
from handlers.common import arg_text, is_private, replied_user_id, reply, roles
from handlers.common import user_id as _uid
from messages import common as common_msg
from messages import groups as group_msg
from messages import roles as msg
from messages.help import ADMIN, EVERYONE, Command

COMMANDS = [
    Command("peran", "", "Lihat peran", EVERYONE, "private"),
    Command("beriperan", "peran @pengguna", "Berikan peran", ADMIN, "private"),
    Command("cabutperan", "peran @pengguna", "Cabut peran", ADMIN, "private"),
]


async def _change(update: Update, context: LobotContext, grant: bool) -> None:
    verb = "beriperan" if grant else "cabutperan"
    if not await domain.is_admin(context.services, _uid(update)):
        await reply(update, common_msg.refused(["admin"]))
        return
    role_text, rest = parsing.split_first(arg_text(update))
    target: int | str | None = parsing.user_ref(rest) if rest else replied_user_id(update)
    if not role_text or target is None:
        await reply(update, msg.usage(verb))
        return
    assert update.effective_user
    outcome, user, role = await domain.change(
        context.services, update.effective_user.id, role_text, target, grant
    )
    await reply(update, _render(outcome, user, role))


def _render(outcome: domain.RoleOutcome, user: object, role: str | None) -> str:
    if outcome is domain.RoleOutcome.UNKNOWN_ROLE:
        return msg.unknown_role()
    if outcome is domain.RoleOutcome.UNKNOWN_USER:
        return group_msg.unknown_user()
    if outcome is domain.RoleOutcome.REFUSED:
        return common_msg.refused(["admin"])
    if outcome is domain.RoleOutcome.CONFIG_ADMIN:
        return msg.config_admin()
    assert user is not None and role is not None
    render = {
        domain.RoleOutcome.GRANTED: msg.granted,
        domain.RoleOutcome.ALREADY: msg.already,
        domain.RoleOutcome.REVOKED: msg.revoked,
        domain.RoleOutcome.NOT_HELD: msg.not_held,
    }[outcome]
    return render(user, role)  # type: ignore[arg-type]


async def beriperan(update: Update, context: LobotContext) -> None:
    await _change(update, context, grant=True)


async def cabutperan(update: Update, context: LobotContext) -> None:
    await _change(update, context, grant=False)


async def peran(update: Update, context: LobotContext) -> None:
    svc = context.services
    if is_private(update) and await domain.is_admin(svc, _uid(update)):
        await reply(
            update, msg.listing(await domain.listing(svc), await domain.unreachable_ids(svc))
        )
    else:
        await reply(update, msg.my_roles(await roles(update, context)))


def register(app: LobotApp) -> None:
    commands.add(app, COMMANDS, {"beriperan": beriperan, "cabutperan": cabutperan, "peran": peran})
