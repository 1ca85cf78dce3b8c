"""Which groups a broadcast goes to: one group, an LO's groups, a K/L's, or all.

Admins may pick any target; an LO only ever reaches their own groups (whatever target
they name is narrowed to those), so one role rule lives here, once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.groups import resolve_user
from bot.services import Services
from storage import broadcasts as repo
from storage.models import Target

_CHAT_ID = re.compile(r"^-\d+$")


@dataclass(frozen=True)
class Spec:
    kind: str  # "semua", "lo", "kl", "grup"
    arg: str = ""


@dataclass(frozen=True)
class Parsed:
    spec: Spec
    body: str


def parse(text: str) -> Parsed | None:
    """'semua\\nisi', 'lo @sari isi', 'kl Kementerian Agama | isi', 'grup -1001 isi'.

    The target ends at the first line break or '|'; without either, 'semua', 'lo @x' and
    'grup <id>' take one word of argument and the rest is the text."""
    text = text.strip()
    word, _, rest = text.partition(" ")
    kind = word.split("\n", 1)[0].lower()
    if kind not in ("semua", "lo", "kl", "grup"):
        return None
    for sep in ("\n", "|"):
        if sep in text:
            head, body = text.split(sep, 1)
            arg = head.strip()[len(kind) :].strip()
            return _checked(Spec(kind, arg), body.strip())
    if kind == "semua":
        return _checked(Spec(kind), rest.strip())
    if kind == "kl":
        return None  # a K/L name has spaces: it needs a line break or '|'
    arg, _, body = rest.strip().partition(" ")
    return _checked(Spec(kind, arg), body.strip())


def _checked(spec: Spec, body: str) -> Parsed | None:
    if not body or (spec.kind != "semua" and not spec.arg):
        return None
    return Parsed(spec, body)


async def resolve(svc: Services, user_id: int, spec: Spec) -> tuple[str, list[Target]]:
    """(description, targets); an LO's targets are narrowed to their own groups."""
    roles = await svc.roles_of(user_id)
    reader = svc.db.reader
    office = svc.office_id
    if spec.kind == "semua":
        found, label = await repo.active_groups(reader, office), "semua grup"
    elif spec.kind == "lo":
        lo = await resolve_user(svc, spec.arg)
        lo_id = lo.user_id if lo else 0
        found = await repo.active_groups(reader, office, lo_user_id=lo_id)
        label = f"grup LO {lo.full_name if lo else spec.arg}"
    elif spec.kind == "kl":
        found = await repo.active_groups(reader, office, kl_name=spec.arg)
        label = f"grup K/L {spec.arg}"
    elif _CHAT_ID.match(spec.arg):
        found = await repo.active_groups(reader, office, chat_id=int(spec.arg))
        label = f"grup {found[0][1] if found else spec.arg}"
    else:
        found = [g for g in await repo.active_groups(reader, office) if g[1] == spec.arg]
        label = f"grup {spec.arg}"
    if "admin" not in roles:
        found = [g for g in found if g[2] == user_id]
    return label, [Target(chat_id, title) for chat_id, title, _ in found]
