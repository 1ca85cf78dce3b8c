"""The shared words: roles, statuses and the records every layer passes around. No SQL.

messages/ and bot/ import these from here; the repositories in storage/ fill them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

ROLES = ("admin", "lo", "cso", "supervisor", "kepala", "kepatuhan")


@dataclass(frozen=True)
class User:
    user_id: int
    username: str | None
    full_name: str

    @property
    def seen(self) -> bool:
        """False for a user known only by id (granted a role or written to before they
        ever wrote to the bot): their stored name is the id itself, or nothing."""
        return bool(self.full_name) and self.full_name != str(self.user_id)

    @classmethod
    def by_id(cls, user_id: int) -> User:
        """A user known only by id (``seen`` is False)."""
        return cls(user_id, None, str(user_id))


@dataclass(frozen=True)
class Office:
    """A KPPN the deployment serves: what differs between offices lives here."""

    id: int
    name: str
    office_type: str
    timezone: str
    work_start: time
    work_end: time


@dataclass(frozen=True)
class Group:
    chat_id: int
    office_id: int
    title: str
    status: str
    lo_user_id: int | None
    kl_name: str | None

    @property
    def active(self) -> bool:
        return self.status == "active"


OPEN = "baru"
ANSWERED = "dijawab"
DONE = "selesai"
NOT_A_QUESTION = "bukan_pertanyaan"


@dataclass(frozen=True)
class Ticket:
    id: int
    office_id: int
    number: str
    chat_id: int | None
    message_id: int | None
    bot_message_id: int | None
    asker_id: int | None
    asker_name: str | None
    kode_satker: str | None
    channel: str
    text: str
    attachment_kind: str | None
    attachment_id: str | None
    lo_user_id: int | None
    recorded_by: int | None
    status: str
    created_at: datetime
    clock_start_at: datetime
    due_at: datetime
    first_due_at: datetime
    answered_at: datetime | None
    answered_by: int | None
    answer_text: str | None
    waited_hours: float
    on_time: bool | None
    closed_at: datetime | None
    rating: int | None
    reopen_count: int
    stage: int
    next_due_at: datetime | None
    # "Sedang diproses": acknowledged, not answered; the SLA clock keeps running.
    progress_at: datetime | None = None
    progress_note: str | None = None


@dataclass(frozen=True)
class AnswerDraft:
    """A staff text that may answer one of ``candidates`` (ticket ids, best guess first),
    kept until its author says which (bot/conversation/drafts.py)."""

    id: int
    author_id: int
    chat_id: int
    message_id: int
    text: str
    candidates: tuple[int, ...]
    in_group: bool
    created_at: datetime
    outcome: str | None


# Outbox priorities: lower goes first. A reply someone is waiting for never queues behind
# notices, and notices never behind a broadcast to every group.
PRIORITY_REPLY = 0
PRIORITY_NOTICE = 1
PRIORITY_BULK = 2


# ---- complaints (pengaduan) ----------------------------------------------------------
# Stored status words. "Clean and clear" (seed 000, row 3.b) reports received / done /
# in process / not yet followed up; a complaint still COMPLAINT_RECEIVED is "not followed up".
COMPLAINT_RECEIVED = "diterima"
COMPLAINT_IN_PROGRESS = "dalam_proses"
COMPLAINT_DONE = "selesai"
COMPLAINT_STATUSES = (COMPLAINT_RECEIVED, COMPLAINT_IN_PROGRESS, COMPLAINT_DONE)

GENERAL = "umum"
INTEGRITY = "integritas"  # pungli, gratifikasi: also pointed to SIPANDU and WISE

GROUP_CHANNEL = "grup"
PRIVATE_CHANNEL = "pribadi"


@dataclass(frozen=True)
class Complaint:
    id: int
    office_id: int
    number: str
    chat_id: int | None
    message_id: int | None
    complainant_id: int
    complainant_name: str
    kode_satker: str | None
    channel: str
    category: str
    text: str
    status: str
    handler_id: int | None
    created_at: datetime
    followed_up_at: datetime | None
    closed_at: datetime | None
    overdue_alerted_at: datetime | None
    attachment_kind: str | None = None  # "photo" or "document" filed with it
    attachment_id: str | None = None  # its Telegram file id
    ack_message_id: int | None = None  # the bot's acknowledgement in the group


@dataclass(frozen=True)
class FollowUp:
    complaint_id: int
    at: datetime
    actor_id: int
    actor_name: str
    text: str
    status: str


@dataclass(frozen=True)
class CleanClear:
    """Complaints received in a period and where they stand now."""

    received: int = 0
    done: int = 0
    in_progress: int = 0
    not_followed_up: int = 0


# ---- broadcasts and status updates ------------------------------------------------------
BROADCAST_ANNOUNCEMENT = "umumkan"
BROADCAST_STATUS = "status"
BROADCAST_FILE = "berkas"

BROADCAST_DRAFT = "draft"
BROADCAST_SENDING = "sending"
BROADCAST_DONE = "done"
BROADCAST_CANCELLED = "cancelled"


@dataclass(frozen=True)
class Broadcast:
    id: int
    kind: str
    created_by: int
    created_at: datetime
    target: str  # how the target was described, for the preview and the report
    text: str
    attachment: dict[str, str] | None  # {"file_id" or "path": ..., "kind": ...}
    status: str
    status_chat_id: int | None
    status_message_id: int | None


@dataclass(frozen=True)
class Target:
    chat_id: int
    title: str
    text: str | None = None  # None: the broadcast's own text
    attachment: dict[str, str] | None = None


@dataclass(frozen=True)
class Delivery:
    """Where one group's copy stands: sent, pending, failed (with Telegram's reason), or
    skipped before sending (with ours)."""

    chat_id: int
    title: str
    state: str  # "sent", "pending", "failed", "skipped"
    reason: str | None = None


@dataclass(frozen=True)
class DeliveryCounts:
    """A broadcast's groups by where their copy stands: the one count the status
    message, the admin's report and the dashboard all show."""

    sent: int = 0
    pending: int = 0
    failed: int = 0
    skipped: int = 0

    @classmethod
    def of(cls, deliveries: list[Delivery]) -> DeliveryCounts:
        states = [d.state for d in deliveries]
        return cls(*(states.count(s) for s in ("sent", "pending", "failed", "skipped")))

    @property
    def to_send(self) -> int:
        """Groups the broadcast was queued for (the skipped ones never were)."""
        return self.sent + self.pending + self.failed

    @property
    def finished(self) -> int:
        return self.sent + self.failed


def outbox_key(broadcast_id: int, chat_id: int) -> str:
    """The idempotency key of one group's copy of a broadcast."""
    return f"bc:{broadcast_id}:{chat_id}"


# ---- HAI CSO (issue 22) -----------------------------------------------------------------
# A ticket's state in HAI CSO, the national ticket system the IKU is computed from.
HAI_NOT_ENTERED = "belum"
HAI_ENTERED = "diinput"
HAI_NOT_NEEDED = "tidak_perlu"
# Why a ticket is not to be entered (the "Tidak perlu" choices).
HAI_REASONS = ("duplikat", "bukan_pertanyaan", "lainnya")


@dataclass(frozen=True)
class HaiEntry:
    ticket_id: int
    state: str
    hai_number: str | None
    reason: str | None
    by_user: int | None
    at: datetime | None
    late_at: datetime | None
