"""The features of a message, shared by training and inference so that the two can never
disagree: word unigrams and bigrams, and character 2- to 5-grams inside words (they carry
typos, stems and chat spellings: "pengajuannya", "ngajuin", "diajukan" share "aju"). Each
block is sublinear in counts and scaled to unit length."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import chain

from bot.conversation.questions import normalise

_WORD = re.compile(r"\w\w+")
CHAR_GRAMS = (2, 5)
WORD, CHAR = "w|", "c|"  # the two blocks' prefixes in a feature's name


def blocks(text: str) -> tuple[dict[str, float], dict[str, float]]:
    """(word grams, character grams) of ``text``, each block of unit length."""
    norm = normalise(text)
    tokens = _WORD.findall(norm)
    word_grams = Counter(tokens)
    word_grams.update([f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)])
    grams = Counter(chain.from_iterable(_char_grams(w) for w in norm.split()))
    return _unit(word_grams), _unit(grams)


@lru_cache(maxsize=50_000)
def _char_grams(word: str) -> tuple[str, ...]:
    """A word's character grams, padded by a space each side. Cached: an office's words
    recur from message to message, and cutting them was a third of a guess's CPU."""
    low, high = CHAR_GRAMS
    padded = f" {word} "
    size = len(padded)
    return tuple(
        padded[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)
    )


def features(text: str) -> dict[str, float]:
    """Both blocks under one namespace (the trainer's view)."""
    words, chars = blocks(text)
    return {**{WORD + k: v for k, v in words.items()}, **{CHAR + k: v for k, v in chars.items()}}


def _unit(counts: Counter[str]) -> dict[str, float]:
    weighted = {k: 1.0 if v == 1 else 1.0 + math.log(v) for k, v in counts.items()}
    length = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
    return {k: v / length for k, v in weighted.items()}
