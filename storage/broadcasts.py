"""Broadcasts, their target groups, and where each group's copy stands in the outbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.models import (
    BROADCAST_CANCELLED,
    BROADCAST_DONE,
    BROADCAST_DRAFT,
    BROADCAST_SENDING,
    Broadcast,
    Delivery,
    Target,
)
from storage.timefmt import parse_ts, parse_ts_opt, ts


def _broadcast(r: aiosqlite.Row) -> Broadcast:
    return Broadcast(
        id=r["id"],
        kind=r["kind"],
        created_by=r["created_by"],
        created_at=parse_ts(r["created_at"]),
        target=r["target"],
        text=r["text"],
        attachment=json.loads(r["attachment"]) if r["attachment"] else None,
        status=r["status"],
        status_chat_id=r["status_chat_id"],
        status_message_id=r["status_message_id"],
    )


async def create(
    tx: aiosqlite.Connection,
    *,
    office_id: int,
    kind: str,
    created_by: int,
    target: str,
    text: str,
    attachment: dict[str, str] | None,
    targets: list[Target],
    now: datetime,
    source: str | None = None,
) -> Broadcast:
    """A draft with its target groups; the same ``source`` (update) gives the same draft."""
    if source is not None:
        async with tx.execute("SELECT * FROM broadcasts WHERE source = ?", (source,)) as cur:
            row = await cur.fetchone()
        if row is not None:
            return _broadcast(row)
    cur = await tx.execute(
        """INSERT INTO broadcasts (office_id, kind, created_by, created_at, target, text,
             attachment, status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            office_id,
            kind,
            created_by,
            ts(now),
            target,
            text,
            json.dumps(attachment) if attachment else None,
            BROADCAST_DRAFT,
            source,
        ),
    )
    broadcast_id = int(cur.lastrowid or 0)
    await tx.executemany(
        """INSERT INTO broadcast_targets (broadcast_id, chat_id, title, text, attachment)
           VALUES (?, ?, ?, ?, ?)""",
        [
            (
                broadcast_id,
                t.chat_id,
                t.title,
                t.text,
                json.dumps(t.attachment) if t.attachment else None,
            )
            for t in targets
        ],
    )
    created = await get(tx, broadcast_id)
    assert created is not None
    return created


