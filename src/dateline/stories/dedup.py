"""Near-duplicate and translated copies.

Near-duplicates: MinHash signatures over word 4-gram shingles of the body (the headline is left
out, so a re-headlined copy still matches), split into LSH bands. A new article is compared only
with the articles that share a band key with it, so checking one is an index lookup, not a scan;
candidates are then confirmed on exact shingle sets (Jaccard, or containment for a copy with a
paragraph dropped or added).

Translations: shingles cannot match across languages, but names and figures survive translation
in the same order. Two articles in different languages published close together are a
translation pair when the common subsequence of their shared anchor tokens is long.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from datasketch import MinHash

from .text import anchors, shingles, words

NUM_PERM = 128
BANDS = 32  # 32 bands of 4 rows: a pair with Jaccard 0.5 becomes a candidate with p ≈ 0.87, 0.6 with p ≈ 0.99
ROWS = NUM_PERM // BANDS
SEED = 7
SCHEME = "affine32"  # band keys in the store depend on it; changing it means rebuilding minhash_bands

# Decision thresholds, measured on the example corpus: copies score Jaccard 0.75–0.85 while the most
# similar independent reports of one story stay below 0.05, so the gap is wide.
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SHINGLES = 12  # below this a body is too short to call anything a copy of it
TRANSLATION_MIN_ORDER = 0.35  # corpus: translation pair 0.47; best same-story non-translation 0.26
TRANSLATION_MAX_DAYS = 3.0
TRANSLATION_LENGTH_RATIO = 1.8


@dataclass
class CopyMatch:
    """A new article is a copy of ``original_id`` (before any re-rooting to an earlier copy)."""

    original_id: int
    kind: str  # "duplicate" | "translation"
    similarity: float


class BandIndex(Protocol):
    def candidates(self, keys: list[int]) -> set[int]: ...

    def add(self, article_id: int, keys: list[int]) -> None: ...


class MemoryBandIndex:
    """LSH band index held in a dict (benchmarks, tests); the store keeps the same keys in SQLite."""

    def __init__(self) -> None:
        self._buckets: dict[tuple[int, int], list[int]] = defaultdict(list)

    def candidates(self, keys: list[int]) -> set[int]:
        out: set[int] = set()
        for band, key in enumerate(keys):
            out.update(self._buckets.get((band, key), ()))
        return out

    def add(self, article_id: int, keys: list[int]) -> None:
        for band, key in enumerate(keys):
            self._buckets[(band, key)].append(article_id)


_PERMUTATIONS = None


def _permutations():
    # Generating the permutation arrays is the costly part of a MinHash; share them.
    global _PERMUTATIONS
    if _PERMUTATIONS is None:
        _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return _PERMUTATIONS


def signature(shingle_set: Iterable[str]) -> np.ndarray:
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    m.update_batch([s.encode("utf-8") for s in shingle_set])
    return m.hashvalues


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (fits an SQLite INTEGER; stable across processes)."""
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(sig[b * ROWS:(b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


def overlap(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set) of two shingle sets."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def copy_score(a: set[str], b: set[str]) -> float | None:
    """The similarity to record when ``a`` and ``b`` are near-duplicates, else None."""
    if min(len(a), len(b)) < MIN_SHINGLES:
        return 1.0 if a == b and a else None
    jac, cont = overlap(a, b)
    if jac >= MIN_JACCARD or cont >= MIN_CONTAINMENT:
        return round(max(jac, cont), 4)
    return None


def anchor_sequence(title: str | None, text: str) -> list[str]:
    """Body words that are anchors (names, figures), in reading order."""
    anc = anchors(title, text)
    return [w for w in words(text) if w in anc or ("#" + w) in anc]


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def translation_score(seq_a: list[str], seq_b: list[str], len_a: int, len_b: int) -> float:
    """How much of the shorter anchor sequence reappears, in order, in the other (0–1)."""
    if not seq_a or not seq_b or not len_a or not len_b:
        return 0.0
    if max(len_a, len_b) / min(len_a, len_b) > TRANSLATION_LENGTH_RATIO:
        return 0.0
    common = set(seq_a) & set(seq_b)
    if len(common) < 4:
        return 0.0
    a = [w for w in seq_a if w in common][:400]
    b = [w for w in seq_b if w in common][:400]
    return _lcs(a, b) / min(len(seq_a), len(seq_b))


def is_translation(score: float, days_apart: float) -> bool:
    return score >= TRANSLATION_MIN_ORDER and days_apart <= TRANSLATION_MAX_DAYS


class CopyDetector:
    """In-memory near-duplicate detector for streams that never touch the store (bench, tests)."""

    def __init__(self) -> None:
        self.index = MemoryBandIndex()
        self.shingles: dict[int, set[str]] = {}

    def check(self, article_id: int, text: str) -> CopyMatch | None:
        sh = shingles(text)
        keys = band_keys(signature(sh)) if sh else []
        best: CopyMatch | None = None
        for cand in sorted(self.index.candidates(keys)):
            score = copy_score(sh, self.shingles[cand])
            if score is not None and (best is None or score > best.similarity):
                best = CopyMatch(cand, "duplicate", score)
        if keys:
            self.index.add(article_id, keys)
        self.shingles[article_id] = sh
        return best
