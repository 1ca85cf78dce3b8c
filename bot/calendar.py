"""Admin overrides of the working calendar; open tickets follow a change."""

from __future__ import annotations

from datetime import date

from bot.services import Services
from storage import audit
from storage import calendar as repo


async def set_day(svc: Services, actor_id: int, day: date, kind: str, note: str | None) -> None:
    async with svc.db.transaction() as tx:
        await repo.set_override(tx, day, kind, note, svc.office_id)
        await audit.record(
            tx,
            actor_id,
            f"calendar.{kind}",
            day.isoformat(),
            svc.clock.now(),
            note,
            office_id=svc.office_id,
        )
    await _changed(svc)


async def clear_day(svc: Services, actor_id: int, day: date) -> bool:
    async with svc.db.transaction() as tx:
        removed = await repo.clear_override(tx, day, svc.office_id)
        if removed:
            await audit.record(
                tx,
                actor_id,
                "calendar.clear",
                day.isoformat(),
                svc.clock.now(),
                office_id=svc.office_id,
            )
    if removed:
        await _changed(svc)
    return removed


async def _changed(svc: Services) -> None:
    await svc.reload_calendar()
    await svc.changed("calendar")
    # Features whose stored due times depend on the calendar (listed in bot/app.py):
    # tickets move the deadlines of tickets still open.
    for hook in svc.calendar_hooks:
        await hook(svc)


async def upcoming(svc: Services, start: date, days: int = 90) -> list[tuple[date, str]]:
    """Non-working weekdays from ``start`` on, with their names."""
    from datetime import timedelta

    found = []
    for i in range(days):
        d = start + timedelta(days=i)
        name = svc.calendar.holiday_name(d)
        if name and d.weekday() < 5:
            found.append((d, name))
    return found
