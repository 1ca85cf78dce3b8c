"""The HAI CSO bridge's rows: each ticket's state there, the CSO's pending prompt, the
17.00 step's record, and uploaded "Laporan Layanan Permasalahan" exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from storage import rollup, sql
from storage.models import (
    HAI_ENTERED,
    HAI_NOT_ENTERED,
    HAI_NOT_NEEDED,
    NOT_A_QUESTION,
    HaiEntry,
)
from storage.timefmt import parse_ts_opt, ts

# A ticket the bot listed: the ticket's row (storage.tickets columns) and its HAI state.
_LISTED = f"""SELECT t.id, t.number, t.chat_id, t.kode_satker, t.channel, t.text, t.status,
       t.created_at, t.clock_start_at, t.answered_at, t.answer_text, t.lo_user_id,
       t.recorded_by, t.answered_by, t.on_time,
       coalesce(h.state, '{HAI_NOT_ENTERED}') AS hai_state, h.hai_number, h.reason,
       h.by_user, h.at, h.late_at
   FROM tickets t LEFT JOIN hai_entries h ON h.ticket_id = t.id"""


@dataclass(frozen=True)
class Listed:
    """A ticket as the HAI CSO lists and files show it."""

    id: int
    number: str
    chat_id: int | None
    kode_satker: str | None
    channel: str
    text: str
    status: str
    created_at: datetime
    clock_start_at: datetime
    answered_at: datetime | None
    answer_text: str | None
    lo_user_id: int | None
    recorded_by: int | None
    answered_by: int | None
    on_time: bool | None
    entry: HaiEntry


def _listed(r: Any) -> Listed:
    entry = HaiEntry(
        r["id"],
        r["hai_state"],
        r["hai_number"],
        r["reason"],
        r["by_user"],
        parse_ts_opt(r["at"]),
        parse_ts_opt(r["late_at"]),
    )
    return Listed(
        r["id"],
        r["number"],
        r["chat_id"],
        r["kode_satker"],
        r["channel"],
        r["text"],
        r["status"],
        parse_ts_opt(r["created_at"]),  # type: ignore[arg-type]
        parse_ts_opt(r["clock_start_at"]),  # type: ignore[arg-type]
        parse_ts_opt(r["answered_at"]),
        r["answer_text"],
        r["lo_user_id"],
        r["recorded_by"],
        r["answered_by"],
        None if r["on_time"] is None else bool(r["on_time"]),
        entry,
    )


async def not_entered(
    conn: aiosqlite.Connection, office_id: int, since: datetime, limit: int, carried: bool = False
) -> tuple[list[Listed], int]:
    """Tickets recorded since ``since`` not entered in HAI CSO yet (oldest first, at most
    ``limit``), and how many there are in all; ``carried``: only those the 17.00 step
    marked late. Reads the tickets_period index by date."""
    where = f"""t.office_id = ? AND t.created_at >= ? AND t.status != '{NOT_A_QUESTION}'
                AND coalesce(h.state, '{HAI_NOT_ENTERED}') = '{HAI_NOT_ENTERED}'"""
    if carried:
        where += " AND h.late_at IS NOT NULL"
    params = (office_id, ts(since))
    row = await sql.one(
        conn,
        f"SELECT count(*) FROM tickets t LEFT JOIN hai_entries h ON h.ticket_id = t.id "
        f"WHERE {where}",
        params,
    )
    found = await conn.execute_fetchall(
        f"{_LISTED} WHERE {where} ORDER BY t.created_at, t.id LIMIT ?", (*params, limit)
    )
    return [_listed(r) for r in found], int(row[0]) if row else 0


async def in_period(
    conn: aiosqlite.Connection, office_id: int, start: datetime, end: datetime
) -> list[Listed]:
    """Every ticket recorded in [start, end) but those that were no question, by time."""
    found = await conn.execute_fetchall(
        f"""{_LISTED} WHERE t.office_id = ? AND t.created_at >= ? AND t.created_at < ?
            AND t.status != '{NOT_A_QUESTION}' ORDER BY t.created_at, t.id""",
        (office_id, ts(start), ts(end)),
    )
    return [_listed(r) for r in found]


async def listed(conn: aiosqlite.Connection, ticket_id: int) -> Listed | None:
    row = await sql.one(conn, f"{_LISTED} WHERE t.id = ?", (ticket_id,))
    return _listed(row) if row else None


async def ticket_id_of(conn: aiosqlite.Connection, office_id: int, number: str) -> int | None:
    row = await sql.one(
        conn, "SELECT id FROM tickets WHERE office_id = ? AND number = ?", (office_id, number)
    )
    return int(row[0]) if row else None


async def by_hai_number(conn: aiosqlite.Connection, office_id: int, number: str) -> int | None:
    """The ticket entered with this HAI CSO number, if any."""
    row = await sql.one(
        conn,
        "SELECT ticket_id FROM hai_entries WHERE office_id = ? AND hai_number = ?",
        (office_id, number),
    )
    return int(row[0]) if row else None


async def set_state(
    tx: aiosqlite.Connection,
    office_id: int,
    ticket_id: int,
    state: str,
    by_user: int,
    at: datetime,
    *,
    hai_number: str | None = None,
    reason: str | None = None,
) -> None:
    """Record the ticket's HAI CSO state (keeps when it was carried over as late)."""
    assert state in (HAI_ENTERED, HAI_NOT_NEEDED, HAI_NOT_ENTERED)
    old = await rollup.facts(tx, ticket_id)  # the rollup keys on the state: it follows
    await tx.execute(
        """INSERT INTO hai_entries (ticket_id, office_id, state, hai_number, reason, by_user, at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (ticket_id) DO UPDATE SET state = excluded.state,
               hai_number = excluded.hai_number, reason = excluded.reason,
               by_user = excluded.by_user, at = excluded.at""",
        (ticket_id, office_id, state, hai_number, reason, by_user, ts(at)),
    )
    if old is not None:
        await rollup.move(tx, old, {**old, "hai_state": state, "hai_by": by_user})


