"""The FAQ index and scoring: which entry a question is about, and how sure we are.

Why this shape (issue 11): the first matcher ranked by BM25 over every field, so a word
the bodies share ("spm", "omspan", "sanksi") outweighed the word that names the service,
and paraphrases no entry used scored nothing. Here:

* A term's weight is its rarity among entries' *subjects* (title, keywords, curated
  synonyms), with body mentions counting only a little: "omspan" is mentioned in many
  bodies but is the subject of one entry, so it stays a strong signal.
* Service names (abbreviations such as "tup", "omspan") weigh more than ordinary words.
* Every keyword and synonym phrase of two or more words that the question contains in
  full adds a bonus: "uang tidak masuk rekening" says more than its three words alone.
* Character trigram similarity to the entry's subject text catches word forms the
  stemmer and the synonym list both miss.
* Unknown words still count in the denominator, so "resep rendang enak" stays low.

The index is plain data (dicts of floats), serialisable to JSON so that a restart with
unchanged content loads it instead of re-stemming the YAML.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot import textnorm
from bot.conversation.questions import QUESTION_WORDS
from bot.fuzzy import FuzzyIndex

# How much a question term counts when an entry has it in each field: a term in the
# title, keywords or synonyms is what the entry is about; one in the body may only be
# mentioned in passing.
FIELD_WEIGHTS = {"title": 1.0, "keywords": 1.0, "synonyms": 1.0, "questions": 0.8, "body": 0.25}
# How much one occurrence in each field adds to a term's document frequency.
DF_WEIGHTS = {"title": 1.0, "keywords": 1.0, "synonyms": 1.0, "questions": 0.6, "body": 0.15}
NAME_BOOST = 2.0  # a service name (an abbreviation that is some entry's subject)
# Words that say which *aspect* is asked (requirements, time, sanctions) or where (the
# office), not which service: every entry answers them, so they barely pick an entry.
GENERIC = frozenset(
    """kppn satker layan djpb kanwil kantor tugas syarat alur prosedur waktu lama batas
    sanksi denda pantau jadwal dokumen berkas tentu atur proses langkah tahap aju kirim
    aplikasi""".split()
)
GENERIC_WEIGHT = 0.35
# Words that carry the question's intent whatever service it names: "ada pungutan untuk
# revisi DIPA?" asks about fees, not about revisions. They weigh like service names.
INTENTS = frozenset({"biaya", "adu", "akhirtahun"})
# Protected from the stemmer, but ordinary words, not names of a service.
ORDINARY = frozenset(
    "rekanan supplier password login error akhirtahun ta callcenter token lo cso".split()
)
FUZZY_WEIGHT = 0.7  # a word guessed from a misspelling counts for less than one we read
PHRASE_BONUS = 0.35  # share of a phrase's weight added again when the whole phrase is there
NGRAM_SHARE = 0.15  # weight of character-trigram similarity in the final confidence
BACKGROUND_WEIGHT = 0.3  # a term only the context sentences of a long message hold
# A term with at least this field weight is what an entry is about (title, keywords,
# synonyms, sample questions), not a passing mention in the body.
SUBJECT = 0.8
FORMAT_VERSION = 9  # bump when the stored index layout or the scoring inputs change


@dataclass(frozen=True)
class Query:
    terms: list[str]
    fuzzy: frozenset[str]  # terms that came from correcting a misspelt word
    grams: dict[str, float] = field(default_factory=dict)
    # Terms only in the sentences around the question of a long message ("Satker kami
    # baru terbentuk ... DIPA sudah terbit. Kami harus ajukan apa?"): context, not topic.
    background: frozenset[str] = frozenset()


_SENTENCE_END = re.compile(r"(?<=[.?!])\s+|\n+")


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The message's sentences, each with whether it asks something. A message of one
    sentence, or with no sentence that asks, counts as all question."""
    parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
    marked = [(p, _asks(p)) for p in parts]
    if len(marked) < 2 or not any(asks for _, asks in marked):
        return [(text, True)]
    return marked


def _asks(sentence: str) -> bool:
    lowered = sentence.lower()
    return "?" in sentence or bool(QUESTION_WORDS & set(re.findall(r"[a-z]+", lowered)))


def trigrams(text: str) -> dict[str, float]:
    """Unit-length vector of character trigrams of the normalised words."""
    counts: Counter[str] = Counter()
    for word in textnorm.content_words(text):
        padded = f" {word} "
        counts.update(padded[i : i + 3] for i in range(len(padded) - 2))
    norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
    return {g: v / norm for g, v in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(g, 0.0) for g, v in a.items())


