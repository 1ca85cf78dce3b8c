"""Leave one set out over every labelled set: the learned reader is trained without a set,
then the whole decision (bench/conversation_eval.py) is measured on it; the tallies are
summed. Sets named with --extra (held-out sets kept out of training) are measured with
the shipped model.

    .venv/bin/pip install -e ".[train]"   # scikit-learn, for the training
    .venv/bin/python -m bench.conversation_loso [--cache DIR] [--extra tests/heldout_x.yaml]
        [--details]

Training takes about 20 s a set; the models are kept in --cache (a set's model is
reused while that file's name is the same: delete the folder after changing the sets).
"""

from __future__ import annotations

import argparse
import contextlib
import io
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from bench.conversation_eval import evaluate
from bot import faq
from bot.conversation.learned import model as learned
from bot.conversation.learned import train


def model_without(path: Path, cache: Path) -> learned.Model:
    out = cache / f"{path.stem}.json.gz"
    if not out.exists():
        learned.save(train.fit(train.training_sets(frozenset({path.name}))), out)
    return learned.load(out)


def measure(
    index: faq.FaqIndex, path: Path, model: learned.Model | None, details: bool
) -> dict[str, Counter[str]]:
    learned.use(model)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        results = evaluate(index, data, details)
    for line in said.getvalue().splitlines():
        if details and line.startswith("    "):
            print(f"{path.stem}: {line.strip()}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=Path("/tmp/lobot-loso"))
    parser.add_argument("--extra", action="append", type=Path, default=[])
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    index = faq.FaqIndex.build(faq.load_dir(faq.default_content_dir()))
    total: dict[str, Counter[str]] = defaultdict(Counter)
    sets = train.training_sets()
    for path in sets:
        for group, tally in measure(
            index, path, model_without(path, args.cache), args.details
        ).items():
            total[group].update(tally)
    for path in args.extra:
        for group, tally in measure(index, path, None, args.details).items():
            total[group].update(tally)
    print(f"{len(sets)} sets left out in turn, {len(args.extra)} measured with the shipped model")
    for group, tally in total.items():
        parts = ", ".join(f"{k} {v}" for k, v in tally.most_common())
        print(f"{group} ({sum(tally.values())}): {parts}")


if __name__ == "__main__":
    main()
