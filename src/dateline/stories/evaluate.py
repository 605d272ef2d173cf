"""Clustering and copy-detection scores (used by the benchmark and the tests)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Hashable, Mapping


@dataclass
class PRF:
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict:
        return {k: round(v, 4) for k, v in asdict(self).items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> PRF:
    """B-cubed precision/recall (Bagga & Baldwin) over the items present in both mappings."""
    items = [i for i in gold if i in predicted]
    if not items:
        return PRF(0.0, 0.0, 0.0)
    by_pred: dict[Hashable, set] = defaultdict(set)
    by_gold: dict[Hashable, set] = defaultdict(set)
    for i in items:
        by_pred[predicted[i]].add(i)
        by_gold[gold[i]].add(i)
    p = r = 0.0
    for i in items:
        same_pred = by_pred[predicted[i]]
        same_gold = by_gold[gold[i]]
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = p / len(items), r / len(items)
    return PRF(p, r, _f1(p, r))


def copy_pairs(links: Mapping[Hashable, Hashable | None]) -> set[frozenset]:
    """All unordered pairs of items in one copy group (an original and its copies)."""
    root: dict[Hashable, Hashable] = {}

    def find(x):
        seen = []
        while links.get(x) is not None and x not in seen:
            seen.append(x)
            x = links[x]
        return x

    for item in links:
        root[item] = find(item)
    groups: dict[Hashable, set] = defaultdict(set)
    for item, r in root.items():
        groups[r].add(item)
        groups[r].add(r)
    out = set()
    for members in groups.values():
        ms = sorted(members, key=str)
        for i, a in enumerate(ms):
            for b in ms[i + 1:]:
                out.add(frozenset((a, b)))
    return out


def pair_scores(predicted: set[frozenset], gold: set[frozenset]) -> PRF:
    """Precision/recall of predicted copy pairs (1.0 when both sides are empty)."""
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 1.0
    r = tp / len(gold) if gold else 1.0
    return PRF(p, r, _f1(p, r))
