"""Broadcasts to the groups (/umumkan), status updates (/status) and per-satker files.

Everything goes out through the outbox with a key per broadcast and group; see core.py.
The status message's progress edits go through it too; see progress.py.
"""

from bot.broadcast import progress as progress_message
from bot.broadcast.core import (
    SENDER_ROLES,
    Confirmed,
    Result,
    cancel,
    confirm,
    create_draft,
    may_send,
    progress,
    scan,
)

__all__ = [
    "SENDER_ROLES",
    "progress_message",
    "Confirmed",
    "Result",
    "cancel",
    "confirm",
    "create_draft",
    "may_send",
    "progress",
    "scan",
]
