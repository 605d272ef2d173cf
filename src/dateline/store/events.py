"""Queries over coded events: filtered lists, dyad relation series, actor summaries, volumes.

Counts are of *world events* where stories have grouped copies of the same event
(``events.world_event_id``); an event not yet grouped counts as its own world event.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field, fields
from typing import Any

from ..errors import InputError, NotFound
from .queries import check_date

PERIODS = ("day", "week", "month", "year")
EVENT_DATE = "coalesce(e.date_start, a.published_day)"
WORLD_KEY = "coalesce(e.world_event_id, -e.id)"
_CODE = re.compile(r"^[A-Za-z]{3}$")

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
STATUSES = {"occurred", "planned", "negated", "hypothetical"}


def period_sql(by: str, col: str = EVENT_DATE) -> str:
    if by == "day":
        return f"substr({col}, 1, 10)"
    if by == "week":
        # the Monday that starts the ISO week
        return f"date(substr({col}, 1, 10), '-6 days', 'weekday 1')"
    if by == "month":
        return f"substr({col}, 1, 7)"
    if by == "year":
        return f"substr({col}, 1, 4)"
    raise InputError(f"'by' must be one of {', '.join(PERIODS)}; got {by!r}")


@dataclass
class EventFilters:
    """Filters shared by the CLI, the web pages and the exporters (all optional)."""

    actor: str | None = None  # ISO alpha-3 country or an actor name
    recipient: str | None = None
    dyad: tuple[str, str] | None = None  # either direction
    actor_sector: str | None = None
    recipient_sector: str | None = None
    type: str | None = None
    mode: str | None = None
    quad_class: int | None = None
    status: str | None = None
    since: str | None = None
    until: str | None = None
    place: str | None = None  # country of the event's location
    article_id: int | None = None
    story_id: int | None = None
    world_event_id: int | None = None
    query: str | None = None  # full-text query over the articles
    extra: list[str] = field(default_factory=list, repr=False)

    def validate(self) -> "EventFilters":
        if self.type:
            self.type = self.type.upper()
            if self.type not in PLOVER_TYPES:
                raise InputError(f"unknown event type {self.type!r}; expected a PLOVER type such as CONSULT or ASSAULT")
        if self.status and self.status not in STATUSES:
            raise InputError(f"status must be one of {', '.join(sorted(STATUSES))}; got {self.status!r}")
        if self.quad_class is not None and self.quad_class not in (1, 2, 3, 4):
            raise InputError(f"quad_class must be 1, 2, 3 or 4; got {self.quad_class!r}")
        check_date(self.since, "since")
        check_date(self.until, "until")
        return self

    def to_params(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v not in (None, [], "") and f.name != "extra":
                out[f.name] = "-".join(v) if isinstance(v, tuple) else v
        return out


def _actor_clause(prefix: str, value: str) -> tuple[str, list]:
    if _CODE.match(value):
        return f"{prefix}_country = ?", [value.upper()]
    return f"({prefix}_name = ? OR {prefix}_text = ?)", [value, value]


def where_sql(f: EventFilters) -> tuple[str, list]:
    f.validate()
    where, params = ["a.is_current = 1"], []

    def add(sql: str, *p) -> None:
        where.append(sql)
        params.extend(p)

    if f.actor:
        sql, p = _actor_clause("e.actor", f.actor)
        add(sql, *p)
    if f.recipient:
        sql, p = _actor_clause("e.recipient", f.recipient)
        add(sql, *p)
    if f.dyad:
        x, y = (c.upper() for c in f.dyad)
        add("((e.actor_country = ? AND e.recipient_country = ?) OR (e.actor_country = ? AND e.recipient_country = ?))",
            x, y, y, x)
    if f.actor_sector:
        add("e.actor_sector = ?", f.actor_sector.upper())
    if f.recipient_sector:
        add("e.recipient_sector = ?", f.recipient_sector.upper())
    if f.type:
        add("e.type = ?", f.type)
    if f.mode:
        add("e.mode = ?", f.mode)
    if f.quad_class:
        add("e.quad_class = ?", int(f.quad_class))
    if f.status:
        add("e.status = ?", f.status)
    if f.since:
        add(f"{EVENT_DATE} >= ?", f.since)
    if f.until:
        add(f"substr({EVENT_DATE}, 1, {len(f.until)}) <= ?", f.until)
    if f.place:
        add("e.location_country = ?", f.place.upper())
    if f.article_id:
        add("e.article_id = ?", int(f.article_id))
    if f.world_event_id:
        add("e.world_event_id = ?", int(f.world_event_id))
    if f.story_id:
        add("e.article_id IN (SELECT article_id FROM story_articles WHERE story_id = ?)", int(f.story_id))
    if f.query:
        add("e.article_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", f.query)
    where.extend(f.extra)
    return " AND ".join(where), params


def _rows(conn: sqlite3.Connection, sql: str, params: list) -> list[dict[str, Any]]:
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    except sqlite3.OperationalError as exc:
        msg = str(exc).lower()
        if any(w in msg for w in ("fts5", "syntax", "unterminated", "no such column", "malformed match")):
            raise InputError(f"invalid search query: {exc}") from exc
        raise


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    if "contexts" in row and isinstance(row["contexts"], str):
        row["contexts"] = json.loads(row["contexts"] or "[]")
    return row


def query_events(conn: sqlite3.Connection, filters: EventFilters | None = None, *, limit: int = 100,
                 offset: int = 0, order: str = "date") -> list[dict[str, Any]]:
    where, params = where_sql(filters or EventFilters())
    order_sql = {"date": f"{EVENT_DATE} DESC, e.id DESC", "id": "e.id", "score": "e.score"}.get(order, "e.id")
    sql = (f"SELECT e.*, {EVENT_DATE} AS event_date, a.title AS article_title, a.url AS article_url,"
           f" a.published AS article_published, a.site_name AS article_site"
           f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}"
           f" ORDER BY {order_sql} LIMIT ? OFFSET ?")
    return [_decode(r) for r in _rows(conn, sql, [*params, int(limit), int(offset)])]


def iter_events(conn: sqlite3.Connection, filters: EventFilters | None = None, batch: int = 5000):
    """All matching events in id order, streamed in batches (for exports)."""
    where, params = where_sql(filters or EventFilters())
    last = 0
    while True:
        rows = _rows(conn, f"SELECT e.*, {EVENT_DATE} AS event_date, a.url AS article_url, a.title AS article_title,"
                           f" a.published AS article_published, a.site_name AS article_site, a.language AS article_language,"
                           f" length(a.text) AS article_length"
                           f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND e.id > ?"
                           f" ORDER BY e.id LIMIT ?", [*params, last, batch])
        if not rows:
            return
        for r in rows:
            yield _decode(r)
        last = rows[-1]["id"]


def count_events(conn: sqlite3.Connection, filters: EventFilters | None = None) -> dict[str, int]:
    where, params = where_sql(filters or EventFilters())
    row = conn.execute(
        f"SELECT count(*), count(DISTINCT {WORLD_KEY}) FROM events e JOIN articles a ON a.id = e.article_id"
        f" WHERE {where}", params).fetchone()
    return {"events": row[0], "world_events": row[1]}


def get_event(conn: sqlite3.Connection, event_id: int) -> dict[str, Any]:
    rows = query_events(conn, EventFilters(extra=[f"e.id = {int(event_id)}"]), limit=1)
    if not rows:
        raise NotFound(f"no event with id {event_id}")
    ev = rows[0]
    ev["mentions"] = [dict(r) for r in conn.execute(
        "SELECT article_id, sentence_index, sentence, start, end, trigger FROM event_mentions WHERE event_id = ?"
        " ORDER BY id", (event_id,))]
    return ev


def relation_series(conn: sqlite3.Connection, a: str, b: str, *, by: str = "month", directed: bool = False,
                    filters: EventFilters | None = None) -> dict[str, Any]:
    """Cooperation–conflict series for a dyad: per period and quad class, world events and mean score."""
    f = filters or EventFilters()
    a, b = a.upper(), b.upper()
    if directed:
        f.extra = [*f.extra, "e.actor_country = ? AND e.recipient_country = ?"]
        extra_params = [a, b]
    else:
        f.dyad = (a, b)
        extra_params = []
    where, params = where_sql(f)
    per = period_sql(by)
    sql = (f"SELECT {per} AS period, e.quad_class AS quad_class, count(DISTINCT {WORLD_KEY}) AS events,"
           f" avg(e.score) AS mean_score, group_concat(e.id) AS event_ids"
           f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND {per} IS NOT NULL"
           f" GROUP BY period, quad_class ORDER BY period, quad_class")
    rows = _rows(conn, sql, [*params, *extra_params])
    points = []
    for r in rows:
        ids = sorted({int(x) for x in (r["event_ids"] or "").split(",") if x})
        points.append({"period": r["period"], "quad_class": r["quad_class"], "events": r["events"],
                       "mean_score": round(r["mean_score"], 2) if r["mean_score"] is not None else None,
                       "event_ids": ids})
    totals: dict[str, dict[str, Any]] = {}
    for p in points:
        t = totals.setdefault(p["period"], {"period": p["period"], "events": 0, "score_sum": 0.0})
        t["events"] += p["events"]
        t["score_sum"] += (p["mean_score"] or 0) * p["events"]
    series = [{"period": t["period"], "events": t["events"],
               "mean_score": round(t["score_sum"] / t["events"], 2) if t["events"] else None}
              for t in totals.values()]
    return {"actor": a, "recipient": b, "directed": directed, "by": by, "points": points, "series": series}


def top_actors(conn: sqlite3.Connection, *, limit: int = 10, filters: EventFilters | None = None) -> list[dict]:
    where, params = where_sql(filters or EventFilters())
    return _rows(conn, f"SELECT e.actor_country AS country, count(DISTINCT {WORLD_KEY}) AS events, avg(e.score) AS"
                       f" mean_score FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}"
                       f" AND e.actor_country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT ?", [*params, limit])


def top_dyads(conn: sqlite3.Connection, *, limit: int = 10, filters: EventFilters | None = None) -> list[dict]:
    where, params = where_sql(filters or EventFilters())
    return _rows(conn, f"SELECT min(e.actor_country, e.recipient_country) AS a, max(e.actor_country,"
                       f" e.recipient_country) AS b, count(DISTINCT {WORLD_KEY}) AS events, avg(e.score) AS mean_score"
                       f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}"
                       f" AND e.actor_country IS NOT NULL AND e.recipient_country IS NOT NULL"
                       f" AND e.actor_country != e.recipient_country GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ?",
                 [*params, limit])


def volume_by_quad(conn: sqlite3.Connection, *, by: str = "month", filters: EventFilters | None = None) -> list[dict]:
    where, params = where_sql(filters or EventFilters())
    per = period_sql(by)
    return _rows(conn, f"SELECT {per} AS period, e.quad_class AS quad_class, count(DISTINCT {WORLD_KEY}) AS events"
                       f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND {per} IS NOT NULL"
                       f" GROUP BY 1, 2 ORDER BY 1, 2", params)


def actor_summary(conn: sqlite3.Connection, actor: str, *, by: str = "month", limit: int = 10) -> dict[str, Any]:
    """A country (alpha-3) or a person/organisation name: events as actor and as recipient, top counterparts."""
    as_actor = EventFilters(actor=actor)
    as_recipient = EventFilters(recipient=actor)
    col = "recipient"
    out = {
        "actor": actor,
        "as_actor": count_events(conn, as_actor),
        "as_recipient": count_events(conn, as_recipient),
        "series_as_actor": volume_by_quad(conn, by=by, filters=as_actor),
        "series_as_recipient": volume_by_quad(conn, by=by, filters=EventFilters(recipient=actor)),
    }
    where, params = where_sql(EventFilters(actor=actor))
    out["top_recipients"] = _rows(conn, f"SELECT e.{col}_country AS country, count(DISTINCT {WORLD_KEY}) AS events,"
                                        f" avg(e.score) AS mean_score FROM events e JOIN articles a ON a.id = e.article_id"
                                        f" WHERE {where} AND e.{col}_country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT ?",
                                  [*params, limit])
    where, params = where_sql(EventFilters(recipient=actor))
    out["top_actors"] = _rows(conn, f"SELECT e.actor_country AS country, count(DISTINCT {WORLD_KEY}) AS events,"
                                    f" avg(e.score) AS mean_score FROM events e JOIN articles a ON a.id = e.article_id"
                                    f" WHERE {where} AND e.actor_country IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT ?",
                              [*params, limit])
    out["by_type"] = _rows(conn, f"SELECT e.type AS type, count(DISTINCT {WORLD_KEY}) AS events FROM events e JOIN"
                                 f" articles a ON a.id = e.article_id WHERE {where_sql(as_actor)[0]} GROUP BY 1"
                                 f" ORDER BY 2 DESC", where_sql(as_actor)[1])
    return out


def events_by_place(conn: sqlite3.Connection, *, filters: EventFilters | None = None, limit: int = 500) -> list[dict]:
    where, params = where_sql(filters or EventFilters())
    return _rows(conn, f"SELECT e.location_name AS name, e.location_country AS country, round(e.lat, 3) AS lat,"
                       f" round(e.lon, 3) AS lon, count(DISTINCT {WORLD_KEY}) AS events, avg(e.score) AS mean_score"
                       f" FROM events e JOIN articles a ON a.id = e.article_id WHERE {where} AND e.lat IS NOT NULL"
                       f" GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC LIMIT ?", [*params, limit])


def actor_network(conn: sqlite3.Connection, *, filters: EventFilters | None = None, limit: int = 200) -> dict:
    """Nodes (countries, sized by volume) and directed edges (coloured by mean score)."""
    where, params = where_sql(filters or EventFilters())
    edges = _rows(conn, f"SELECT e.actor_country AS source, e.recipient_country AS target,"
                        f" count(DISTINCT {WORLD_KEY}) AS events, avg(e.score) AS mean_score FROM events e JOIN"
                        f" articles a ON a.id = e.article_id WHERE {where} AND e.actor_country IS NOT NULL AND"
                        f" e.recipient_country IS NOT NULL AND e.actor_country != e.recipient_country"
                        f" GROUP BY 1, 2 ORDER BY 3 DESC LIMIT ?", [*params, limit])
    volume: dict[str, int] = {}
    for e in edges:
        volume[e["source"]] = volume.get(e["source"], 0) + e["events"]
        volume[e["target"]] = volume.get(e["target"], 0) + e["events"]
    nodes = [{"id": k, "events": v} for k, v in sorted(volume.items(), key=lambda kv: -kv[1])]
    return {"nodes": nodes, "edges": edges}
