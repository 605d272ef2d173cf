"""What an export needs beyond the event rows: article facts, story lists, world-event counts.

Events stream in id order, so lookups are per article or per world event and cached in
small bounded dicts (an export of a large store never holds a table in memory).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

_CACHE_SIZE = 256


@dataclass
class ArticleInfo:
    id: int
    url: str | None
    source: str  # domain, else site name, else the ingest source's name, else "article:<id>"
    identifier: str  # the URL, else the stored document's path (a citation, GDELT MentionType 2)
    published: str | None
    created_at: str | None
    language: str | None
    length: int


@dataclass
class StoryLists:
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)


@dataclass
class WorldCounts:
    mentions: int
    sources: int
    articles: int


class _Lru(OrderedDict):
    def remember(self, key, value):
        self[key] = value
        if len(self) > _CACHE_SIZE:
            self.popitem(last=False)
        return value


def domain(url: str | None) -> str:
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def stamp14(value: str | None) -> str:
    """ISO date or datetime -> YYYYMMDDHHMMSS in UTC (a date alone gives 000000)."""
    if not value:
        return ""
    text = value.strip().replace("Z", "+00:00")
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        digits = "".join(ch for ch in text if ch.isdigit())
        return (digits + "0" * 14)[:14] if len(digits) >= 8 else ""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y%m%d%H%M%S")


def _table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def _pick(cols: list[str], *names: str) -> str | None:
    return next((n for n in names if n in cols), None)


class ExportContext:
    """Per-export lookups against the store, cached for the streaming order of events."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._articles: _Lru = _Lru()
        self._stories: _Lru = _Lru()
        self._features: _Lru = _Lru()
        self._world: _Lru = _Lru()
        self._world_rep: _Lru = _Lru()
        self._world_cols = self._world_table_columns()
        self._has_mentions = "mentions" in self._tables()
        self._has_places = "places" in self._tables()

    def _tables(self) -> set[str]:
        if not hasattr(self, "_table_names"):
            self._table_names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        return self._table_names

    def _world_table_columns(self) -> dict[str, str]:
        """Count columns of the stories stage's world_events table, when it exists."""
        if "world_events" not in self._tables():
            return {}
        cols = _table_columns(self.conn, "world_events")
        found = {
            "mentions": _pick(cols, "num_mentions", "mentions", "mention_count", "n_mentions"),
            "sources": _pick(cols, "num_sources", "sources", "source_count", "n_sources"),
            "articles": _pick(cols, "num_articles", "articles", "article_count", "n_articles"),
        }
        if not all(found.values()):
            log.info("world_events has no count columns we know (%s); counting from event_mentions", cols)
            return {}
        return found

    # -- articles -------------------------------------------------------------------
    def article(self, article_id: int) -> ArticleInfo:
        if article_id in self._articles:
            return self._articles[article_id]
        row = self.conn.execute(
            "SELECT a.id, a.url, a.site_name, a.published, a.created_at, a.language, length(a.text) AS n,"
            " d.path, s.name AS source_name FROM articles a LEFT JOIN documents d ON d.id = a.document_id"
            " LEFT JOIN sources s ON s.id = d.source_id WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:  # deleted under us: keep exporting what we can
            return self._articles.remember(article_id, ArticleInfo(article_id, None, f"article:{article_id}", "",
                                                                   None, None, None, 0))
        source = (domain(row["url"]) or (row["site_name"] or "").strip() or (row["source_name"] or "").strip()
                  or f"article:{row['id']}")
        info = ArticleInfo(row["id"], row["url"], source, row["url"] or row["path"] or "", row["published"],
                           row["created_at"], row["language"], row["n"] or 0)
        return self._articles.remember(article_id, info)

    def story_lists(self, article_id: int) -> StoryLists:
        """Distinct people, organisations and places the article names (resolved names first)."""
        if article_id in self._stories:
            return self._stories[article_id]
        lists = StoryLists()
        if self._has_mentions:
            for r in self.conn.execute(
                    "SELECT m.label, coalesce(a.name, m.text) AS name FROM mentions m"
                    " LEFT JOIN actors a ON a.id = m.actor_id WHERE m.article_id = ? ORDER BY m.start", (article_id,)):
                target = {"PERSON": lists.people, "ORG": lists.organizations}.get(r["label"])
                if target is not None and r["name"] and r["name"] not in target:
                    target.append(r["name"])
        if self._has_places:
            for r in self.conn.execute("SELECT name FROM places WHERE article_id = ? ORDER BY start", (article_id,)):
                if r["name"] and r["name"] not in lists.locations:
                    lists.locations.append(r["name"])
        return self._stories.remember(article_id, lists)

    def place_feature(self, article_id: int, name: str | None, geonames_id: int | None) -> str | None:
        """The feature type (country, city, region...) of an event's location, from the places table."""
        if not self._has_places or not (name or geonames_id):
            return None
        key = (article_id, name, geonames_id)
        if key in self._features:
            return self._features[key]
        row = self.conn.execute(
            "SELECT feature FROM places WHERE article_id = ? AND (geonames_id = ? OR name = ?) LIMIT 1",
            (article_id, geonames_id, name)).fetchone()
        return self._features.remember(key, row["feature"] if row else None)

    def actor_offset(self, article_id: int, sentence_index: int, text: str | None) -> int:
        """Article offset of the entity mention that named an argument in a sentence; -1 if unknown."""
        if not text or not self._has_mentions:
            return -1
        row = self.conn.execute(
            "SELECT start FROM mentions WHERE article_id = ? AND sentence = ? AND text = ? ORDER BY start LIMIT 1",
            (article_id, sentence_index, text)).fetchone()
        return int(row["start"]) if row else -1

    # -- world events ---------------------------------------------------------------
    def global_id(self, event: dict[str, Any]) -> int:
        """GLOBALEVENTID: the lowest event id of the event's world event, else the event's own id.

        Event ids never collide with each other, whereas world ids and event ids share
        a number space; the lowest member id is unique and stable as new copies arrive.
        """
        wid = event.get("world_event_id")
        if wid is None:
            return int(event["id"])
        if wid in self._world_rep:
            return self._world_rep[wid]
        row = self.conn.execute("SELECT min(id) FROM events WHERE world_event_id = ?", (wid,)).fetchone()
        return self._world_rep.remember(wid, int(row[0]) if row and row[0] is not None else int(event["id"]))

    def representative_article(self, event: dict[str, Any]) -> int:
        """The article of the event that gives the world event its GLOBALEVENTID."""
        gid = self.global_id(event)
        if gid == event["id"]:
            return int(event["article_id"])
        row = self.conn.execute("SELECT article_id FROM events WHERE id = ?", (gid,)).fetchone()
        return int(row[0]) if row else int(event["article_id"])

    def event_mentions(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        rows = [dict(r) for r in self.conn.execute(
            "SELECT sentence_index, sentence, start, end, trigger FROM event_mentions WHERE event_id = ? ORDER BY id",
            (event["id"],))]
        if not rows:  # an event stored without mention rows still has its own sentence
            rows = [{k: event.get(k) for k in ("sentence_index", "sentence", "start", "end", "trigger")}]
        return rows

    def world_counts(self, event: dict[str, Any]) -> WorldCounts:
        wid = event.get("world_event_id")
        if wid is None:
            n = self.conn.execute("SELECT count(*) FROM event_mentions WHERE event_id = ?", (event["id"],)).fetchone()[0]
            return WorldCounts(mentions=max(int(n), 1), sources=1, articles=1)
        if wid in self._world:
            return self._world[wid]
        counts = self._stored_world_counts(wid) or self._computed_world_counts(wid)
        return self._world.remember(wid, counts)

    def _stored_world_counts(self, wid: int) -> WorldCounts | None:
        if not self._world_cols:
            return None
        c = self._world_cols
        try:
            row = self.conn.execute(f"SELECT {c['mentions']}, {c['sources']}, {c['articles']} FROM world_events"
                                    f" WHERE id = ?", (wid,)).fetchone()
        except sqlite3.OperationalError as exc:  # a schema we do not know yet: count ourselves
            log.info("cannot read world_events counts (%s); counting from event_mentions", exc)
            self._world_cols = {}
            return None
        if row is None or any(v is None for v in row):
            return None
        return WorldCounts(int(row[0]), int(row[1]), int(row[2]))

    def _computed_world_counts(self, wid: int) -> WorldCounts:
        mentions = self.conn.execute(
            "SELECT count(*) FROM event_mentions m JOIN events e ON e.id = m.event_id JOIN articles a"
            " ON a.id = e.article_id WHERE e.world_event_id = ? AND a.is_current = 1", (wid,)).fetchone()[0]
        sources: set[str] = set()
        articles: set[int] = set()
        for r in self.conn.execute(
                "SELECT DISTINCT e.article_id FROM events e JOIN articles a ON a.id = e.article_id"
                " WHERE e.world_event_id = ? AND a.is_current = 1", (wid,)):
            articles.add(r[0])
            sources.add(self.article(r[0]).source)
        return WorldCounts(mentions=max(int(mentions), 1), sources=max(len(sources), 1),
                           articles=max(len(articles), 1))

    def grouped(self) -> bool:
        return self.conn.execute("SELECT 1 FROM events WHERE world_event_id IS NOT NULL LIMIT 1").fetchone() is not None


def contexts_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value:
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return [value]
        return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]
    return []
