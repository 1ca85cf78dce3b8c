"""The overdue check: a complaint with no follow-up after the configured number of
working days alerts the head of office, once, in working time."""

from __future__ import annotations

from datetime import datetime

from bot import digest
from bot.services import Services
from bot.tickets.schedule import alert_recipients
from messages import complaints as msg
from storage import complaints as repo
from storage.models import INTEGRITY, Complaint


def followup_due(svc: Services, c: Complaint) -> datetime:
    """When the first follow-up is due: N working days of office hours after intake.

    Computed at scan time rather than stored, so a calendar change (a new cuti bersama)
    moves it without a rewrite; open complaints are few."""
    cal = svc.calendar
    hours = svc.settings.complaint_followup_days * cal.day_length.total_seconds() / 3600
    return cal.add_working_hours(c.created_at, hours)


async def scan(svc: Services) -> int:
    """Enqueue the alert for every complaint that became overdue; returns how many."""
    now = svc.clock.now()
    if not svc.calendar.is_working_time(now):
        return 0  # alerts go out in working time
    late = [
        c
        for c in await repo.awaiting_overdue_alert(svc.db.reader, svc.office_id)
        if followup_due(svc, c) <= now
    ]
    if not late:
        return 0
    async with svc.db.transaction() as tx:
        # The head of office; with none appointed, the supervisors, then the admins.
        heads = await alert_recipients(svc, tx, level=2)
        for c in late:
            if not await repo.mark_overdue_alerted(tx, c.id, now):
                continue  # another scan got there first
            days = svc.settings.complaint_followup_days
            if c.category == INTEGRITY:  # the head may be the one it is about
                text = line = msg.overdue_head_integrity(c, days)
            else:
                text = msg.overdue_alert(c, followup_due(svc, c), days, svc.tz)
                line = msg.overdue_line(c, days)
            for uid in heads:
                # Through the digest, like the ticket escalation to the same person: the
                # first notice after a quiet window still goes out at once.
                key = f"complaint:{c.id}:overdue:{uid}"
                await digest.notify(svc, tx, key=key, user_id=uid, text=text, line=line)
    return len(late)
