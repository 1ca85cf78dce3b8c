"""Complaints (pengaduan), their follow-ups and the "clean and clear" counts."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.models import (
    COMPLAINT_DONE,
    COMPLAINT_IN_PROGRESS,
    COMPLAINT_RECEIVED,
    CleanClear,
    Complaint,
    FollowUp,
)
from storage.sql import one
from storage.timefmt import parse_ts, parse_ts_opt, ts


def _complaint(r: aiosqlite.Row) -> Complaint:
    return Complaint(
        id=r["id"],
        office_id=r["office_id"],
        number=r["number"],
        chat_id=r["chat_id"],
        message_id=r["message_id"],
        complainant_id=r["complainant_id"],
        complainant_name=r["complainant_name"],
        kode_satker=r["kode_satker"],
        channel=r["channel"],
        category=r["category"],
        text=r["text"],
        status=r["status"],
        handler_id=r["handler_id"],
        created_at=parse_ts(r["created_at"]),
        followed_up_at=parse_ts_opt(r["followed_up_at"]),
        closed_at=parse_ts_opt(r["closed_at"]),
        overdue_alerted_at=parse_ts_opt(r["overdue_alerted_at"]),
        attachment_kind=r["attachment_kind"],
        attachment_id=r["attachment_id"],
        ack_message_id=r["ack_message_id"],
    )


async def next_number(tx: aiosqlite.Connection, office_id: int, year: int) -> str:
    """'P-2026-0007': a per-office, per-year sequence, apart from ticket numbers."""
    await tx.execute(
        """INSERT INTO complaint_counters (office_id, year, last) VALUES (?, ?, 1)
           ON CONFLICT (office_id, year) DO UPDATE SET last = complaint_counters.last + 1""",
        (office_id, year),
    )
    async with tx.execute(
        "SELECT last FROM complaint_counters WHERE office_id = ? AND year = ?", (office_id, year)
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    return f"P-{year}-{row['last']:04d}"


async def insert(
    tx: aiosqlite.Connection,
    *,
    office_id: int,
    number: str,
    chat_id: int | None,
    message_id: int | None,
    complainant_id: int,
    complainant_name: str,
    kode_satker: str | None,
    channel: str,
    category: str,
    text: str,
    now: datetime,
    attachment: tuple[str, str] | None = None,
) -> Complaint:
    kind, file_id = attachment or (None, None)
    cur = await tx.execute(
        """INSERT INTO complaints (office_id, number, chat_id, message_id, complainant_id,
             complainant_name, kode_satker, channel, category, text, status, created_at,
             attachment_kind, attachment_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            office_id,
            number,
            chat_id,
            message_id,
            complainant_id,
            complainant_name,
            kode_satker,
            channel,
            category,
            text,
            COMPLAINT_RECEIVED,
            ts(now),
            kind,
            file_id,
        ),
    )
    complaint = await get(tx, int(cur.lastrowid or 0))
    assert complaint is not None
    return complaint


async def get(conn: aiosqlite.Connection, complaint_id: int) -> Complaint | None:
    async with conn.execute("SELECT * FROM complaints WHERE id = ?", (complaint_id,)) as cur:
        row = await cur.fetchone()
    return _complaint(row) if row else None


async def get_by_number(
    conn: aiosqlite.Connection, office_id: int, number: str
) -> Complaint | None:
    async with conn.execute(
        "SELECT * FROM complaints WHERE office_id = ? AND number = ?", (office_id, number)
    ) as cur:
        row = await cur.fetchone()
    return _complaint(row) if row else None


async def find_by_message(
    conn: aiosqlite.Connection, complainant_id: int, chat_id: int | None, message_id: int
) -> Complaint | None:
    async with conn.execute(
        """SELECT * FROM complaints WHERE complainant_id = ? AND message_id = ?
             AND coalesce(chat_id, 0) = ?""",
        (complainant_id, message_id, chat_id or 0),
    ) as cur:
        row = await cur.fetchone()
    return _complaint(row) if row else None


async def set_ack_message(tx: aiosqlite.Connection, complaint_id: int, message_id: int) -> None:
    await tx.execute(
        "UPDATE complaints SET ack_message_id = ? WHERE id = ?", (message_id, complaint_id)
    )


async def by_ack_message(
    conn: aiosqlite.Connection, chat_id: int, message_id: int
) -> Complaint | None:
    """The complaint whose acknowledgement in ``chat_id`` is ``message_id``."""
    row = await one(
        conn,
        "SELECT * FROM complaints WHERE chat_id = ? AND ack_message_id = ?",
        (chat_id, message_id),
    )
    return _complaint(row) if row else None


async def add_details(
    tx: aiosqlite.Connection,
    complaint_id: int,
    message_id: int,
    text: str,
    category: str,
    now: datetime,
) -> bool:
    """The complainant's later details join the complaint's text (once per message);
    ``category`` may turn a general complaint into an integrity one."""
    cur = await tx.execute(
        "INSERT OR IGNORE INTO complaint_details (complaint_id, message_id, at) VALUES (?, ?, ?)",
        (complaint_id, message_id, ts(now)),
    )
    if cur.rowcount == 0:
        return False
    await tx.execute(
        "UPDATE complaints SET text = text || ?, category = ? WHERE id = ?",
        ("\n\n" + text, category, complaint_id),
    )
    return True


async def set_prompt(
    tx: aiosqlite.Connection, chat_id: int, user_id: int, message_id: int, now: datetime
) -> None:
    """'/pengaduan' alone: remember that the member's next message is the complaint."""
    await tx.execute(
        """INSERT INTO complaint_prompts (chat_id, user_id, message_id, asked_at)
           VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, user_id)
           DO UPDATE SET message_id = excluded.message_id, asked_at = excluded.asked_at""",
        (chat_id, user_id, message_id, ts(now)),
    )


