"""Typo correction against a fixed vocabulary: a deletion-neighbourhood index (SymSpell).

Issue 8 measured the old approach, a pure-Python Levenshtein run against every word of
the content for each unknown word, twice per ticket-like question. Here each vocabulary
word is stored under every string reachable by deleting up to ``max_distance`` letters;
a query word generates its own deletions and only the few words that share one are
checked with a real edit distance. Results are memoised per word. No dependency needed:
the vocabulary is a few thousand words, so the index builds in milliseconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            value = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, prev2[j - 2] + 1)
            cur.append(value)
        prev2, prev = prev, cur
    return prev[-1]


def allowed(word: str) -> int:
    """Edits tolerated for a word of this length: none below 4 letters (too many
    neighbours: "up"/"tup"/"gup"), one up to 7, two from 8."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


class FuzzyIndex:
    def __init__(self, vocabulary: Iterable[str], max_distance: int = 2) -> None:
        self.words = frozenset(vocabulary)
        self.max_distance = max_distance
        self._by_delete: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.words):
            for variant in _deletes(word, max_distance):
                self._by_delete[variant].append(word)
        self._memo: dict[str, str | None] = {}

    def closest(self, word: str) -> str | None:
        """The vocabulary word within the allowed distance of ``word`` (same first letter:
        operators rarely misspell the first letter, and it halves false corrections)."""
        if word in self.words:
            return word
        if word in self._memo:
            return self._memo[word]
        limit = min(allowed(word), self.max_distance)
        best: tuple[int, int, str] | None = None
        if limit:
            seen: set[str] = set()
            for variant in _deletes(word, limit):
                for candidate in self._by_delete.get(variant, ()):
                    if candidate in seen or candidate[0] != word[0]:
                        continue
                    seen.add(candidate)
                    d = distance(word, candidate)
                    if d <= limit and (
                        best is None or (d, abs(len(candidate) - len(word)), candidate) < best
                    ):
                        best = (d, abs(len(candidate) - len(word)), candidate)
        result = best[2] if best else None
        if len(self._memo) < 20_000:  # bounded: user text is unbounded
            self._memo[word] = result
        return result