@dataclass
class MatchIndex:
    """Per entry: term weights, phrases, trigram vector; shared: df and vocabulary."""

    weights: dict[str, dict[str, float]]
    phrases: dict[str, list[list[str]]]
    grams: dict[str, dict[str, float]]
    df: dict[str, float]
    names: frozenset[str]
    surface: dict[str, str]  # surface word -> stem, for typo correction
    # Each entry's title terms: a question that contains a whole title names that entry
    # ("uang persediaan" is the UP entry even where "up kkp" is a keyword of another).
    titles: dict[str, list[str]] = field(default_factory=dict)
    _fuzzy: FuzzyIndex | None = None
    # Memo of term weights (they depend only on the index); bounded by the vocabulary
    # plus the unknown words seen, which the fuzzy memo bounds the same way.
    _weights: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(cls, docs: dict[str, dict[str, list[str]]]) -> MatchIndex:
        """``docs``: entry id -> field name -> texts (title, keywords, synonyms, ...)."""
        weights: dict[str, dict[str, float]] = {}
        phrases: dict[str, list[list[str]]] = {}
        grams: dict[str, dict[str, float]] = {}
        df: Counter[str] = Counter()
        subject_terms: Counter[str] = Counter()
        surface: dict[str, str] = {}
        titles: dict[str, list[str]] = {}
        for eid, fields in docs.items():
            titles[eid] = sorted(
                {t for text in fields.get("title", []) for t in textnorm.tokens(text)}
            )
            have: dict[str, float] = {}
            dfw: dict[str, float] = {}
            for name, texts in fields.items():
                for text in texts:
                    for word in textnorm.content_words(text):
                        surface.setdefault(word, textnorm.stem(word))
                    for term in textnorm.tokens(text):
                        have[term] = max(have.get(term, 0.0), FIELD_WEIGHTS[name])
                        dfw[term] = max(dfw.get(term, 0.0), DF_WEIGHTS[name])
            weights[eid] = have
            df.update(dfw)
            subject = [*fields.get("title", []), *fields.get("keywords", [])]
            subject_terms.update({t for text in subject for t in textnorm.tokens(text)})
            phrases[eid] = [
                p
                for text in [*fields.get("keywords", []), *fields.get("synonyms", [])]
                if len(p := list(dict.fromkeys(textnorm.tokens(text)))) >= 2
            ]
            grams[eid] = trigrams(
                " ".join([*subject, *fields.get("synonyms", []), *fields.get("questions", [])])
            )
        # Service names: abbreviations that are the subject of a few entries at most.
        names = frozenset(
            t
            for t, n in subject_terms.items()
            if t in textnorm.PROTECTED and t not in ORDINARY and n <= 3
        ) | (INTENTS & set(subject_terms))
        return cls(weights, phrases, grams, dict(df), names, surface, titles)

    # ---- persistence ------------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "weights": self.weights,
            "phrases": self.phrases,
            "grams": self.grams,
            "df": self.df,
            "names": sorted(self.names),
            "surface": self.surface,
            "titles": self.titles,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> MatchIndex | None:
        if data.get("version") != FORMAT_VERSION:
            return None
        return cls(
            data["weights"],
            data["phrases"],
            data["grams"],
            data["df"],
            frozenset(data["names"]),
            data["surface"],
            data["titles"],
        )

    # ---- queries ----------------------------------------------------------------------
    @property
    def fuzzy(self) -> FuzzyIndex:
        # Built on first use: a restart that loads a stored index pays for it only when
        # the first misspelt word arrives.
        if self._fuzzy is None:
            self._fuzzy = FuzzyIndex(self.surface)
        return self._fuzzy

    def idf(self, term: str) -> float:
        n = len(self.weights)
        return math.log(1 + n / (self.df.get(term, 0.0) + 0.5))

    def normalise(self, text: str) -> Query:
        """Question stems, with unknown words corrected to a close content word, and the
        stems that only the background sentences of a long message hold."""
        fuzzy: set[str] = set()
        asking: list[str] = []
        context: list[str] = []
        for sentence, is_question in _sentences(text):
            for word in textnorm.content_words(sentence):
                term = self._term(word, fuzzy)
                if term:
                    (asking if is_question else context).append(term)
        out = asking + context
        terms = list(dict.fromkeys(out))
        read = {t for t in out if t not in fuzzy}
        # A service named in the context ("kami disuruh pakai Digipay. ... caranya?") is
        # still the topic.
        background = frozenset(context) - set(asking) - self.names if asking else frozenset()
        return Query(terms, frozenset(fuzzy - read), trigrams(text), background)

    def _term(self, word: str, fuzzy: set[str]) -> str | None:
        term = textnorm.stem(word)
        if not term or term in textnorm.STOP:
            return None
        if term not in self.df and not textnorm.is_word(word):
            corrected = self.fuzzy.closest(word)
            if corrected and corrected != word:
                term = self.surface[corrected]
                fuzzy.add(term)
        return term

    def weight(self, term: str) -> float:
        found = self._weights.get(term)
        if found is None:
            found = self._weights[term] = self._weight(term)
        return found

    def _weight(self, term: str) -> float:
        if term in GENERIC:
            return self.idf(term) * GENERIC_WEIGHT
        return self.idf(term) * (NAME_BOOST if term in self.names else 1.0)

    def confidence(self, query: Query, entry_id: str) -> float:
        have = self.weights[entry_id]
        # Sharing only "kppn" or "syarat" with a question says nothing about the topic.
        if not any(t in have for t in query.terms if t not in GENERIC):
            return 0.0
        total = matched = 0.0
        for t in query.terms:
            w = self.weight(t) * (BACKGROUND_WEIGHT if t in query.background else 1.0)
            total += w
            matched += w * have.get(t, 0.0) * (FUZZY_WEIGHT if t in query.fuzzy else 1.0)
        asked = set(query.terms)
        bonus = sum(
            PHRASE_BONUS * sum(self.weight(t) for t in phrase) / len(phrase) * (len(phrase) - 1)
            for phrase in self.phrases[entry_id]
            if phrase[0] in asked and asked.issuperset(phrase)
        )
        coverage = min(1.0, (matched + bonus) / total)
        # A question that names a service this entry is not about is not about this entry.
        named = asked & self.names
        if named and not any(have.get(t, 0.0) >= 0.8 for t in named):
            coverage *= 0.6
        # An intent (fees, complaints, year-end) the entry is not about rules it out too.
        intents = asked & INTENTS
        if intents and not any(have.get(t, 0.0) >= 0.8 for t in intents):
            coverage *= 0.6
        similarity = _cosine(query.grams, self.grams[entry_id])
        return (1 - NGRAM_SHARE) * coverage + NGRAM_SHARE * similarity

    def points_elsewhere(self, query: Query, other: str, best: str) -> bool:
        """Does the question carry evidence for ``other`` that ``best`` does not explain?

        The wrong answers on held-out sets all had this shape: the best entry wins on a
        context phrase ("belanja barang", "spm ls kontraktual", "halaman III DIPA") while
        the words saying what is asked name another entry ("dikembalikan", "geser pagu",
        "desember", "indikator kinerja pelaksanaan anggaran"). Evidence is any of:
        a service name ``other`` is about and ``best`` is not; ``other``'s whole title and
        not ``best``'s; one of ``other``'s keyword or
        synonym phrases with two or more specific words, all in the question, that ``best``
        is not about; or two or more specific question words that are ``other``'s subject
        and not ``best``'s. One shared ordinary word is not evidence: it is too common.
        Words guessed from a misspelling never count here.
        """
        read = [t for t in query.terms if t not in query.fuzzy]
        mine, theirs = self.weights[best], self.weights[other]

        def explains(have: dict[str, float], term: str) -> bool:
            return have.get(term, 0.0) >= SUBJECT

        if any(explains(theirs, t) and not explains(mine, t) for t in read if t in self.names):
            return True
        asked = set(read)
        if asked.issuperset(self.titles[other]) and not asked.issuperset(self.titles[best]):
            return True
        for phrase in self.phrases[other]:
            specific = [t for t in phrase if t not in GENERIC]
            if (
                len(specific) >= 2
                and asked.issuperset(phrase)
                and not all(explains(mine, t) for t in specific)
            ):
                return True
        only_theirs = [
            t for t in read if t not in GENERIC and explains(theirs, t) and not explains(mine, t)
        ]
        return len(only_theirs) >= 2

    def rank(self, query: Query) -> list[tuple[str, float]]:
        scored = [(eid, self.confidence(query, eid)) for eid in self.weights]
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored
