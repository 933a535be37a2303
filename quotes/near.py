"""Near-identical wording: MinHash signatures, LSH buckets, a Jaccard check.

This module owns `near_groups`: given texts already folded by
`keys.quote_words`, it finds the ones whose word shingles overlap by at least
a threshold, without comparing every pair. Each text gets a MinHash signature
of its word shingles; signatures are cut into bands, texts sharing a band are
candidates, and a candidate pair is joined only when textacy's Jaccard
similarity of their shingles reaches the threshold. Two quotes that differ by a
word or two ("the situation is under control" / "the situation is now under
control") land in one group.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from textacy.similarity import jaccard

SHINGLE_WORDS = 2
"""Words per shingle: pairs of words keep order without making one changed word cost much."""

BANDS, ROWS = 16, 4
"""MinHash bands of rows: pairs at Jaccard 0.5 share a band with a chance of 0.65, at 0.7 of 0.99."""

THRESHOLD = 0.6
"""Jaccard similarity of the shingles at which two wordings are the same quote."""

BUCKET_WINDOW = 32
"""Earlier members of a bucket each text is checked against: a bucket of many
short, common wordings costs linear time, not quadratic."""

_MASK = (1 << 64) - 1
_SALTS = [hashlib.blake2b(str(i).encode(), digest_size=8).digest() for i in range(BANDS * ROWS)]


def shingles(words: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The word n-grams of a folded text (the text itself when it is shorter)."""
    tokens = words.split()
    if len(tokens) <= size:
        return {" ".join(tokens)}
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def signature(grams: set[str]) -> list[int]:
    """The MinHash signature of a set of shingles: one minimum per salted hash."""
    hashes = [int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
              for g in grams]
    out = []
    for salt in _SALTS:
        mix = int.from_bytes(salt, "little") | 1
        out.append(min(((h * mix) & _MASK) ^ (h >> 29) for h in hashes) if hashes else 0)
    return out


def near_groups(texts: Sequence[str], threshold: float = THRESHOLD) -> list[int]:
    """For each text, the index of the first text of its group of near-identical wordings.

    Args:
        texts: Folded quote texts (`keys.quote_words`).
        threshold: The Jaccard similarity of word shingles that joins two texts.

    Returns:
        A list as long as `texts`: `result[i] == i` for the first of a group.
    """
    grams = [shingles(t) for t in texts]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for i, g in enumerate(grams):
        sig = signature(g)
        for band in range(BANDS):
            buckets[(band, tuple(sig[band * ROWS:(band + 1) * ROWS]))].append(i)
    for members in buckets.values():
        for n, j in enumerate(members):
            for k in members[max(0, n - BUCKET_WINDOW):n]:
                a, b = root(k), root(j)
                if a != b and jaccard(grams[k], grams[j]) >= threshold:
                    parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(len(texts))]
