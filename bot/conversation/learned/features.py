"""The features of a message, shared by training and inference so that the two can never
disagree: word unigrams and bigrams, and character 2- to 5-grams inside words (they carry
typos, stems and chat spellings: "pengajuannya", "ngajuin", "diajukan" share "aju"). Each
block is sublinear in counts and scaled to unit length."""

from __future__ import annotations

import math
import re
from collections import Counter

from bot.conversation.questions import normalise

_WORD = re.compile(r"\w\w+")
CHAR_GRAMS = (2, 5)


def features(text: str) -> dict[str, float]:
    norm = normalise(text)
    tokens = _WORD.findall(norm)
    word_grams = Counter(tokens)
    word_grams.update(f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False))
    char_grams: Counter[str] = Counter()
    low, high = CHAR_GRAMS
    for w in norm.split():
        padded = f" {w} "
        for n in range(low, min(high, len(padded)) + 1):
            char_grams.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    found: dict[str, float] = {}
    for prefix, block in (("w", word_grams), ("c", char_grams)):
        found.update(_unit(prefix, block))
    return found


def _unit(prefix: str, counts: Counter[str]) -> dict[str, float]:
    weighted = {k: 1.0 + math.log(v) for k, v in counts.items()}
    length = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
    return {f"{prefix}|{k}": v / length for k, v in weighted.items()}
