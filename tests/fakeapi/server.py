"""A fake Telegram Bot API server that behaves like Telegram for our purposes.

It serves ``/bot<token>/<method>`` over real HTTP (aiohttp), hands out updates through
long-polled ``getUpdates``, returns complete Message objects, records everything the bot
sends, and refuses what Telegram refuses: invalid HTML, text over 4096 characters,
callback data over 64 bytes, unknown chats, chats that kicked the bot (403), users who
never started the bot (403), and injected 429s with ``retry_after``. With ``limits`` set
(``FakeBotAPI(..., limits=TelegramLimits())`` or ``api.limits = ...``), it also keeps
Telegram's flood limits as sliding windows on its clock and answers 429 beyond them
(tests/fakeapi/limits.py); ``too_many`` counts those answers.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.fakeapi.html_check import ParseError, plain_text, utf16_len
from tests.fakeapi.limits import COUNTED, TelegramLimits

BOT_ID = 7000001
BOT_USERNAME = "lobot_test_bot"
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# The emoji a bot may react with (Bot API, ReactionTypeEmoji); "✅" is not among them.
REACTION_EMOJI = frozenset(
    "👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 🌚 🌭"
    " 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👀 🎃 🙈 😇 😨 🤝 ✍"
    " 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷 😡".split()
)


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass
class Chat:
    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    bot_status: str = "member"  # member, administrator, left, kicked
    started: bool = False  # private chats: the user pressed Start

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            d["title"] = self.title
        if self.first_name:
            d["first_name"] = self.first_name
        if self.username:
            d["username"] = self.username
        return d


# What Telegram sends for an administrator with default rights (all fields are required).
ADMIN_RIGHTS = {
    name: name in ("can_manage_chat", "can_delete_messages", "can_invite_users")
    for name in (
        "can_be_edited",
        "is_anonymous",
        "can_manage_chat",
        "can_delete_messages",
        "can_manage_video_chats",
        "can_restrict_members",
        "can_promote_members",
        "can_change_info",
        "can_invite_users",
        "can_post_stories",
        "can_edit_stories",
        "can_delete_stories",
    )
}


@dataclass
class Sent:
    method: str
    chat_id: int
    text: str
    message: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def plain(self) -> str:
        # Cached: waiting scans every message sent so far, and parsing HTML each time made
        # long scenarios (bench/office_week.py) quadratic. A Sent is never changed.
        return plain_text(self.text) if self.text else ""

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.message.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    @property
    def reply_to(self) -> int | None:
        r = self.message.get("reply_to_message")
        return r["message_id"] if r else None


class FakeBotAPI:
    def __init__(
        self,
        token: str,
        now: Callable[[], datetime] | None = None,
        limits: TelegramLimits | None = None,
    ) -> None:
        self.token = token
        self.now = now or (lambda: datetime.now(UTC))
        self.limits = limits
        self.chats: dict[int, Chat] = {}
        self.users: dict[int, dict[str, Any]] = {}
        # BotFather's privacy mode: getMe says the bot cannot read all group messages.
        self.privacy_mode = False
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        # (chat id, message id) -> the bot's reaction on it (setMessageReaction)
        self.reactions: dict[tuple[int, int], list[str]] = {}
        self.menu_buttons: dict[int, dict[str, Any]] = {}  # setChatMenuButton, by chat (0: default)
        self.refusals: list[tuple[str, int, str]] = []
        self.deleted: list[tuple[int, int]] = []  # (chat id, message id) the bot deleted
        self.answered: set[str] = set()  # callback query ids answered (once each, as Telegram)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._changed = asyncio.Condition()
        self._failures: list[tuple[str, ApiError, int | None]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.files: dict[str, bytes] = {}
        self._released = 0

    # ---- server life cycle -------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def release_polls(self) -> None:
        """Answer pending long polls now (as Telegram does when a client goes away)."""
        self._released += 1
        await self._notify()

    async def stop(self) -> None:
        self.webhook = None
        if self._pusher is not None:
            await self._pusher
        # Answer the long polls still open (a killed bot process leaves one behind), or
        # the server's shutdown waits out their timeout.
        await self.release_polls()
        if self._runner:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ---- world set-up ------------------------------------------------------------------
    def user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        last_name: str | None = None,
    ) -> dict[str, Any]:
        u: dict[str, Any] = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "id",
        }
        if username:
            u["username"] = username
        if last_name:
            u["last_name"] = last_name
        self.users[user_id] = u
        self.chats.setdefault(
            user_id, Chat(user_id, "private", first_name=first_name, username=username)
        )
        return u

    def group(self, chat_id: int, title: str, type_: str = "group") -> Chat:
        chat = Chat(chat_id, type_, title=title, bot_status="left")
        self.chats[chat_id] = chat
        return chat

    def bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Bot LO", "username": BOT_USERNAME}

    def fail_next(
        self,
        method: str,
        code: int,
        description: str,
        retry_after: int | None = None,
        chat_id: int | None = None,
    ) -> None:
        """The next call of ``method`` (to ``chat_id``, if given) fails like Telegram would."""
        self._failures.append((method, ApiError(code, description, retry_after), chat_id))

    # ---- updates the "users" cause -----------------------------------------------------
    def _push(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _ts(self) -> int:
        return int(self.now().timestamp())

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    def add_bot(self, chat_id: int, by: int, status: str = "member") -> dict[str, Any]:
        chat = self.chats[chat_id]
        old = chat.bot_status
        chat.bot_status = status
        return self._push(
            {
                "my_chat_member": {
                    "chat": chat.as_dict(),
                    "from": self.users[by],
                    "date": self._ts(),
                    "old_chat_member": {"status": old, "user": self.bot_user()},
                    "new_chat_member": {
                        "status": status,
                        "user": self.bot_user(),
                        **(ADMIN_RIGHTS if status == "administrator" else {}),
                    },
                }
            }
        )

    def kick_bot(self, chat_id: int, by: int) -> dict[str, Any]:
        chat = self.chats[chat_id]
        old = chat.bot_status
        chat.bot_status = "kicked"
        return self._push(
            {
                "my_chat_member": {
                    "chat": chat.as_dict(),
                    "from": self.users[by],
                    "date": self._ts(),
                    "old_chat_member": {"status": old, "user": self.bot_user()},
                    "new_chat_member": {
                        "status": "kicked",
                        "user": self.bot_user(),
                        "until_date": 0,
                    },
                }
            }
        )

    def say(
        self, chat_id: int, user_id: int, text: str, reply_to: int | None = None, **extra: Any
    ) -> dict[str, Any]:
        """A user sends a text message; commands get their bot_command entity."""
        chat = self.chats[chat_id]
        if chat.type == "private":
            chat.started = True
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "date": self._ts(),
            "chat": chat.as_dict(),
            "from": self.users[user_id],
            **extra,
        }
        if text:
            message["text"] = text
            if text.startswith("/"):
                word = text.split()[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(word)}
                ]
        caption = str(extra.get("caption") or "")
        if caption.startswith("/"):  # Telegram marks a command in a caption too
            word = caption.split()[0]
            message["caption_entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(word)}
            ]
        if reply_to is not None:
            message["reply_to_message"] = self.messages[(chat_id, reply_to)]
        self.messages[(chat_id, message["message_id"])] = message
        self._push({"message": message})
        return message

    def send_photo(
        self, chat_id: int, user_id: int, caption: str, reply_to: int | None = None
    ) -> dict[str, Any]:
        photo = [
            {
                "file_id": f"photo-{len(self.files)}",
                "file_unique_id": f"u{len(self.files)}",
                "width": 800,
                "height": 600,
                "file_size": 1000,
            }
        ]
        return self.say(chat_id, user_id, "", reply_to, photo=photo, caption=caption)

    def send_document(
        self, chat_id: int, user_id: int, caption: str, name: str = "bukti.pdf"
    ) -> dict[str, Any]:
        document = {
            "file_id": f"doc-{len(self.files)}",
            "file_unique_id": f"d{len(self.files)}",
            "file_name": name,
            "file_size": 1000,
        }
        return self.say(chat_id, user_id, "", None, document=document, caption=caption)

    def migrate(self, old_id: int, new_id: int, by: int) -> None:
        """Telegram upgrades a group: a service message in each chat."""
        old = self.chats[old_id]
        new = Chat(new_id, "supergroup", title=old.title, bot_status=old.bot_status)
        self.chats[new_id] = new
        old.bot_status = "left"
        for chat, key, value in (
            (old, "migrate_to_chat_id", new_id),
            (new, "migrate_from_chat_id", old_id),
        ):
            message = {
                "message_id": self._next_message_id(chat.id),
                "date": self._ts(),
                "chat": chat.as_dict(),
                "from": self.users[by],
                key: value,
            }
            self._push({"message": message})

    def press(self, chat_id: int, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        message = self.messages[(chat_id, message_id)]
        return self._push(
            {
                "callback_query": {
                    "id": str(next(self._update_ids) * 7),
                    "from": self.users[user_id],
                    "chat_instance": str(chat_id),
                    "message": message,
                    "data": data,
                }
            }
        )

    async def wait_answered(self, update: dict[str, Any], timeout: float = 10) -> dict[str, Any]:
        """The answerCallbackQuery call for the button press ``update``."""
        query_id = update["callback_query"]["id"]

        async def found() -> dict[str, Any]:
            async with self._changed:
                while True:
                    for name, params in self.calls:
                        if name == "answered" and str(params.get("callback_query_id")) == query_id:
                            return params
                    await self._changed.wait()

        return await asyncio.wait_for(found(), timeout)

    # ---- waiting -------------------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[Sent], bool], timeout: float = 10) -> Sent:
        """The first sent message (so far or to come) matching ``predicate``."""

        async def found() -> Sent:
            async with self._changed:
                while True:
                    for s in self.sent:
                        if predicate(s):
                            return s
                    await self._changed.wait()

        return await asyncio.wait_for(found(), timeout)

    async def wait_sent(
        self, chat_id: int, contains: str = "", timeout: float = 10, after: int = 0
    ) -> Sent:
        """The first message to ``chat_id`` containing ``contains``, from index ``after``."""

        async def found() -> Sent:
            start = after
            async with self._changed:
                while True:
                    for s in self.sent[start:]:
                        if s.chat_id == chat_id and contains in s.plain:
                            return s
                    start = max(start, len(self.sent))  # messages are only ever appended
                    await self._changed.wait()

        return await asyncio.wait_for(found(), timeout)

    async def wait_reaction(self, chat_id: int, message_id: int, timeout: float = 10) -> list[str]:
        """The bot's reaction on a message, once it has set one."""

        async def found() -> list[str]:
            async with self._changed:
                while (chat_id, message_id) not in self.reactions:
                    await self._changed.wait()
                return self.reactions[(chat_id, message_id)]

        return await asyncio.wait_for(found(), timeout)

    def sent_to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    # ---- the Bot API -----------------------------------------------------------------
    async def _file(self, request: web.Request) -> web.Response:
        return web.Response(body=self.files.get(request.match_info["path"], b""))

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        try:
            for i, (name, error, chat) in enumerate(self._failures):
                if name == method and (chat is None or str(chat) == str(params.get("chat_id"))):
                    del self._failures[i]
                    raise error
            handler = getattr(self, f"api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            self._flood_check(method, params)
            result = await handler(params)
            if self.limits is not None and method in COUNTED:
                self.limits.record(int(params["chat_id"]), self.now().timestamp())
        except ApiError as exc:
            self.refusals.append((method, exc.code, exc.description))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.code,
                "description": exc.description,
            }
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return web.json_response(body, status=exc.code)
        return web.json_response({"ok": True, "result": result})

    @property
    def too_many(self) -> int:
        """429s answered for Telegram's limits (not the injected ones)."""
        return len(self.limits.refused) if self.limits is not None else 0

    def _flood_check(self, method: str, params: dict[str, Any]) -> None:
        """Refuse a message beyond Telegram's limits as Telegram does (429, retry_after)."""
        if self.limits is None or method not in COUNTED:
            return
        try:
            chat = self.chats.get(int(params.get("chat_id", "")))
        except ValueError:
            return  # the method itself refuses a bad chat id
        if chat is None:
            return
        retry = self.limits.check(chat.id, chat.type == "private", self.now().timestamp())
        if retry is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry}", retry)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        raw: dict[str, Any] = {}
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if hasattr(value, "file"):
                    raw[key] = {"filename": value.filename, "content": value.file.read()}
                else:
                    raw[key] = value
        raw.update(request.query)
        parsed: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and value[:1] in "{[":
                try:
                    parsed[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            parsed[key] = value
        return parsed

    async def api_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
        }

    async def api_setChatMenuButton(self, p: dict[str, Any]) -> bool:
        button = p.get("menu_button") or {"type": "default"}
        if isinstance(button, str):
            button = json.loads(button)
        if button.get("type") == "web_app":
            url = str((button.get("web_app") or {}).get("url", ""))
            if not url.startswith("https://") or not button.get("text"):
                raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        chat = int(p["chat_id"]) if p.get("chat_id") is not None else 0
        self.menu_buttons[chat] = button
        return True

    # ---- webhook mode ------------------------------------------------------------------
    # Like Telegram: while a webhook is set, getUpdates answers 409 and each update is
    # posted to the webhook, one at a time (max_connections=1 here), with the secret in
    # its header, until one answer is 2xx; a refused one is posted again. ``webhook_forward``
    # is the reverse proxy: the webhook URL's path on this local address, or on each of a
    # list of addresses in turn (several workers behind the proxy; one that does not
    # answer 2xx is passed over for the next).

    webhook: dict[str, Any] | None = None
    webhook_forward: str | list[str] | None = None

    async def api_setWebhook(self, p: dict[str, Any]) -> bool:
        url = str(p.get("url") or "")
        secret = str(p.get("secret_token") or "")
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        if secret and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": int(p.get("max_connections") or 40),
            "allowed_updates": p.get("allowed_updates"),
        }
        self.webhook_answers: list[int] = []
        self.webhook_posts: dict[str, int] = {}  # updates accepted, by forward address
        self.delivered: list[dict[str, Any]] = []
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.get_running_loop().create_task(self._push_webhook())
        await self._notify()
        return True

    async def api_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook = None
        await self._notify()
        return True

    _pusher: asyncio.Task[None] | None = None
    _forwarded = 0  # the address of webhook_forward's list the last update went to
    _poll: asyncio.Future[bool] | None = None  # the getUpdates now waiting
    conflicts = 0

    async def _push_webhook(self) -> None:
        from urllib.parse import urlsplit

        import aiohttp

        async with aiohttp.ClientSession() as session:
            while self.webhook is not None:
                hook = self.webhook
                if not self._updates or self.webhook_forward is None:
                    async with self._changed:
                        try:
                            await asyncio.wait_for(self._changed.wait(), 0.2)
                        except TimeoutError:
                            pass
                    continue
                update = self._updates[0]
                forwards = self.webhook_forward
                if isinstance(forwards, list):
                    self._forwarded = (self._forwarded + 1) % len(forwards)
                    forwards = forwards[self._forwarded]
                target = forwards + urlsplit(hook["url"]).path
                headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}
                try:
                    async with session.post(target, json=update, headers=headers) as answer:
                        status = answer.status
                except aiohttp.ClientError:
                    status = 0  # the bot is down: Telegram keeps the update and tries again
                self.webhook_answers.append(status)
                if 200 <= status < 300:
                    self.webhook_posts[forwards] = self.webhook_posts.get(forwards, 0) + 1
                    self._updates = [u for u in self._updates if u is not update]
                    self.delivered.append(update)
                else:
                    await asyncio.sleep(0.05)  # Telegram backs off longer; a test need not

    async def api_setMyCommands(self, p: dict[str, Any]) -> bool:
        for cmd in p.get("commands", []):
            if not (1 <= len(cmd["command"]) <= 32) or not (1 <= len(cmd["description"]) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        return True

    async def api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # Like Telegram, one client polls at a time: a new getUpdates ends the one still
        # waiting with 409 Conflict (``conflicts`` counts them).
        if self._poll is not None and not self._poll.done():
            self._poll.set_result(True)
            await self._notify()
        mine: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._poll = mine
        if not self._updates and timeout > 0:
            try:
                async with self._changed:
                    released = self._released
                    await asyncio.wait_for(
                        self._changed.wait_for(
                            lambda: bool(self._updates) or self._released != released or mine.done()
                        ),
                        timeout,
                    )
            except TimeoutError:
                pass
        if mine.done():
            self.conflicts += 1
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one"
                " bot instance is running",
            )
        mine.set_result(False)
        return list(self._updates[:100])

    def _target(self, p: dict[str, Any]) -> Chat:
        try:
            chat_id = int(p["chat_id"])
        except (KeyError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        if chat.type == "private" and not chat.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        if chat.bot_status == "kicked":
            kind = "supergroup" if chat.type == "supergroup" else "group"
            raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
        if chat.bot_status == "left" and chat.type != "private":
            raise ApiError(403, "Forbidden: bot is not a member of the group chat")
        return chat

    def _check_text(self, text: str, parse_mode: str | None, limit: int, what: str) -> None:
        if parse_mode and parse_mode.upper() == "HTML":
            try:
                visible = plain_text(text)
            except ParseError as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        else:
            visible = text
        if what == "text" and not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(visible) > limit:
            raise ApiError(
                400, f"Bad Request: message {'caption ' if what != 'text' else ''}is too long"
            )

    @staticmethod
    def _check_markup(markup: Any, chat: Chat | None = None) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                app = button.get("web_app")
                if app is not None and (chat is None or chat.type != "private"):
                    raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")  # private chats only
                if app is not None and not str(app.get("url", "")).startswith("https://"):
                    raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )

    def _record(
        self, method: str, chat: Chat, p: dict[str, Any], raw: str, **content: Any
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "date": self._ts(),
            "chat": chat.as_dict(),
            "from": self.bot_user(),
            **content,
        }
        reply = p.get("reply_parameters") or (
            {"message_id": int(p["reply_to_message_id"])} if p.get("reply_to_message_id") else None
        )
        if reply:
            original = self.messages.get((chat.id, int(reply["message_id"])))
            if original is None and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            if original is not None:
                message["reply_to_message"] = original
        markup = p.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if markup and "inline_keyboard" in markup:
            # Like Telegram: a message carries only inline keyboards (a ForceReply is not
            # part of the message a reply later quotes).
            message["reply_markup"] = markup
        self.messages[(chat.id, message["message_id"])] = message
        self.sent.append(Sent(method, chat.id, raw, message, p))
        asyncio.get_running_loop().create_task(self._notify())
        return message

    async def api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(p)
        text = str(p.get("text", ""))
        self._check_text(text, p.get("parse_mode"), TEXT_LIMIT, "text")
        self._check_markup(p.get("reply_markup"), chat)
        return self._record(
            "sendMessage",
            chat,
            p,
            text,
            text=plain_text(text) if (p.get("parse_mode") or "").upper() == "HTML" else text,
        )

    async def _send_file(self, method: str, field_name: str, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(p)
        caption = str(p.get("caption", ""))
        self._check_text(caption, p.get("parse_mode"), CAPTION_LIMIT, "caption")
        self._check_markup(p.get("reply_markup"))
        upload = p.get(field_name)
        if not isinstance(upload, dict) and not isinstance(upload, str):
            raise ApiError(400, f"Bad Request: there is no {field_name} in the request")
        file_id = f"{field_name}-{len(self.files)}"
        content = upload["content"] if isinstance(upload, dict) else b""
        self.files[file_id] = content
        doc = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": upload.get("filename") if isinstance(upload, dict) else None,
            "file_size": len(content),
        }
        if field_name == "photo":  # Telegram answers with the sizes it made
            sizes = [{**doc, "width": 1200, "height": 675}]
            return self._record(method, chat, p, caption, caption=caption, photo=sizes)
        return self._record(method, chat, p, caption, caption=caption, **{field_name: doc})

    async def api_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file("sendDocument", "document", p)

    async def api_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file("sendPhoto", "photo", p)

    async def api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(p)
        key = (chat.id, int(p["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        text = str(p.get("text", ""))
        self._check_text(text, p.get("parse_mode"), TEXT_LIMIT, "text")
        self._check_markup(p.get("reply_markup"))
        message = dict(self.messages[key])
        shown = plain_text(text) if (p.get("parse_mode") or "").upper() == "HTML" else text
        if message.get("text") == shown and message.get("reply_markup") == p.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message["text"] = shown
        if "reply_markup" in p:
            message["reply_markup"] = p["reply_markup"]
        else:
            message.pop("reply_markup", None)
        self.messages[key] = message
        self.sent.append(Sent("editMessageText", chat.id, text, message, p))
        await self._notify()
        return message

    async def api_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._target(p)
        key = (chat.id, int(p["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        self._check_markup(p.get("reply_markup"))
        message = dict(self.messages[key])
        message["reply_markup"] = p.get("reply_markup")
        self.messages[key] = message
        self.calls.append(("edited", {"chat_id": chat.id, "message_id": key[1]}))
        return message

    async def api_setMessageReaction(self, p: dict[str, Any]) -> bool:
        """Like Telegram: a bot may set one reaction from the standard emoji set on a message
        that exists in the chat; anything else is refused."""
        chat = self._target(p)
        key = (chat.id, int(p["message_id"]))
        if key not in self.messages or key in self.deleted:
            raise ApiError(400, "Bad Request: message to react not found")
        reaction = p.get("reaction") or []
        if not isinstance(reaction, list) or len(reaction) > 1:
            raise ApiError(400, "Bad Request: REACTIONS_TOO_MANY")
        for r in reaction:
            if r.get("type") != "emoji" or r.get("emoji") not in REACTION_EMOJI:
                raise ApiError(400, "Bad Request: REACTION_INVALID")
        self.reactions[key] = [str(r["emoji"]) for r in reaction]
        await self._notify()
        return True

    async def api_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        if len(str(p.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query_id = str(p.get("callback_query_id"))
        if query_id in self.answered:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.answered.add(query_id)
        self.calls.append(("answered", p))
        await self._notify()
        return True

    async def api_deleteMessage(self, p: dict[str, Any]) -> bool:
        """Like Telegram: the bot deletes its own messages, or others' as an administrator
        with the right to delete (the default rights here)."""
        chat = self._target(p)
        key = (chat.id, int(p["message_id"]))
        message = self.messages.get(key)
        if message is None or key in self.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        own = message.get("from", {}).get("id") == BOT_ID
        if not own and chat.bot_status != "administrator":
            raise ApiError(400, "Bad Request: message can't be deleted")
        self.deleted.append(key)
        await self._notify()
        return True

    async def api_getChatMember(self, p: dict[str, Any]) -> dict[str, Any]:
        """Only the bot's own membership is asked for (privacy: can it read the group?)."""
        chat = self._target(p)
        if int(p["user_id"]) != BOT_ID:
            raise ApiError(400, "Bad Request: user not found")
        rights = ADMIN_RIGHTS if chat.bot_status == "administrator" else {}
        return {"status": chat.bot_status, "user": self.bot_user(), **rights}

    async def api_getChat(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._target(p).as_dict()

    async def api_getFile(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"file_id": p["file_id"], "file_unique_id": p["file_id"], "file_path": p["file_id"]}
