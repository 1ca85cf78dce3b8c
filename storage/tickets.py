"""Tickets, their event history, numbering and LO backups."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import aiosqlite

from storage import rollup, sql
from storage.models import (  # noqa: F401  (re-exported for the repository's callers)
    ANSWERED,
    DONE,
    NOT_A_QUESTION,
    OPEN,
    Ticket,
)
from storage.timefmt import parse_ts, parse_ts_opt, ts

_TIME_FIELDS = {"created_at", "clock_start_at", "due_at", "first_due_at"}
_OPT_TIME_FIELDS = {"answered_at", "closed_at", "next_due_at", "progress_at"}
_COLUMNS = [f.name for f in fields(Ticket)]


def _ticket(row: aiosqlite.Row) -> Ticket:
    values: dict[str, Any] = {}
    for name in _COLUMNS:
        value = row[name]
        if name in _TIME_FIELDS:
            value = parse_ts(value)
        elif name in _OPT_TIME_FIELDS:
            value = parse_ts_opt(value)
        elif name == "on_time" and value is not None:
            value = bool(value)
        values[name] = value
    return Ticket(**values)


def _db_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return ts(value)
    if isinstance(value, bool):
        return int(value)
    return value


async def next_number(tx: aiosqlite.Connection, office_id: int, year: int) -> str:
    """'2026-0042': a per-office, per-year sequence (inside the caller's transaction)."""
    await tx.execute(
        """INSERT INTO ticket_counters (office_id, year, last) VALUES (?, ?, 1)
           ON CONFLICT (office_id, year) DO UPDATE SET last = ticket_counters.last + 1""",
        (office_id, year),
    )
    row = await sql.one(
        tx, "SELECT last FROM ticket_counters WHERE office_id = ? AND year = ?", (office_id, year)
    )
    assert row is not None
    return f"{year}-{row['last']:04d}"


async def insert(tx: aiosqlite.Connection, **values: Any) -> Ticket:
    names = list(values)
    unknown = set(names) - set(_COLUMNS)
    if unknown:
        raise ValueError(f"unknown ticket columns: {unknown}")
    cur = await tx.execute(
        f"INSERT INTO tickets ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [_db_value(values[n]) for n in names],
    )
    ticket = await get(tx, int(cur.lastrowid or 0))
    assert ticket is not None
    await rollup.move(tx, None, _facts(ticket))
    return ticket


def _facts(t: Ticket) -> dict[str, Any]:
    """The ticket's columns the daily rollup counts, as stored (a new ticket has no HAI
    CSO state yet: not entered)."""
    return {c: _db_value(getattr(t, c)) for c in rollup.FACT_COLUMNS}


async def update(tx: aiosqlite.Connection, ticket_id: int, **values: Any) -> None:
    unknown = set(values) - set(_COLUMNS) or {"id"} & set(values)
    if unknown:
        raise ValueError(f"cannot update ticket columns: {unknown}")
    assignments = ", ".join(f"{name} = ?" for name in values)
    # The daily rollup follows in this transaction when a column it counts changes.
    counted = [c for c in values if c in rollup.FACT_COLUMNS]
    old = await rollup.facts(tx, ticket_id) if counted else None
    await tx.execute(
        f"UPDATE tickets SET {assignments} WHERE id = ?",
        [*(_db_value(v) for v in values.values()), ticket_id],
    )
    if old is not None:
        await rollup.move(tx, old, {**old, **{c: _db_value(values[c]) for c in counted}})


async def get(conn: aiosqlite.Connection, ticket_id: int) -> Ticket | None:
    row = await sql.one(conn, "SELECT * FROM tickets WHERE id = ?", (ticket_id,))
    return _ticket(row) if row else None


async def get_by_number(conn: aiosqlite.Connection, office_id: int, number: str) -> Ticket | None:
    row = await sql.one(
        conn, "SELECT * FROM tickets WHERE office_id = ? AND number = ?", (office_id, number)
    )
    return _ticket(row) if row else None


async def find_by_message(
    conn: aiosqlite.Connection, chat_id: int, message_id: int
) -> Ticket | None:
    """The ticket whose question, bot reply, post or follow-up is this message."""
    row = await sql.one(
        conn,
        """SELECT * FROM tickets WHERE chat_id = ? AND (message_id = ? OR bot_message_id = ?
             OR id IN (SELECT ticket_id FROM ticket_messages WHERE chat_id = ? AND message_id = ?))
           ORDER BY id DESC LIMIT 1""",
        (chat_id, message_id, message_id, chat_id, message_id),
    )
    return _ticket(row) if row else None


async def by_question(conn: aiosqlite.Connection, chat_id: int, message_id: int) -> Ticket | None:
    """The ticket opened for this very message (not one it was attached to)."""
    row = await sql.one(
        conn, "SELECT * FROM tickets WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
    )
    return _ticket(row) if row else None


async def link_message(
    tx: aiosqlite.Connection, chat_id: int, message_id: int, ticket_ids: list[int]
) -> None:
    """Remember a bot message about these tickets (a notice, a digest, a prompt)."""
    await tx.executemany(
        "INSERT OR IGNORE INTO ticket_messages (chat_id, message_id, ticket_id) VALUES (?, ?, ?)",
        [(chat_id, message_id, tid) for tid in ticket_ids],
    )


async def linked_to_message(
    conn: aiosqlite.Connection, chat_id: int, message_id: int
) -> list[Ticket]:
    """The tickets a bot message was about, oldest first."""
    async with conn.execute(
        """SELECT t.* FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id
           WHERE m.chat_id = ? AND m.message_id = ? ORDER BY t.id""",
        (chat_id, message_id),
    ) as cur:
        return [_ticket(r) for r in await cur.fetchall()]


async def add_event(
    tx: aiosqlite.Connection,
    ticket_id: int,
    at: datetime,
    actor_id: int | None,
    kind: str,
    detail: str | None = None,
) -> None:
    await tx.execute(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?)",
        (ticket_id, ts(at), actor_id, kind, detail),
    )


