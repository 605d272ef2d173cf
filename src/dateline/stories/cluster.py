"""Online story clustering (after Miranda et al. 2018, "Multilingual Clustering of Streaming News").

Each article is a bundle of sparse sub-vectors — TF-IDF over title and body terms, resolved
entities, language-independent anchors (names, figures) — plus a time. A story keeps the sum of
its members' unit vectors and its time range. A new article is scored against the stories that
share one of its strongest features (an inverted index, so cost does not grow with the number of
stories) and that are still active; it joins the best one above a threshold or starts a story.

The score is a weighted sum of sub-vector cosines, damped by a Gaussian of the time gap
(σ ≈ 3 days) with a floor, so a story can run a week or two when the content is close, but
a similar story a year later is never merged (it is outside the active window).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

DAY = 86400.0
SUBVECTORS = ("terms", "entities", "anchors")


@dataclass
class ClusterConfig:
    sigma_days: float = 3.0
    time_floor: float = 0.35  # weight kept by content when the time gap is large (inside the window)
    window_days: float = 21.0  # stories idle longer than this are closed to new articles
    threshold: float = 0.22
    weights: dict[str, float] = field(default_factory=lambda: {"terms": 0.6, "entities": 0.25, "anchors": 0.15})
    lookup_terms: int = 12  # strongest features of an article used to find candidate stories
    max_candidates: int = 10  # stories scored in full, the ones sharing most strong features first
    index_terms: int = 30  # strongest features of each member that make a story findable
    max_centroid: int = 400  # features kept per sub-vector of a story (largest weights)


@dataclass
class StoryFeatures:
    """What clustering needs of one article."""

    article_id: int
    time: float  # epoch seconds (UTC)
    terms: Mapping[str, float]  # raw term counts
    entities: Mapping[str, float] = field(default_factory=dict)
    anchors: Mapping[str, float] = field(default_factory=dict)
    title: str | None = None
    language: str | None = None


@dataclass
class StoryState:
    """A story's centroid (sums of member unit vectors) and time range; persisted as JSON."""

    id: int
    first: float
    last: float
    count: int = 0
    title: str | None = None
    vectors: dict[str, dict[str, float]] = field(default_factory=lambda: {k: {} for k in SUBVECTORS})
    norms2: dict[str, float] = field(default_factory=lambda: {k: 0.0 for k in SUBVECTORS})
    dirty: bool = False
    title_language: str | None = None

    def add(self, vecs: Mapping[str, Mapping[str, float]], time: float, max_size: int) -> None:
        for name, vec in vecs.items():
            cen = self.vectors.setdefault(name, {})
            n2 = self.norms2.get(name, 0.0)
            for k, w in vec.items():
                old = cen.get(k, 0.0)
                new = old + w
                cen[k] = new
                n2 += new * new - old * old
            if len(cen) > max_size * 3 // 2:
                # keep the story's strongest features; the tail is noise and costs memory
                kept = sorted(cen.items(), key=lambda kv: -kv[1])[:max_size]
                cen = dict(kept)
                self.vectors[name] = cen
                n2 = sum(w * w for w in cen.values())
            self.norms2[name] = n2
        self.first = min(self.first, time)
        self.last = max(self.last, time)
        self.count += 1
        self.dirty = True

    def cosine(self, name: str, vec: Mapping[str, float]) -> float:
        n2 = self.norms2.get(name, 0.0)
        if n2 <= 0 or not vec:
            return 0.0
        cen = self.vectors.get(name, {})
        dot = sum(w * cen.get(k, 0.0) for k, w in vec.items())
        return dot / math.sqrt(n2)

    def gap_days(self, time: float) -> float:
        if self.first <= time <= self.last:
            return 0.0
        return min(abs(time - self.first), abs(time - self.last)) / DAY

    def to_json(self) -> dict:
        return {"vectors": {k: {t: round(w, 5) for t, w in v.items()} for k, v in self.vectors.items()},
                "title_language": self.title_language}

    @classmethod
    def from_row(cls, sid: int, first: float, last: float, count: int, title: str | None,
                 data: dict) -> StoryState:
        vectors = {k: dict(data.get("vectors", {}).get(k, {})) for k in SUBVECTORS}
        norms = {k: sum(w * w for w in v.values()) for k, v in vectors.items()}
        return cls(sid, first, last, count, title, vectors, norms, title_language=data.get("title_language"))


def _better_title(story: StoryState, f: StoryFeatures) -> bool:
    """A story is named by its earliest English report (the language dateline analyses), else its earliest."""
    f_en, s_en = f.language == "en", story.title_language == "en"
    if f_en != s_en:
        return f_en
    return f.time < story.first


class DocFreq:
    """Document frequencies for IDF, updated as articles arrive (Miranda et al. do the same)."""

    def __init__(self, n_docs: int = 0, df: dict[str, int] | None = None):
        self.n_docs = n_docs
        self.df: dict[str, int] = df if df is not None else {}
        self.changed: dict[str, int] = {}

    def add(self, terms: Mapping[str, float]) -> None:
        self.n_docs += 1
        for t in terms:
            v = self.df.get(t, 0) + 1
            self.df[t] = v
            self.changed[t] = v

    def idf(self, term: str) -> float:
        return math.log((self.n_docs + 1) / (self.df.get(term, 0) + 1)) + 1.0


def unit(vec: Mapping[str, float]) -> dict[str, float]:
    n = math.sqrt(sum(w * w for w in vec.values()))
    return {k: w / n for k, w in vec.items()} if n > 0 else {}


