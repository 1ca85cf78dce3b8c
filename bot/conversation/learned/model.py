"""The learned reader's inference: a multinomial logistic regression over the features
of features.py, loaded from the shipped weight file; the product is numpy's (already
installed for matplotlib), the rest plain Python."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported where the weights are first used (start-up: below)
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float64]

from bot.conversation.learned.features import WORD, blocks

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
class _Dense:
    """The model ready for one product: feature rows by block, the matrix, and where the
    kinds and the FAQ entries sit among the labels."""

    word_rows: dict[str, int]
    char_rows: dict[str, int]
    matrix: Matrix
    intercept: Matrix
    kinds: dict[str, int]
    entries: Matrix


@dataclass(frozen=True)
class Model:
    labels: tuple[str, ...]
    intercept: tuple[float, ...]
    # feature -> ((label index, weight), ...): only the weights that matter are shipped.
    weights: dict[str, tuple[tuple[int, float], ...]]
    trained_on: dict[str, str]  # labelled set file name -> sha256 of its bytes

    def guess(self, text: str) -> Guess:
        p = self._probabilities(text)
        dense = self._dense
        shares = {kind: float(p[i]) for kind, i in dense.kinds.items()}
        entries = p[dense.entries]
        best = int(entries.argmax())
        shares[QUESTION] = float(entries.sum())
        return Guess(shares, self.labels[dense.entries[best]], float(entries[best]))

    def entry_shares(self, text: str) -> dict[str, float]:
        """Each FAQ entry's share of the question in ``text`` (summing to 1 over the
        entries, whatever the message is): what the FAQ's ranking weighs."""
        entries = self._probabilities(text)[self._dense.entries]
        entries = entries / entries.sum()
        return {self.labels[i]: float(s) for i, s in zip(self._dense.entries, entries, strict=True)}

    def _probabilities(self, text: str) -> Matrix:
        import numpy as np  # loaded once by warm(); a module lookup after that

        dense = self._dense
        rows: list[int] = []
        values: list[float] = []
        for block, table in zip(blocks(text), (dense.word_rows, dense.char_rows), strict=True):
            for gram, value in block.items():
                row = table.get(gram)
                if row is not None:
                    rows.append(row)
                    values.append(value)
        totals = dense.intercept
        if rows:
            totals = totals + np.asarray(values) @ dense.matrix.take(rows, axis=0)
        exp = np.exp(totals - totals.max())
        probabilities: Matrix = exp / exp.sum()
        return probabilities

    @cached_property
    def _dense(self) -> _Dense:
        """The weights as one matrix (a row per feature, the word and character grams
        looked up apart): a message's ~200 features are one product, not ~3,000 Python
        additions (1.5 ms of CPU a message). numpy is imported here, not at the module's
        import: that is on the path to the first getUpdates (0.12 s of start-up)."""
        import numpy as np

        word_rows: dict[str, int] = {}
        char_rows: dict[str, int] = {}
        matrix = np.zeros((len(self.weights), len(self.labels)))
        for row, (name, pairs) in enumerate(self.weights.items()):
            block = word_rows if name.startswith(WORD) else char_rows
            block[name[len(WORD) :]] = row
            for label, weight in pairs:
                matrix[row, label] = weight
        kinds = {label: i for i, label in enumerate(self.labels) if label in KINDS}
        entries = np.asarray([i for i, label in enumerate(self.labels) if label not in KINDS])
        return _Dense(word_rows, char_rows, matrix, np.asarray(self.intercept), kinds, entries)

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


def warm() -> None:
    """Read the weights and build the matrix (about 0.3 s): at start-up, in a thread."""
    current().guess("")


def use(model: Model | None) -> None:
    """For bench/conversation_eval.py: read with a model trained without the set measured.
    None puts the shipped model back."""
    _override.clear()
    if model is not None:
        _override.append(model)


def guess(text: str) -> Guess:
    return current().guess(text)


def entry_shares(text: str) -> dict[str, float]:
    return current().entry_shares(text)


def knows(entry_id: str) -> bool:
    """Whether the model was trained on this entry (not one approved from an LO's answer,
    nor an office's own content)."""
    return current().knows(entry_id)
