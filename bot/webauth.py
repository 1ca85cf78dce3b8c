"""Telegram Mini App launch data (``initData``): who opens the dashboard, proven by Telegram.

Telegram signs the launch data with a key only it and this bot know: the data-check string
(every field but ``hash``, sorted, ``key=value`` lines) under HMAC-SHA256 with the key
``HMAC_SHA256(key="WebAppData", msg=bot_token)``. The server checks that signature on every
request, and refuses data older than ``max_age`` (it is signed once, when the app opens;
a copy that leaked from a log or a screenshot must not open the dashboard for long).
Pure: no Telegram, no database; the roles are looked up by the caller.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

MAX_LENGTH = 4096  # Telegram's launch data is a few hundred bytes
FUTURE_SKEW = 60  # seconds a client's auth_date may be ahead of our clock


class AuthError(ValueError):
    """The launch data is missing, forged, for another bot, too old or names no user.
    The message is for the log, never for the client."""


@dataclass(frozen=True)
class WebUser:
    user_id: int
    full_name: str
    username: str | None
    auth_date: datetime


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The ``hash`` Telegram would give these fields (for tests and benchmarks)."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")
    return hmac.new(secret_key(bot_token), check.encode(), hashlib.sha256).hexdigest()


def validate(raw: str, bot_token: str, now: datetime, max_age: int) -> WebUser:
    """The user the launch data names, or AuthError saying why not."""
    if not raw or len(raw) > MAX_LENGTH:
        raise AuthError("no launch data, or too long")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise AuthError("launch data is not a query string") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise AuthError("a field is repeated")
    given = fields.get("hash", "")
    if not hmac.compare_digest(sign(fields, bot_token), given):
        raise AuthError("signature does not match this bot")
    try:
        auth_date = int(fields.get("auth_date", ""))
    except ValueError:
        raise AuthError("auth_date missing or not a number") from None
    age = now.timestamp() - auth_date
    if age > max_age or age < -FUTURE_SKEW:
        raise AuthError(f"launch data is {age:.0f} s old (limit {max_age} s)")
    return _user(fields.get("user"), datetime.fromtimestamp(auth_date, now.tzinfo))


def _user(raw: str | None, auth_date: datetime) -> WebUser:
    try:
        data = json.loads(raw or "")
    except ValueError:
        raise AuthError("no user in the launch data") from None
    if not isinstance(data, dict) or type(data.get("id")) is not int or data["id"] <= 0:
        raise AuthError("no user in the launch data")
    name = " ".join(str(data.get(k) or "") for k in ("first_name", "last_name")).strip()
    username = data.get("username")
    return WebUser(
        data["id"],
        name or str(data["id"]),
        username if isinstance(username, str) else None,
        auth_date,
    )
