"""The CSO's day (seed 003): the ticket clock stops at 16.00, and CSOs have until 17.00 to
record the questions that came by desk, phone, letter or WhatsApp.

At 16.00 on each working day every CSO is reminded, through their digest (bot/digest)
with the key ``cso:catat:<date>:u<id>``, so a tick after a restart never sends it twice; a reminder
that could only go out after 17.00 is no longer useful and is not sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot import digest
from bot.services import Services
from messages import deadlines as msg
from storage import people

RECORD_WINDOW = timedelta(hours=1)  # from the end of the ticket clock (16.00) to 17.00
MAX_BACKDATE = timedelta(days=7)  # a question older than this is not "today's" any more


def _local_window(svc: Services, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, svc.settings.work_end, tzinfo=svc.tz)
    return start, start + RECORD_WINDOW


def record_until(svc: Services, day: date) -> time:
    return _local_window(svc, day)[1].time()


async def scan(svc: Services) -> int:
    now = svc.clock.now()
    today = now.astimezone(svc.tz).date()
    start, end = _local_window(svc, today)
    if not svc.calendar.is_working_day(today) or not start <= now < end:
        return 0
    csos = await people.holders(svc.db.reader, svc.office_id, "cso")
    if not csos:
        return 0
    text = msg.cso_reminder(now, svc.tz, record_until(svc, today))
    line = msg.cso_reminder_line(record_until(svc, today))
    count = 0
    async with svc.db.transaction() as tx:
        for cso in csos:
            key = f"cso:catat:{today.isoformat()}:u{cso.user_id}"
            count += await digest.notify(
                svc, tx, key=key, user_id=cso.user_id, text=text, line=line
            )
    return count


def received_at(svc: Services, day: date | None, at: time, now: datetime) -> datetime | None:
    """When the question came in (today unless a date is given); None if in the future or
    more than a week old."""
    local_day = day or now.astimezone(svc.tz).date()
    when = datetime.combine(local_day, at, tzinfo=svc.tz)
    if when > now or now - when > MAX_BACKDATE:
        return None
    return when


def is_late_record(svc: Services, received: datetime, now: datetime) -> bool:
    """Recorded after 17.00 of the day the question came in (or on a later day)."""
    _, end = _local_window(svc, received.astimezone(svc.tz).date())
    return now >= end