async def close_day(
    tx: aiosqlite.Connection, office_id: int, day: date, cutoff: datetime, since: datetime
) -> int | None:
    """The 17.00 step of ``day``: tickets whose clock started before ``cutoff`` and are
    still not entered are marked late. None when the day was closed before."""
    cur = await tx.execute(
        "INSERT OR IGNORE INTO hai_days (office_id, day, closed_at) VALUES (?, ?, ?)",
        (office_id, day.isoformat(), ts(cutoff)),
    )
    if cur.rowcount == 0:
        return None
    await tx.execute(
        f"""INSERT OR IGNORE INTO hai_entries (ticket_id, office_id, state)
            SELECT t.id, t.office_id, '{HAI_NOT_ENTERED}' FROM tickets t
            WHERE t.office_id = ? AND t.created_at >= ? AND t.clock_start_at < ?
              AND t.status != '{NOT_A_QUESTION}'""",
        (office_id, ts(since), ts(cutoff)),
    )
    cur = await tx.execute(
        f"""UPDATE hai_entries SET late_at = ?
            WHERE office_id = ? AND state = '{HAI_NOT_ENTERED}' AND late_at IS NULL
              AND ticket_id IN (SELECT id FROM tickets WHERE office_id = ? AND created_at >= ?
                                AND clock_start_at < ?)""",
        (ts(cutoff), office_id, office_id, ts(since), ts(cutoff)),
    )
    return cur.rowcount


async def day_closed(conn: aiosqlite.Connection, office_id: int, day: date) -> bool:
    row = await sql.one(
        conn, "SELECT 1 FROM hai_days WHERE office_id = ? AND day = ?", (office_id, day.isoformat())
    )
    return row is not None


# ---- the prompt for the HAI number --------------------------------------------------------
async def set_prompt(tx: aiosqlite.Connection, user_id: int, ticket_id: int, now: datetime) -> None:
    await tx.execute(
        """INSERT INTO hai_prompts (user_id, ticket_id, created_at) VALUES (?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET ticket_id = excluded.ticket_id,
               created_at = excluded.created_at""",
        (user_id, ticket_id, ts(now)),
    )


async def prompt_of(conn: aiosqlite.Connection, user_id: int) -> tuple[int, datetime] | None:
    row = await sql.one(
        conn, "SELECT ticket_id, created_at FROM hai_prompts WHERE user_id = ?", (user_id,)
    )
    if row is None:
        return None
    at = parse_ts_opt(row["created_at"])
    assert at is not None
    return int(row["ticket_id"]), at


async def clear_prompt(tx: aiosqlite.Connection, user_id: int) -> None:
    await tx.execute("DELETE FROM hai_prompts WHERE user_id = ?", (user_id,))


