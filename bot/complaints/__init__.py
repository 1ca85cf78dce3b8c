"""Complaints (pengaduan): intake, follow-ups, listing, and the overdue alert scanner.

Separate from consultation tickets: their own numbers, statuses and handlers (the
compliance section, role ``kepatuhan``). No Telegram here; every change is one
transaction together with the outbox rows it causes.
"""

from bot.complaints.continuation import PROMPT_WINDOW, Continued, ask_for_text, continues
from bot.complaints.rules import (
    ACK_HOOK,
    HANDLER_ROLES,
    Filed,
    FollowedUp,
    Result,
    detail,
    file,
    follow_up,
    is_integrity,
    listing,
    parse_number,
    record_ack,
)
from bot.complaints.scanner import followup_due, scan

__all__ = [
    "ACK_HOOK",
    "HANDLER_ROLES",
    "PROMPT_WINDOW",
    "Continued",
    "ask_for_text",
    "continues",
    "record_ack",
    "Filed",
    "FollowedUp",
    "Result",
    "detail",
    "file",
    "follow_up",
    "followup_due",
    "is_integrity",
    "listing",
    "parse_number",
    "scan",
]
