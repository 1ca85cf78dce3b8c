"""Removing a broadcast's attachment files once no outbox row can need them again.

A per-satker file writes one CSV per group when a group's list is long (files.py); the
group's outbox row sends it by path. The files may go when the broadcast is finished (every
row sent or failed, see core.scan), when it was cancelled, or when its draft was left
unconfirmed for DRAFT_DAYS: such a draft is cancelled first (in its own transaction, so
a late press of "Kirim" finds it no longer a draft), then its files go. A broadcast still
sending is never touched. The database says what is left to do (files_removed_at), so a
restart neither forgets a folder nor trips over one already removed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

from bot.broadcast.files import attachment_root
from bot.services import Services
from storage import broadcasts as repo
from storage.models import BROADCAST_CANCELLED, BROADCAST_DRAFT

log = logging.getLogger(__name__)

# A draft not confirmed within this many days expires and its files are removed.
DRAFT_DAYS = 7


async def scan(svc: Services) -> int:
    """Remove what is no longer needed; returns 0 (it writes no outbox rows)."""
    now = svc.clock.now()
    root = attachment_root(svc)
    for broadcast_id, status in await repo.files_unneeded(
        svc.db.reader, svc.office_id, now - timedelta(days=DRAFT_DAYS)
    ):
        if status == BROADCAST_DRAFT:
            async with svc.db.transaction() as tx:
                expired = await repo.set_status(
                    tx, broadcast_id, BROADCAST_CANCELLED, now, expect=BROADCAST_DRAFT
                )
            if not expired:
                continue  # confirmed meanwhile: its rows need the files
        paths = await repo.attachment_paths(svc.db.reader, broadcast_id)
        removed = await asyncio.to_thread(_remove, paths, root)
        async with svc.db.transaction() as tx:
            await repo.mark_files_removed(tx, broadcast_id, now)
        if removed:
            log.info("broadcast %s: %d attachment file(s) removed", broadcast_id, removed)
    return 0


def _remove(paths: list[str], root: Path) -> int:
    """Delete the files (only inside ``root``) and the folders they leave empty."""
    removed = 0
    folders: set[Path] = set()
    base = root.resolve()
    for name in paths:
        path = Path(name).resolve()
        if not path.is_relative_to(base) or path == base:
            log.warning("attachment %s is outside %s: left alone", path, base)
            continue
        if path.exists():
            path.unlink()
            removed += 1
        folders.add(path.parent)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        if folder != base and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed
