"""The periodic tick job and the Telegram side of the outbox sender."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from telegram import InlineKeyboardMarkup, Message, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot

from bot import outbox, tick
from bot.app import LobotRateLimiter
from bot.context import LobotApp, LobotContext
from storage.outbox import OutboxRow

log = logging.getLogger(__name__)
TICK_JOB = "lobot-tick"


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


async def run_tick(context: LobotContext) -> tick.TickResult:
    result = await tick.tick(context.services, make_sender(context.bot))
    if result.enqueued or result.drained.sent or result.drained.failed:
        log.info("tick: enqueued %s, %s", result.enqueued, result.drained)
    return result


async def _tick_job(context: LobotContext) -> None:
    await run_tick(context)


def kick(context: LobotContext) -> None:
    """Drain soon (after a handler enqueued something), without waiting for the next tick."""
    if context.job_queue is not None:
        context.job_queue.run_once(_tick_job, 0, name=f"{TICK_JOB}-kick")  # type: ignore[arg-type]


def register(app: LobotApp, interval: float) -> None:
    assert app.job_queue is not None
    app.job_queue.run_repeating(
        _tick_job,  # type: ignore[arg-type]
        interval=interval,
        first=1,
        name=TICK_JOB,
        # A missed tick must still run (APScheduler's default grace of 1 s drops it);
        # coalesce so a long pause yields one catch-up tick, not a burst.
        job_kwargs={"misfire_grace_time": 600, "coalesce": True, "max_instances": 1},
    )


async def drain_now(context: LobotContext) -> None:
    """Send what a handler just enqueued (an answer, a notice) without waiting for a tick."""
    await outbox.drain(context.services, make_sender(context.bot))
