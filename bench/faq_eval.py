"""FAQ quality and speed over the labelled evaluation set (tests/faq_eval.yaml).

    .venv/bin/python -m bench.faq_eval

Prints top-1 accuracy (the expected entry ranks first), answer precision and recall at
the configured threshold, the false-answer rate on the negatives, and the search latency
(median, p95) per question over the whole content. The same metric code backs the
quality test in tests/test_faq.py.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import yaml

from bench.common import WIB, services
from bot import faq
from bot.services import Services

EVAL = Path(__file__).resolve().parent.parent / "tests" / "faq_eval.yaml"
HOLDOUT = EVAL.with_name("faq_holdout.yaml")


@dataclass
class Report:
    positives: int = 0
    top1: int = 0
    answered: int = 0
    answered_right: int = 0
    negatives: int = 0
    false_answers: int = 0
    latencies: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        return self.top1 / self.positives

    @property
    def precision(self) -> float:
        return self.answered_right / self.answered if self.answered else 1.0

    @property
    def recall(self) -> float:
        return self.answered_right / self.positives

    @property
    def false_rate(self) -> float:
        return self.false_answers / self.negatives


async def evaluate(svc: Services, source: Path = EVAL) -> Report:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    index = svc.faq
    report = Report()
    for expected, questions in data["positives"].items():
        for q in questions:
            start = time.perf_counter()
            matches = await faq.search(svc, index, q, limit=1)
            report.latencies.append(time.perf_counter() - start)
            top = matches[0].entry.id if matches else None
            report.positives += 1
            report.top1 += top == expected
            chosen, conf = await faq.answer_for(svc, index, q)
            if chosen is not None:
                report.answered += 1
                report.answered_right += chosen.entry.id == expected
            if top != expected or chosen is None:
                report.wrong.append(f"{q!r}: expected {expected}, top {top} ({conf:.2f})")
    for q in data["negatives"]:
        report.negatives += 1
        start = time.perf_counter()
        chosen, conf = await faq.answer_for(svc, index, q)
        report.latencies.append(time.perf_counter() - start)
        if chosen is not None:
            report.false_answers += 1
            report.false.append(f"{q!r}: answered {chosen.entry.id} ({conf:.2f})")
    return report


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        svc = await services(Path(tmp) / "faq.sqlite3", datetime(2026, 11, 23, 10, tzinfo=WIB))
        try:
            count = await faq.reload(svc)
            r = await evaluate(svc)
            held = await evaluate(svc, HOLDOUT)
        finally:
            await svc.db.close()
    lat = sorted(r.latencies)
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(f"entries: {count}, positives: {r.positives}, negatives: {r.negatives}")
    print(f"top-1 accuracy: {r.top1_accuracy:.1%} ({r.top1}/{r.positives})")
    print(
        f"answered: {r.answered}/{r.positives} (recall {r.recall:.1%}), precision {r.precision:.1%}"
    )
    print(f"false answers on negatives: {r.false_rate:.1%} ({r.false_answers}/{r.negatives})")
    print(
        f"search latency: median {statistics.median(lat) * 1000:.2f} ms, "
        f"p95 {p95 * 1000:.2f} ms, max {lat[-1] * 1000:.2f} ms"
    )
    print(
        f"held-out set ({held.positives} questions, {held.negatives} negatives, never tuned on):"
        f" top-1 {held.top1_accuracy:.1%}, precision {held.precision:.1%}, "
        f"recall {held.recall:.1%}, false answers {held.false_rate:.1%}"
    )
    for line in r.wrong:
        print("  miss:", line)
    for line in r.false:
        print("  false:", line)


if __name__ == "__main__":
    asyncio.run(main())
