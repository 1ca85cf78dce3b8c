"""Deadlines without SQL: the dataclasses and status words that bot/ and messages/ share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

STAFF = "staff"  # staff roles and named users report, each for themselves
SATKER = "satker"  # every satker in the LO groups reports; its operators press the button

ONCE, MONTHLY, QUARTERLY = "once", "monthly", "quarterly"

SOURCE_FILE, SOURCE_ADMIN = "file", "admin"

DEFAULT_OFFSETS = (7, 3, 1, 0)
DEFAULT_ALERT_ROLES = ("supervisor",)
REPORTING_ROLES = ("lo", "cso", "supervisor", "kepala", "admin")

LATE = "late"  # the step after the due time: the supervisor's list of who did not report


@dataclass(frozen=True)
class DeadlineSpec:
    """What a deadline is, as written in the content file or by /tahap tambah."""

    slug: str
    name: str
    audience: str
    recurrence: str
    due_time: time
    due_date: date | None = None  # once
    due_day: int | None = None  # monthly / quarterly: day of the month
    tahap: str | None = None
    roles: tuple[str, ...] = ()
    user_ids: tuple[int, ...] = ()
    offsets: tuple[int, ...] = DEFAULT_OFFSETS
    alert_roles: tuple[str, ...] = DEFAULT_ALERT_ROLES


@dataclass(frozen=True)
class Deadline:
    id: int
    spec: DeadlineSpec
    source: str
    active: bool


@dataclass(frozen=True)
class Occurrence:
    id: int
    deadline_id: int
    occurrence: date
    due_at: datetime
    next_step: int
    next_due_at: datetime | None


@dataclass(frozen=True)
class Step:
    """One scheduled moment of an occurrence: a reminder ('h7', 'h0', ...) or LATE."""

    label: str
    at: datetime


@dataclass(frozen=True)
class Party:
    """Someone who must report: a user ('u<id>') or a satker ('s<kode>')."""

    key: str
    name: str
    chat_id: int | None = None  # the satker's LO group
    lo_user_id: int | None = None


@dataclass(frozen=True)
class Reported:
    party: str
    reported_by: int
    reported_at: datetime


@dataclass(frozen=True)
class OccurrenceStatus:
    """For /tahap and the alerts: who has and who has not reported."""

    deadline: Deadline
    occurrence: Occurrence
    reported: list[tuple[Party, Reported]]
    pending: list[Party]


def offset_label(offset: int) -> str:
    return f"h{offset}"


# The monthly report's sign-off: the stage names what the report is waiting for.
DRAFT, CHECKING, APPROVING, APPROVED = "draf", "pemeriksaan", "persetujuan", "disetujui"


@dataclass(frozen=True)
class Signoff:
    id: int
    kind: str
    period: str
    label: str
    stage: str
    summary: str
    xlsx_path: str  # several paths, one a line, when the workbook was split (50 MB limit)
    png_path: str
    created_at: datetime
    window_end: datetime
    submitted_by: int | None
    submitted_at: datetime | None
    checked_by: int | None
    checked_at: datetime | None
    approved_by: int | None
    approved_at: datetime | None
    # Set once the window closed without approval and the next role up was told.
    escalated_at: datetime | None = None
    escalated_stage: str | None = None
