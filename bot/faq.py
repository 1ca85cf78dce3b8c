"""FAQ: content files, validation, the index and the answer decision. No Telegram.

Matching: the question is normalised (bot.textnorm), misspelt words are mapped to the
nearest word of the content, FTS5/BM25 proposes candidates, and the confidence is the
share of the question's information (IDF-weighted terms) that the best candidate covers.
A question mostly made of words the content does not know ("resep rendang") therefore
scores low, however well one common word matches.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot import textnorm
from bot.questions import is_question
from bot.services import Services
from storage import faq as repo

ASPECTS = ("alur", "persyaratan", "waktu", "pemantauan", "sanksi")
REQUIRED = ("id", "title", "category", "reviewed", "keywords", "aspects", "dasar_hukum")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,31}$")
# How much a question term counts when an entry has it in each field: a term in the
# title or keywords is what the entry is about; one in the body may only be mentioned.
FIELD_WEIGHTS = {"title": 1.0, "keywords": 0.95, "questions": 0.85, "body": 0.4}


class ContentError(ValueError):
    def __init__(self, file: str, entry: str | None, field_name: str | None, problem: str) -> None:
        where = [file]
        if entry:
            where.append(f"entri '{entry}'")
        if field_name:
            where.append(f"kolom '{field_name}'")
        super().__init__(f"{', '.join(where)}: {problem}")
        self.file, self.entry, self.field, self.problem = file, entry, field_name, problem


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    category: str
    reviewed: date
    keywords: tuple[str, ...]
    questions: tuple[str, ...]
    aspects: dict[str, str]
    dasar_hukum: str
    catatan: str | None
    source_file: str

    def as_data(self) -> dict[str, Any]:
        return {
            "keywords": list(self.keywords),
            "questions": list(self.questions),
            "aspects": self.aspects,
            "dasar_hukum": self.dasar_hukum,
            "catatan": self.catatan,
        }


def default_content_dir() -> Path:
    return Path(str(resources.files("messages") / "content"))


# ---- loading and validation -------------------------------------------------------------
def parse_file(path: Path) -> Entry:
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (baris {mark.line + 1})" if mark else ""
        raise ContentError(name, None, None, f"YAML tidak valid{line}") from None
    except UnicodeDecodeError:
        raise ContentError(name, None, None, "berkas harus UTF-8") from None
    if not isinstance(raw, dict):
        raise ContentError(name, None, None, "isi berkas harus berupa satu entri (mapping)")
    entry_id = str(raw.get("id", "")) or None
    for key in REQUIRED:
        if key not in raw or raw[key] in (None, "", [], {}):
            raise ContentError(name, entry_id, key, "wajib diisi")
    unknown = set(raw) - set(REQUIRED) - {"questions", "catatan"}
    if unknown:
        raise ContentError(name, entry_id, sorted(unknown)[0], "kolom tidak dikenal")
    if not ID_RE.match(str(raw["id"])):
        raise ContentError(name, entry_id, "id", "huruf kecil, angka dan '-' saja, 2-32 karakter")
    return Entry(
        id=str(raw["id"]),
        title=_text(name, entry_id, "title", raw["title"], 120),
        category=_text(name, entry_id, "category", raw["category"], 60),
        reviewed=_date(name, entry_id, raw["reviewed"]),
        keywords=_list(name, entry_id, "keywords", raw["keywords"]),
        questions=_list(name, entry_id, "questions", raw.get("questions") or [], required=False),
        aspects=_aspects(name, entry_id, raw["aspects"]),
        dasar_hukum=_text(name, entry_id, "dasar_hukum", raw["dasar_hukum"], 1000),
        catatan=_text(name, entry_id, "catatan", raw["catatan"], 1000)
        if raw.get("catatan")
        else None,
        source_file=name,
    )


def _text(file: str, entry: str | None, name: str, value: Any, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, entry, name, "harus berupa teks")
    if len(value) > limit:
        raise ContentError(file, entry, name, f"terlalu panjang (maksimal {limit} karakter)")
    return value.strip()


def _date(file: str, entry: str | None, value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(file, entry, "reviewed", "tanggal harus berformat YYYY-MM-DD") from None


def _list(
    file: str, entry: str | None, name: str, value: Any, required: bool = True
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(file, entry, name, "harus berupa daftar teks")
    if required and not value:
        raise ContentError(file, entry, name, "wajib diisi")
    return tuple(v.strip() for v in value)


def _aspects(file: str, entry: str | None, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ContentError(file, entry, "aspects", "harus berisi kelima aspek")
    for key in value:
        if key not in ASPECTS:
            raise ContentError(file, entry, f"aspects.{key}", "aspek tidak dikenal")
    # 3,000 characters keeps an aspect, with its heading, well inside one message.
    return {a: _text(file, entry, f"aspects.{a}", value.get(a), 3000) for a in ASPECTS}


def load_dir(path: Path) -> list[Entry]:
    files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
    if not files:
        raise ContentError(str(path), None, None, "tidak ada berkas konten (.yaml)")
    entries: list[Entry] = []
    seen: dict[str, str] = {}
    for f in files:
        entry = parse_file(f)
        if entry.id in seen:
            raise ContentError(f.name, entry.id, "id", f"sudah dipakai di {seen[entry.id]}")
        seen[entry.id] = f.name
        entries.append(entry)
    return entries


# ---- the index --------------------------------------------------------------------------
def _levenshtein_at_most(a: str, b: str, limit: int) -> bool:
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


FUZZY_WEIGHT = 0.7


@dataclass(frozen=True)
class Query:
    terms: list[str]
    fuzzy: frozenset[str]  # terms that came from correcting a misspelt word


@dataclass
class FaqIndex:
    entries: dict[str, Entry]
    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    df: Counter[str] = field(default_factory=Counter)
    surface: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, entries: list[Entry]) -> FaqIndex:
        index = cls({e.id: e for e in entries})
        for e in entries:
            texts = {
                "title": e.title,
                "keywords": " ".join(e.keywords),
                "questions": " ".join(e.questions),
                "body": " ".join([*e.aspects.values(), e.dasar_hukum]),
            }
            weights: dict[str, float] = {}
            for name, text in texts.items():
                for term in textnorm.tokens(text):
                    weights[term] = max(weights.get(term, 0.0), FIELD_WEIGHTS[name])
                for word in textnorm.content_words(text):
                    index.surface.setdefault(word, textnorm.stem(word))
            index.weights[e.id] = weights
            index.df.update(weights.keys())
        return index

    def fts_rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = []
        for e in self.entries.values():
            rows.append(
                (
                    e.id,
                    " ".join(textnorm.tokens(e.title)),
                    " ".join(textnorm.tokens(" ".join(e.keywords))),
                    " ".join(textnorm.tokens(" ".join(e.questions))),
                    " ".join(textnorm.tokens(" ".join([*e.aspects.values(), e.dasar_hukum]))),
                )
            )
        return rows

    def idf(self, term: str) -> float:
        n = len(self.entries)
        return math.log(1 + n / (self.df.get(term, 0) + 0.5))

    def normalise(self, text: str) -> Query:
        """Question stems, with unknown words corrected to a close content word."""
        out: list[str] = []
        fuzzy: set[str] = set()
        for word in textnorm.content_words(text):
            term = textnorm.stem(word)
            if not term or term in textnorm.STOP:
                continue
            if term not in self.df and len(word) >= 4:
                corrected = self._closest(word)
                if corrected:
                    term = corrected
                    fuzzy.add(corrected)
            out.append(term)
        terms = list(dict.fromkeys(out))
        return Query(terms, frozenset(fuzzy - {t for t in terms if t not in fuzzy}))

    def _closest(self, word: str) -> str | None:
        limit = 1 if len(word) < 8 else 2
        for candidate, term in self.surface.items():
            if candidate[0] == word[0] and _levenshtein_at_most(word, candidate, limit):
                return term
        return None

    def confidence(self, query: Query, entry_id: str) -> float:
        if not query.terms:
            return 0.0
        have = self.weights[entry_id]
        total = matched = 0.0
        for t in query.terms:
            weight = self.idf(t)
            total += weight
            # A word we had to guess from a misspelling counts for less than one we read.
            certainty = FUZZY_WEIGHT if t in query.fuzzy else 1.0
            matched += weight * have.get(t, 0.0) * certainty
        return matched / total


@dataclass(frozen=True)
class Match:
    entry: Entry
    bm25: float
    confidence: float


async def search(svc: Services, index: FaqIndex, text: str, limit: int = 5) -> list[Match]:
    query = index.normalise(text)
    found = await repo.search(svc.db.reader, query.terms, limit=max(limit, 8))
    matches = [
        Match(index.entries[eid], score, index.confidence(query, eid))
        for eid, score in found
        if eid in index.entries
    ]
    matches.sort(key=lambda m: (-m.confidence, -m.bm25))
    return matches[:limit]


async def answer_for(svc: Services, index: FaqIndex, text: str) -> tuple[Match | None, float]:
    """The entry to answer a group message with, or None; and the best confidence."""
    if not is_question(text):
        return None, 0.0
    matches = await search(svc, index, text, limit=1)
    if not matches:
        return None, 0.0
    best = matches[0]
    return (best if best.confidence >= svc.settings.faq_threshold else None), best.confidence


# Checked in this order: the most specific cue words first.
ASPECT_CUES = {
    "sanksi": ("sanksi", "denda", "hukuman", "akibat", "konsekuensi", "telat", "terlambat"),
    "persyaratan": (
        "syarat",
        "dokumen",
        "berkas",
        "lampir",
        "kelengkapan",
        "perlu apa",
        "apa saja",
    ),
    "waktu": (
        "berapa lama",
        "kapan",
        "batas",
        "jadwal",
        "tanggal",
        "jam",
        "deadline",
        "lama",
        "tenggat",
        "sampai kapan",
    ),
    "pemantauan": ("pantau", "cek", "status", "monitor", "lacak", "lihat", "tahu apakah"),
}


def pick_aspect(text: str) -> str:
    """The aspect a question asks about; the procedure when nothing points elsewhere."""
    lowered = f" {' '.join(textnorm.surface_words(text))} "
    for aspect, cues in ASPECT_CUES.items():
        if any(f" {cue}" in lowered for cue in cues):
            return aspect
    return "alur"


# ---- loading into the database ------------------------------------------------------------
async def reload(svc: Services, path: Path | None = None) -> int:
    """Validate every file, then swap the content in one transaction. On a ContentError
    nothing changes and the previous content stays in service."""
    entries = load_dir(path or svc.settings.faq_dir or default_content_dir())
    index = FaqIndex.build(entries)
    stored = [
        repo.IndexedEntry(
            e.id, e.title, e.category, e.reviewed.isoformat(), e.as_data(), e.source_file
        )
        for e in entries
    ]
    async with svc.db.transaction() as tx:
        await repo.replace_all(tx, stored, index.fts_rows(), svc.clock.now())
    svc.faq = index
    return len(entries)


async def load_from_db(svc: Services) -> int:
    rows = await repo.load_all(svc.db.reader)
    entries = [
        Entry(
            id=r.id,
            title=r.title,
            category=r.category,
            reviewed=date.fromisoformat(r.reviewed),
            keywords=tuple(r.data["keywords"]),
            questions=tuple(r.data["questions"]),
            aspects=r.data["aspects"],
            dasar_hukum=r.data["dasar_hukum"],
            catatan=r.data.get("catatan"),
            source_file=r.source_file,
        )
        for r in rows
    ]
    svc.faq = FaqIndex.build(entries) if entries else None
    return len(entries)