def tfidf(counts: Mapping[str, float], df: DocFreq) -> dict[str, float]:
    return unit({t: (1.0 + math.log(c)) * df.idf(t) for t, c in counts.items() if c > 0})


@dataclass
class Assignment:
    article_id: int
    story_id: int
    similarity: float  # score against the chosen story; 1.0 for the article that starts a story
    created: bool


class StoryClusterer:
    """Holds the active stories and assigns articles to them one at a time."""

    def __init__(self, config: ClusterConfig | None = None, df: DocFreq | None = None,
                 next_id: int = 1, new_id: Callable[[], int] | None = None):
        self.config = config or ClusterConfig()
        self.df = df or DocFreq()
        self.stories: dict[int, StoryState] = {}
        self._postings: dict[str, set[int]] = defaultdict(set)
        self._keys: dict[int, set[str]] = defaultdict(set)
        self._next_id = next_id
        self._new_id = new_id
        self.watermark = float("-inf")

    # -- state ----------------------------------------------------------------
    def load(self, story: StoryState) -> None:
        self.stories[story.id] = story
        self._index(story.id, story.vectors, self.config.index_terms * 4)
        self._next_id = max(self._next_id, story.id + 1)

    def _index(self, sid: int, vecs: Mapping[str, Mapping[str, float]], limit: int | None = None) -> None:
        keys = self._keys[sid]
        for name, vec in vecs.items():
            items = vec if limit is None or len(vec) <= limit else \
                [k for k, _ in sorted(vec.items(), key=lambda kv: -kv[1])[:limit]]
            for k in items:
                key = f"{name[0]}:{k}"
                if key not in keys:
                    keys.add(key)
                    self._postings[key].add(sid)

    def evict(self, before: float) -> list[StoryState]:
        """Close stories idle since ``before``; they no longer take articles and leave memory."""
        gone = [s for s in self.stories.values() if s.last < before]
        for s in gone:
            for key in self._keys.pop(s.id, ()):
                post = self._postings.get(key)
                if post is not None:
                    post.discard(s.id)
                    if not post:
                        del self._postings[key]
            del self.stories[s.id]
        return gone

    # -- scoring ----------------------------------------------------------------
    def vectors(self, f: StoryFeatures) -> dict[str, dict[str, float]]:
        self.df.add(f.terms)
        return {"terms": tfidf(f.terms, self.df), "entities": unit(f.entities), "anchors": unit(f.anchors)}

    def score(self, story: StoryState, vecs: Mapping[str, Mapping[str, float]], time: float) -> float:
        cfg = self.config
        total = wsum = 0.0
        for name, w in cfg.weights.items():
            vec = vecs.get(name)
            # a sub-vector missing on either side (no analysis yet) drops out instead of voting 0
            if not vec or story.norms2.get(name, 0.0) <= 0:
                continue
            total += w * story.cosine(name, vec)
            wsum += w
        if wsum <= 0:
            return 0.0
        content = total / wsum
        gap = story.gap_days(time)
        decay = math.exp(-(gap * gap) / (2 * cfg.sigma_days ** 2))
        return content * (cfg.time_floor + (1 - cfg.time_floor) * decay)

    def candidates(self, vecs: Mapping[str, Mapping[str, float]], time: float) -> list[StoryState]:
        cfg = self.config
        hits: dict[int, float] = defaultdict(float)
        for name, vec in vecs.items():
            strongest = sorted(vec.items(), key=lambda kv: -kv[1])[: cfg.lookup_terms]
            for k, w in strongest:
                for sid in self._postings.get(f"{name[0]}:{k}", ()):
                    hits[sid] += w
        window = cfg.window_days * DAY
        ranked = sorted(hits.items(), key=lambda kv: -kv[1])
        out = []
        for sid, _ in ranked:
            s = self.stories[sid]
            if s.gap_days(time) * DAY <= window:
                out.append(s)
                if len(out) >= cfg.max_candidates:
                    break
        return out

    # -- assignment -------------------------------------------------------------
    def _create(self, f: StoryFeatures) -> StoryState:
        sid = self._new_id() if self._new_id else self._next_id
        self._next_id = max(self._next_id, sid + 1)
        s = StoryState(sid, f.time, f.time, title=f.title, title_language=f.language)
        self.stories[sid] = s
        return s

    def add(self, f: StoryFeatures, *, force_story: int | None = None) -> Assignment:
        """Assign one article; ``force_story`` puts a known copy with its original."""
        vecs = self.vectors(f)
        best, best_score = None, 0.0
        if force_story is not None and force_story in self.stories:
            best = self.stories[force_story]
            best_score = self.score(best, vecs, f.time)
        else:
            for s in self.candidates(vecs, f.time):
                sc = self.score(s, vecs, f.time)
                if sc > best_score:
                    best, best_score = s, sc
            if best_score < self.config.threshold:
                best = None
        created = best is None
        if best is None:
            best, best_score = self._create(f), 1.0
        elif f.title and _better_title(best, f):
            best.title, best.title_language = f.title, f.language
        best.add(vecs, f.time, self.config.max_centroid)
        self._index(best.id, vecs, self.config.index_terms)
        self.watermark = max(self.watermark, f.time)
        return Assignment(f.article_id, best.id, round(best_score, 4), created)

    def add_stream(self, feats, *, evict_every: int = 500) -> list[Assignment]:
        """Cluster a time-ordered stream, closing idle stories as time moves on."""
        out = []
        for i, f in enumerate(feats):
            out.append(self.add(f))
            if i % evict_every == evict_every - 1:
                self.evict(self.watermark - self.config.window_days * DAY)
        return out
