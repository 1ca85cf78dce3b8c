"""A per-satker file becomes a draft broadcast: each group gets its own satker's lines."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bot import roles
from bot.broadcast import bulkfile, core
from bot.services import Services
from messages import broadcast as msg
from storage import broadcasts as repo
from storage.models import BROADCAST_FILE, Broadcast, Target


@dataclass(frozen=True)
class FileDraft:
    broadcast: Broadcast
    per_group: list[tuple[str, int]]  # (group title, lines)
    orphans: list[str]  # kode satker with no active group (in the sender's reach)
    rows: int


@dataclass(frozen=True)
class FileRefused:
    errors: list[str]
    count: int


@dataclass(frozen=True)
class NothingToSend:
    orphans: list[str]


Section = tuple[str, str, list[bulkfile.Line]]  # kode, satker name, its lines


def attachment_root(svc: Services) -> Path:
    """Where per-group CSV lists are written, one folder per draft (see cleanup.py)."""
    return svc.db.path.parent / "broadcasts"


async def draft_from_file(
    svc: Services, user_id: int, filename: str, data: bytes, source: str
) -> FileDraft | FileRefused | NothingToSend | core.Result:
    if not await core.may_send(svc, user_id):
        return core.Result.REFUSED
    parsed = await asyncio.to_thread(bulkfile.parse, data, filename)
    if parsed.error_count:
        return FileRefused(parsed.errors, parsed.error_count)
    satker_map = await repo.satker_groups(svc.db.reader, svc.office_id)
    admin = await roles.is_admin(svc, user_id)
    groups: dict[int, tuple[str, list[Section]]] = {}
    orphans = []
    for kode, lines in sorted(bulkfile.by_satker(parsed.lines).items()):
        reach = [g for g in satker_map.get(kode, []) if admin or g[3] == user_id]
        if not reach:
            orphans.append(kode)
        for chat, title, name, _ in reach:
            groups.setdefault(chat, (title, []))[1].append((kode, name, lines))
    if not groups:
        return NothingToSend(orphans)
    folder = attachment_root(svc) / re.sub(r"[^\w-]", "_", source)
    targets = [
        await _target(chat, title, sections, folder) for chat, (title, sections) in groups.items()
    ]
    b = await core.create_draft(
        svc,
        kind=BROADCAST_FILE,
        user_id=user_id,
        target=f"berkas {filename}",
        text=targets[0].text or "",
        targets=targets,
        source=source,
    )
    per_group = sorted(
        ((title, sum(len(s[2]) for s in sections)) for title, sections in groups.values()),
        key=lambda p: (-p[1], p[0]),
    )
    return FileDraft(b, per_group, orphans, len(parsed.lines))


async def _target(chat: int, title: str, sections: list[Section], folder: Path) -> Target:
    """The group's message, or a short note with a CSV file when the list is long."""
    lines = [line for _, _, ls in sections for line in ls]
    total = sum((line.nilai for line in lines), Decimal(0))
    rendered = [
        (
            kode,
            name,
            [
                msg.sp2d_line(i, x.nomor, x.tanggal, x.nilai, x.uraian)
                for i, x in enumerate(ls, start=1)
            ],
        )
        for kode, name, ls in sections
    ]
    text = msg.sp2d_message(rendered, total, len(lines))
    if len(lines) <= bulkfile.MAX_LINES_IN_MESSAGE and len(text) <= 4000:
        return Target(chat, title, text)
    path = folder / f"sp2d-{abs(chat)}.csv"
    names = {kode: name for kode, name, _ in sections}
    await asyncio.to_thread(bulkfile.write_csv, path, lines, names)
    caption = msg.sp2d_attached([(k, n) for k, n, _ in sections], total, len(lines))
    return Target(chat, title, caption, {"path": str(path), "kind": "document"})
