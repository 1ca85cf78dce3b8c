"""Parsing `/tahap tambah ...`. Pure: returns what was asked, or the problem in words.

    /tahap tambah <kapan> untuk=<siapa> [tahap=I] [jam=16.00] [pengingat=7,3,1,0]
                  [lapor=supervisor] <nama>

<kapan> is a date (2026-12-18), ``bulanan:N`` or ``triwulanan:N``; <siapa> is a comma list
of roles, @usernames or ids, or ``satker``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bot import parsing
from bot.deadlines.content import DEFAULT_DUE_TIME, MAX_OFFSET, parse_time
from bot.roles import parse_role
from storage.deadline_model import (
    MONTHLY,
    ONCE,
    QUARTERLY,
    REPORTING_ROLES,
    SATKER,
    STAFF,
    DeadlineSpec,
)

_RECURRING = re.compile(r"^(bulanan|triwulanan):(\d{1,2})$")
OPTIONS = ("untuk", "tahap", "jam", "pengingat", "lapor")


@dataclass(frozen=True)
class AddRequest:
    spec: DeadlineSpec  # user_ids still empty: the named users are resolved in bot/
    user_refs: tuple[int | str, ...]


def _slug(name: str, when: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:28].strip("-") or "tenggat"
    return f"{base}-{re.sub(r'[^a-z0-9]+', '-', when.lower())}"[:48]


def _when(token: str) -> tuple[str, date | None, int | None] | None:
    d = parsing.iso_date(token)
    if d is not None:
        return ONCE, d, None
    m = _RECURRING.fullmatch(token.lower())
    if m and 1 <= int(m.group(2)) <= 31:
        return (MONTHLY if m.group(1) == "bulanan" else QUARTERLY), None, int(m.group(2))
    return None


def _roles(text: str) -> tuple[str, ...] | None:
    roles = [parse_role(r) for r in text.split(",") if r]
    if not roles or any(r is None or r not in REPORTING_ROLES for r in roles):
        return None
    return tuple(dict.fromkeys(r for r in roles if r))


def _who(text: str) -> tuple[str, tuple[str, ...], tuple[int | str, ...]] | str:
    items = [x for x in text.split(",") if x]
    if items == ["satker"]:
        return SATKER, (), ()
    roles: list[str] = []
    refs: list[int | str] = []
    for item in items:
        role = parse_role(item)
        if role in REPORTING_ROLES:
            roles.append(role)
            continue
        ref = parsing.user_ref(item) if item.startswith("@") or item.isdigit() else None
        if ref is None:
            return f"'{item}' bukan peran, @pengguna atau id"
        refs.append(ref)
    if not roles and not refs:
        return "isi untuk= dengan peran, @pengguna, id, atau satker"
    return STAFF, tuple(dict.fromkeys(roles)), tuple(dict.fromkeys(refs))


def _offsets(text: str) -> tuple[int, ...] | None:
    parts = text.split(",")
    if not all(p.isdigit() and int(p) <= MAX_OFFSET for p in parts):
        return None
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def parse_add(text: str) -> AddRequest | str:
    options: dict[str, str] = {}
    words: list[str] = []
    for token in text.split():
        key, sep, value = token.partition("=")
        if sep and key.lower() in OPTIONS:
            options[key.lower()] = value
        else:
            words.append(token)
    if not words:
        return "tanggal tenggat belum diisi"
    when = _when(words[0])
    if when is None:
        return f"'{words[0]}' bukan tanggal (YYYY-MM-DD), bulanan:N atau triwulanan:N"
    name = " ".join(words[1:]).strip()
    if not name or len(name) > 200:
        return "nama tenggat belum diisi (paling banyak 200 karakter)"
    if "untuk" not in options:
        return "sebutkan siapa yang wajib menyampaikan dengan untuk="
    who = _who(options["untuk"])
    if isinstance(who, str):
        return who
    due_time = parse_time(options["jam"]) if "jam" in options else DEFAULT_DUE_TIME
    if due_time is None:
        return "jam ditulis HH.MM, mis. jam=16.00"
    offsets = _offsets(options.get("pengingat", "7,3,1,0"))
    if offsets is None:
        return f"pengingat ditulis sebagai hari sebelum tenggat, 0-{MAX_OFFSET}, mis. 7,3,1,0"
    alert = _roles(options.get("lapor", "supervisor"))
    if alert is None:
        return "lapor= berisi peran, mis. supervisor,kepala"
    tahap = options.get("tahap", "").strip()[:10] or None
    recurrence, due_date, due_day = when
    audience, roles, refs = who
    spec = DeadlineSpec(
        slug=_slug(name, words[0]),
        name=name,
        audience=audience,
        recurrence=recurrence,
        due_time=due_time,
        due_date=due_date,
        due_day=due_day,
        tahap=tahap,
        roles=roles,
        offsets=offsets,
        alert_roles=alert,
    )
    return AddRequest(spec, refs)


def with_users(request: AddRequest, user_ids: tuple[int, ...]) -> DeadlineSpec:
    return replace(request.spec, user_ids=user_ids)
