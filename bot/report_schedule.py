"""Scheduled reports: on the first working day of a month (and of a quarter) the previous
period's information-service report is prepared, once, and goes to the CSOs as a draft
for the sign-off chain (bot/deadlines/signoff.py: CSO, supervisor, head of office).

The tick asks whether a report is due and not yet recorded in ``report_sends``; the
record, the sign-off row and the outbox rows (summary, workbook, chart, button) are
written in one transaction, so a restart neither loses nor repeats a report. Files are
kept under ``<database folder>/reports/``.
"""

from __future__ import annotations

from datetime import date, datetime

from bot import periods, report_files, reports
from bot.deadlines import signoff
from bot.periods import Period
from bot.services import Services
from messages import rekap as msg
from storage import report_sends
from storage.reports import Scope

# The SOP gives the CSO 5 working days to prepare the report: a report not sent by then
# (the bot was down all that time) is left to /rekap rather than sent weeks late.
WINDOW_WORKING_DAYS = 5


def window(svc: Services, today: date) -> tuple[date, date]:
    """The month's first working day and its fifth: the SOP's window for the report."""
    cal = svc.calendar
    first = cal.first_working_day_on_or_after(today.replace(day=1))
    last = first
    for _ in range(WINDOW_WORKING_DAYS - 1):
        last = cal.next_working_day(last)
    return first, last


def due_reports(svc: Services, today: date) -> list[tuple[str, Period]]:
    """Reports due today: from the month's first working day through its fifth."""
    first, last = window(svc, today)
    if not first <= today <= last:
        return []
    due = [("bulanan", periods.previous_month(today))]
    if today.month in (1, 4, 7, 10):
        due.append(("triwulanan", periods.previous_quarter(today)))
    return due


async def scan(svc: Services) -> int:
    now = svc.clock.now()
    if not svc.calendar.is_working_time(now):
        return 0  # reports go out in working time
    sent = 0
    for kind, period in due_reports(svc, now.astimezone(svc.tz).date()):
        if not await report_sends.was_sent(svc.db.reader, svc.office_id, kind, period.slug):
            sent += await _send(svc, kind, period)
    return sent


async def _send(svc: Services, kind: str, period: Period) -> int:
    start, end = period.bounds(svc.tz)
    recap = await reports.build(svc, Scope(svc.office_id, start, end), period)
    folder = svc.db.path.parent / "reports" / f"{kind}-{period.slug}"
    folder.mkdir(parents=True, exist_ok=True)
    parts, png = await report_files.write_files(svc, recap, folder)
    xlsx = "\n".join(str(p.path) for p in parts)  # a split workbook: one path a line
    text = msg.summary(recap, svc.tz, msg.scheduled_title(kind))
    now = svc.clock.now()
    last = window(svc, now.astimezone(svc.tz).date())[1]
    window_end = datetime.combine(last, svc.settings.work_end, tzinfo=svc.tz)
    async with svc.db.transaction() as tx:
        if not await report_sends.record(tx, svc.office_id, kind, period.slug, now):
            return 0
        report = (kind, period.slug, period.label)
        await signoff.start(svc, tx, report, (text, xlsx, str(png)), now, window_end)
    return 1
