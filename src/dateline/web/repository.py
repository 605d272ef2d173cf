"""Data access for the web pages, behind one small interface.

Pages call only the methods of ``Repository``; ``SqliteRepository`` implements them over
the embedded store. A lake-backed implementation (DuckDB over Parquet, for
``serve --lake``) can sit next to it and be passed to ``create_app`` unchanged.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import copy
import threading
import time
from types import SimpleNamespace
from collections.abc import Iterator
from typing import Any, Protocol, runtime_checkable

from ..errors import NotFound
from ..store import events as ev
from ..store import web_queries as wq
from ..store.analysis import article_analysis
from ..store.db import connect
from ..store.events import EventFilters
from ..store.queries import get_article, stats
from ..store.web_queries import ArticleFilters

log = logging.getLogger(__name__)


@runtime_checkable
class Repository(Protocol):
    """Everything the UI reads. Methods return plain JSON-able dicts and lists."""

    def stats(self) -> dict[str, Any]: ...
    def latest_articles(self, limit: int) -> list[dict[str, Any]]: ...
    def latest_stories(self, limit: int) -> list[dict[str, Any]] | None: ...
    def top_actors(self, limit: int, filters: EventFilters | None = None) -> list[dict[str, Any]]: ...
    def top_dyads(self, limit: int, filters: EventFilters | None = None) -> list[dict[str, Any]]: ...
    def volume_by_quad(self, by: str, filters: EventFilters | None = None) -> list[dict[str, Any]]: ...
    def search(self, query: str | None, filters: ArticleFilters, limit: int, offset: int) -> dict[str, Any]: ...
    def search_facets(self, query: str | None, filters: ArticleFilters) -> dict[str, list[dict[str, Any]]]: ...
    def search_timeline(self, query: str | None, filters: ArticleFilters, by: str) -> list[dict[str, Any]]: ...
    def article(self, article_id: int) -> dict[str, Any]: ...
    def article_relations(self, article_id: int) -> dict[str, Any] | None: ...
    def story(self, story_id: int) -> dict[str, Any]: ...
    def actor(self, name: str, by: str) -> dict[str, Any]: ...
    def relation_series(self, a: str, b: str, by: str, directed: bool) -> dict[str, Any]: ...
    def events(self, filters: EventFilters, limit: int, offset: int) -> list[dict[str, Any]]: ...
    def count_events(self, filters: EventFilters) -> dict[str, int]: ...
    def event(self, event_id: int) -> dict[str, Any]: ...
    def events_by_place(self, filters: EventFilters, limit: int) -> list[dict[str, Any]]: ...
    def network(self, filters: EventFilters, limit: int) -> dict[str, Any]: ...
    def export_formats(self) -> list[str]: ...
    def export(self, fmt: str, filters: EventFilters) -> Iterator[bytes | str]: ...


def optional_module(name: str):
    """A sibling capability (stories, export) if it is installed in this checkout, else None."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


