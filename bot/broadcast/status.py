"""/status <layanan> <kode satker> <keterangan>: one satker's groups hear how a service
progresses, formatted per service with the place to follow it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import roles
from bot.broadcast import core
from bot.services import Services
from messages import broadcast as msg
from storage import broadcasts as repo
from storage.models import BROADCAST_STATUS, Target

SERVICE_ALIASES = {
    "sp2d": "sp2d",
    "rekon": "rekon",
    "rekonsiliasi": "rekon",
    "e-rekon": "rekon",
    "erekon": "rekon",
    "revisi": "revisi_dipa",
    "dipa": "revisi_dipa",
    "revisi-dipa": "revisi_dipa",
    "revisi dipa": "revisi_dipa",
}
_KODE = re.compile(r"(?<!\S)(\d{6})(?!\S)")


@dataclass(frozen=True)
class StatusRequest:
    service: str  # a key of messages.broadcast.SERVICES, or "" for a free name
    free_name: str
    kode: str
    text: str


def parse(text: str) -> StatusRequest | None:
    """Service words, then the first 6-digit kode satker, then the description."""
    m = _KODE.search(text)
    if m is None:
        return None
    name = " ".join(text[: m.start()].split())
    body = text[m.end() :].strip()
    if not name or not body:
        return None
    return StatusRequest(SERVICE_ALIASES.get(name.lower(), ""), name, m.group(1), body)


async def post(
    svc: Services, user_id: int, text: str, source: str | None = None
) -> tuple[core.Result, int]:
    """Queue the update to the satker's active groups; (result, number of groups)."""
    if not await core.may_send(svc, user_id):
        return core.Result.REFUSED, 0
    req = parse(text)
    if req is None:
        return core.Result.USAGE, 0
    groups = (await repo.satker_groups(svc.db.reader, svc.office_id)).get(req.kode, [])
    if not await roles.is_admin(svc, user_id):
        groups = [g for g in groups if g[3] == user_id]
    if not groups:
        return core.Result.NO_TARGETS, 0
    targets = [
        Target(chat, title, msg.status_update(req.service, req.free_name, req.kode, name, req.text))
        for chat, title, name, _ in groups
    ]
    label = f"status {msg.service_name(req.service, req.free_name)} satker {req.kode}"
    draft = await core.create_draft(
        svc,
        kind=BROADCAST_STATUS,
        user_id=user_id,
        target=label,
        text=targets[0].text or "",
        targets=targets,
        source=source,
    )
    confirmed = await core.confirm(svc, draft.id, user_id)
    if isinstance(confirmed, core.Result) and confirmed is not core.Result.NOT_DRAFT:
        return confirmed, 0
    return core.Result.OK, len(targets)  # NOT_DRAFT: this update was handled before
