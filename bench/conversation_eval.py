"""What the bot does with each first message of a labelled set: the whole decision of a
new group message (bot/conversation: the reading, the FAQ's match, the route), not only
the FAQ's ranking.

    .venv/bin/python -m bench.conversation_eval --set tests/faq_holdout_blind6.yaml [--details]

A set has ``positives`` (general questions by FAQ entry), ``negatives`` (chat: silence
expected), and optionally ``cases`` (this satker's own: a ticket expected, never an FAQ
answer), ``status`` (the asker's own tickets expected) and ``complaints``. Printed: top-1
of the FAQ ranking on the positives (``faq.search``, both readers: what /faq and the
ticket's category use), and of each reader alone; for each group what the bot would do: FAQ answer
right / WRONG entry, ask-back with / without the right entry, ticket, complaint, status,
silence (a lost question where something was expected, noise where silence was).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bot import faq
from bot.conversation import policy
from bot.conversation.learned import model as learned
from bot.conversation.reading import Kind, read

THRESHOLD = 0.55  # the Settings default (LOBOT_FAQ_THRESHOLD)


def decide(index: faq.FaqIndex, text: str) -> tuple[policy.Route, faq.Match | None, Kind]:
    """The route of a new member message with no context, as bot/intake.py takes it. The
    group's LO has a name no set uses, so a message opening with a person's name ("Pak
    Hendra, ...") is said to a colleague: silence, as in the intake."""
    reading = read(text)
    kind = reading.kind
    if reading.addressed_to is not None:
        return policy.Route.SILENCE, None, kind
    match = None
    if kind is Kind.QUESTION:
        match = policy.second_opinion(faq.assess(index, text, THRESHOLD)[0], reading, index.entries)
    return policy.route(reading, match), match, kind


def outcome(route: policy.Route, match: faq.Match | None, expected: str | None) -> str:
    if route is policy.Route.FAQ_ANSWER and match is not None:
        return "faq right" if match.entry.id == expected else "faq WRONG"
    if route is policy.Route.ASK_BACK and match is not None:
        offered = {match.entry.id, *(e.id for e in match.alternatives)}
        return "ask-back right" if expected in offered else "ask-back WITHOUT right"
    return route.value


def evaluate(index: faq.FaqIndex, data: dict[str, Any], details: bool) -> dict[str, Counter[str]]:
    results: dict[str, Counter[str]] = {}
    top1 = matcher_top1 = learned_top1 = total = 0
    positives: Counter[str] = Counter()
    for expected, questions in data.get("positives", {}).items():
        for q in questions:
            ranked = faq.search(index, q, limit=1)
            top1 += bool(ranked) and ranked[0].entry.id == expected
            alone = index.match.rank(index.normalise(q))
            matcher_top1 += bool(alone) and alone[0][0] == expected
            learned_top1 += learned.guess(q).entry == expected
            total += 1
            route, match, kind = decide(index, q)
            got = outcome(route, match, expected)
            positives[got] += 1
            if details and got not in ("faq right", "ticket"):
                print(f"    positive {expected}: {got} ({kind.value}): {q!r}")
    results["positives"] = positives
    for group in ("negatives", "cases", "status", "complaints"):
        tally: Counter[str] = Counter()
        for q in data.get(group, []) or []:
            route, match, kind = decide(index, q)
            got = outcome(route, match, None)
            tally[got] += 1
            if details and got != _EXPECTED[group]:
                print(f"    {group}: {got} ({kind.value}): {q!r}")
        results[group] = tally
    print(f"top-1 on FAQ-type questions: {top1}/{total} ({top1 / max(total, 1):.1%})")
    for reader, right in (("matcher", matcher_top1), ("learned reader", learned_top1)):
        print(f"the {reader}'s alone: {right}/{total} ({right / max(total, 1):.1%})")
    return results


_EXPECTED = {
    "negatives": "silence",
    "cases": "ticket",
    "status": "status",
    "complaints": "complaint",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", action="append", type=Path, required=True)
    parser.add_argument("--details", action="store_true", help="list what went elsewhere")
    parser.add_argument(
        "--model", type=Path, help="the learned reader's weights (default: the shipped ones)"
    )
    args = parser.parse_args()
    if args.model:
        learned.use(learned.load(args.model))
    index = faq.FaqIndex.build(faq.load_dir(faq.default_content_dir()))
    for path in args.set:
        print(f"== {path}")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for group, tally in evaluate(index, data, args.details).items():
            n = sum(tally.values())
            parts = ", ".join(f"{k} {v}" for k, v in tally.most_common())
            print(f"{group} ({n}): {parts}")


if __name__ == "__main__":
    main()
