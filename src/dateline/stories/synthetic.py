"""A fast generator of synthetic story streams for the clustering stress benchmark.

Articles are drawn directly as feature bundles (term, entity and anchor counts), not as text: the
point is to measure the clusterer's cost as the stream grows, not the NLP pipeline. Stories are
born at a steady rate, live a few days (heavy-tailed sizes), and each has its own topical terms
and entities mixed with Zipf-distributed background vocabulary shared by everyone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .cluster import DAY, StoryFeatures


@dataclass
class SyntheticConfig:
    n_articles: int = 100_000
    days: float = 365.0
    mean_story_size: float = 5.0
    vocab: int = 50_000
    entity_vocab: int = 20_000
    words_per_article: int = 120
    topical_share: float = 0.35  # share of an article's words drawn from its story's own terms
    story_terms: int = 25
    story_entities: int = 6
    seed: int = 13


def generate(cfg: SyntheticConfig | None = None) -> Iterator[tuple[StoryFeatures, int]]:
    """Yield (features, true story id) in time order."""
    cfg = cfg or SyntheticConfig()
    rng = np.random.default_rng(cfg.seed)
    # a little over n/mean stories so the stream is not short of n articles after truncation
    n_stories = max(1, int(1.1 * cfg.n_articles / cfg.mean_story_size))
    # story sizes: geometric (many single-article stories, a few long ones)
    sizes = rng.geometric(1.0 / cfg.mean_story_size, n_stories)
    births = np.sort(rng.uniform(0, cfg.days * DAY, n_stories))
    ranks = np.arange(1, cfg.vocab + 1)
    cdf = np.cumsum(1.0 / ranks)
    cdf /= cdf[-1]
    events = []  # (time, story)
    for s in range(n_stories):
        span = rng.exponential(2.0 * DAY)
        times = births[s] + rng.uniform(0, span, sizes[s]) if sizes[s] > 1 else np.array([births[s]])
        events.extend((float(t), s) for t in times)
    events.sort()
    del events[cfg.n_articles:]
    topics: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    n_top = int(cfg.words_per_article * cfg.topical_share)
    for i, (t, s) in enumerate(events):
        if s not in topics:
            # topical words come from the rarer part of the vocabulary, as names and subjects do
            topics[s] = (rng.integers(200, cfg.vocab, cfg.story_terms), rng.integers(0, cfg.entity_vocab,
                                                                                   cfg.story_entities))
        top_terms, top_ents = topics[s]
        background = np.searchsorted(cdf, rng.random(cfg.words_per_article - n_top))
        words = np.concatenate([rng.choice(top_terms, n_top), background])
        terms = Counter(f"w{w}" for w in words.tolist())
        ents = Counter(f"e{e}" for e in rng.choice(top_ents, 4).tolist())
        anchors = Counter(f"a{e}" for e in rng.choice(top_ents, 3).tolist())
        yield StoryFeatures(i + 1, t, terms, ents, anchors, None), s
