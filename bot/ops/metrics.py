"""Prometheus metrics through prometheus_client, in a registry of the application's own.

Built by bot/app.py only when ``LOBOT_METRICS_PORT`` is set; a registry per application
(not the library's global one) keeps two applications in one process (the tests) apart and
means nothing is registered on import. Names and meanings are listed in the README
("Operations").
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.process_collector import ProcessCollector

from bot.ops.recorder import Recorder

SEND_OUTCOMES = ("sent", "retry", "gone", "rejected", "transient", "error")
ERROR_KINDS = ("telegram", "bug", "storage")
# A Bot API call takes 50-500 ms normally; flood waits and timeouts reach tens of seconds.
SEND_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
RETRY_REASONS = ("flood", "transient")
# A 429 names 1-60 s; the transient backoff doubles from 30 s up to its cap of 300 s.
RETRY_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0)


class Metrics(Recorder):
    def __init__(self, started_at: datetime) -> None:
        self.registry = r = CollectorRegistry()
        self.started_at = started_at
        # Liveness for /healthz: set from the event loop, read by it (no thread involved).
        self.tick_at: datetime | None = None
        self.sender_at: datetime | None = None
        self.updates = Counter(
            "lobot_updates_handled", "Telegram updates that went through the handlers", registry=r
        )
        self.errors = Counter(
            "lobot_handler_errors",
            "Errors that reached the error handler: telegram (a refused call), storage (disk "
            "full or I/O: the update is handled again later) or bug",
            ["kind"],
            registry=r,
        )
        self.send_seconds = Histogram(
            "lobot_send_seconds",
            "Bot API call time for one outbox row (all parts of a long text), by outcome",
            ["outcome"],
            buckets=SEND_BUCKETS,
            registry=r,
        )
        self.retry_delay = Histogram(
            "lobot_outbox_retry_delay_seconds",
            "Wait before an outbox row is tried again, by reason: flood (a 429's retry_after, "
            "not counted as an attempt) or transient (backoff, at most 300 s)",
            ["reason"],
            buckets=RETRY_BUCKETS,
            registry=r,
        )
        self.tickets_open = Gauge(
            "lobot_tickets_open", "Open tickets, counted at the last tick", registry=r
        )
        self.tickets_late = Gauge(
            "lobot_tickets_late", "Open tickets past their deadline, at the last tick", registry=r
        )
        self.outbox_pending = Gauge(
            "lobot_outbox_pending", "Outbox rows not sent yet, at the last tick", registry=r
        )
        self.last_tick = Gauge(
            "lobot_last_tick_timestamp_seconds", "When the last tick started", registry=r
        )
        self.backups = Counter(
            "lobot_backups", "Daily backups made, by result (ok, failed)", ["result"], registry=r
        )
        self.last_backup = Gauge(
            "lobot_last_backup_timestamp_seconds", "When the last sound backup was made", registry=r
        )
        self.backup_bytes = Gauge(
            "lobot_last_backup_size_bytes", "Size of the last sound backup", registry=r
        )
        ProcessCollector(registry=r)  # memory, CPU, open files of this process
        for kind in ERROR_KINDS:  # zero series exist from the start, so rate() works
            self.errors.labels(kind)
        for result in ("ok", "failed"):
            self.backups.labels(result)
        for reason in RETRY_REASONS:
            self.retry_delay.labels(reason)

    def update_handled(self) -> None:
        self.updates.inc()

    def handler_error(self, kind: str) -> None:
        self.errors.labels(kind).inc()

    def send_finished(self, outcome: str, seconds: float) -> None:
        self.send_seconds.labels(outcome).observe(seconds)

    def send_postponed(self, reason: str, seconds: float) -> None:
        self.retry_delay.labels(reason).observe(seconds)

    def tick_started(self, at: datetime) -> None:
        self.tick_at = at
        self.last_tick.set(at.timestamp())

    def sender_alive(self, at: datetime) -> None:
        self.sender_at = at

    def backup_done(self, *, ok: bool, size: int, seconds: float, at: datetime) -> None:
        self.backups.labels("ok" if ok else "failed").inc()
        if ok:
            self.last_backup.set(at.timestamp())
            self.backup_bytes.set(size)

    def counted(self, *, open_tickets: int, late_tickets: int, outbox_pending: int) -> None:
        self.tickets_open.set(open_tickets)
        self.tickets_late.set(late_tickets)
        self.outbox_pending.set(outbox_pending)
