"""The CSO's working day with HAI CSO (seed 003, 7.b: until 17.00).

- 16.00 (the end of the ticket clock) on a working day: each CSO gets the list of
  tickets not entered in HAI CSO yet, each as a block to copy with its buttons; a list
  that could only go out after 17.00 is no use and is not sent.
- 17.00: the day is closed; what is still not entered is marked late (``late_at``).
- The next working morning (from the start of office hours): the late ones, listed again.
- ``/haicso``: the same open list at any time.

The database is the schedule: each list is an outbox row keyed by day and CSO (its
header first: a list already written is not written again, even after a restart), and
the 17.00 step is a row of ``hai_days``. No list on a holiday (bot/worktime.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.deadlines.cso_day import RECORD_WINDOW
from bot.haicso.blocks import Block, blocks_for
from bot.services import Services
from messages import haicso as msg
from storage import haicso as repo
from storage import outbox, people

MAX_BLOCKS = 15  # ticket blocks in one list; the rest are counted and left to /haicso
AFTERNOON = "sore"
MORNING = "pagi"


@dataclass(frozen=True)
class OpenList:
    blocks: list[Block]
    total: int  # not entered in all (the blocks are the oldest of them)

    @property
    def late(self) -> int:
        return sum(b.late for b in self.blocks)


def since(svc: Services, now: datetime) -> datetime:
    """The oldest recording time a list looks at (LOBOT_HAICSO_CARRY_DAYS)."""
    return now - timedelta(days=svc.settings.haicso_carry_days)


async def open_list(
    svc: Services, now: datetime, limit: int = MAX_BLOCKS, carried: bool = False
) -> OpenList:
    """The oldest tickets not entered yet (``carried``: only those the 17.00 step found)."""
    found, total = await repo.not_entered(
        svc.db.reader, svc.office_id, since(svc, now), limit, carried
    )
    return OpenList(await blocks_for(svc, found, now), total)


def _clock_end(svc: Services, day: date) -> datetime:
    return datetime.combine(day, svc.settings.work_end, tzinfo=svc.tz)


def record_end(svc: Services, day: date) -> datetime:
    """17.00 of ``day`` (the end of the ticket clock plus the hour for recording)."""
    return _clock_end(svc, day) + RECORD_WINDOW


def _base(kind: str, day: date, user_id: int) -> str:
    return f"hai:{kind}:{day.isoformat()}:u{user_id}"


async def _waiting(svc: Services, kind: str, day: date) -> list[int]:
    """The CSOs whose list of ``day`` is not written yet: the scanners run every tick of
    their window, and only these make them read the tickets."""
    csos = [u.user_id for u in await people.holders(svc.db.reader, svc.office_id, "cso")]
    keys = [_base(kind, day, c) for c in csos]
    written = await outbox.existing_keys(svc.db.reader, keys)
    return [c for c, key in zip(csos, keys, strict=True) if key not in written]


async def _send_list(
    svc: Services, kind: str, day: date, now: datetime, listing: OpenList, csos: list[int]
) -> int:
    """Write the list for each CSO; a CSO whose list of ``day`` was written before is
    skipped whole (so a ticket recorded after the list does not arrive without it)."""
    count = 0
    async with svc.db.transaction() as tx:
        for user_id in csos:
            base = _base(kind, day, user_id)
            header = msg.list_header(kind, now, svc.tz, listing.total, len(listing.blocks))
            if not await outbox.enqueue(tx, base, user_id, header, now):
                continue
            count += 1
            for b in listing.blocks:
                await outbox.enqueue(
                    tx,
                    f"{base}:t{b.ticket.id}",
                    user_id,
                    msg.block(b, svc.tz),
                    now,
                    reply_markup=msg.block_buttons(b.ticket.id),
                )
                count += 1
    return count


async def afternoon_scan(svc: Services) -> int:
    """16.00-17.00 of a working day: today's list of tickets not entered yet."""
    now = svc.clock.now()
    today = now.astimezone(svc.tz).date()
    start = _clock_end(svc, today)
    if not svc.calendar.is_working_day(today) or not start <= now < start + RECORD_WINDOW:
        return 0
    csos = await _waiting(svc, AFTERNOON, today)
    listing = await open_list(svc, now) if csos else None
    if listing is None or not listing.blocks:
        return 0
    return await _send_list(svc, AFTERNOON, today, now, listing, csos)


def _last_closing(svc: Services, now: datetime) -> date | None:
    """The latest working day whose 17.00 has passed (within two weeks)."""
    day = now.astimezone(svc.tz).date()
    for _ in range(15):
        if svc.calendar.is_working_day(day) and record_end(svc, day) <= now:
            return day
        day -= timedelta(days=1)
    return None


async def close_scan(svc: Services) -> int:
    """The 17.00 step: once per working day, what is still not entered becomes late."""
    now = svc.clock.now()
    day = _last_closing(svc, now)
    if day is None or await repo.day_closed(svc.db.reader, svc.office_id, day):
        return 0
    async with svc.db.transaction() as tx:
        await repo.close_day(tx, svc.office_id, day, record_end(svc, day), since(svc, now))
    return 0  # nothing to send now: the morning list carries them


async def morning_scan(svc: Services) -> int:
    """From the start of office hours of a working day until 16.00: the late ones."""
    now = svc.clock.now()
    today = now.astimezone(svc.tz).date()
    start = datetime.combine(today, svc.settings.work_start, tzinfo=svc.tz)
    if not svc.calendar.is_working_day(today) or not start <= now < _clock_end(svc, today):
        return 0
    csos = await _waiting(svc, MORNING, today)
    listing = await open_list(svc, now, carried=True) if csos else None
    if listing is None or not listing.blocks:
        return 0
    return await _send_list(svc, MORNING, today, now, listing, csos)
