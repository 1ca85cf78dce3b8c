"""The periodic tick job, and draining the outbox right after a handler enqueued."""

from __future__ import annotations

import logging

from bot import outbox, tick, workers
from bot.context import LobotApp, LobotContext
from handlers.sender import make_sender

log = logging.getLogger(__name__)
TICK_JOB = "lobot-tick"


async def run_tick(context: LobotContext) -> tick.TickResult:
    result = await tick.tick(context.services, make_sender(context.bot))
    if result.enqueued or result.drained.sent or result.drained.failed:
        log.info("tick: enqueued %s, %s", result.enqueued, result.drained)
    return result


async def _tick_job(context: LobotContext) -> None:
    # Several workers: the leader ticks (bot/workers.py); the others only send their
    # replies, which their own senders do without a tick.
    svc = context.services
    if workers.leads(svc):
        await run_tick(context)
    else:  # following is this worker's tick: /healthz sees the job alive (bot/ops/health.py)
        svc.metrics.tick_started(svc.clock.now())


def tick_now(app: LobotApp) -> None:
    """This worker has just taken the lead: tick now, not at the next interval (what fell
    due while the old leader was dying goes out at once)."""
    if app.job_queue is not None and app.job_queue.get_jobs_by_name(TICK_JOB):
        app.job_queue.run_once(_tick_job, 0, name=f"{TICK_JOB}-lead")  # type: ignore[arg-type]


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


def send_soon(context: LobotContext) -> None:
    """A handler enqueued something: the sender sends it now, without the handler waiting."""
    outbox.wake(context.services)
