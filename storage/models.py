"""The shared words: roles, statuses and the records every layer passes around. No SQL.

messages/ and bot/ import these from here; the repositories in storage/ fill them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ROLES = ("admin", "lo", "cso", "supervisor", "kepala")


@dataclass(frozen=True)
class User:
    user_id: int
    username: str | None
    full_name: str


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


# Outbox priorities: lower goes first. A reply someone is waiting for never queues behind
# notices, and notices never behind a broadcast to every group.
PRIORITY_REPLY = 0
PRIORITY_NOTICE = 1
PRIORITY_BULK = 2
