"""``update_stories(store)``: copies, stories and world events for articles not yet placed.

Incremental: only articles without a story are read; for them, the store's LSH band index finds
copy candidates, and only the stories active in the batch's time window are loaded into the
clusterer. Call it after analysis (entities make better story features), but it works on
unanalysed articles too — every current article ends up in exactly one story.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from ..extract.language import UNDETERMINED
from ..store import stories as sql
from . import dedup
from .cluster import DAY, ClusterConfig, DocFreq, StoryClusterer, StoryFeatures, StoryState
from .text import anchors, shingles, terms
from .world_events import group_events

log = logging.getLogger(__name__)


@dataclass
class StoriesReport:
    articles: int = 0
    stories_created: int = 0
    duplicates: int = 0
    translations: int = 0
    stale_dropped: int = 0
    world_events_created: int = 0
    events_grouped: int = 0
    skipped: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def article_time(published: str | None, fallback: str | None = None) -> float | None:
    """Epoch seconds; a time without offset is read as UTC, a bare date as its noon."""
    for value in (published, fallback):
        if not value:
            continue
        text = value.strip().replace("Z", "+00:00")
        if len(text) == 10:
            text += "T12:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            continue
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.timestamp()
    return None


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).replace(microsecond=0).isoformat()


@dataclass
class _Item:
    id: int
    ts: float
    title: str | None
    text: str
    language: str | None
    shingles: set[str]
    keys: list[int]
    features: StoryFeatures


def _prepare(row: dict, entities) -> _Item | None:
    ts = article_time(row["published"], row["created_at"])
    if ts is None:
        return None
    sh = shingles(row["text"] or "")
    feats = StoryFeatures(row["id"], ts, terms(row["title"], row["text"] or ""), dict(entities),
                          anchors(row["title"], row["text"] or ""), row["title"], row["language"])
    keys = dedup.band_keys(dedup.signature(sh)) if sh else []
    return _Item(row["id"], ts, row["title"], row["text"] or "", row["language"], sh, keys, feats)


class _Batch:
    """One transaction's worth of new articles."""

    def __init__(self, conn: sqlite3.Connection, config: ClusterConfig, report: StoriesReport):
        self.conn = conn
        self.config = config
        self.report = report
        self.cache: dict[int, dict] = {}
        self.copy_articles: set[int] = set()  # their world events need recounting

    def _text(self, article_id: int) -> dict | None:
        if article_id not in self.cache:
            self.cache.update(sql.texts(self.conn, [article_id]))
        return self.cache.get(article_id)

    def _ts(self, article_id: int) -> float:
        row = self.conn.execute("SELECT ts FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else float("inf")

    def find_duplicate(self, item: _Item) -> dedup.CopyMatch | None:
        best = None
        for cand in sorted(sql.band_candidates(self.conn, item.keys)):
            other = self._text(cand)
            if other is None:
                continue
            score = dedup.copy_score(item.shingles, shingles(other["text"]))
            if score is not None and (best is None or score > best.similarity):
                best = dedup.CopyMatch(cand, "duplicate", score)
        return best

    def find_translation(self, item: _Item) -> dedup.CopyMatch | None:
        # "und" (undetermined) is no language: such a text cannot be another one's translation.
        if not item.language or item.language == UNDETERMINED:
            return None
        day = iso(item.ts)[:10]
        lo, hi = iso(item.ts - dedup.TRANSLATION_MAX_DAYS * DAY)[:10], iso(item.ts + dedup.TRANSLATION_MAX_DAYS * DAY)[:10]
        cands = sql.other_language_near(self.conn, item.language, lo, hi)
        if not cands:
            return None
        seq = dedup.anchor_sequence(item.title, item.text)
        best = None
        for cand in cands:
            other = self._text(cand)
            if other is None or other["language"] in (None, "", UNDETERMINED):
                continue
            oseq = dedup.anchor_sequence(other["title"], other["text"])
            score = dedup.translation_score(seq, oseq, len(item.text.split()), len(other["text"].split()))
            days = abs(self._ts(cand) - item.ts) / DAY
            if dedup.is_translation(score, days) and (best is None or score > best.similarity):
                best = dedup.CopyMatch(cand, "translation", round(score, 4))
        log.debug("translation check for %s on %s: %s", item.id, day, best)
        return best

    def record_copy(self, item: _Item, match: dedup.CopyMatch) -> None:
        """Point the copy at the earliest member of its copy group (re-rooting if the new one is earlier)."""
        root = sql.copy_root(self.conn, match.original_id)
        root_ts = self._ts(root)
        root_row = self._text(root) or {}
        new_first = item.ts < root_ts
        if match.kind == "translation" and item.ts == root_ts:
            # same timestamp: the republication is the English one
            new_first = (item.language or "en") != "en" and (root_row.get("language") or "en") == "en"
        self.copy_articles.update((item.id, root))
        if new_first:
            sql.reroot(self.conn, root, item.id)
            sql.set_copy(self.conn, root, item.id, match.kind, match.similarity)
        else:
            sql.set_copy(self.conn, item.id, root, match.kind, match.similarity)
        if match.kind == "duplicate":
            self.report.duplicates += 1
        else:
            self.report.translations += 1


def _load_window(conn: sqlite3.Connection, clusterer: StoryClusterer, lo: float, hi: float) -> None:
    for row in sql.stories_in_window(conn, lo, hi):
        _load_story(clusterer, row)


def _load_story(clusterer: StoryClusterer, row) -> None:
    import json

    if row["id"] in clusterer.stories:
        return
    clusterer.load(StoryState.from_row(row["id"], row["first_ts"], row["last_ts"], row["article_count"],
                                       row["title"], json.loads(row["centroid"] or "{}")))


def _process(conn: sqlite3.Connection, rows: list[dict], config: ClusterConfig,
             report: StoriesReport) -> set[int]:
    ents = sql.entity_counts(conn, [r["id"] for r in rows])
    items = []
    for row in rows:
        item = _prepare(row, ents.get(row["id"], {}))
        if item is None:
            report.skipped.append(f"article {row['id']}: no usable publication or ingest time")
            continue
        items.append(item)
    items.sort(key=lambda it: (it.ts, it.id))
    if not items:
        return set()
    vocab = {t for it in items for t in it.features.terms}
    df = DocFreq(int(sql.get_meta(conn, "n_docs", "0")), sql.load_df(conn, vocab))
    clusterer = StoryClusterer(config, df, next_id=sql.next_story_id(conn))
    window = config.window_days * DAY
    _load_window(conn, clusterer, items[0].ts - window, items[-1].ts + window)
    batch = _Batch(conn, config, report)
    for item in items:
        batch.cache[item.id] = {"id": item.id, "title": item.title, "text": item.text, "language": item.language}
        match = batch.find_duplicate(item) or batch.find_translation(item)
        force = None
        if match is not None:
            batch.record_copy(item, match)
            force = sql.story_of(conn, match.original_id)
            if force is not None and force not in clusterer.stories:
                _load_story(clusterer, sql.story_row(conn, force))
        if item.keys:
            sql.add_bands(conn, item.id, item.keys)
        asg = clusterer.add(item.features, force_story=force)
        if asg.created:
            s = clusterer.stories[asg.story_id]
            # the row must exist before its members (foreign key); the centroid is written at the end
            sql.save_story(conn, s.id, s.title, s.first, s.last, iso(s.first), iso(s.last), s.count, {})
        sql.add_story_article(conn, asg.story_id, item.id, asg.similarity, item.ts)
        report.articles += 1
        report.stories_created += int(asg.created)
    for s in clusterer.stories.values():
        if s.dirty:
            sql.save_story(conn, s.id, s.title, s.first, s.last, iso(s.first), iso(s.last), s.count, s.to_json())
    sql.save_df(conn, df.changed, df.n_docs)
    return batch.copy_articles


def update_stories(store, *, batch_size: int = 1000, config: ClusterConfig | None = None,
                   world_events: bool = True) -> StoriesReport:
    """Place every current article not yet in a story; then group new events into world events."""
    config = config or ClusterConfig()
    report = StoriesReport()
    with store.transaction() as conn:
        report.stale_dropped = sql.drop_stale(conn)
    done: set[int] = set()
    copied: set[int] = set()
    while True:
        rows = [r for r in sql.unassigned_articles(store.conn, batch_size + len(done)) if r["id"] not in done]
        if not rows:
            break
        rows = rows[:batch_size]
        done.update(r["id"] for r in rows)
        with store.transaction() as conn:
            copied |= _process(conn, rows, config, report)
    if world_events:
        with store.transaction() as conn:
            wer = group_events(conn, also_recount=sql.world_events_of_articles(conn, sorted(copied)))
        report.world_events_created = wer.created
        report.events_grouped = wer.grouped
    if report.skipped:
        log.warning("stories: %d articles skipped (%s)", len(report.skipped), report.skipped[0])
    log.info("stories: %s", report.to_dict())
    return report
