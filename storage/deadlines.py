"""Deadlines, their occurrences and who reported ("sudah disampaikan")."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date, datetime, time

import aiosqlite

from storage.deadline_model import Deadline, DeadlineSpec, Occurrence, Reported
from storage.timefmt import parse_ts, parse_ts_opt, ts


def _csv(values: tuple[object, ...]) -> str:
    return ",".join(str(v) for v in values)


def _split(text: str) -> tuple[str, ...]:
    return tuple(p for p in text.split(",") if p)


def _deadline(row: aiosqlite.Row) -> Deadline:
    spec = DeadlineSpec(
        slug=row["slug"],
        name=row["name"],
        audience=row["audience"],
        recurrence=row["recurrence"],
        due_time=time.fromisoformat(row["due_time"]),
        due_date=date.fromisoformat(row["due_date"]) if row["due_date"] else None,
        due_day=row["due_day"],
        tahap=row["tahap"],
        roles=_split(row["roles"]),
        user_ids=tuple(int(u) for u in _split(row["user_ids"])),
        offsets=tuple(int(o) for o in _split(row["offsets"])),
        alert_roles=_split(row["alert_roles"]),
    )
    return Deadline(row["id"], spec, row["source"], bool(row["active"]))


def _occurrence(row: aiosqlite.Row) -> Occurrence:
    return Occurrence(
        row["id"],
        row["deadline_id"],
        date.fromisoformat(row["occurrence"]),
        parse_ts(row["due_at"]),
        row["next_step"],
        parse_ts_opt(row["next_due_at"]),
    )


def _spec_values(spec: DeadlineSpec) -> tuple[object, ...]:
    return (
        spec.name,
        spec.tahap,
        spec.audience,
        _csv(spec.roles),
        _csv(spec.user_ids),
        spec.recurrence,
        spec.due_date.isoformat() if spec.due_date else None,
        spec.due_day,
        spec.due_time.strftime("%H:%M"),
        _csv(spec.offsets),
        _csv(spec.alert_roles),
    )


async def get(conn: aiosqlite.Connection, deadline_id: int) -> Deadline | None:
    async with conn.execute("SELECT * FROM deadlines WHERE id = ?", (deadline_id,)) as cur:
        row = await cur.fetchone()
    return _deadline(row) if row else None


async def get_by_slug(conn: aiosqlite.Connection, office_id: int, slug: str) -> Deadline | None:
    async with conn.execute(
        "SELECT * FROM deadlines WHERE office_id = ? AND slug = ?", (office_id, slug)
    ) as cur:
        row = await cur.fetchone()
    return _deadline(row) if row else None


async def save(
    tx: aiosqlite.Connection,
    office_id: int,
    spec: DeadlineSpec,
    source: str,
    actor: int | None,
    now: datetime,
) -> tuple[Deadline, bool]:
    """Insert or update by slug; True when something changed (new, edited or revived)."""
    old = await get_by_slug(tx, office_id, spec.slug)
    if old is not None and old.active and astuple(old.spec) == astuple(spec):
        return old, False
    values = _spec_values(spec)
    if old is None:
        await tx.execute(
            """INSERT INTO deadlines (name, tahap, audience, roles, user_ids, recurrence,
                   due_date, due_day, due_time, offsets, alert_roles, office_id, slug, source,
                   created_by, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (*values, office_id, spec.slug, source, actor, ts(now)),
        )
    else:
        await tx.execute(
            """UPDATE deadlines SET name = ?, tahap = ?, audience = ?, roles = ?, user_ids = ?,
                   recurrence = ?, due_date = ?, due_day = ?, due_time = ?, offsets = ?,
                   alert_roles = ?, source = ?, active = 1
               WHERE id = ?""",
            (*values, source, old.id),
        )
    saved = await get_by_slug(tx, office_id, spec.slug)
    assert saved is not None
    return saved, True


async def deactivate(tx: aiosqlite.Connection, deadline_id: int) -> bool:
    cur = await tx.execute(
        "UPDATE deadlines SET active = 0 WHERE id = ? AND active = 1", (deadline_id,)
    )
    await tx.execute(
        "UPDATE deadline_occurrences SET next_due_at = NULL WHERE deadline_id = ?", (deadline_id,)
    )
    return cur.rowcount > 0


async def file_slugs(conn: aiosqlite.Connection, office_id: int) -> dict[str, int]:
    async with conn.execute(
        "SELECT slug, id FROM deadlines WHERE office_id = ? AND source = 'file' AND active = 1",
        (office_id,),
    ) as cur:
        return {r["slug"]: r["id"] for r in await cur.fetchall()}


async def occurrences_of(conn: aiosqlite.Connection, deadline_id: int) -> list[Occurrence]:
    async with conn.execute(
        "SELECT * FROM deadline_occurrences WHERE deadline_id = ? ORDER BY occurrence",
        (deadline_id,),
    ) as cur:
        return [_occurrence(r) for r in await cur.fetchall()]