async def events(
    conn: aiosqlite.Connection, ticket_id: int
) -> list[tuple[datetime, str, str | None]]:
    async with conn.execute(
        "SELECT at, kind, detail FROM ticket_events WHERE ticket_id = ? ORDER BY id", (ticket_id,)
    ) as cur:
        return [(parse_ts(r["at"]), r["kind"], r["detail"]) for r in await cur.fetchall()]


async def fell_due(
    conn: aiosqlite.Connection, office_id: int, now: datetime, limit: int = 500
) -> list[Ticket]:
    async with conn.execute(
        "SELECT * FROM tickets WHERE office_id = ? AND next_due_at IS NOT NULL "
        "AND next_due_at <= ? ORDER BY next_due_at LIMIT ?",
        (office_id, ts(now), limit),
    ) as cur:
        return [_ticket(r) for r in await cur.fetchall()]


def _open_where(
    office_id: int,
    lo_ids: list[int] | None = None,
    chat_id: int | None = None,
    asker_id: int | None = None,
    kode_satker: str | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) of a scope's open tickets."""
    where = ["office_id = ?", "status = 'baru'"]
    params: list[Any] = [office_id]
    if lo_ids is not None:
        where.append(f"lo_user_id IN ({', '.join('?' * len(lo_ids)) or 'NULL'})")
        params += lo_ids
    for column, value in (
        ("chat_id", chat_id),
        ("asker_id", asker_id),
        ("kode_satker", kode_satker),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    return " AND ".join(where), params


async def open_tickets(
    conn: aiosqlite.Connection,
    office_id: int,
    *,
    lo_ids: list[int] | None = None,
    chat_id: int | None = None,
    asker_id: int | None = None,
    kode_satker: str | None = None,
    limit: int = 30,
) -> tuple[list[Ticket], int]:
    """Open tickets in a scope, oldest deadline first, and how many there are in all."""
    clause, params = _open_where(office_id, lo_ids, chat_id, asker_id, kode_satker)
    row = await sql.one(conn, f"SELECT count(*) FROM tickets WHERE {clause}", params)
    total = int(row[0]) if row else 0
    async with conn.execute(
        f"SELECT * FROM tickets WHERE {clause} ORDER BY due_at, id LIMIT ?", [*params, limit]
    ) as cur:
        return [_ticket(r) for r in await cur.fetchall()], total


async def count_open_due_by(
    conn: aiosqlite.Connection,
    office_id: int,
    lo_ids: list[int],
    until: datetime,
    *,
    before: bool = False,
) -> int:
    """Open tickets of these LOs whose deadline is at or before ``until`` (``before``:
    strictly before it, i.e. late at ``until``: a deadline that is now has not passed)."""
    marks = ", ".join("?" * len(lo_ids)) or "NULL"
    compare = "<" if before else "<="
    row = await sql.one(
        conn,
        f"""SELECT count(*) FROM tickets WHERE office_id = ? AND status = 'baru'
            AND lo_user_id IN ({marks}) AND due_at {compare} ?""",
        [office_id, *lo_ids, ts(until)],
    )
    return int(row[0]) if row else 0


async def open_and_late(
    conn: aiosqlite.Connection, office_id: int, now: datetime
) -> tuple[int, int]:
    """How many tickets are open, and how many of them are past their deadline (one pass
    over the index tickets_open)."""
    row = await sql.one(
        conn,
        """SELECT count(*), coalesce(sum(due_at < ?), 0) FROM tickets
           WHERE office_id = ? AND status = 'baru'""",
        (ts(now), office_id),
    )
    return (int(row[0]), int(row[1])) if row else (0, 0)


async def open_by_lo(
    conn: aiosqlite.Connection,
    office_id: int,
    now: datetime,
    escalated_stage: int,
    *,
    lo_ids: list[int] | None = None,
    kode_satker: str | None = None,
) -> list[tuple[int | None, int, int, int]]:
    """(LO, open, past the deadline, escalated) for the open tickets of a scope, in one
    pass over the index tickets_open."""
    clause, params = _open_where(office_id, lo_ids, kode_satker=kode_satker)
    async with conn.execute(
        f"""SELECT lo_user_id, count(*) AS n, coalesce(sum(due_at < ?), 0) AS late,
                   coalesce(sum(stage >= ?), 0) AS escalated
            FROM tickets WHERE {clause} GROUP BY lo_user_id""",
        [ts(now), escalated_stage, *params],
    ) as cur:
        return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in await cur.fetchall()]


