"""The tick's count of open and late tickets and of the outbox backlog, for the metrics.

Two indexed count queries on the reader connection (aiosqlite's thread: the loop is not
blocked), once per tick rather than per scrape, so a busy scraper costs the database
nothing. Listed in bot/app.py only when metrics are on.
"""

from __future__ import annotations

from bot.services import Services
from storage import outbox as outbox_repo
from storage import tickets as tickets_repo


async def scan(svc: Services) -> int:
    open_tickets, late = await tickets_repo.open_and_late(
        svc.db.reader, svc.office_id, svc.clock.now()
    )
    pending = await outbox_repo.pending_count(svc.db.reader)
    svc.metrics.counted(open_tickets=open_tickets, late_tickets=late, outbox_pending=pending)
    return 0
