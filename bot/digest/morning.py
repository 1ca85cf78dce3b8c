"""The morning summary: at 08.00 on a working day each LO with open tickets gets what is
open and what falls due today, as a digest item (bundled with anything else waiting).

Once a day per person (the item's key holds the date); only in the first working hour, so
a bot that was down all morning does not send a "morning" summary in the afternoon.
"""

from __future__ import annotations

from datetime import datetime, time

from bot import digest
from bot.services import Services
from bot.tickets import lo_scope
from messages import digest as msg
from storage import people
from storage import tickets as tickets_repo

MORNING = time(8, 0)
UNTIL = time(9, 0)
LISTED = 10


async def scan(svc: Services) -> int:
    now = svc.clock.now()
    local = now.astimezone(svc.tz)
    if not svc.calendar.is_working_day(local.date()) or not MORNING <= local.time() < UNTIL:
        return 0
    end_of_day = datetime.combine(local.date(), svc.settings.work_end, tzinfo=svc.tz)
    written = 0
    for lo in await people.holders(svc.db.reader, svc.office_id, "lo"):
        scope = await lo_scope(svc, lo.user_id)
        found, total = await tickets_repo.open_tickets(
            svc.db.reader, svc.office_id, lo_ids=scope, limit=LISTED
        )
        if total == 0:
            continue
        # "Jatuh tempo hari ini" is what falls due between now and the end of the day;
        # what is already past its deadline is counted apart (it was due on another day).
        # Late as in the recap: past the deadline (a deadline that is now is still met).
        # The list shows the first few; the counts cover all of them.
        due_by_night = await tickets_repo.count_open_due_by(
            svc.db.reader, svc.office_id, scope, end_of_day
        )
        late = await tickets_repo.count_open_due_by(
            svc.db.reader, svc.office_id, scope, now, before=True
        )
        counts = msg.MorningCounts(total, due_by_night - late, late)
        async with svc.db.transaction() as tx:
            written += await digest.notify(
                svc,
                tx,
                key=f"morning:{lo.user_id}:{local.date().isoformat()}",
                user_id=lo.user_id,
                text=msg.morning(found, counts, end_of_day, now, svc.tz),
                line=msg.morning_line(counts),
            )
    return written