async def open_ids(conn: aiosqlite.Connection, office_id: int) -> list[int]:
    async with conn.execute(
        "SELECT id FROM tickets WHERE office_id = ? AND status = 'baru'", (office_id,)
    ) as cur:
        return [r["id"] for r in await cur.fetchall()]


async def set_backup(
    tx: aiosqlite.Connection, lo_id: int, backup_id: int, until: date, now: datetime
) -> None:
    await tx.execute(
        """INSERT INTO lo_backups (lo_user_id, backup_user_id, until_day, created_at)
           VALUES (?, ?, ?, ?) ON CONFLICT (lo_user_id) DO UPDATE SET
           backup_user_id = excluded.backup_user_id, until_day = excluded.until_day,
           created_at = excluded.created_at""",
        (lo_id, backup_id, until.isoformat(), ts(now)),
    )


async def clear_backup(tx: aiosqlite.Connection, lo_id: int) -> bool:
    cur = await tx.execute("DELETE FROM lo_backups WHERE lo_user_id = ?", (lo_id,))
    return cur.rowcount > 0


async def backup_of(conn: aiosqlite.Connection, lo_id: int, today: date) -> int | None:
    row = await sql.one(
        conn,
        "SELECT backup_user_id FROM lo_backups WHERE lo_user_id = ? AND until_day >= ?",
        (lo_id, today.isoformat()),
    )
    return row["backup_user_id"] if row else None


async def backed_up_by(conn: aiosqlite.Connection, backup_id: int, today: date) -> list[int]:
    async with conn.execute(
        "SELECT lo_user_id FROM lo_backups WHERE backup_user_id = ? AND until_day >= ?",
        (backup_id, today.isoformat()),
    ) as cur:
        return [r["lo_user_id"] for r in await cur.fetchall()]


async def add_events(
    tx: aiosqlite.Connection, rows: list[tuple[int, datetime, int | None, str, str | None]]
) -> None:
    await tx.executemany(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?)",
        [(tid, ts(at), actor, kind, detail) for tid, at, actor, kind, detail in rows],
    )


async def advance_stages(
    tx: aiosqlite.Connection, rows: list[tuple[int, int, datetime | None]]
) -> None:
    """(ticket id, new stage, next due) for many tickets at once."""
    await tx.executemany(
        "UPDATE tickets SET stage = ?, next_due_at = ? WHERE id = ?",
        [(stage, ts(nxt) if nxt else None, tid) for tid, stage, nxt in rows],
    )


