"""FAQ quality and speed over the labelled question sets.

    .venv/bin/python -m bench.faq_eval [--set tests/faq_holdout_blind.yaml] [--misses]

For each set: top-1 accuracy (the expected entry ranks first), what the bot would do at
the configured threshold (answer right, answer with a WRONG entry, ask "A atau B?" with the
right entry among the options, ask without it, stay silent), recall (answered right), and
false answers on the negatives (answered or asked at all). Then the search latency
(median, p95) and the start-up time of the content: a first load (parse and stem the
files, build and store the index) and a restart with unchanged content (load the stored
index). The same metric code backs the quality tests in tests/test_faq.py.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bench.common import WIB, services
from bot import faq

TESTS = Path(__file__).resolve().parent.parent / "tests"
EVAL = TESTS / "faq_eval.yaml"
HOLDOUT = TESTS / "faq_holdout.yaml"
BLIND = TESTS / "faq_holdout_blind.yaml"


@dataclass
class Report:
    name: str = ""
    positives: int = 0
    top1: int = 0
    answered_right: int = 0
    answered_wrong: int = 0
    asked_right: int = 0
    asked_wrong: int = 0
    negatives: int = 0
    false_answers: int = 0
    latencies: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        return self.top1 / self.positives

    @property
    def answered(self) -> int:
        return self.answered_right + self.answered_wrong

    @property
    def precision(self) -> float:
        return self.answered_right / self.answered if self.answered else 1.0

    @property
    def recall(self) -> float:
        return self.answered_right / self.positives

    @property
    def resolved(self) -> float:
        """Answered right, or asked with the right entry among the options."""
        return (self.answered_right + self.asked_right) / self.positives

    @property
    def false_rate(self) -> float:
        return self.false_answers / self.negatives if self.negatives else 0.0

    def summary(self) -> str:
        return (
            f"{self.name}: {self.positives} questions, {self.negatives} negatives\n"
            f"  top-1 {self.top1_accuracy:.1%} ({self.top1}/{self.positives}); "
            f"answered right {self.answered_right}, WRONG entry {self.answered_wrong}, "
            f"asked with the right option {self.asked_right}, asked without it "
            f"{self.asked_wrong}\n"
            f"  recall {self.recall:.1%}, resolved (answered or right option offered) "
            f"{self.resolved:.1%}, precision {self.precision:.1%}, "
            f"false answers on negatives {self.false_rate:.1%} "
            f"({self.false_answers}/{self.negatives})"
        )


def read_set(source: Path) -> dict[str, Any]:
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def evaluate(index: faq.FaqIndex, data: dict[str, Any], threshold: float, name: str) -> Report:
    report = Report(name)
    for expected, questions in data["positives"].items():
        for q in questions:
            start = time.perf_counter()
            chosen, conf = faq.decide(index, q, threshold)
            report.latencies.append(time.perf_counter() - start)
            ranked = faq.search(index, q, limit=1)
            top = ranked[0].entry.id if ranked else None
            report.positives += 1
            report.top1 += top == expected
            _score_positive(report, q, expected, chosen, conf, top)
    for q in data["negatives"]:
        report.negatives += 1
        start = time.perf_counter()
        chosen, conf = faq.decide(index, q, threshold)
        report.latencies.append(time.perf_counter() - start)
        if chosen is not None:
            report.false_answers += 1
            report.false.append(f"{q!r}: {_said(chosen)} ({conf:.2f})")
    return report


def _said(m: faq.Match) -> str:
    if m.alternatives:
        return "asked " + " / ".join([m.entry.id, *(e.id for e in m.alternatives)])
    return f"answered {m.entry.id}"


def _score_positive(
    r: Report, q: str, expected: str, chosen: faq.Match | None, conf: float, top: str | None
) -> None:
    line = f"{q!r}: expected {expected}, top {top} ({conf:.2f})"
    if chosen is None:
        r.misses.append(line + ", silent")
    elif chosen.alternatives:
        offered = {chosen.entry.id, *(e.id for e in chosen.alternatives)}
        if expected in offered:
            r.asked_right += 1
        else:
            r.asked_wrong += 1
            r.wrong.append(f"{line}, {_said(chosen)}")
    elif chosen.entry.id == expected:
        r.answered_right += 1
    else:
        r.answered_wrong += 1
        r.wrong.append(f"{line}, {_said(chosen)}")


async def startup_times(folder: Path | None = None) -> tuple[float, float]:
    """(first load, restart with unchanged content) in seconds, on a fresh database."""
    with tempfile.TemporaryDirectory() as tmp:
        svc = await services(Path(tmp) / "s.sqlite3", datetime(2026, 12, 1, 10, tzinfo=WIB))
        try:
            start = time.perf_counter()
            await faq.reload(svc, folder)
            first = time.perf_counter() - start
            svc.faq = None
            start = time.perf_counter()
            await faq.reload(svc, folder)
            again = time.perf_counter() - start
        finally:
            await svc.db.close()
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", type=Path, help="extra held-out set(s)")
    parser.add_argument(
        "--tune", action="append", type=Path, help="extra set(s) tuned on: details printed"
    )
    parser.add_argument("--misses", action="store_true", help="list silent misses too")
    parser.add_argument(
        "--details",
        action="store_true",
        help="list wrong answers of the held-out sets too (off: tuning must not read them)",
    )
    args = parser.parse_args()
    first, again = asyncio.run(startup_times())
    index = faq.FaqIndex.build(faq.load_dir(faq.default_content_dir()))
    threshold = 0.55  # the Settings default (LOBOT_FAQ_THRESHOLD)
    sets = [(EVAL, "main set"), (HOLDOUT, "held-out set (2026-11-23)")]
    sets += [(p, f"held-out set {p.name}") for p in args.set or []]
    tuned = {EVAL, *(args.tune or [])}
    sets += [(p, f"tuning set {p.name}") for p in args.tune or []]
    latencies: list[float] = []
    for path, name in sets:
        r = evaluate(index, read_set(path), threshold, name)
        latencies += r.latencies
        print(r.summary())
        if path not in tuned and not args.details:
            continue
        for line in r.wrong:
            print("    wrong:", line)
        for line in r.false:
            print("    false:", line)
        if args.misses:
            for line in r.misses:
                print("    miss:", line)
    lat = sorted(latencies)
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(
        f"entries: {len(index.entries)}; decision latency: median "
        f"{statistics.median(lat) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms, "
        f"max {lat[-1] * 1000:.2f} ms over {len(lat)} messages"
    )
    print(f"start-up: first load {first * 1000:.0f} ms, restart unchanged {again * 1000:.0f} ms")


if __name__ == "__main__":
    main()
