"""FAQ: content files, validation, the index and the answer decision. No Telegram.

Matching lives in bot.faq_match (why it is shaped as it is, there). Content comes from
reviewed YAML files (one entry per file) plus entries an admin approved from LO answers;
the built index is stored with a hash of that content so that a restart with unchanged
content does not re-read and re-stem the files.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot import faq_review, textnorm
from bot.conversation.learned import model as learned
from bot.conversation.questions import is_question
from bot.faq_match import MatchIndex, Query
from bot.services import Services
from bot.threads import in_daemon_thread
from storage import faq as repo

_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ASPECTS = ("alur", "persyaratan", "waktu", "pemantauan", "sanksi")
REQUIRED = ("id", "title", "category", "keywords", "aspects", "sources")
# dasar_hukum names specific rules only; an entry no rule stands behind has none, and its
# aspects are listed in panduan_umum (general guidance).
OPTIONAL = ("questions", "synonyms", "catatan", "produk", "panduan_umum", "dasar_hukum")
ID_RE = re.compile(r"[a-z0-9][a-z0-9-]{1,31}", re.ASCII)
SYNONYM_MAX = 80  # characters: a synonym is a phrase an operator types, not a paragraph


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
    keywords: tuple[str, ...]
    questions: tuple[str, ...]
    aspects: dict[str, str]
    dasar_hukum: str | None
    catatan: str | None
    source_file: str
    synonyms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    produk: str | None = None
    # Aspects stated as general guidance: no cited rule stands behind them (shown so).
    panduan_umum: tuple[str, ...] = ()
    # The approval in force, from the office's review in the bot (bot.faq_review); never
    # from the content file. Shown with the answer.
    reviewed_by: str | None = None
    reviewed_at: date | None = None

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "keywords": list(self.keywords),
            "questions": list(self.questions),
            "aspects": self.aspects,
            "dasar_hukum": self.dasar_hukum,
            "catatan": self.catatan,
            "source_file": self.source_file,
            "synonyms": list(self.synonyms),
            "sources": list(self.sources),
            "produk": self.produk,
            "panduan_umum": list(self.panduan_umum),
            "reviewed_by": self.reviewed_by,
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Entry:
        values = dict(data)
        for key in ("keywords", "questions", "synonyms", "sources", "panduan_umum"):
            values[key] = tuple(values.get(key) or ())
        at = values.get("reviewed_at")
        values["reviewed_at"] = date.fromisoformat(at) if at else None
        return cls(**values)


def default_content_dir() -> Path:
    return Path(str(resources.files("messages") / "content"))


# ---- loading and validation -------------------------------------------------------------
def parse_file(path: Path) -> Entry:
    name = path.name
    try:
        # libyaml's loader when present: ten times faster than the pure-Python one.
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (baris {mark.line + 1})" if mark else ""
        raise ContentError(name, None, None, f"YAML tidak valid{line}") from None
    except UnicodeDecodeError:
        raise ContentError(name, None, None, "berkas harus UTF-8") from None
    if not isinstance(raw, dict):
        raise ContentError(name, None, None, "isi berkas harus berupa satu entri (mapping)")
    return parse_entry(name, raw)


def parse_entry(name: str, raw: dict[str, Any]) -> Entry:
    entry_id = str(raw.get("id", "")) or None
    for key in ("reviewed", "reviewed_by", "reviewed_at"):
        if key in raw:
            raise ContentError(
                name, entry_id, key, "tinjauan dicatat di bot oleh peninjau (/tinjaufaq)"
            )
    for key in REQUIRED:
        if key not in raw or raw[key] in (None, "", [], {}):
            raise ContentError(name, entry_id, key, "wajib diisi")
    unknown = set(raw) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise ContentError(name, entry_id, sorted(unknown)[0], "kolom tidak dikenal")
    if not ID_RE.fullmatch(str(raw["id"])):
        raise ContentError(name, entry_id, "id", "huruf kecil, angka dan '-' saja, 2-32 karakter")
    return Entry(
        id=str(raw["id"]),
        title=_text(name, entry_id, "title", raw["title"], 120),
        category=_text(name, entry_id, "category", raw["category"], 60),
        keywords=_list(name, entry_id, "keywords", raw["keywords"]),
        questions=_list(name, entry_id, "questions", raw.get("questions") or [], required=False),
        synonyms=_synonyms(name, entry_id, raw.get("synonyms") or []),
        aspects=_aspects(name, entry_id, raw["aspects"]),
        dasar_hukum=_optional_text(name, entry_id, "dasar_hukum", raw.get("dasar_hukum"), 1000),
        catatan=_optional_text(name, entry_id, "catatan", raw.get("catatan"), 1000),
        produk=_optional_text(name, entry_id, "produk", raw.get("produk"), 300),
        sources=_list(name, entry_id, "sources", raw["sources"]),
        panduan_umum=_guidance(name, entry_id, raw.get("panduan_umum") or []),
        source_file=name,
    )


def _text(file: str, entry: str | None, name: str, value: Any, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, entry, name, "harus berupa teks")
    if len(value) > limit:
        raise ContentError(file, entry, name, f"terlalu panjang (maksimal {limit} karakter)")
    return value.strip()


def _optional_text(file: str, entry: str | None, name: str, value: Any, limit: int) -> str | None:
    return _text(file, entry, name, value, limit) if value else None


def _guidance(file: str, entry: str | None, value: Any) -> tuple[str, ...]:
    items = _list(file, entry, "panduan_umum", value, required=False)
    for item in items:
        if item not in ASPECTS:
            raise ContentError(file, entry, "panduan_umum", f"'{item}' bukan nama aspek")
    return items


def _list(
    file: str, entry: str | None, name: str, value: Any, required: bool = True
) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContentError(file, entry, name, "harus berupa daftar teks")
    if required and not value:
        raise ContentError(file, entry, name, "wajib diisi")
    return tuple(v.strip() for v in value)


def _synonyms(file: str, entry: str | None, value: Any) -> tuple[str, ...]:
    items = _list(file, entry, "synonyms", value, required=False)
    seen: set[str] = set()
    for item in items:
        if len(item) > SYNONYM_MAX:
            raise ContentError(
                file, entry, "synonyms", f"'{item[:30]}…' lebih dari {SYNONYM_MAX} karakter"
            )
        key = " ".join(textnorm.tokens(item))
        if not key:
            raise ContentError(file, entry, "synonyms", f"'{item}' hanya berisi kata umum")
        if key in seen:
            raise ContentError(file, entry, "synonyms", f"'{item}' ganda")
        seen.add(key)
    return items


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
    _check_shared_synonyms(entries)
    return entries


def _check_shared_synonyms(entries: list[Entry]) -> None:
    """A synonym that is another entry's keyword or synonym would send a question to two
    places at once: refuse it and name both."""
    owner: dict[str, str] = {}
    for e in entries:
        for phrase in e.keywords:
            owner.setdefault(" ".join(textnorm.tokens(phrase)), e.id)
    for e in entries:
        for phrase in e.synonyms:
            key = " ".join(textnorm.tokens(phrase))
            other = owner.setdefault(key, e.id)
            if other != e.id:
                raise ContentError(
                    e.source_file, e.id, "synonyms", f"'{phrase}' juga dipakai entri '{other}'"
                )


def content_hash(files_dir: Path, extra: list[dict[str, Any]]) -> str:
    """Hash of every content file's bytes and of the approved database entries."""
    digest = hashlib.sha256()
    for f in sorted(p for p in files_dir.iterdir() if p.suffix in (".yaml", ".yml")):
        digest.update(f.name.encode())
        digest.update(f.read_bytes())
    digest.update(json.dumps(extra, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


# ---- the index --------------------------------------------------------------------------
@dataclass
class FaqIndex:
    entries: dict[str, Entry]
    match: MatchIndex

    @classmethod
    def build(cls, entries: list[Entry]) -> FaqIndex:
        return cls({e.id: e for e in entries}, MatchIndex.build({e.id: _doc(e) for e in entries}))

    def normalise(self, text: str) -> Query:
        return self.match.normalise(text)


def _doc(e: Entry) -> dict[str, list[str]]:
    return {
        "title": [e.title],
        "keywords": list(e.keywords),
        "synonyms": list(e.synonyms),
        "questions": list(e.questions),
        "body": [*e.aspects.values(), e.dasar_hukum or ""],
    }


@dataclass(frozen=True)
class Match:
    entry: Entry
    confidence: float
    # Close runner-up entries: when set, the bot asks which one was meant instead of
    # answering (a wrong entry is worse than a question back).
    alternatives: tuple[Entry, ...] = ()


# The learned reader's weight in the FAQ's ranking, beside the matcher's confidence (as a
# share of the best entry's). Leave one set out over 38 labelled sets (4,476 FAQ-type
# questions), top-1: the matcher alone 92.9 %, the model alone 98.4 %, 0.5 98.4 %, 0.7
# 98.6 %; over 47 sets (5,708) at 0.7, 98.9 % (bench/conversation_eval.py prints it;
# docs/BENCHMARKS.md).
MODEL_WEIGHT = 0.7


def search(index: FaqIndex, text: str, limit: int = 5) -> list[Match]:
    """The entries the matcher found, ranked by both readers: the matcher weighs the
    content's words, the model the operators' own phrasing. Each keeps the matcher's
    confidence (what the thresholds of /faq and the ticket's category compare). An entry
    the model never saw (approved from an LO's answer) is weighed by the matcher alone."""
    ranked = [(eid, conf) for eid, conf in index.match.rank(index.normalise(text)) if conf > 0]
    if not ranked:
        return []
    top = ranked[0][1]
    shares = learned.entry_shares(text)

    def weight(pair: tuple[str, float]) -> float:
        eid, conf = pair
        matcher = conf / top
        model = shares[eid] if eid in shares else matcher
        return (1 - MODEL_WEIGHT) * matcher + MODEL_WEIGHT * model

    ranked.sort(key=weight, reverse=True)
    return [Match(index.entries[eid], conf) for eid, conf in ranked[:limit]]


# When the runner-up scores at least this share of the best, the two are too close to tell.
AMBIGUOUS_SHARE = 0.85
# Below this share of the answer threshold the bot neither answers nor asks.
ASK_SHARE = 0.8
# Runner-ups looked at for evidence the best entry does not explain, and the least
# confidence such a runner-up needs to be offered as a choice.
CANDIDATES = 5
CONTENDER_FLOOR = 0.3


def decide(index: FaqIndex, text: str, threshold: float) -> tuple[Match | None, float]:
    """The entry to answer with (possibly a choice between close entries), or None; and the
    best confidence. Not a question at all: None."""
    if not is_question(text):
        return None, 0.0
    chosen, best = assess(index, text, threshold)
    return chosen, best.confidence if best else 0.0


def assess(index: FaqIndex, text: str, threshold: float) -> tuple[Match | None, Match | None]:
    """(the decision as in ``decide``, the best-scoring entry even when not confident),
    from one normalisation and one scoring pass: the question log needs both."""
    query = index.normalise(text)
    found = [
        Match(index.entries[eid], conf)
        for eid, conf in index.match.rank(query)[:CANDIDATES]
        if conf > 0
    ]
    if not found:
        return None, None
    best = found[0]
    # The question also points at another entry that the best one does not explain: ask
    # rather than answer ("deviasi halaman III ... nilai indikator kinerja pelaksanaan
    # anggaran?": RPD or IKPA?). A wrong entry is worse than a question back. Such an
    # entry comes first among the options: the question named it, the others only scored
    # close.
    named = (
        [
            m.entry
            for m in found[1:]
            if m.confidence >= CONTENDER_FLOOR
            and index.match.points_elsewhere(query, m.entry.id, best.entry.id)
        ]
        if best.confidence >= threshold
        else []
    )
    close = named + [
        m.entry
        for m in found[1:3]
        if m.entry not in named
        and m.confidence >= best.confidence * AMBIGUOUS_SHARE
        and m.confidence >= threshold * ASK_SHARE
    ]
    if close and best.confidence >= threshold * ASK_SHARE:
        return Match(best.entry, best.confidence, tuple(close[:2])), best
    return (best if best.confidence >= threshold else None), best


async def answer_for(svc: Services, index: FaqIndex, text: str) -> tuple[Match | None, float]:
    """The entry to answer a message with, or None; and the best confidence."""
    match, best = decide(index, text, svc.settings.faq_threshold)
    return servable(svc, match), best


def servable(svc: Services, match: Match | None) -> Match | None:
    """``match`` as far as the office lets it be served: with ``faq_only_reviewed`` on,
    no unreviewed entry answers or is offered as a choice."""
    if match is None or not faq_review.servable(svc, match.entry):
        return None
    alternatives = tuple(e for e in match.alternatives if faq_review.servable(svc, e))
    return Match(match.entry, match.confidence, alternatives)


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


def pick_aspect(text: str, entry: Entry | None = None) -> str:
    """The aspect a question asks about; the procedure when nothing points elsewhere. An
    entry approved from an LO answer has only its answer."""
    if entry is not None and "alur" not in entry.aspects:
        return next(iter(entry.aspects))
    lowered = f" {' '.join(textnorm.surface_words(text))} "
    for aspect, cues in ASPECT_CUES.items():
        if any(f" {cue}" in lowered for cue in cues):
            return aspect
    return "alur"


def to_yaml(entry: Entry) -> str:
    """A content file for ``entry``, for a reviewer to complete and ship: an approved LO
    answer becomes the procedure aspect; the other aspects are marked for completion."""
    todo = "LENGKAPI sebelum dimuat sebagai berkas konten"
    answer = entry.aspects.get("jawaban")
    aspects = {
        a: entry.aspects.get(a) or (answer if a == "alur" and answer else todo) for a in ASPECTS
    }
    data = {
        "id": entry.id,
        "title": entry.title,
        "category": entry.category,
        "produk": entry.produk or todo,
        "keywords": list(entry.keywords),
        "synonyms": list(entry.synonyms),
        "questions": list(entry.questions),
        "aspects": aspects,
        "dasar_hukum": entry.dasar_hukum,
        "sources": list(entry.sources),
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


# ---- loading into the database ------------------------------------------------------------
async def reload(svc: Services, path: Path | None = None) -> int:
    """Put the content in service: the stored index when the files and approved entries are
    unchanged (no YAML parsing, no stemming), else validate and rebuild, then store the new
    index in one transaction. On a ContentError nothing changes and the previous content
    stays in service."""
    folder = path or svc.settings.faq_dir or default_content_dir()
    learned = await repo.learned(svc.db.reader)
    digest = content_hash(folder, learned)
    stored = await repo.stored_index(svc.db.reader)
    index = _from_data(stored[1]) if stored and stored[0] == digest else None
    if index is None:
        # About a second of CPU (YAML, stemming): in a thread, so the loop keeps serving.
        index = await in_daemon_thread(_build, folder, learned)
        async with svc.db.transaction() as tx:
            await repo.store_index(tx, digest, _to_data(index), svc.clock.now())
    svc.faq = index
    await faq_review.refresh(svc)
    return len(index.entries)


def _build(folder: Path, learned: list[dict[str, Any]]) -> FaqIndex:
    return FaqIndex.build(load_dir(folder) + [Entry.from_data(d) for d in learned])


async def load_from_db(svc: Services) -> int:
    """The last good content, whatever the files say now."""
    stored = await repo.stored_index(svc.db.reader)
    svc.faq = _from_data(stored[1]) if stored else None
    await faq_review.refresh(svc)
    return len(svc.faq.entries) if svc.faq else 0


def _to_data(index: FaqIndex) -> dict[str, Any]:
    return {
        "entries": [e.as_data() for e in index.entries.values()],
        "match": index.match.to_data(),
    }


def _from_data(data: dict[str, Any]) -> FaqIndex | None:
    match = MatchIndex.from_data(data.get("match", {}))
    if match is None:  # stored by an older matcher: rebuild
        return None
    entries = [Entry.from_data(d) for d in data["entries"]]
    return FaqIndex({e.id: e for e in entries}, match)