@dataclass(frozen=True)
class Followup:
    id: int
    ticket_id: int
    chat_id: int
    message_id: int
    author_id: int | None
    author_name: str | None
    text: str
    split_ticket_id: int | None
    attachment_kind: str | None = None  # "photo" or "document", as on tickets
    attachment_id: str | None = None  # the Telegram file id

    @property
    def attachment(self) -> tuple[str, str] | None:
        if self.attachment_kind and self.attachment_id:
            return self.attachment_kind, self.attachment_id
        return None


_FOLLOWUP_COLUMNS = """id, ticket_id, chat_id, message_id, author_id, author_name, text,
    split_ticket_id, attachment_kind, attachment_id"""


async def add_followup(
    tx: aiosqlite.Connection,
    ticket_id: int,
    chat_id: int,
    message_id: int,
    author_id: int,
    author_name: str,
    text: str,
    at: datetime,
    attachment: tuple[str, str] | None = None,
) -> tuple[int, bool]:
    """(follow-up id, True when new); the same message twice is one follow-up."""
    kind, file_id = attachment or (None, None)
    cur = await tx.execute(
        """INSERT OR IGNORE INTO ticket_followups
           (ticket_id, chat_id, message_id, author_id, author_name, text, at,
            attachment_kind, attachment_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (ticket_id, chat_id, message_id, author_id, author_name, text, ts(at), kind, file_id),
    )
    async with tx.execute(
        "SELECT id FROM ticket_followups WHERE chat_id = ? AND message_id = ?",
        (chat_id, message_id),
    ) as c:
        row = await c.fetchone()
    assert row is not None
    return int(row["id"]), cur.rowcount > 0


async def get_followup(conn: aiosqlite.Connection, followup_id: int) -> Followup | None:
    async with conn.execute(
        f"SELECT {_FOLLOWUP_COLUMNS} FROM ticket_followups WHERE id = ?", (followup_id,)
    ) as cur:
        row = await cur.fetchone()
    return Followup(*row) if row else None


async def followup_files(conn: aiosqlite.Connection, ticket_id: int) -> list[Followup]:
    """The ticket's follow-ups that carry a file (not those split off as tickets)."""
    async with conn.execute(
        f"""SELECT {_FOLLOWUP_COLUMNS} FROM ticket_followups
            WHERE ticket_id = ? AND attachment_id IS NOT NULL AND split_ticket_id IS NULL
            ORDER BY id""",
        (ticket_id,),
    ) as cur:
        return [Followup(*row) for row in await cur.fetchall()]


async def mark_split(tx: aiosqlite.Connection, followup_id: int, ticket_id: int) -> None:
    await tx.execute(
        "UPDATE ticket_followups SET split_ticket_id = ? WHERE id = ?", (ticket_id, followup_id)
    )


async def reopened_awaiting(
    conn: aiosqlite.Connection, chat_id: int, asker_id: int, since: datetime
) -> Ticket | None:
    """The asker's open ticket in this group reopened since ``since`` (its clock restarts
    at the reopening) that has no follow-up written after the reopening yet."""
    row = await sql.one(
        conn,
        """SELECT * FROM tickets t WHERE chat_id = ? AND asker_id = ? AND status = 'baru'
           AND reopen_count > 0 AND clock_start_at >= ?
           AND NOT EXISTS (SELECT 1 FROM ticket_followups f
                           WHERE f.ticket_id = t.id AND f.at >= t.clock_start_at)
           ORDER BY id DESC LIMIT 1""",
        (chat_id, asker_id, ts(since)),
    )
    return _ticket(row) if row else None


async def open_of_asker_since(
    conn: aiosqlite.Connection, chat_id: int, asker_id: int, since: datetime
) -> Ticket | None:
    """The asker's latest open ticket in this group whose clock started since ``since``."""
    row = await sql.one(
        conn,
        """SELECT * FROM tickets WHERE chat_id = ? AND asker_id = ? AND status = 'baru'
           AND clock_start_at >= ? ORDER BY id DESC LIMIT 1""",
        (chat_id, asker_id, ts(since)),
    )
    return _ticket(row) if row else None


async def recent_of_asker(
    conn: aiosqlite.Connection, chat_id: int, asker_id: int, limit: int = 5
) -> list[Ticket]:
    """The asker's latest tickets in this group, newest first (any status)."""
    async with conn.execute(
        "SELECT * FROM tickets WHERE chat_id = ? AND asker_id = ? ORDER BY id DESC LIMIT ?",
        (chat_id, asker_id, limit),
    ) as cur:
        return [_ticket(r) for r in await cur.fetchall()]
