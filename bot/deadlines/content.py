"""The reviewed deadline file: read, validate, and turn into DeadlineSpec values.

A mistake is refused with the file, the entry and the field named, so whoever edits the
calendar can fix it without reading code. ``lobot check-content`` runs the same checks.
"""

from __future__ import annotations

import re
from datetime import date, time
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.faq import ContentError
from storage.deadline_model import (
    MONTHLY,
    ONCE,
    QUARTERLY,
    REPORTING_ROLES,
    SATKER,
    STAFF,
    DeadlineSpec,
)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,47}$")
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
KEYS = {"id", "name", "tahap", "date", "monthly", "quarterly", "time", "roles", "users"}
KEYS |= {"satker", "remind", "alert"}
DEFAULT_DUE_TIME = time(16, 0)  # "paling lambat tanggal ...": by the end of the working day
MAX_OFFSET = 60


class _Loader(yaml.SafeLoader):
    """Dates stay text, so a bad one is reported with its entry and field, not as a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class DeadlineContentError(ContentError):
    """Same shape as the FAQ's: file, entry and field named, in Indonesian; with the line
    of the file where the problem is, when it can be told."""

    line: int | None = None

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} (baris {self.line})" if self.line else text


def example_file() -> Path:
    return Path(str(resources.files("config") / "deadlines.example.yaml"))


def load_file(path: Path) -> list[DeadlineSpec]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DeadlineContentError(name, None, None, f"tidak dapat dibaca ({exc})") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506
    except yaml.YAMLError as exc:
        error = DeadlineContentError(name, None, None, f"YAML tidak valid ({exc})")
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        error.line = mark.line + 1 if mark is not None else None
        raise error from None
    if not isinstance(data, dict) or not isinstance(data.get("deadlines"), list):
        error = DeadlineContentError(name, None, "deadlines", "harus berisi daftar 'deadlines'")
        error.line = _line(text, None, None)
        raise error
    specs: list[DeadlineSpec] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["deadlines"], 1):
        try:
            spec = parse_entry(name, raw, i)
            if spec.slug in seen:
                raise DeadlineContentError(name, spec.slug, "id", "dipakai lebih dari sekali")
        except DeadlineContentError as error:
            error.line = _line(text, i, error.field)
            raise
        seen.add(spec.slug)
        specs.append(spec)
    return specs


def _line(text: str, index: int | None, field_name: str | None) -> int | None:
    """The line (from 1) of entry ``index`` of 'deadlines', or of its ``field_name``, or of
    the list itself; read again from the YAML nodes, which keep their positions."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return root.start_mark.line + 1 if root is not None else 1
    listed = next((v for k, v in root.value if k.value == "deadlines"), None)
    if not isinstance(listed, yaml.SequenceNode) or index is None or index > len(listed.value):
        return (listed or root).start_mark.line + 1
    entry = listed.value[index - 1]
    if field_name and isinstance(entry, yaml.MappingNode):
        for key, _ in entry.value:
            if key.value == field_name:
                return int(key.start_mark.line) + 1
    return int(entry.start_mark.line) + 1


def parse_entry(file: str, raw: Any, index: int) -> DeadlineSpec:
    if not isinstance(raw, dict):
        raise DeadlineContentError(file, f"#{index}", None, "entri harus berupa mapping")
    slug = str(raw.get("id", ""))
    entry = slug or f"#{index}"

    def fail(field_name: str, problem: str) -> DeadlineContentError:
        return DeadlineContentError(file, entry, field_name, problem)

    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise fail(unknown[0], "kolom tidak dikenal")
    if not SLUG_RE.fullmatch(slug):
        raise fail("id", "huruf kecil, angka dan '-', 2-48 karakter")
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > 200:
        raise fail("name", "wajib diisi, paling banyak 200 karakter")
    recurrence, due_date, due_day = _when(raw, fail)
    satker = raw.get("satker", False)
    if not isinstance(satker, bool):
        raise fail("satker", "isi true atau false")
    roles = _roles(raw.get("roles", []), "roles", fail)
    users = _users(raw.get("users", []), fail)
    if satker and (roles or users):
        raise fail("satker", "tenggat satker tidak memakai roles/users")
    if not satker and not roles and not users:
        raise fail("roles", "sebutkan siapa yang wajib menyampaikan (roles, users atau satker)")
    tahap = raw.get("tahap")
    return DeadlineSpec(
        slug=slug,
        name=name,
        audience=SATKER if satker else STAFF,
        recurrence=recurrence,
        due_time=_time(raw.get("time"), fail),
        due_date=due_date,
        due_day=due_day,
        tahap=str(tahap).strip() if tahap is not None else None,
        roles=roles,
        user_ids=users,
        offsets=offsets(raw.get("remind", [7, 3, 1, 0]), fail),
        alert_roles=_roles(raw.get("alert", ["supervisor"]), "alert", fail) or ("supervisor",),
    )


def _when(raw: dict[str, Any], fail: Any) -> tuple[str, date | None, int | None]:
    given = [k for k in ("date", "monthly", "quarterly") if k in raw]
    if len(given) != 1:
        raise fail("date", "isi tepat satu dari date, monthly, quarterly")
    key = given[0]
    value = raw[key]
    if key == "date":
        if isinstance(value, date):
            return ONCE, value, None
        try:
            return ONCE, date.fromisoformat(str(value)), None
        except ValueError:
            raise fail("date", "tanggal YYYY-MM-DD") from None
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 31:
        raise fail(key, "tanggal dalam bulan, 1-31")
    return (MONTHLY if key == "monthly" else QUARTERLY), None, value


def _time(value: Any, fail: Any) -> time:
    if value is None:
        return DEFAULT_DUE_TIME
    if isinstance(value, int):  # YAML reads an unquoted 16:00 as a sexagesimal number
        raise fail("time", 'tulis jam dalam tanda kutip, mis. "16:00"')
    parsed = parse_time(str(value))
    if parsed is None:
        raise fail("time", "jam HH:MM")
    return parsed


def parse_time(text: str) -> time | None:
    m = TIME_RE.fullmatch(text.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        return None
    return time(int(m.group(1)), int(m.group(2)))


def _roles(value: Any, field_name: str, fail: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        raise fail(field_name, "daftar peran")
    bad = [r for r in value if r not in REPORTING_ROLES]
    if bad:
        raise fail(field_name, f"peran '{bad[0]}' tidak dikenal ({', '.join(REPORTING_ROLES)})")
    return tuple(dict.fromkeys(value))


def _users(value: Any, fail: Any) -> tuple[int, ...]:
    ok = isinstance(value, list) and all(
        isinstance(u, int) and not isinstance(u, bool) and u > 0 for u in value
    )
    if not ok:
        raise fail("users", "daftar id Telegram (angka)")
    return tuple(dict.fromkeys(value))


def offsets(value: Any, fail: Any) -> tuple[int, ...]:
    ok = (
        isinstance(value, list)
        and value
        and all(isinstance(o, int) and not isinstance(o, bool) for o in value)
    )
    if not ok or not all(0 <= o <= MAX_OFFSET for o in value):
        raise fail("remind", f"daftar hari sebelum tenggat, 0-{MAX_OFFSET}, mis. [7, 3, 1, 0]")
    return tuple(sorted(set(value), reverse=True))
