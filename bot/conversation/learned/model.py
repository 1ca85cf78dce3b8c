"""The learned reader's inference: a multinomial logistic regression over the features
of features.py, loaded from the shipped weight file. Plain Python; about a millisecond a
message."""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.conversation.learned.features import features

WEIGHTS = Path(__file__).with_name("weights.json.gz")
# The labels that are not FAQ entries; every other label is an entry id (a question).
CASE, CHAT, STATUS, COMPLAINT = "case", "chat", "status", "complaint"
KINDS = (CASE, CHAT, STATUS, COMPLAINT)
QUESTION = "question"


@dataclass(frozen=True)
class Guess:
    """What the model thinks a message is. ``shares`` sums to 1 over question, case, chat,
    status and complaint; ``entry`` is its likeliest FAQ entry and ``entry_share`` that
    entry's share of all (not only of the questions)."""

    shares: dict[str, float]
    entry: str
    entry_share: float

    def share(self, kind: str) -> float:
        return self.shares.get(kind, 0.0)


@dataclass(frozen=True)
class Model:
    labels: tuple[str, ...]
    intercept: tuple[float, ...]
    # feature -> ((label index, weight), ...): only the weights that matter are shipped.
    weights: dict[str, tuple[tuple[int, float], ...]]
    trained_on: dict[str, str]  # labelled set file name -> sha256 of its bytes

    def guess(self, text: str) -> Guess:
        scores = list(self.intercept)
        for name, value in features(text).items():
            for label, weight in self.weights.get(name, ()):
                scores[label] += weight * value
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        shares = {kind: 0.0 for kind in (QUESTION, *KINDS)}
        entry, entry_share = "", -1.0
        for name, e in zip(self.labels, exp, strict=True):
            p = e / total
            if name in KINDS:
                shares[name] += p
                continue
            shares[QUESTION] += p
            if p > entry_share:
                entry, entry_share = name, p
        return Guess(shares, entry, entry_share)

    def knows(self, label: str) -> bool:
        return label in self.labels

    def to_data(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "intercept": list(self.intercept),
            "weights": {k: [list(p) for p in v] for k, v in self.weights.items()},
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Model:
        return cls(
            tuple(data["labels"]),
            tuple(float(x) for x in data["intercept"]),
            {k: tuple((int(i), float(w)) for i, w in v) for k, v in data["weights"].items()},
            dict(data["trained_on"]),
        )


def load(path: Path) -> Model:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return Model.from_data(json.load(f))


def save(model: Model, path: Path) -> None:
    # mtime=0: the same model gives the same bytes, so a retrain shows no spurious diff.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(json.dumps(model.to_data(), ensure_ascii=False, sort_keys=True).encode())


_override: list[Model] = []


@cache
def _shipped() -> Model:
    return load(WEIGHTS)


def current() -> Model:
    """The shipped model, read once; a benchmark may put another in its place (use)."""
    return _override[-1] if _override else _shipped()


def use(model: Model | None) -> None:
    """For bench/conversation_eval.py: read with a model trained without the set measured.
    None puts the shipped model back."""
    _override.clear()
    if model is not None:
        _override.append(model)


def guess(text: str) -> Guess:
    return current().guess(text)


def knows(entry_id: str) -> bool:
    """Whether the model was trained on this entry (not one approved from an LO's answer,
    nor an office's own content)."""
    return current().knows(entry_id)
