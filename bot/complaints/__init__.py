"""Complaints (pengaduan): intake, follow-ups, listing, and the overdue alert scanner.

Separate from consultation tickets: their own numbers, statuses and handlers (the
compliance section, role ``kepatuhan``). No Telegram here; every change is one
transaction together with the outbox rows it causes.
"""

from bot.complaints.audience import COMPLIANCE_CHAIN, HANDLER_ROLES, INTEGRITY_ROLES
from bot.complaints.continuation import (
    PROMPT_WINDOW,
    Continued,
    Target,
    ask_for_text,
    continues,
    file_prompted_private,
    record,
)
from bot.complaints.rules import (
    ACK_HOOK,
    CALLBACK_HOOK,
    Detail,
    Filed,
    FollowedUp,
    Listing,
    Result,
    detail,
    file,
    follow_up,
    group_note_after_callback,
    is_integrity,
    listing,
    may_file_in,
    parse_number,
    record_ack,
)
from bot.complaints.scanner import followup_due, scan

__all__ = [
    "ACK_HOOK",
    "CALLBACK_HOOK",
    "COMPLIANCE_CHAIN",
    "HANDLER_ROLES",
    "INTEGRITY_ROLES",
    "PROMPT_WINDOW",
    "Continued",
    "Detail",
    "Filed",
    "FollowedUp",
    "Listing",
    "Result",
    "Target",
    "ask_for_text",
    "continues",
    "detail",
    "file",
    "file_prompted_private",
    "follow_up",
    "followup_due",
    "group_note_after_callback",
    "is_integrity",
    "listing",
    "may_file_in",
    "parse_number",
    "record",
    "record_ack",
    "scan",
]
