"""``LakeRepository``: the web UI's ``Repository`` over a Parquet lake (``dateline serve --lake DIR``).

Event pages run the store's own queries (store/events.py) through
``LakeConnection``; search and article pages have their DuckDB versions here.
A lake has no stories, world events or raw documents: those pages say so
(``None`` / ``NotFound``), as they do over a store that has none yet.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError, NotFound
from ..store import events as ev
from ..store.events import EventFilters
from ..store.web_queries import ArticleFilters
from .lake_sql import LakeConnection, query_patterns, text_clause
from .manifest import MANIFEST, Manifest

log = logging.getLogger(__name__)

_HIT = "a.id, a.url, a.title, a.published, a.language, a.site_name, a.analysis_status"
_SNIPPET_CHARS = 160


def _snippet(text: str, query: str) -> str | None:
    """A window of text around the first match, marked like the store's FTS snippets ([term])."""
    import re

    for pattern in query_patterns(query):
        m = re.search(pattern, text or "", re.IGNORECASE)
        if m:
            lo = max(0, m.start() - _SNIPPET_CHARS // 2)
            hi = min(len(text), m.end() + _SNIPPET_CHARS // 2)
            return (("… " if lo else "") + text[lo:m.start()] + "[" + m.group(0) + "]" + text[m.end():hi]
                    + (" …" if hi < len(text) else ""))
    return None


class LakeRepository:
    """Read-only ``Repository`` (see web/repository.py) over the lake folder ``path``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not (self.path / MANIFEST).exists():
            raise InputError(f"{self.path} is not a dateline lake (no {MANIFEST}); write one with 'dateline batch'")
        self.conn = LakeConnection(self.path)

    # -- filters ----------------------------------------------------------------
    def _events_filters(self, filters: EventFilters | None) -> EventFilters:
        """The store's filters, with the full-text query rewritten for DuckDB and store-only filters refused."""
        f = copy.copy(filters) if filters is not None else EventFilters()
        f.extra = list(f.extra)
        if f.story_id or f.world_event_id:
            raise NotFound("a lake has no stories or world events; load it into a store with 'dateline load'")
        if f.query:
            f.extra.append(f"e.article_id IN (SELECT a.id FROM articles a WHERE {text_clause(f.query)})")
            f.query = None
        return f

    def _article_where(self, query: str | None, filters: ArticleFilters) -> tuple[str, list[Any]]:
        sf = filters.to_search_filters()  # validates, and builds the event EXISTS clauses
        where, params = ["a.is_current = 1"], []
        if sf.since:
            where.append("a.published_day >= ?")
            params.append(sf.since)
        if sf.until:
            where.append("a.published_day <= ? || '-99'")
            params.append(sf.until)
        if sf.language:
            where.append("a.language = ?")
            params.append(sf.language)
        if sf.source:
            where.append("a.source = ?")
            params.append(sf.source)
        where.extend(sf.extra_where)
        params.extend(sf.extra_params)
        if query and query.strip():
            where.append(text_clause(query))
        return " AND ".join(where), params

    # -- overview -------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.conn.execute(sql).fetchone()[0]
        totals = Manifest.open(self.path).totals()
        out: dict[str, Any] = {
            "articles": one("SELECT count(*) FROM articles"),
            "article_versions": one("SELECT count(*) FROM articles"),
            "documents": one("SELECT count(*) FROM articles"),
            "sources": one("SELECT count(DISTINCT source) FROM articles"),
            "failures": totals["failed"],
        }
        out["languages"] = {(r[0] or "unknown"): r[1] for r in self.conn.execute(
            "SELECT language, count(*) FROM articles GROUP BY language ORDER BY 2 DESC, 1")}
        out["analysis"] = {r[0]: r[1] for r in self.conn.execute(
            "SELECT analysis_status, count(*) FROM articles GROUP BY 1 ORDER BY 1")}
        for key, table in (("mentions", "entities"), ("places", "places"), ("time_expressions", "times"),
                           ("events", "events")):
            out[key] = one(f"SELECT count(*) FROM {table}")
        row = self.conn.execute("SELECT min(published_day), max(published_day) FROM articles").fetchone()
        out["published_range"] = [row[0], row[1]]
        out["lake"] = str(self.path)
        return out

    def latest_articles(self, limit: int) -> list[dict[str, Any]]:
        return self.search(None, ArticleFilters(), limit, 0)["hits"]

    def latest_stories(self, limit: int) -> list[dict[str, Any]] | None:
        return None

    def top_actors(self, limit: int, filters: EventFilters | None = None) -> list[dict[str, Any]]:
        return ev.top_actors(self.conn, limit=limit, filters=self._events_filters(filters))

    def top_dyads(self, limit: int, filters: EventFilters | None = None) -> list[dict[str, Any]]:
        return ev.top_dyads(self.conn, limit=limit, filters=self._events_filters(filters))

    def volume_by_quad(self, by: str, filters: EventFilters | None = None) -> list[dict[str, Any]]:
        return ev.volume_by_quad(self.conn, by=by, filters=self._events_filters(filters))

    # -- search ---------------------------------------------------------------
    def search(self, query: str | None, filters: ArticleFilters, limit: int, offset: int) -> dict[str, Any]:
        where, params = self._article_where(query, filters)
        total = self.conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0]
        q = query.strip() if query else ""
        if q:
            # Title matches first (the store ranks title hits 5x), then newest.
            order = f"CASE WHEN {text_clause(q).replace('a.text', 'a.title')} THEN 0 ELSE 1 END, "
        else:
            order = ""
        rows = self.conn.execute(
            f"SELECT {_HIT}, a.text FROM articles a WHERE {where}"
            f" ORDER BY {order}a.published DESC NULLS LAST, a.id DESC LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)]).fetchall()
        hits = []
        for r in rows:
            hit = dict(r)
            text = hit.pop("text")
            hit["snippet"] = _snippet(text, q) if q else None
            hits.append(hit)
        return {"query": q, "total": total, "hits": hits}

    def search_facets(self, query: str | None, filters: ArticleFilters) -> dict[str, list[dict[str, Any]]]:
        where, params = self._article_where(query, filters)
        ids = f"SELECT a.id FROM articles a WHERE {where}"
        run = lambda sql, p: [dict(r) for r in self.conn.execute(sql, p)]
        limit = 12
        out: dict[str, list[dict[str, Any]]] = {}
        out["source"] = run(f"SELECT a.source AS value, count(*) AS count FROM articles a WHERE {where}"
                            f" AND a.source IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", [*params, limit])
        out["language"] = run(f"SELECT a.language AS value, count(*) AS count FROM articles a WHERE {where}"
                              f" AND a.language IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?", [*params, limit])
        ev_from = f"FROM events e WHERE e.article_id IN ({ids})"
        out["actor"] = run(f"SELECT value, count(DISTINCT article_id) AS count FROM ("
                           f" SELECT e.actor_country AS value, e.article_id {ev_from} AND e.actor_country IS NOT NULL"
                           f" UNION ALL SELECT e.recipient_country, e.article_id {ev_from}"
                           f" AND e.recipient_country IS NOT NULL) GROUP BY value ORDER BY 2 DESC, 1 LIMIT ?",
                           [*params, *params, limit])
        out["type"] = run(f"SELECT e.type AS value, count(DISTINCT e.article_id) AS count {ev_from}"
                          f" GROUP BY e.type ORDER BY 2 DESC, 1 LIMIT ?", [*params, limit])
        out["quad_class"] = run(f"SELECT e.quad_class AS value, count(DISTINCT e.article_id) AS count {ev_from}"
                                f" AND e.quad_class IS NOT NULL GROUP BY e.quad_class ORDER BY 1", params)
        return out

    def search_timeline(self, query: str | None, filters: ArticleFilters, by: str) -> list[dict[str, Any]]:
        where, params = self._article_where(query, filters)
        per = ev.period_sql(by, "a.published_day")
        return [dict(r) for r in self.conn.execute(
            f"SELECT {per} AS period, count(*) AS count FROM articles a WHERE {where}"
            f" AND a.published_day IS NOT NULL GROUP BY 1 ORDER BY 1", params)]

    # -- articles and stories ---------------------------------------------------
    def article(self, article_id: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ? LIMIT 1", [int(article_id)]).fetchone()
        if row is None:
            raise NotFound(f"no article with id {article_id}")
        out = dict(row)
        out["authors"] = list(out.get("authors") or [])
        out["tags"] = list(out.get("tags") or [])
        month, aid = out["month"], int(article_id)
        # The article's month names its partition: the analysis rows are read from that folder only.
        part = "month = ? AND article_id = ?"
        out["entities"] = [dict(r) for r in self.conn.execute(
            f"SELECT text, label, start, \"end\", sentence, name, kind, country, sector, role, actor_ext_id AS id,"
            f" explain FROM entities WHERE {part} ORDER BY start, idx", [month, aid])]
        out["places"] = [dict(r) for r in self.conn.execute(
            f"SELECT text, start, \"end\", name, country, lat, lon, geonames_id, feature FROM places WHERE {part}"
            f" ORDER BY start, idx", [month, aid])]
        out["times"] = [dict(r) for r in self.conn.execute(
            f"SELECT text, start, \"end\", value, precision, start_date, end_date, reason FROM times WHERE {part}"
            f" ORDER BY start, idx", [month, aid])]
        out["events"] = [dict(r) for r in self.conn.execute(
            f"SELECT * EXCLUDE (month) FROM events WHERE {part} ORDER BY idx", [month, aid])]
        out["source"] = {"name": out.get("source"), "kind": out.get("source_kind"), "url": None, "title": None} \
            if out.get("source") else None
        return out

    def article_relations(self, article_id: int) -> dict[str, Any] | None:
        return None

    def story(self, story_id: int) -> dict[str, Any]:
        raise NotFound("a lake has no stories; load it into a store with 'dateline load' to cluster them")

    # -- events -----------------------------------------------------------------
    def actor(self, name: str, by: str) -> dict[str, Any]:
        return ev.actor_summary(self.conn, name, by=by)

    def relation_series(self, a: str, b: str, by: str, directed: bool) -> dict[str, Any]:
        return ev.relation_series(self.conn, a, b, by=by, directed=directed)

    def events(self, filters: EventFilters, limit: int, offset: int) -> list[dict[str, Any]]:
        rows = ev.query_events(self.conn, self._events_filters(filters), limit=limit, offset=offset)
        mentions = self._mentions([r["id"] for r in rows])
        for r in rows:
            r.pop("month", None)
            r["mentions"] = mentions.get(r["id"], [])
        return rows

    def _mentions(self, event_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {i: [] for i in event_ids}
        for chunk in range(0, len(event_ids), 500):
            part = event_ids[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            for r in self.conn.execute(
                    f"SELECT event_id, article_id, sentence_index, sentence, start, \"end\", trigger FROM mentions"
                    f" WHERE event_id IN ({marks}) ORDER BY event_id, idx", part):
                out[r["event_id"]].append(dict(r))
        return out

    def count_events(self, filters: EventFilters) -> dict[str, int]:
        return ev.count_events(self.conn, self._events_filters(filters))

    def event(self, event_id: int) -> dict[str, Any]:
        rows = ev.query_events(self.conn, EventFilters(extra=[f"e.id = {int(event_id)}"]), limit=1)
        if not rows:
            raise NotFound(f"no event with id {event_id}")
        row = rows[0]
        row.pop("month", None)
        mentions = self._mentions([int(event_id)])[int(event_id)]
        row["mentions"] = [{k: m[k] for k in m if k != "event_id"} for m in mentions]
        return row

    def events_by_place(self, filters: EventFilters, limit: int) -> list[dict[str, Any]]:
        return ev.events_by_place(self.conn, filters=self._events_filters(filters), limit=limit)

    def network(self, filters: EventFilters, limit: int) -> dict[str, Any]:
        return ev.actor_network(self.conn, filters=self._events_filters(filters), limit=limit)

    # -- exports ----------------------------------------------------------------
    def export_formats(self) -> list[str]:
        return []

    def export(self, fmt: str, filters: EventFilters) -> Iterator[bytes | str]:
        raise NotFound("exports run over a store: the lake's Parquet tables are already an export"
                       " (or 'dateline load' it first)")

    def close(self) -> None:
        self.conn.close()
