"""The Telegram side of the outbox: turn a row into a Bot API call, errors into outbox's."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter, ExtBot

from bot import outbox
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)


class LobotRateLimiter(AIORateLimiter):
    """PTB's limiter, with a way to say "do not retry" for one call.

    PTB drops a falsy ``rate_limit_args`` (0) on the way and then reads
    ``rate_limit_args or max_retries``, so 0 cannot mean "no retry". We build the limiter
    with ``max_retries=0``, keep the default for replies (which wait out a 429) here, and
    read ``NO_RETRY`` (-1, truthy) as zero retries: the outbox uses it and reschedules the
    row on our clock instead of sleeping.
    """

    NO_RETRY = -1

    def __init__(self, reply_retries: int = 2) -> None:
        super().__init__(max_retries=0)
        self.reply_retries = reply_retries

    async def process_request(  # type: ignore[override]
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        retries = self.reply_retries if rate_limit_args is None else max(rate_limit_args, 0)
        return await super().process_request(callback, args, kwargs, endpoint, data, retries)


async def _deliver(
    bot: ExtBot[int],
    row: OutboxRow,
    markup: InlineKeyboardMarkup | None,
    reply_to: ReplyParameters | None,
) -> Message:
    # Flood control is waited out on our clock (the row's not_before), not by sleeping here.
    no_retry = LobotRateLimiter.NO_RETRY
    attachment = row.attachment
    if attachment is None:
        return await bot.send_message(
            row.chat_id,
            row.text,
            reply_markup=markup,
            reply_parameters=reply_to,
            rate_limit_args=no_retry,
        )
    path = Path(attachment["path"])
    try:
        if attachment.get("kind") == "photo":
            return await bot.send_photo(
                row.chat_id, path, caption=row.text, rate_limit_args=no_retry
            )
        return await bot.send_document(
            row.chat_id, path, filename=path.name, caption=row.text, rate_limit_args=no_retry
        )
    except OSError as exc:  # the file went missing: retrying will not bring it back
        raise outbox.Rejected(f"attachment {path.name}: {exc}") from exc


def make_sender(bot: ExtBot[int]) -> outbox.Send:
    async def send(row: OutboxRow) -> int:
        markup = InlineKeyboardMarkup.de_json(row.reply_markup, bot) if row.reply_markup else None
        reply_to = (
            ReplyParameters(row.reply_to_message_id, allow_sending_without_reply=True)
            if row.reply_to_message_id
            else None
        )
        try:
            message = await _deliver(bot, row, markup, reply_to)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise outbox.RetryLater(seconds) from exc
        except Forbidden as exc:
            raise outbox.ChatGone(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise outbox.ChatGone(str(exc)) from exc
            raise outbox.Rejected(str(exc)) from exc
        except (TimedOut, NetworkError) as exc:
            raise outbox.Transient(str(exc)) from exc
        return message.message_id

    return send
