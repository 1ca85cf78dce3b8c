"""Rules about the stored data that the schema alone does not enforce, checked in one place.

Used by the tests after every fuzzing example, and usable by an operator on a copy of a
live database (``await check(conn)`` returns the problems found, an empty list when sound).
"""

from __future__ import annotations

import aiosqlite

from storage.models import (
    ANSWERED,
    COMPLAINT_STATUSES,
    DONE,
    GROUP_CHANNEL,
    NOT_A_QUESTION,
    OPEN,
)

TICKET_STATUSES = (OPEN, ANSWERED, DONE, NOT_A_QUESTION)

# (what is wrong, a query listing the offending row ids). Statuses are bound parameters.
_TICKET_RULES: list[tuple[str, str, tuple[object, ...]]] = [
    (
        "ticket without an existing office",
        "SELECT t.id FROM tickets t LEFT JOIN offices o ON o.id = t.office_id WHERE o.id IS NULL",
        (),
    ),
    (
        "group ticket without a known group",
        "SELECT t.id FROM tickets t LEFT JOIN groups g ON g.chat_id = t.chat_id"
        " WHERE t.channel = ? AND g.chat_id IS NULL",
        (GROUP_CHANNEL,),
    ),
    (
        "ticket with an unknown status",
        f"SELECT id FROM tickets WHERE status NOT IN ({','.join('?' * len(TICKET_STATUSES))})",
        TICKET_STATUSES,
    ),
    (
        "open ticket without a due time",
        "SELECT id FROM tickets WHERE status = ? AND (due_at IS NULL OR due_at = '')",
        (OPEN,),
    ),
    (
        "open ticket marked answered",
        "SELECT id FROM tickets WHERE status = ? AND answered_at IS NOT NULL AND reopen_count = 0",
        (OPEN,),
    ),
    (
        "answered ticket without an answer time",
        "SELECT id FROM tickets WHERE status = ? AND answered_at IS NULL",
        (ANSWERED,),
    ),
    (
        "ticket due before it was asked",
        "SELECT id FROM tickets WHERE due_at < created_at",
        (),
    ),
    (
        "ticket number beyond its counter",
        "SELECT t.id FROM tickets t LEFT JOIN ticket_counters c ON c.office_id = t.office_id"
        " AND c.year = CAST(substr(t.number, 1, 4) AS INTEGER)"
        " WHERE c.last IS NULL OR CAST(substr(t.number, 6) AS INTEGER) > c.last",
        (),
    ),
    (
        "complaint with an unknown status",
        f"SELECT id FROM complaints WHERE status NOT IN"
        f" ({','.join('?' * len(COMPLAINT_STATUSES))})",
        COMPLAINT_STATUSES,
    ),
]


async def _ids(conn: aiosqlite.Connection, sql: str, params: tuple[object, ...]) -> list[int]:
    async with conn.execute(sql, params) as cur:
        return [int(row[0]) for row in await cur.fetchall()]


async def check(conn: aiosqlite.Connection) -> list[str]:
    """Every problem found, as 'what: ids'; [] for a sound database."""
    problems: list[str] = []
    async with conn.execute("PRAGMA integrity_check") as cur:
        verdict = [str(row[0]) for row in await cur.fetchall()]
    if verdict != ["ok"]:
        problems.append(f"integrity_check: {'; '.join(verdict[:5])}")
    async with conn.execute("PRAGMA foreign_key_check") as cur:
        broken = list(await cur.fetchall())
    if broken:
        problems.append(f"foreign keys: {[tuple(row) for row in broken[:5]]}")
    for what, sql, params in _TICKET_RULES:
        ids = await _ids(conn, sql, params)
        if ids:
            problems.append(f"{what}: {ids[:10]}")
    return problems
