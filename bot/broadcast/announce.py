"""/umumkan: a draft announcement to a target, with an optional photo or document."""

from __future__ import annotations

from dataclasses import dataclass

from bot.broadcast import core, targets
from bot.services import Services
from messages import broadcast as msg
from storage.models import BROADCAST_ANNOUNCEMENT, Broadcast


@dataclass(frozen=True)
class Draft:
    broadcast: Broadcast
    titles: list[str]


async def draft(
    svc: Services,
    user_id: int,
    args: str,
    attachment: dict[str, str] | None = None,
    source: str | None = None,
) -> Draft | core.Result:
    if not await core.may_send(svc, user_id):
        return core.Result.REFUSED
    parsed = targets.parse(args)
    if parsed is None:
        return core.Result.USAGE
    label, found = await targets.resolve(svc, user_id, parsed.spec)
    if not found:
        return core.Result.NO_TARGETS
    b = await core.create_draft(
        svc,
        kind=BROADCAST_ANNOUNCEMENT,
        user_id=user_id,
        target=label,
        text=msg.announcement(parsed.body, svc.settings.office_name),
        targets=found,
        attachment=attachment,
        source=source,
    )
    return Draft(b, [t.title for t in found])
