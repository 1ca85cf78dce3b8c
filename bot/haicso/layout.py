"""HAI CSO's columns, read from a TOML file (config/haicso_layout.toml documents it).

One mapping serves both directions: the daily file is written in the file's order, and
an uploaded export is read by its header names (``map_headers``), so a change of HAI
CSO's form or export is an edit of that file, not of the code.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import config

FIELDS = (
    "nomor_hai",
    "tanggal",
    "kode_satker",
    "nama_satker",
    "kategori",
    "pertanyaan",
    "jawaban",
    "status",
    "cso",
    "lo",
    "kanal",
    "nomor_bot",
)
DEFAULT_FILE = Path(config.__file__).parent / "haicso_layout.toml"


class LayoutError(ValueError):
    """The layout file is broken; the message names the column and what is wrong."""


class UnknownLayout(ValueError):
    """An upload's header row is not an export this layout knows: ``found`` are its
    column headers as written, ``missing`` the fields it lacks."""

    def __init__(self, found: list[str], missing: list[str]) -> None:
        super().__init__(f"unknown layout: found {found}, missing {missing}")
        self.found, self.missing = found, missing


@dataclass(frozen=True)
class Column:
    field: str
    title: str
    aliases: tuple[str, ...]
    daily: bool


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]

    @property
    def daily(self) -> list[Column]:
        return [c for c in self.columns if c.daily]


def normalise(header: object) -> str:
    """'Kode Satker', 'KODE_SATKER' and ' kode  satker ' are the same header."""
    return re.sub(r"[^0-9a-z]", "", str(header if header is not None else "").lower())


def load(path: Path | None = None) -> Layout:
    """The layout in ``path`` (None: the shipped default)."""
    source = path or DEFAULT_FILE
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(f"{source}: {exc}") from None
    return parse(raw, str(source))


def parse(raw: dict[str, object], name: str = "layout") -> Layout:
    entries = raw.get("kolom")
    if not isinstance(entries, list) or not entries:
        raise LayoutError(f"{name}: needs at least one [[kolom]]")
    columns = [_column(name, i, e) for i, e in enumerate(entries, start=1)]
    seen: set[str] = set()
    for c in columns:
        if c.field in seen:
            raise LayoutError(f"{name}: kolom isi = {c.field!r} appears twice")
        seen.add(c.field)
    if "pertanyaan" not in seen:
        raise LayoutError(f"{name}: a kolom with isi = 'pertanyaan' is required")
    return Layout(tuple(columns))


def _column(name: str, index: int, entry: object) -> Column:
    where = f"{name}: kolom {index}"
    if not isinstance(entry, dict):
        raise LayoutError(f"{where}: expected a table")
    field, title = entry.get("isi"), entry.get("judul")
    if field not in FIELDS:
        raise LayoutError(f"{where}: isi must be one of {', '.join(FIELDS)}, got {field!r}")
    if not isinstance(title, str) or not title.strip() or len(title) > 100:
        raise LayoutError(f"{where}: judul must be a text of 1-100 characters")
    aliases = entry.get("alias", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise LayoutError(f"{where}: alias must be a list of texts")
    daily = entry.get("harian", True)
    if not isinstance(daily, bool):
        raise LayoutError(f"{where}: harian must be true or false")
    names = tuple(dict.fromkeys(normalise(a) for a in [title, *aliases] if normalise(a)))
    return Column(str(field), title.strip(), names, daily)


REQUIRED = ("pertanyaan",)
ONE_OF = ("nomor_hai", "kode_satker")  # something to match a row by


def map_headers(layout: Layout, headers: list[object]) -> dict[str, int]:
    """The position of each known field in an export's header row (first match wins:
    a header takes the first field that names it, in the layout's order)."""
    found: dict[str, int] = {}
    taken: set[int] = set()
    normalised = [normalise(h) for h in headers]
    for column in layout.columns:
        for alias in column.aliases:  # the exact title first, then the aliases, in order
            i = next((i for i, h in enumerate(normalised) if h == alias and i not in taken), None)
            if i is not None:
                found[column.field] = i
                taken.add(i)
                break
    missing = [f for f in REQUIRED if f not in found]
    if not any(f in found for f in ONE_OF):
        missing.append(" atau ".join(ONE_OF))
    if missing:
        shown = [str(h).strip() for h in headers if h is not None and str(h).strip()]
        raise UnknownLayout(shown, missing)
    return found
