"""Clustering and copy-detection scores (used by the benchmark and the tests)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass


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


def corpus_gold(store, corpus_dir) -> dict[int, dict]:
    """Gold records of stored articles, matched through the ingested file's path (``<page>.gold.json``)."""
    import json
    from pathlib import Path

    out = {}
    for row in store.conn.execute(
            "SELECT a.id, d.path FROM articles a JOIN documents d ON d.id = a.document_id WHERE a.is_current = 1"):
        if not row["path"]:
            continue
        page = Path(row["path"])
        gold = Path(corpus_dir) / (page.name.rsplit(".", 1)[0] + ".gold.json")
        if gold.exists():
            data = json.loads(gold.read_text(encoding="utf-8"))
            data["_page"] = page.name
            out[row["id"]] = data
    return out


def score_corpus(store, corpus_dir) -> dict:
    """B-cubed of stories and P/R of copy links against the corpus gold.

    Duplicate detection is scored on near-duplicates only (gold ``duplicate_of``); translations
    (gold ``translation_of``) are scored on their own. Both kinds count as one source for world events.
    """
    gold = corpus_gold(store, corpus_dir)
    by_page = {g["_page"]: aid for aid, g in gold.items()}
    predicted_story = {r[0]: r[1] for r in store.conn.execute("SELECT article_id, story_id FROM story_articles")}
    gold_story = {aid: g["story"] for aid, g in gold.items()}
    links = {r[0]: (r[1], r[2]) for r in store.conn.execute(
        "SELECT article_id, original_id, kind FROM article_copies")}

    def predicted(kind: str) -> set[frozenset]:
        return copy_pairs({a: o for a, (o, k) in links.items() if k == kind and a in gold})

    def expected(field: str) -> set[frozenset]:
        return copy_pairs({aid: by_page.get(g.get(field)) for aid, g in gold.items() if g.get(field)})

    missing = [aid for aid in gold if aid not in predicted_story]
    return {
        "articles": len(gold),
        "gold_stories": len(set(gold_story.values())),
        "predicted_stories": len({predicted_story[a] for a in gold if a in predicted_story}),
        "articles_without_story": len(missing),
        "bcubed": bcubed(predicted_story, gold_story).to_dict(),
        "duplicates": {**pair_scores(predicted("duplicate"), expected("duplicate_of")).to_dict(),
                       "gold_pairs": len(expected("duplicate_of")), "predicted_pairs": len(predicted("duplicate"))},
        "translations": {**pair_scores(predicted("translation"), expected("translation_of")).to_dict(),
                         "gold_pairs": len(expected("translation_of")),
                         "predicted_pairs": len(predicted("translation"))},
    }