async def get(conn: aiosqlite.Connection, broadcast_id: int) -> Broadcast | None:
    async with conn.execute("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,)) as cur:
        row = await cur.fetchone()
    return _broadcast(row) if row else None


async def targets_with_group_status(
    conn: aiosqlite.Connection, broadcast_id: int
) -> list[tuple[Target, str | None]]:
    """Each target and its group's status now (None: the group is no longer known)."""
    async with conn.execute(
        """SELECT t.chat_id, t.title, t.text, t.attachment, g.status AS group_status
           FROM broadcast_targets t LEFT JOIN groups g ON g.chat_id = t.chat_id
           WHERE t.broadcast_id = ? ORDER BY t.title, t.chat_id""",
        (broadcast_id,),
    ) as cur:
        rows = await cur.fetchall()
    return [
        (
            Target(
                r["chat_id"],
                r["title"],
                r["text"],
                json.loads(r["attachment"]) if r["attachment"] else None,
            ),
            r["group_status"],
        )
        for r in rows
    ]


async def mark_skipped(
    tx: aiosqlite.Connection, broadcast_id: int, skipped: list[tuple[int, str]]
) -> None:
    await tx.executemany(
        "UPDATE broadcast_targets SET skipped = ? WHERE broadcast_id = ? AND chat_id = ?",
        [(reason, broadcast_id, chat_id) for chat_id, reason in skipped],
    )


async def set_status(
    tx: aiosqlite.Connection,
    broadcast_id: int,
    status: str,
    now: datetime,
    *,
    expect: str,
    status_chat_id: int | None = None,
    status_message_id: int | None = None,
) -> bool:
    """Move a broadcast from ``expect`` to ``status``; False when it was not in ``expect``
    (a second press of the button, or a report already made)."""
    stamp = "confirmed_at" if status == BROADCAST_SENDING else "finished_at"
    cur = await tx.execute(
        f"""UPDATE broadcasts SET status = ?, {stamp} = ?,
              status_chat_id = coalesce(?, status_chat_id),
              status_message_id = coalesce(?, status_message_id)
            WHERE id = ? AND status = ?""",
        (status, ts(now), status_chat_id, status_message_id, broadcast_id, expect),
    )
    return cur.rowcount > 0


async def sending(conn: aiosqlite.Connection, office_id: int) -> list[Broadcast]:
    async with conn.execute(
        "SELECT * FROM broadcasts WHERE status = ? AND office_id = ? ORDER BY id",
        (BROADCAST_SENDING, office_id),
    ) as cur:
        return [_broadcast(r) for r in await cur.fetchall()]


async def recent(
    conn: aiosqlite.Connection, office_id: int, start: datetime, end: datetime, limit: int = 30
) -> list[Broadcast]:
    """Broadcasts created in [start, end) that were sent (not drafts), newest first."""
    async with conn.execute(
        """SELECT * FROM broadcasts WHERE office_id = ? AND created_at >= ? AND created_at < ?
             AND status IN (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?""",
        (office_id, ts(start), ts(end), BROADCAST_SENDING, BROADCAST_DONE, limit),
    ) as cur:
        return [_broadcast(r) for r in await cur.fetchall()]


async def deliveries(conn: aiosqlite.Connection, broadcast_id: int) -> list[Delivery]:
    """Each target's copy, read from its outbox row (the key ties them)."""
    async with conn.execute(
        """SELECT t.chat_id, t.title, t.skipped, o.status, o.error
           FROM broadcast_targets t
           LEFT JOIN outbox o ON o.key = 'bc:' || t.broadcast_id || ':' || t.chat_id
           WHERE t.broadcast_id = ? ORDER BY t.title, t.chat_id""",
        (broadcast_id,),
    ) as cur:
        rows = await cur.fetchall()
    out = []
    for r in rows:
        if r["skipped"] is not None:
            out.append(Delivery(r["chat_id"], r["title"], "skipped", r["skipped"]))
        elif r["status"] is None:
            out.append(Delivery(r["chat_id"], r["title"], "pending"))
        else:
            reason = r["error"] if r["status"] == "failed" else None
            out.append(Delivery(r["chat_id"], r["title"], r["status"], reason))
    return out


async def satker_groups(
    conn: aiosqlite.Connection, office_id: int
) -> dict[str, list[tuple[int, str, str, int | None]]]:
    """kode satker -> [(chat_id, group title, satker name, LO)] over active groups."""
    async with conn.execute(
        """SELECT s.kode_satker, g.chat_id, g.title, s.name, g.lo_user_id FROM group_satker s
           JOIN groups g ON g.chat_id = s.chat_id
           WHERE g.office_id = ? AND g.status = 'active' ORDER BY g.title""",
        (office_id,),
    ) as cur:
        rows = await cur.fetchall()
    out: dict[str, list[tuple[int, str, str, int | None]]] = {}
    for r in rows:
        out.setdefault(r["kode_satker"], []).append(
            (r["chat_id"], r["title"], r["name"], r["lo_user_id"])
        )
    return out


async def active_groups(
    conn: aiosqlite.Connection,
    office_id: int,
    *,
    lo_user_id: int | None = None,
    kl_name: str | None = None,
    chat_id: int | None = None,
) -> list[tuple[int, str, int | None]]:
    """(chat_id, title, LO) of active groups, optionally of one LO, one K/L or one chat."""
    clause, params = "office_id = ? AND status = 'active'", [office_id]
    if lo_user_id is not None:
        clause += " AND lo_user_id = ?"
        params.append(lo_user_id)
    if kl_name is not None:
        clause += " AND lower(kl_name) = lower(?)"
        params.append(kl_name)  # type: ignore[arg-type]
    if chat_id is not None:
        clause += " AND chat_id = ?"
        params.append(chat_id)
    async with conn.execute(
        f"SELECT chat_id, title, lo_user_id FROM groups WHERE {clause} ORDER BY title", params
    ) as cur:
        return [(r["chat_id"], r["title"], r["lo_user_id"]) for r in await cur.fetchall()]


# ---- the progress message: what it shows and when it was last edited ---------------------
@dataclass(frozen=True)
class Shown:
    """What a broadcast's status message shows, as far as the database knows."""

    text: str | None  # the text of the last edit written (None: not recorded yet)
    at: datetime | None  # when that edit was written
    edits: int  # edit rows written so far; the last one is bc:<id>:progress:<edits>
    last_pending: bool  # that edit row is still waiting in the outbox
    last_sent_at: datetime | None  # when Telegram took it


def progress_key(broadcast_id: int, edit: int) -> str:
    return f"bc:{broadcast_id}:progress:{edit}"


async def progress_open(
    conn: aiosqlite.Connection, office_id: int
) -> list[tuple[Broadcast, Shown]]:
    """Broadcasts whose status message may still need an edit: sending, or finished
    without the final text written yet."""
    async with conn.execute(
        """SELECT b.*, o.status AS edit_status, o.sent_at AS edit_sent_at
           FROM broadcasts b
           LEFT JOIN outbox o ON o.key = 'bc:' || b.id || ':progress:' || b.progress_edits
           WHERE b.progress_closed_at IS NULL AND b.status_message_id IS NOT NULL
             AND b.office_id = ? AND b.status IN (?, ?) ORDER BY b.id""",
        (office_id, BROADCAST_SENDING, BROADCAST_DONE),
    ) as cur:
        rows = await cur.fetchall()
    return [
        (
            _broadcast(r),
            Shown(
                r["progress_text"],
                parse_ts_opt(r["progress_at"]),
                r["progress_edits"],
                r["edit_status"] == "pending",
                parse_ts_opt(r["edit_sent_at"]) if r["edit_status"] == "sent" else None,
            ),
        )
        for r in rows
    ]


async def record_progress(
    tx: aiosqlite.Connection,
    broadcast_id: int,
    text: str,
    now: datetime,
    *,
    edits: int,
    expect_edits: int,
    closed: bool,
) -> bool:
    """Remember the text now on its way to the status message; False when another caller
    wrote an edit first (the tick and the progress job both look)."""
    cur = await tx.execute(
        """UPDATE broadcasts SET progress_text = ?, progress_at = ?, progress_edits = ?,
              progress_closed_at = CASE WHEN ? THEN ? ELSE progress_closed_at END
           WHERE id = ? AND progress_edits = ? AND progress_closed_at IS NULL""",
        (text, ts(now), edits, closed, ts(now), broadcast_id, expect_edits),
    )
    return cur.rowcount > 0


# ---- attachment files: removed once no row can need them --------------------------------
async def files_unneeded(
    conn: aiosqlite.Connection, office_id: int, drafts_before: datetime
) -> list[tuple[int, str]]:
    """(id, status) of broadcasts whose files may go: finished, cancelled, or a draft
    written before ``drafts_before`` (to be expired first). Never one still sending."""
    async with conn.execute(
        """SELECT id, status FROM broadcasts
           WHERE files_removed_at IS NULL AND office_id = ?
             AND (status IN (?, ?) OR (status = ? AND created_at < ?)) ORDER BY id""",
        (office_id, BROADCAST_DONE, BROADCAST_CANCELLED, BROADCAST_DRAFT, ts(drafts_before)),
    ) as cur:
        return [(r["id"], r["status"]) for r in await cur.fetchall()]


async def attachment_paths(conn: aiosqlite.Connection, broadcast_id: int) -> list[str]:
    """Files the broadcast (or one of its groups' copies) attaches by path."""
    async with conn.execute(
        """SELECT attachment FROM broadcasts WHERE id = ? AND attachment IS NOT NULL
           UNION ALL
           SELECT attachment FROM broadcast_targets
           WHERE broadcast_id = ? AND attachment IS NOT NULL""",
        (broadcast_id, broadcast_id),
    ) as cur:
        found = [json.loads(r["attachment"]) for r in await cur.fetchall()]
    return [a["path"] for a in found if isinstance(a, dict) and a.get("path")]


async def mark_files_removed(tx: aiosqlite.Connection, broadcast_id: int, now: datetime) -> None:
    await tx.execute(
        "UPDATE broadcasts SET files_removed_at = ? WHERE id = ?", (ts(now), broadcast_id)
    )
