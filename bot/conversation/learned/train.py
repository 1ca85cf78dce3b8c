"""Train the learned reader from the labelled sets and write its weight file.

    .venv/bin/pip install -e ".[train]"
    .venv/bin/python -m bot.conversation.learned.train [--without tests/faq_x.yaml] [--out F]

Run it whenever a labelled set is added or changed (tests/test_learned.py fails until
then). The sets are tests/faq_*.yaml: ``positives`` by FAQ entry, ``negatives`` (chat),
``cases``, ``status`` and ``complaints``. scikit-learn does the fitting (a tested L-BFGS
logistic regression; writing our own optimiser would be worse); the bot itself never
imports it.
"""

from __future__ import annotations

import argparse
import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bot.conversation.learned.features import features
from bot.conversation.learned.model import CASE, CHAT, COMPLAINT, STATUS, WEIGHTS, Model, save

SETS = Path(__file__).resolve().parents[3] / "tests"
GROUPS = {"negatives": CHAT, "cases": CASE, "status": STATUS, "complaints": COMPLAINT}
# Chosen by leave-one-set-out over the six sets with every group (docs/BENCHMARKS.md):
# a feature seen once is noise; weights below PRUNE change no decision there.
C = 20.0
MIN_DF = 2
PRUNE = 0.05
DIGITS = 4


def labelled(path: Path) -> list[tuple[str, str]]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found = [(q, entry) for entry, qs in (data.get("positives") or {}).items() for q in qs]
    for group, label in GROUPS.items():
        found += [(q, label) for q in data.get(group) or []]
    return found


def training_sets(without: frozenset[str] = frozenset()) -> list[Path]:
    return [p for p in sorted(SETS.glob("faq_*.yaml")) if p.name not in without]


def fingerprint(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def fit(paths: list[Path]) -> Model:
    from sklearn.feature_extraction import DictVectorizer  # the trainer's only; lazy
    from sklearn.linear_model import LogisticRegression

    examples = [pair for p in paths for pair in labelled(p)]
    rows = [features(text) for text, _ in examples]
    seen = Counter(name for row in rows for name in row)
    rows = [{k: v for k, v in row.items() if seen[k] >= MIN_DF} for row in rows]
    vectors = DictVectorizer(sort=True)
    matrix = vectors.fit_transform(rows)
    fitted = LogisticRegression(C=C, max_iter=5000).fit(matrix, [label for _, label in examples])
    weights: dict[str, list[tuple[int, float]]] = {}
    for name, column in vectors.vocabulary_.items():
        kept = [
            (i, round(float(w), DIGITS))
            for i, w in enumerate(fitted.coef_[:, column])
            if abs(w) >= PRUNE
        ]
        if kept:
            weights[name] = kept
    return Model(
        tuple(str(c) for c in fitted.classes_),
        tuple(round(float(b), DIGITS) for b in fitted.intercept_),
        {k: tuple(v) for k, v in sorted(weights.items())},
        fingerprint(paths),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--without", action="append", type=Path, default=[])
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()
    paths = training_sets(frozenset(p.name for p in args.without))
    model = fit(paths)
    save(model, args.out)
    print(
        f"{args.out}: {len(model.labels)} labels, {len(model.weights)} features, {len(paths)} sets"
    )


if __name__ == "__main__":
    main()
