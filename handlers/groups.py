"""Group life cycle: joined, removed, migrated, renamed; registration commands."""

from __future__ import annotations

from telegram import ChatMember, ChatMemberUpdated, Update
from telegram.error import TelegramError
from telegram.ext import ChatMemberHandler, MessageHandler, filters

from bot import groups as domain
from bot import parsing, privacy
from bot.context import LobotApp, LobotContext
from bot.groups import User
from handlers import commands
from handlers.common import arg_text, replied_user_id, reply
from handlers.tick import send_soon
from messages import common as common_msg
from messages import groups as msg
from messages.help import EVERYONE, MANAGERS, Command

_PRESENT = {ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.RESTRICTED}


COMMANDS = [
    Command("operator", "kode_satker", "Daftar sebagai operator satker", EVERYONE, "group"),
    Command("infogrup", "", "Informasi grup, LO dan satker", EVERYONE, "group"),
    Command("daftargrup", "[@lo] nama K/L", "Daftarkan grup ke LO", MANAGERS, "group"),
    Command("satker", "kode nama", "Tambahkan satker ke grup", MANAGERS, "group"),
    Command("hapussatker", "kode", "Hapus satker dari grup", MANAGERS, "group"),
]


def _joined_or_left(change: ChatMemberUpdated) -> bool | None:
    was = change.old_chat_member.status in _PRESENT
    now = change.new_chat_member.status in _PRESENT
    if change.new_chat_member.status == ChatMember.RESTRICTED:
        now = bool(getattr(change.new_chat_member, "is_member", True))
    if was == now:
        return None
    return now


async def on_my_chat_member(update: Update, context: LobotContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type not in ("group", "supergroup"):
        return
    joined = _joined_or_left(change)
    svc = context.services
    if joined is None:
        return
    if not joined:
        await domain.bot_removed(svc, change.chat.id, f"bot {change.new_chat_member.status}")
        return
    group = await domain.bot_added(svc, change.chat.id, change.chat.title or "")
    now = svc.clock.now()
    status = change.new_chat_member.status
    blind = privacy.cannot_read(status, bool(context.bot.can_read_all_group_messages))
    text = (
        msg.joined_again(group, now, svc.tz)
        if group.active
        else msg.joined_pending(group.title, now, svc.tz, can_read=not blind)
    )
    await reply(update, text)
    if blind:
        adder = change.from_user.id if change.from_user else None
        key = f"privacy:{change.chat.id}:{update.update_id}"
        await privacy.warn(svc, change.chat.id, change.chat.title or "", adder, key)
        send_soon(context)


async def on_migrate(update: Update, context: LobotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await domain.migrated(context.services, message.chat_id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await domain.migrated(context.services, message.migrate_from_chat_id, message.chat_id)


async def on_title(update: Update, context: LobotContext) -> None:
    message = update.effective_message
    if message is None or not message.new_chat_title:
        return
    await domain.renamed(context.services, message.chat_id, message.new_chat_title)


async def daftargrup(update: Update, context: LobotContext) -> None:
    first, rest = parsing.split_first(arg_text(update))
    target: int | str | None = replied_user_id(update)
    if first.startswith("@"):
        target, kl_name = parsing.user_ref(first), rest
    else:
        kl_name = arg_text(update)
    if not kl_name or (first.startswith("@") and target is None) or len(kl_name) > 200:
        await reply(update, msg.register_usage())
        return
    chat = update.effective_chat
    assert chat is not None and update.effective_user is not None
    result = await domain.register(
        context.services, chat.id, chat.title or "", update.effective_user.id, target, kl_name
    )
    if result.outcome is domain.Outcome.OK:
        assert result.group is not None and result.lo is not None
        can_read = await _can_read(context, chat.id)
        await reply(update, msg.registered(result.group, result.lo, can_read))
    elif result.outcome is domain.Outcome.REFUSED:
        await reply(update, common_msg.refused(["lo", "admin"]))
    elif result.outcome is domain.Outcome.UNKNOWN_USER:
        await reply(update, msg.unknown_user())
    else:
        await reply(update, msg.target_not_lo())


async def satker(update: Update, context: LobotContext) -> None:
    first, name = parsing.split_first(arg_text(update))
    kode = parsing.kode_satker(first)
    if kode is None or not name or len(name) > 200:
        await reply(update, msg.satker_usage())
        return
    assert update.effective_chat and update.effective_user
    outcome = await domain.add_satker(
        context.services, update.effective_chat.id, update.effective_user.id, kode, name
    )
    await _reply_outcome(update, outcome, msg.satker_added(kode, name))


async def hapussatker(update: Update, context: LobotContext) -> None:
    kode = parsing.kode_satker(arg_text(update))
    if kode is None:
        await reply(update, msg.satker_usage())
        return
    assert update.effective_chat and update.effective_user
    outcome = await domain.remove_satker(
        context.services, update.effective_chat.id, update.effective_user.id, kode
    )
    await _reply_outcome(update, outcome, msg.satker_removed(kode), kode)


async def _reply_outcome(update: Update, outcome: domain.Outcome, ok: str, kode: str = "") -> None:
    if outcome is domain.Outcome.OK:
        await reply(update, ok)
    elif outcome is domain.Outcome.NOT_REGISTERED:
        await reply(update, common_msg.group_not_registered())
    elif outcome is domain.Outcome.UNKNOWN_SATKER:
        await reply(update, msg.satker_unknown(kode))
    else:
        await reply(update, common_msg.refused(["lo", "admin"]))


async def operator(update: Update, context: LobotContext) -> None:
    kode = parsing.kode_satker(arg_text(update))
    if kode is None:
        await reply(update, msg.operator_usage())
        return
    chat, user = update.effective_chat, update.effective_user
    assert chat and user
    svc = context.services
    result = await domain.register_operator(svc, chat.id, user.id, kode)
    if result.outcome is domain.Outcome.OK:
        name = await domain.satker_name(svc, chat.id, kode)
        who = User(user.id, user.username, user.full_name)
        await reply(update, msg.operator_registered(who, kode, name))
    elif result.outcome is domain.Outcome.NO_SATKER:
        await reply(update, msg.operator_no_satker())
    elif result.outcome is domain.Outcome.UNKNOWN_SATKER:
        await reply(update, msg.satker_unknown(kode))
    else:
        await reply(update, common_msg.group_not_registered())


async def infogrup(update: Update, context: LobotContext) -> None:
    svc = context.services
    assert update.effective_chat
    found = await domain.info(svc, update.effective_chat.id)
    if found is None:
        await reply(update, common_msg.group_not_registered())
        return
    can_read = await _can_read(context, update.effective_chat.id)
    await reply(update, msg.group_info(found.group, found.lo, found.satker, can_read))


async def _can_read(context: LobotContext, chat_id: int) -> bool:
    """Whether the bot sees members' messages here: privacy mode off, or an administrator
    (asked of Telegram now; when it cannot tell, assume so rather than alarm anyone)."""
    if context.bot.can_read_all_group_messages:
        return True
    try:
        member = await context.bot.get_chat_member(chat_id, context.bot.id)
    except TelegramError:
        return True
    return not privacy.cannot_read(member.status, False)


def register(app: LobotApp) -> None:
    # Group 0 (default): membership and service messages first, then commands.
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    app.add_handler(MessageHandler(filters.StatusUpdate.NEW_CHAT_TITLE, on_title))
    commands.add(
        app,
        COMMANDS,
        {
            "daftargrup": daftargrup,
            "satker": satker,
            "hapussatker": hapussatker,
            "operator": operator,
            "infogrup": infogrup,
        },
    )