# ---- /rekap ----------------------------------------------------------------------------------
async def period_counts(
    conn: aiosqlite.Connection,
    office_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
    lo_ids: Iterable[int] | None,
    kode_satker: str | None = None,
) -> list[Any]:
    """Per (state, who entered it, recorded_by, answered_by): tickets, answered, on time,
    open past the deadline; for "tercatat di HAI CSO: x dari y" and the IKU estimate."""
    where = [
        "t.office_id = ?",
        "t.created_at >= ?",
        "t.created_at < ?",
        f"t.status != '{NOT_A_QUESTION}'",
    ]
    params: list[Any] = [office_id, ts(start), ts(end)]
    if lo_ids is not None:
        ids = list(lo_ids)
        where.append(f"t.lo_user_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
        params += ids
    if kode_satker is not None:  # the dashboard's satker filter
        where.append("t.kode_satker = ?")
        params.append(kode_satker)
    return list(
        await conn.execute_fetchall(
            f"""SELECT coalesce(h.state, '{HAI_NOT_ENTERED}') AS state, h.by_user,
                   t.recorded_by, t.answered_by, count(*) AS n,
                   sum(t.status IN ('dijawab', 'selesai')) AS answered,
                   sum(coalesce(t.on_time, 0)) AS on_time,
                   sum(t.status = 'baru' AND t.due_at < ?) AS late_open
                FROM tickets t LEFT JOIN hai_entries h ON h.ticket_id = t.id
                WHERE {" AND ".join(where)}
                GROUP BY 1, 2, 3, 4""",
            (ts(now), *params),
        )
    )


# ---- names for the blocks and files --------------------------------------------------------
async def user_names(conn: aiosqlite.Connection, user_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    found = await conn.execute_fetchall(
        f"SELECT user_id, full_name FROM users WHERE user_id IN ({','.join('?' * len(ids))})", ids
    )
    return {r["user_id"]: r["full_name"] for r in found}


async def satker_names(conn: aiosqlite.Connection, kodes: Iterable[str]) -> dict[str, str]:
    """A name per kode satker (registered in two groups: the first name)."""
    wanted = sorted(set(kodes))
    if not wanted:
        return {}
    found = await conn.execute_fetchall(
        f"""SELECT kode_satker, min(name) AS name FROM group_satker
            WHERE kode_satker IN ({",".join("?" * len(wanted))}) GROUP BY kode_satker""",
        wanted,
    )
    return {r["kode_satker"]: r["name"] for r in found}


# ---- reconciliation uploads ------------------------------------------------------------------
@dataclass(frozen=True)
class ImportRow:
    import_id: int
    row_number: int
    hai_number: str | None
    kode_satker: str | None
    day: date | None
    question: str
    status: str | None
    ticket_id: int | None
    how: str  # 'nomor', 'usul', 'dikonfirmasi', 'ditolak', 'tidak_ada'


async def add_import(
    tx: aiosqlite.Connection,
    office_id: int,
    user_id: int,
    file_name: str,
    now: datetime,
    rows: Iterable[tuple[Any, ...]],
) -> int:
    """The upload and its rows, as (row, HAI number, kode, day, question, status, ticket,
    how) tuples; returns its id."""
    cur = await tx.execute(
        "INSERT INTO hai_imports (office_id, user_id, file_name, created_at) VALUES (?, ?, ?, ?)",
        (office_id, user_id, file_name, ts(now)),
    )
    import_id = cur.lastrowid
    assert import_id is not None
    await tx.executemany(
        """INSERT INTO hai_import_rows (import_id, row_number, hai_number, kode_satker, day,
               question, status, ticket_id, how) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [(import_id, *r) for r in rows],
    )
    return import_id


async def import_row(
    conn: aiosqlite.Connection, office_id: int, import_id: int, row_number: int
) -> ImportRow | None:
    row = await sql.one(
        conn,
        """SELECT r.* FROM hai_import_rows r JOIN hai_imports i ON i.id = r.import_id
           WHERE r.import_id = ? AND r.row_number = ? AND i.office_id = ?""",
        (import_id, row_number, office_id),
    )
    if row is None:
        return None
    day = date.fromisoformat(row["day"]) if row["day"] else None
    return ImportRow(
        row["import_id"],
        row["row_number"],
        row["hai_number"],
        row["kode_satker"],
        day,
        row["question"],
        row["status"],
        row["ticket_id"],
        row["how"],
    )


async def set_row_how(
    tx: aiosqlite.Connection, import_id: int, row_number: int, how: str, was: str
) -> bool:
    """Move a row from ``was`` to ``how``; False when another tap moved it first."""
    cur = await tx.execute(
        "UPDATE hai_import_rows SET how = ? WHERE import_id = ? AND row_number = ? AND how = ?",
        (how, import_id, row_number, was),
    )
    return cur.rowcount == 1


async def hai_numbers(conn: aiosqlite.Connection, office_id: int) -> dict[str, int]:
    """Every HAI number the CSOs gave, to its ticket (one office: thousands at most)."""
    found = await conn.execute_fetchall(
        """SELECT hai_number, ticket_id FROM hai_entries
           WHERE office_id = ? AND hai_number IS NOT NULL""",
        (office_id,),
    )
    return {r["hai_number"]: r["ticket_id"] for r in found}


async def listed_many(conn: aiosqlite.Connection, ticket_ids: Iterable[int]) -> list[Listed]:
    ids = sorted(set(ticket_ids))
    out: list[Listed] = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        found = await conn.execute_fetchall(
            f"{_LISTED} WHERE t.id IN ({','.join('?' * len(chunk))})", chunk
        )
        out += [_listed(r) for r in found]
    return out
