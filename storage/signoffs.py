"""The scheduled report's sign-off chain: draft, checked, approved."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.deadline_model import APPROVED, Signoff
from storage.timefmt import parse_ts, parse_ts_opt, ts


def _signoff(r: aiosqlite.Row) -> Signoff:
    return Signoff(
        r["id"],
        r["kind"],
        r["period"],
        r["label"],
        r["stage"],
        r["summary"],
        r["xlsx_path"],
        r["png_path"],
        parse_ts(r["created_at"]),
        parse_ts(r["window_end"]),
        r["submitted_by"],
        parse_ts_opt(r["submitted_at"]),
        r["checked_by"],
        parse_ts_opt(r["checked_at"]),
        r["approved_by"],
        parse_ts_opt(r["approved_at"]),
        parse_ts_opt(r["escalated_at"]),
        r["escalated_stage"],
    )


async def create(
    tx: aiosqlite.Connection,
    office_id: int,
    kind: str,
    period: str,
    label: str,
    files: tuple[str, str, str],
    now: datetime,
    window_end: datetime,
) -> int:
    """files: (summary text, workbook path, chart path)."""
    cur = await tx.execute(
        """INSERT OR IGNORE INTO report_signoffs (office_id, kind, period, label, stage, summary,
               xlsx_path, png_path, created_at, window_end)
           VALUES (?, ?, ?, ?, 'draf', ?, ?, ?, ?, ?)""",
        (office_id, kind, period, label, *files, ts(now), ts(window_end)),
    )
    return int(cur.lastrowid or 0)


async def get(conn: aiosqlite.Connection, signoff_id: int) -> Signoff | None:
    async with conn.execute("SELECT * FROM report_signoffs WHERE id = ?", (signoff_id,)) as cur:
        row = await cur.fetchone()
    return _signoff(row) if row else None


async def for_period(conn: aiosqlite.Connection, office_id: int, period: str) -> list[Signoff]:
    async with conn.execute(
        "SELECT * FROM report_signoffs WHERE office_id = ? AND period = ? ORDER BY kind",
        (office_id, period),
    ) as cur:
        return [_signoff(r) for r in await cur.fetchall()]


async def waiting(conn: aiosqlite.Connection, office_id: int, now: datetime) -> list[Signoff]:
    """Not yet approved and still inside the SOP's window."""
    async with conn.execute(
        """SELECT * FROM report_signoffs
           WHERE office_id = ? AND stage <> ? AND window_end > ? ORDER BY id""",
        (office_id, APPROVED, ts(now)),
    ) as cur:
        return [_signoff(r) for r in await cur.fetchall()]


async def advance(
    tx: aiosqlite.Connection,
    signoff_id: int,
    from_stage: str,
    to_stage: str,
    by: int,
    now: datetime,
) -> bool:
    """Move one stage on; False when another press got there first."""
    column = {"pemeriksaan": "submitted", "persetujuan": "checked", "disetujui": "approved"}[
        to_stage
    ]
    cur = await tx.execute(
        f"""UPDATE report_signoffs SET stage = ?, {column}_by = ?, {column}_at = ?
            WHERE id = ? AND stage = ?""",  # noqa: S608 - column comes from the fixed map above
        (to_stage, by, ts(now), signoff_id, from_stage),
    )
    return cur.rowcount > 0


async def overdue(conn: aiosqlite.Connection, office_id: int, now: datetime) -> list[Signoff]:
    """Past the window, not approved, and nobody above told yet."""
    async with conn.execute(
        """SELECT * FROM report_signoffs
           WHERE office_id = ? AND stage <> ? AND window_end <= ? AND escalated_at IS NULL
           ORDER BY id""",
        (office_id, APPROVED, ts(now)),
    ) as cur:
        return [_signoff(r) for r in await cur.fetchall()]


async def mark_escalated(
    tx: aiosqlite.Connection, signoff_id: int, stage: str, now: datetime
) -> bool:
    """Record the escalation once; False when it was recorded already (or approved since)."""
    cur = await tx.execute(
        """UPDATE report_signoffs SET escalated_at = ?, escalated_stage = ?
           WHERE id = ? AND stage = ? AND escalated_at IS NULL""",
        (ts(now), stage, signoff_id, stage),
    )
    return cur.rowcount > 0
