"""Mini App launch data: only Telegram's signature for this bot, fresh, naming a user."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.webauth import AuthError, validate
from tests.initdata import init_data

TOKEN = "123456:TEST-token-for-the-fake-bot-api-0000"
OTHER = "654321:another-bots-token-000000000000000"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
HOUR = 3600


def test_valid_launch_data_names_the_user() -> None:
    user = validate(init_data(TOKEN, 42, NOW - timedelta(minutes=5), "Budi"), TOKEN, NOW, HOUR)
    assert (user.user_id, user.full_name, user.auth_date) == (
        42,
        "Budi",
        NOW - timedelta(minutes=5),
    )


def test_a_tampered_field_breaks_the_signature() -> None:
    fields = dict(parse_qsl(init_data(TOKEN, 42, NOW)))
    fields["user"] = fields["user"].replace("42", "43")  # someone else's id, same hash
    with pytest.raises(AuthError, match="signature"):
        validate(urlencode(fields), TOKEN, NOW, HOUR)


def test_a_tampered_hash_is_refused() -> None:
    fields = dict(parse_qsl(init_data(TOKEN, 42, NOW)))
    fields["hash"] = fields["hash"][:-1] + ("0" if fields["hash"][-1] != "0" else "1")
    with pytest.raises(AuthError, match="signature"):
        validate(urlencode(fields), TOKEN, NOW, HOUR)


def test_another_bots_launch_data_is_refused() -> None:
    with pytest.raises(AuthError, match="signature"):
        validate(init_data(OTHER, 42, NOW), TOKEN, NOW, HOUR)


def test_expired_launch_data_is_refused() -> None:
    old = init_data(TOKEN, 42, NOW - timedelta(seconds=HOUR + 1))
    with pytest.raises(AuthError, match="old"):
        validate(old, TOKEN, NOW, HOUR)
    assert validate(init_data(TOKEN, 42, NOW - timedelta(seconds=HOUR)), TOKEN, NOW, HOUR)


def test_launch_data_from_the_future_is_refused() -> None:
    with pytest.raises(AuthError, match="old"):
        validate(init_data(TOKEN, 42, NOW + timedelta(minutes=10)), TOKEN, NOW, HOUR)


def test_launch_data_without_a_user_is_refused() -> None:
    with pytest.raises(AuthError, match="no user"):
        validate(init_data(TOKEN, None, NOW), TOKEN, NOW, HOUR)


@pytest.mark.parametrize("user", ['{"id":"42"}', '{"id":0}', "[42]", "not json", '{"name":"x"}'])
def test_a_signed_but_malformed_user_is_refused(user: str) -> None:
    with pytest.raises(AuthError, match="no user"):
        validate(init_data(TOKEN, None, NOW, user=user), TOKEN, NOW, HOUR)


@pytest.mark.parametrize(
    "raw", ["", "hash=abc", "a=1&a=2&hash=x", "%%%", "x" * 5000, "auth_date=1&hash=" + "0" * 64]
)
def test_missing_or_broken_launch_data_is_refused(raw: str) -> None:
    with pytest.raises(AuthError):
        validate(raw, TOKEN, NOW, HOUR)


def test_a_repeated_field_is_refused_even_when_signed() -> None:
    raw = init_data(TOKEN, 42, NOW) + "&auth_date=1"
    with pytest.raises(AuthError):
        validate(raw, TOKEN, NOW, HOUR)


@given(st.text(max_size=300))
def test_any_text_is_refused_with_auth_error_only(raw: str) -> None:
    with pytest.raises(AuthError):
        validate(raw, TOKEN, NOW, HOUR)