class SqliteRepository:
    """``Repository`` over the SQLite store; one read-only connection per server thread."""

    OVERVIEW_TTL = 300.0  # seconds; also refreshed as soon as new articles or events arrive

    def __init__(self, path: str):
        self.path = str(path)
        self._local = threading.local()
        self._overview: dict[tuple, tuple[float, tuple, Any]] = {}
        self._overview_lock = threading.Lock()
        connect(self.path, readonly=True).close()  # fail at start-up, not on the first request

    def _version(self) -> tuple:
        # Both maxima are rowid look-ups (constant time) and move on every ingest.
        row = self.conn.execute("SELECT (SELECT max(id) FROM articles), (SELECT max(id) FROM events)").fetchone()
        return tuple(row)

    def _cached(self, key: tuple, compute):
        """Whole-store aggregates (home page) scan every event; compute them once per store version."""
        version = self._version()
        now = time.monotonic()
        with self._overview_lock:
            hit = self._overview.get(key)
            if hit and hit[1] == version and now - hit[0] < self.OVERVIEW_TTL:
                return copy.deepcopy(hit[2])
        value = compute()
        with self._overview_lock:
            self._overview[key] = (now, version, value)
        return copy.deepcopy(value)

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, readonly=True)
            conn.execute("PRAGMA query_only = ON")
            self._local.conn = conn
        return conn

    # -- overview -------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        return self._cached(("stats",), lambda: stats(self.conn))

    def latest_articles(self, limit: int) -> list[dict[str, Any]]:
        return self._cached(("latest", limit), lambda: wq.latest_articles(self.conn, limit))

    def latest_stories(self, limit: int) -> list[dict[str, Any]] | None:
        fn = self._stories_fn("list_stories")
        if fn is None:
            return None
        return self._cached(("stories", limit), lambda: list(fn(self._store_view(), limit=limit)))

    def top_actors(self, limit: int, filters: EventFilters | None = None) -> list[dict[str, Any]]:
        if filters is None:
            return self._cached(("top_actors", limit), lambda: ev.top_actors(self.conn, limit=limit))
        return ev.top_actors(self.conn, limit=limit, filters=filters)

    def top_dyads(self, limit: int, filters: EventFilters | None = None) -> list[dict[str, Any]]:
        if filters is None:
            return self._cached(("top_dyads", limit), lambda: ev.top_dyads(self.conn, limit=limit))
        return ev.top_dyads(self.conn, limit=limit, filters=filters)

    def volume_by_quad(self, by: str, filters: EventFilters | None = None) -> list[dict[str, Any]]:
        if filters is None:
            return self._cached(("volume", by), lambda: ev.volume_by_quad(self.conn, by=by))
        return ev.volume_by_quad(self.conn, by=by, filters=filters)

    # -- search ---------------------------------------------------------------
    def search(self, query: str | None, filters: ArticleFilters, limit: int, offset: int) -> dict[str, Any]:
        return wq.search_articles(self.conn, query, filters, limit=limit, offset=offset)

    def search_facets(self, query: str | None, filters: ArticleFilters) -> dict[str, list[dict[str, Any]]]:
        return wq.search_facets(self.conn, query, filters)

    def search_timeline(self, query: str | None, filters: ArticleFilters, by: str) -> list[dict[str, Any]]:
        return wq.search_timeline(self.conn, query, filters, by=by)

    # -- articles and stories ---------------------------------------------------
    def article(self, article_id: int) -> dict[str, Any]:
        out = get_article(self.conn, article_id)
        out.update(article_analysis(self.conn, article_id))
        out["source"] = wq.article_source(self.conn, article_id)
        return out

    def article_relations(self, article_id: int) -> dict[str, Any] | None:
        """Duplicates, translations and related articles, once stories exist (else None)."""
        fn = self._stories_fn("related_articles")
        if fn is None:
            return None
        return fn(self._store_view(), article_id)

    def story(self, story_id: int) -> dict[str, Any]:
        fn = self._stories_fn("get_story")
        if fn is None:
            raise NotFound("stories are not available in this store yet")
        return fn(self._store_view(), story_id)

    def _stories_fn(self, name: str):
        """A ``dateline.stories`` read function, if that capability and its tables exist."""
        mod = optional_module("dateline.stories")
        if mod is None or not wq.has_table(self.conn, "stories"):
            return None
        return getattr(mod, name, None)

    def _store_view(self) -> SimpleNamespace:
        # The stories read functions take a store-like object and only use its connection.
        return SimpleNamespace(conn=self.conn)

    # -- events -----------------------------------------------------------------
    def actor(self, name: str, by: str) -> dict[str, Any]:
        return ev.actor_summary(self.conn, name, by=by)

    def relation_series(self, a: str, b: str, by: str, directed: bool) -> dict[str, Any]:
        return ev.relation_series(self.conn, a, b, by=by, directed=directed)

    def events(self, filters: EventFilters, limit: int, offset: int) -> list[dict[str, Any]]:
        rows = ev.query_events(self.conn, filters, limit=limit, offset=offset)
        sentences = wq.event_mentions(self.conn, [r["id"] for r in rows])
        for r in rows:
            r["mentions"] = sentences.get(r["id"], [])
        return rows

    def count_events(self, filters: EventFilters) -> dict[str, int]:
        return ev.count_events(self.conn, filters)

    def event(self, event_id: int) -> dict[str, Any]:
        return ev.get_event(self.conn, event_id)

    def events_by_place(self, filters: EventFilters, limit: int) -> list[dict[str, Any]]:
        return ev.events_by_place(self.conn, filters=filters, limit=limit)

    def network(self, filters: EventFilters, limit: int) -> dict[str, Any]:
        return ev.actor_network(self.conn, filters=filters, limit=limit)

    # -- exports ----------------------------------------------------------------
    def export_formats(self) -> list[str]:
        mod = optional_module("dateline.export")
        if mod is None or not hasattr(mod, "iter_export"):
            return []
        return list(getattr(mod, "FORMATS", ()))

    def export(self, fmt: str, filters: EventFilters) -> Iterator[bytes | str]:
        mod = optional_module("dateline.export")
        if mod is None or not hasattr(mod, "iter_export"):
            raise NotFound("event exports are not available in this installation yet")
        return self._stream(mod, fmt, filters)

    def _stream(self, mod, fmt: str, filters: EventFilters) -> Iterator[bytes | str]:
        # A stream outlives the request thread: it gets its own connection, closed when done.
        conn = connect(self.path, readonly=True)
        try:
            yield from mod.iter_export(conn, fmt, filters)
        finally:
            conn.close()