async def prompted_at(conn: aiosqlite.Connection, chat_id: int, user_id: int) -> datetime | None:
    """Asked for every group message (does it continue a complaint?): a look-up by key
    without a hand-off to the database's thread (storage/sql.py)."""
    row = await one(
        conn,
        "SELECT asked_at FROM complaint_prompts WHERE chat_id = ? AND user_id = ?",
        (chat_id, user_id),
    )
    return parse_ts(row["asked_at"]) if row else None


async def clear_prompt(tx: aiosqlite.Connection, chat_id: int, user_id: int) -> bool:
    cur = await tx.execute(
        "DELETE FROM complaint_prompts WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
    )
    return cur.rowcount > 0


async def has_followup_from(conn: aiosqlite.Connection, source: str) -> bool:
    async with conn.execute("SELECT 1 FROM complaint_followups WHERE source = ?", (source,)) as cur:
        return await cur.fetchone() is not None


async def add_followup(
    tx: aiosqlite.Connection,
    c: Complaint,
    actor_id: int,
    actor_name: str,
    text: str,
    status: str,
    now: datetime,
    source: str | None = None,
) -> int:
    """Record a follow-up and the status it leaves; returns the follow-up's ordinal (1..)."""
    await tx.execute(
        """INSERT INTO complaint_followups
             (complaint_id, at, actor_id, actor_name, text, status, source)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (c.id, ts(now), actor_id, actor_name, text, status, source),
    )
    await tx.execute(
        """UPDATE complaints SET status = ?, handler_id = coalesce(handler_id, ?),
             followed_up_at = coalesce(followed_up_at, ?),
             closed_at = CASE WHEN ? = ? THEN ? ELSE NULL END
           WHERE id = ?""",
        (status, actor_id, ts(now), status, COMPLAINT_DONE, ts(now), c.id),
    )
    async with tx.execute(
        "SELECT count(*) AS n FROM complaint_followups WHERE complaint_id = ?", (c.id,)
    ) as cur:
        row = await cur.fetchone()
    return int(row["n"]) if row else 1


async def followups(conn: aiosqlite.Connection, complaint_id: int) -> list[FollowUp]:
    async with conn.execute(
        "SELECT * FROM complaint_followups WHERE complaint_id = ? ORDER BY id", (complaint_id,)
    ) as cur:
        rows = await cur.fetchall()
    return [
        FollowUp(
            r["complaint_id"],
            parse_ts(r["at"]),
            r["actor_id"],
            r["actor_name"],
            r["text"],
            r["status"],
        )
        for r in rows
    ]


async def by_status(
    conn: aiosqlite.Connection,
    office_id: int,
    statuses: tuple[str, ...],
    limit: int = 30,
    kode_satker: str | None = None,
) -> list[Complaint]:
    marks = ", ".join("?" * len(statuses))
    satker = " AND kode_satker = ?" if kode_satker is not None else ""
    async with conn.execute(
        f"""SELECT * FROM complaints WHERE office_id = ? AND status IN ({marks}){satker}
            ORDER BY created_at LIMIT ?""",
        (office_id, *statuses, *([kode_satker] if kode_satker is not None else []), limit),
    ) as cur:
        return [_complaint(r) for r in await cur.fetchall()]


async def count_by_status(conn: aiosqlite.Connection, office_id: int) -> dict[str, int]:
    async with conn.execute(
        "SELECT status, count(*) AS n FROM complaints WHERE office_id = ? GROUP BY status",
        (office_id,),
    ) as cur:
        return {r["status"]: r["n"] for r in await cur.fetchall()}


async def awaiting_overdue_alert(conn: aiosqlite.Connection, office_id: int) -> list[Complaint]:
    """Complaints with no follow-up yet whose head of office has not been alerted."""
    async with conn.execute(
        """SELECT * FROM complaints WHERE office_id = ? AND status = ?
             AND overdue_alerted_at IS NULL ORDER BY created_at""",
        (office_id, COMPLAINT_RECEIVED),
    ) as cur:
        return [_complaint(r) for r in await cur.fetchall()]


async def mark_overdue_alerted(tx: aiosqlite.Connection, complaint_id: int, now: datetime) -> bool:
    cur = await tx.execute(
        "UPDATE complaints SET overdue_alerted_at = ? WHERE id = ? AND overdue_alerted_at IS NULL",
        (ts(now), complaint_id),
    )
    return cur.rowcount > 0


async def clean_clear(
    conn: aiosqlite.Connection,
    office_id: int,
    start: datetime,
    end: datetime,
    kode_satker: str | None = None,
) -> CleanClear:
    """Complaints received in [start, end) (of one satker, if given) by their status now."""
    satker = " AND kode_satker = ?" if kode_satker else ""
    async with conn.execute(
        f"""SELECT status, count(*) AS n FROM complaints
           WHERE office_id = ? AND created_at >= ? AND created_at < ?{satker}
           GROUP BY status""",
        (office_id, ts(start), ts(end), *([kode_satker] if kode_satker else [])),
    ) as cur:
        counts = {r["status"]: r["n"] for r in await cur.fetchall()}
    return CleanClear(
        received=sum(counts.values()),
        done=counts.get(COMPLAINT_DONE, 0),
        in_progress=counts.get(COMPLAINT_IN_PROGRESS, 0),
        not_followed_up=counts.get(COMPLAINT_RECEIVED, 0),
    )