async def get_occurrence(conn: aiosqlite.Connection, occurrence_id: int) -> Occurrence | None:
    async with conn.execute(
        "SELECT * FROM deadline_occurrences WHERE id = ?", (occurrence_id,)
    ) as cur:
        row = await cur.fetchone()
    return _occurrence(row) if row else None


async def add_occurrence(
    tx: aiosqlite.Connection,
    deadline_id: int,
    occurrence: date,
    due_at: datetime,
    next_due_at: datetime | None,
) -> None:
    await tx.execute(
        """INSERT OR IGNORE INTO deadline_occurrences (deadline_id, occurrence, due_at, next_due_at)
           VALUES (?, ?, ?, ?)""",
        (deadline_id, occurrence.isoformat(), ts(due_at), ts(next_due_at) if next_due_at else None),
    )


async def drop_open_occurrences(tx: aiosqlite.Connection, deadline_id: int, keep: date) -> None:
    """A changed date: occurrences still waiting for other dates are no longer wanted."""
    await tx.execute(
        """DELETE FROM deadline_occurrences
           WHERE deadline_id = ? AND next_due_at IS NOT NULL AND occurrence <> ?""",
        (deadline_id, keep.isoformat()),
    )


async def set_progress(
    tx: aiosqlite.Connection,
    occurrence_id: int,
    next_step: int,
    next_due_at: datetime | None,
    due_at: datetime | None = None,
) -> None:
    if due_at is None:
        await tx.execute(
            "UPDATE deadline_occurrences SET next_step = ?, next_due_at = ? WHERE id = ?",
            (next_step, ts(next_due_at) if next_due_at else None, occurrence_id),
        )
        return
    await tx.execute(
        "UPDATE deadline_occurrences SET next_step = ?, next_due_at = ?, due_at = ? WHERE id = ?",
        (next_step, ts(next_due_at) if next_due_at else None, ts(due_at), occurrence_id),
    )


async def fell_due(
    conn: aiosqlite.Connection, office_id: int, now: datetime, limit: int = 200
) -> list[tuple[Occurrence, Deadline]]:
    async with conn.execute(
        """SELECT o.* FROM deadline_occurrences o JOIN deadlines d ON d.id = o.deadline_id
           WHERE o.next_due_at IS NOT NULL AND o.next_due_at <= ? AND d.office_id = ?
           ORDER BY o.next_due_at LIMIT ?""",
        (ts(now), office_id, limit),
    ) as cur:
        rows = await cur.fetchall()
    return await _with_deadlines(conn, [_occurrence(r) for r in rows])


async def open_occurrences(
    conn: aiosqlite.Connection, office_id: int
) -> list[tuple[Occurrence, Deadline]]:
    async with conn.execute(
        """SELECT o.* FROM deadline_occurrences o JOIN deadlines d ON d.id = o.deadline_id
           WHERE o.next_due_at IS NOT NULL AND d.office_id = ? ORDER BY o.id""",
        (office_id,),
    ) as cur:
        rows = await cur.fetchall()
    return await _with_deadlines(conn, [_occurrence(r) for r in rows])


async def current(
    conn: aiosqlite.Connection, office_id: int, since: datetime, until: datetime
) -> list[tuple[Occurrence, Deadline]]:
    """Occurrences of active deadlines due in [since, until], by due time (for /tahap)."""
    async with conn.execute(
        """SELECT o.* FROM deadline_occurrences o JOIN deadlines d ON d.id = o.deadline_id
           WHERE d.office_id = ? AND d.active = 1 AND o.due_at >= ? AND o.due_at <= ?
           ORDER BY o.due_at, o.id""",
        (office_id, ts(since), ts(until)),
    ) as cur:
        rows = await cur.fetchall()
    return await _with_deadlines(conn, [_occurrence(r) for r in rows])


async def _with_deadlines(
    conn: aiosqlite.Connection, occurrences: list[Occurrence]
) -> list[tuple[Occurrence, Deadline]]:
    cache: dict[int, Deadline | None] = {}
    found = []
    for occ in occurrences:
        if occ.deadline_id not in cache:
            cache[occ.deadline_id] = await get(conn, occ.deadline_id)
        deadline = cache[occ.deadline_id]
        if deadline is not None:
            found.append((occ, deadline))
    return found


async def reports(conn: aiosqlite.Connection, occurrence_id: int) -> dict[str, Reported]:
    async with conn.execute(
        "SELECT * FROM deadline_reports WHERE occurrence_id = ? ORDER BY reported_at",
        (occurrence_id,),
    ) as cur:
        rows = await cur.fetchall()
    return {
        r["party"]: Reported(r["party"], r["reported_by"], parse_ts(r["reported_at"])) for r in rows
    }


async def record_report(
    tx: aiosqlite.Connection, occurrence_id: int, party: str, by: int, now: datetime
) -> bool:
    """False when the party had already reported (the first record stands)."""
    cur = await tx.execute(
        """INSERT OR IGNORE INTO deadline_reports (occurrence_id, party, reported_by, reported_at)
           VALUES (?, ?, ?, ?)""",
        (occurrence_id, party, by, ts(now)),
    )
    return cur.rowcount > 0
