"""What the bot tells its metrics, as plain method calls; this base class records nothing.

Domain modules (the outbox sender, the tick, the backup job) and the Telegram side (the
update processor, the error handler) call these on ``svc.metrics``; only bot/ops/metrics.py
knows Prometheus. With metrics off (the default) every call is a no-op.
"""

from __future__ import annotations

from datetime import datetime


class Recorder:
    def update_handled(self) -> None:
        """One update went through the handlers (whatever they made of it)."""

    def handler_error(self, kind: str) -> None:
        """The error handler saw an error: ``telegram`` (a refused call) or ``bug``."""

    def send_finished(self, outcome: str, seconds: float) -> None:
        """One outbox row's Bot API call(s) ended: sent, retry, gone, rejected, transient."""

    def send_postponed(self, reason: str, seconds: float) -> None:
        """An outbox row will be tried again in ``seconds``: ``flood`` (a 429, Telegram's
        own wait) or ``transient`` (network or server trouble, our capped backoff)."""

    def tick_started(self, at: datetime) -> None:
        """The tick began asking the database what fell due."""

    def sender_alive(self, at: datetime) -> None:
        """The outbox sender's loop went round (idle or sending)."""

    def backup_done(self, *, ok: bool, size: int, seconds: float, at: datetime) -> None:
        """A daily backup was made (or failed)."""

    def counted(self, *, open_tickets: int, late_tickets: int, outbox_pending: int) -> None:
        """The tick counted open and late tickets and the rows waiting in the outbox."""
