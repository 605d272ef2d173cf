"""Read queries the web UI needs beyond the shared ones: faceted search, counts over time, sources.

Article filters that depend on coded events (actor, event type, quad class) become
sub-queries so full-text search keeps its bm25 ranking. Where the store has the per-article
summaries of migrations 0007/0008 (``article_summary``, ``article_event_facets``), filters and
facet counts read those narrow tables instead of article rows (whole texts) and event rows, the
source filter compares the summary's source id, and a search without query text reads its page
in order from the summary's order index; a store without them is searched over
``articles``/``events`` with the same results, only slower. An actor *name* filter (not a country
code) reads the name table of migration 0009 (``article_actor_names``); names compare case- and
outer-space-insensitively (ASCII letters) in both forms.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from .events import PLOVER_TYPES, period_sql
from .queries import SearchFilters, check_date, fts_query, list_articles

_CODE = re.compile(r"^[A-Za-z]{3}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass
class ArticleFilters:
    """What a search page can filter on; every field optional and validated by ``to_search_filters``."""

    since: str | None = None
    until: str | None = None
    language: str | None = None
    source: str | None = None
    actor: str | None = None  # alpha-3 country or an actor name (resolved or as written), as actor or recipient
    type: str | None = None  # PLOVER event type
    quad_class: int | None = None

    def to_search_filters(self, *, summary: bool = False, conn: sqlite3.Connection | None = None) -> SearchFilters:
        """SQL filters over articles aliased ``a``; ``summary`` answers event filters from
        ``article_event_facets`` (migration 0007) where it can, else they read ``events``, and
        needs ``a`` to be ``article_summary`` (its ``source_id``, migration 0008).
        Given ``conn``, a rare facet value becomes a set of article ids instead of a probe per hit."""
        check_date(self.since, "since")
        check_date(self.until, "until")
        if self.language and not _LANG.match(self.language):
            raise InputError(f"language must be a code like 'en' or 'de'; got {self.language!r}")
        kind = self.type.upper() if self.type else None
        if kind and kind not in PLOVER_TYPES:
            raise InputError(f"unknown event type {self.type!r}; expected a PLOVER type such as CONSULT")
        if self.quad_class is not None and self.quad_class not in (1, 2, 3, 4):
            raise InputError(f"quad_class must be 1, 2, 3 or 4; got {self.quad_class!r}")
        actor = self.actor.strip() if self.actor else None
        if not actor:
            actor = None  # a blank actor field is no filter, as an absent one
        is_name = actor is not None and not _CODE.match(actor)
        if summary and is_name and (conn is None or has_table(conn, NAMES_TABLE)):
            where, params = self._name_clause(actor, kind, conn)
        elif summary and not is_name:
            where, params = self._summary_clause(actor, kind, conn)
        else:
            # Plain form, or a store from before migration 0009 (no name table): read events.
            where, params = self._events_clause(actor, kind)
        source = self.source
        if summary and source:
            # The summary row carries the source id (migration 0008): one equality per hit instead
            # of the source's document id list. An unknown name yields NULL, which matches nothing.
            # Only a small source should drive the query through its index; a large one would make a
            # browse sort all its articles, so the unary + leaves the order index (or a scan) in charge.
            big = conn is not None and not _rare(
                conn, "FROM article_summary x WHERE x.source_id = (SELECT s.id FROM sources s WHERE s.name = ?)"
                      " AND x.is_current = 1", [source])
            column = "+a.source_id" if big else "a.source_id"
            where = [f"{column} = (SELECT s.id FROM sources s WHERE s.name = ?)", *where]
            params = [source, *params]
            source = None
        return SearchFilters(since=self.since, until=self.until, language=self.language, source=source,
                             extra_where=where, extra_params=params)

    def _events_clause(self, actor: str | None, kind: str | None) -> tuple[list[str], list[Any]]:
        """The straightforward form: some event of the article matches every event filter."""
        params: list[Any] = []
        ev: list[str] = []
        if actor:
            if _CODE.match(actor):
                ev.append("(e.actor_country = ? OR e.recipient_country = ?)")
                params += [actor.upper()] * 2
            else:
                ev.append(f"{NAME_KEY} IN ({_event_names('e')})")
                params.append(actor)
        if kind:
            ev.append("e.type = ?")
            params.append(kind)
        if self.quad_class is not None:
            ev.append("e.quad_class = ?")
            params.append(int(self.quad_class))
        if not ev:
            return [], []
        return ["EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id AND " + " AND ".join(ev) + ")"], params

    def _summary_clause(self, actor: str | None, kind: str | None,
                        conn: sqlite3.Connection | None) -> tuple[list[str], list[Any]]:
        """The same condition over the article's summary rows."""
        if not (actor or kind or self.quad_class is not None):
            return [], []
        cond = ["x.country = ?"]
        params: list[Any] = [actor.upper() if actor else ""]
        if kind:
            cond.append("x.type = ?")
            params.append(kind)
        if self.quad_class is not None:
            cond.append("x.quad_class = ?")
            params.append(int(self.quad_class))
        rows = "FROM article_event_facets x WHERE " + " AND ".join(cond)
        if conn is not None and _rare(conn, rows, params):
            # Few articles carry the value: build their id set once (from the value index) and test
            # each hit against it. The unary + keeps SQLite from turning the set into one full-text
            # lookup per id, which is far slower than scanning the hits.
            return [f"+a.id IN (SELECT x.article_id {rows})"], params
        # A common value: most hits pass, so probing each hit's rows (primary key) stops soonest.
        return [f"EXISTS (SELECT 1 {rows} AND x.article_id = a.id)"], params

    def _name_clause(self, actor: str, kind: str | None,
                     conn: sqlite3.Connection | None) -> tuple[list[str], list[Any]]:
        """An actor-name filter over ``article_actor_names`` (migration 0009).

        The name table says which articles carry the name at all; with an event type or quad class
        too, those few articles' events are then checked for one event with all of them, as the
        plain form does (the table alone cannot tell which event carried the name).
        """
        rows = f"FROM article_actor_names n WHERE n.name = {NAME_KEY}"
        params: list[Any] = [actor]
        n = _count_upto(conn, rows, params) if conn is not None else RARE_ROWS
        if n == 0:
            # No article carries the name: a constant false term, which SQLite tests once before
            # any loop, so the page, count and facets are empty without reading a row.
            return ["0"], []
        if n < RARE_ROWS:
            where = [f"+a.id IN (SELECT n.article_id {rows})"]
        else:
            where = [f"EXISTS (SELECT 1 {rows} AND n.article_id = a.id)"]
        if kind or self.quad_class is not None:
            # Listed after the name term, which SQLite tests first: only the name's articles get here.
            more, more_params = self._events_clause(actor, kind)
            where += more
            params += more_params
        return where, params


SUMMARY_TABLES = ("article_summary", "article_event_facets")
NAMES_TABLE = "article_actor_names"  # migration 0009
# How an actor name is compared, on both sides (migration 0009 stores names this way): SQLite's own
# lower() (ASCII letters only), so the parameter and the stored names are always folded alike.
NAME_KEY = "lower(trim(?))"


def _event_names(alias: str) -> str:
    """The four actor strings of an event, normalised as NAME_KEY."""
    return ", ".join(f"lower(trim({alias}.{c}))" for c in ("actor_name", "recipient_name", "actor_text",
                                                               "recipient_text"))
RARE_ROWS = 20_000  # summary rows below which a facet value's article set is cheaper than a probe per hit


SUMMARY_COLUMNS = ("source_id", "sort_key")  # added by migration 0008


def has_summary(conn: sqlite3.Connection) -> bool:
    """Whether the store has the per-article summaries in their 0008 form.

    A store served read-only may not be migrated yet; it is then searched the plain way.
    """
    if not all(has_table(conn, name) for name in SUMMARY_TABLES):
        return False
    columns = {r[1] for r in conn.execute("PRAGMA table_info(article_summary)")}
    return all(c in columns for c in SUMMARY_COLUMNS)


def _count_upto(conn: sqlite3.Connection, rows_sql: str, params: list[Any]) -> int:
    # Counting stops at the threshold, so asking costs at most RARE_ROWS index entries; at least one
    # is read, so "none" stays distinguishable from "not rare" whatever the threshold.
    limit = max(RARE_ROWS, 1)
    return conn.execute(f"SELECT count(*) FROM (SELECT 1 {rows_sql} LIMIT ?)", [*params, limit]).fetchone()[0]


def _rare(conn: sqlite3.Connection, rows_sql: str, params: list[Any]) -> bool:
    return _count_upto(conn, rows_sql, params) < RARE_ROWS


def _base(conn: sqlite3.Connection, query: str | None, f: SearchFilters,
          summary: bool = False) -> tuple[str, list[Any]]:
    """FROM/WHERE over matching current articles, aliased ``a`` (shared by facets and timelines).

    With ``summary`` the alias is the narrow ``article_summary`` (id, document_id, is_current,
    published_day, language): enough for every filter, and no article text is read per hit.
    """
    from .queries import _filter_sql  # the one place filters become SQL

    where, params = _filter_sql(f)
    table = "article_summary" if summary else "articles"
    if query:
        # The full-text match always drives: CROSS JOIN fixes the loop order, since the summary's
        # source and order indexes would otherwise tempt the planner (no statistics on a fresh
        # store) into running the match once per summary row.
        join = "CROSS JOIN" if summary else "JOIN"
        return (f"FROM articles_fts f {join} {table} a ON a.id = f.rowid WHERE articles_fts MATCH ? AND {where}",
                [fts_query(query), *params])
    return f"FROM {table} a WHERE {where}", params


def _run(conn: sqlite3.Connection, sql: str, params: list[Any], query: str | None = None) -> list[dict[str, Any]]:
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    except sqlite3.OperationalError as exc:
        msg = str(exc).lower()
        # With a MATCH in the statement, SQLite reports FTS5 syntax errors in several wordings
        # ("unterminated string", "fts5: syntax error", "no such column"); all are the user's query.
        if query or "fts5" in msg or "syntax" in msg:
            raise InputError(f"invalid search query {query!r}: {exc}" if query else f"invalid search query: {exc}") from exc
        raise


COUNT_CAP = 5_000  # past this, "5,000+" is as useful as an exact count and much cheaper
FACET_SAMPLE = 1_000  # facets count the first matches (in index order), not every match of a common word


def count_capped(conn: sqlite3.Connection, query: str | None, sf: SearchFilters,
                 cap: int = COUNT_CAP, summary: bool = False) -> tuple[int, bool]:
    """Matching articles, counted up to ``cap``; the flag says the true number may be larger."""
    frm, params = _base(conn, query, sf, summary)
    # Without a query, id order keeps the count on a table scan (or a small source's index): the
    # partial order index would otherwise be walked with a row lookup per entry.
    order = "" if query else " ORDER BY a.id"
    n = _run(conn, f"SELECT count(*) AS n FROM (SELECT 1 {frm}{order} LIMIT ?)", [*params, cap + 1], query)[0]["n"]
    return min(n, cap), n > cap


def _use_summary(conn: sqlite3.Connection, summary: bool | None) -> bool:
    # None = whatever the store has; tests and the bench force one form to compare them.
    return has_summary(conn) if summary is None else summary


def search_articles(conn: sqlite3.Connection, query: str | None, filters: ArticleFilters, *, limit: int = 20,
                    offset: int = 0, summary: bool | None = None) -> dict[str, Any]:
    """Ranked hits for a query, or the newest articles matching the filters when there is no query."""
    use = _use_summary(conn, summary)
    sf = filters.to_search_filters(summary=use, conn=conn)
    query = query.strip() if query else None
    total, more = count_capped(conn, query, sf, summary=use)
    if query and more:
        # Past COUNT_CAP matches bm25 would score every one of them (seconds for a very common
        # word); newest first is bounded and still useful, and the page says so.
        out = _newest_hits(conn, query, sf, limit, offset, use)
        out["ranked"] = False
    elif query:
        out = _ranked_hits(conn, query, sf, limit, offset, use)
        out["ranked"] = True
    elif use:
        out = {"query": "", "hits": _browse_hits(conn, sf, limit, offset)}
    else:
        hits = list_articles(conn, limit=limit, offset=offset, filters=sf)
        for h in hits:
            h["snippet"] = None
        out = {"query": "", "hits": hits}
    out["total"], out["total_is_lower_bound"] = total, more
    return out


BROWSE_COLUMNS = "id, url, title, published, language, site_name, analysis_status"  # as list_articles


def _browse_hits(conn: sqlite3.Connection, sf: SearchFilters, limit: int, offset: int) -> list[dict[str, Any]]:
    """One page of matching articles newest first, in ``list_articles`` order, from the summary.

    The order index (is_current, sort_key, id) read backwards yields rows already sorted, so the
    page stops after ``limit + offset`` matches instead of sorting all of them; only the page's
    ids then reach the article rows for display columns.
    """
    from .queries import _filter_sql

    where, params = _filter_sql(sf)
    ids = [r["id"] for r in _run(conn, f"SELECT a.id FROM article_summary a WHERE {where}"
                                       f" ORDER BY a.sort_key DESC, a.id DESC LIMIT ? OFFSET ?",
                                 [*params, limit, offset])]
    if not ids:
        return []
    rows = _run(conn, f"SELECT {BROWSE_COLUMNS} FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                [json.dumps(ids)])
    by_id = {r["id"]: r for r in rows}
    out = [by_id[i] for i in ids if i in by_id]
    for h in out:
        h["snippet"] = None
    return out


def _ranked_hits(conn: sqlite3.Connection, query: str, sf: SearchFilters, limit: int, offset: int,
                 summary: bool = False) -> dict[str, Any]:
    """One page of hits by bm25 (title weighted 5:1, as ``queries.search``), ties newest first.

    Ranking needs only ids; display columns and snippets are fetched for the page alone, since
    computing a snippet for every one of up to COUNT_CAP matches before sorting costs seconds.
    """
    frm, params = _base(conn, query, sf, summary)
    ids = [r["id"] for r in _run(conn, f"SELECT a.id {frm} ORDER BY bm25(articles_fts, 5.0, 1.0), f.rowid DESC"
                                       f" LIMIT ? OFFSET ?", [*params, limit, offset], query)]
    if not ids:
        return {"query": query, "hits": []}
    rows = _run(conn, "SELECT a.id, a.url, a.title, a.published, a.language, a.site_name,"
                      " snippet(articles_fts, 1, '[', ']', ' … ', 24) AS snippet"
                      " FROM articles_fts f JOIN articles a ON a.id = f.rowid"
                      " WHERE articles_fts MATCH ? AND f.rowid IN (SELECT value FROM json_each(?))",
                [fts_query(query), json.dumps(ids)], query)
    by_id = {r["id"]: r for r in rows}
    return {"query": query, "hits": [by_id[i] for i in ids if i in by_id]}


def _newest_hits(conn: sqlite3.Connection, query: str, sf: SearchFilters, limit: int, offset: int,
                 summary: bool = False) -> dict[str, Any]:
    frm, params = _base(conn, query, sf, summary)
    # The FTS scan already runs newest (highest rowid) first, so only the page's rows reach the
    # articles table for their display columns.
    show = "JOIN articles d ON d.id = a.id " if summary else ""
    cols = "d" if summary else "a"
    frm = frm.replace(" WHERE articles_fts MATCH", f" {show}WHERE articles_fts MATCH", 1)
    rows = _run(conn, f"SELECT {cols}.id, {cols}.url, {cols}.title, {cols}.published, {cols}.language,"
                      f" {cols}.site_name, snippet(articles_fts, 1, '[', ']', ' … ', 24) AS snippet "
                      f"{frm} ORDER BY f.rowid DESC LIMIT ? OFFSET ?", [*params, limit, offset], query)
    return {"query": query, "hits": rows}


def search_facets(conn: sqlite3.Connection, query: str | None, filters: ArticleFilters, *,
                  limit: int = 12, summary: bool | None = None) -> dict[str, list[dict[str, Any]]]:
    """Counts of matching articles per source, language, actor, event type and quad class.

    Counted over the first ``FACET_SAMPLE`` matches so a very common word stays fast; a
    followed facet link runs the exact filtered search.
    """
    use = _use_summary(conn, summary)
    frm, params = _base(conn, query.strip() if query else None, filters.to_search_filters(summary=use, conn=conn), use)
    articles = "article_summary" if use else "articles"
    # Materialise the matching ids once; every facet then joins a small JSON list, not the FTS query.
    # Without a query the sample is the lowest ids, whichever index the filters pick (the summary's
    # order index would otherwise hand over ids scattered by date): both forms count the same sample.
    order = "" if query and query.strip() else " ORDER BY a.id"
    found = [r["id"] for r in _run(conn, f"SELECT a.id {frm}{order} LIMIT ?", [*params, FACET_SAMPLE], query)]
    ids = "SELECT value FROM json_each(?)"
    p = [json.dumps(found)]
    out: dict[str, list[dict[str, Any]]] = {}
    if use:
        # The summary row holds its source id (0008): count per id over the sample, then name the
        # few sources (joining sources first would walk each source's articles by the source index).
        out["source"] = _run(conn, f"SELECT s.name AS value, c.n AS count FROM (SELECT a2.source_id, count(*) AS n"
                                   f" FROM article_summary a2 WHERE a2.id IN ({ids}) GROUP BY a2.source_id) c"
                                   f" JOIN sources s ON s.id = c.source_id ORDER BY 2 DESC, 1 LIMIT ?", [*p, limit])
    else:
        out["source"] = _run(conn, f"SELECT s.name AS value, count(*) AS count FROM articles a2 JOIN documents d"
                                   f" ON d.id = a2.document_id JOIN sources s ON s.id = d.source_id WHERE a2.id IN"
                                   f" ({ids}) GROUP BY s.name ORDER BY 2 DESC, 1 LIMIT ?", [*p, limit])
    out["language"] = _run(conn, f"SELECT a2.language AS value, count(*) AS count FROM {articles} a2 WHERE a2.id IN"
                                 f" ({ids}) AND a2.language IS NOT NULL GROUP BY a2.language ORDER BY 2 DESC, 1"
                                 f" LIMIT ?", [*p, limit])
    if use:
        out.update(_summary_facets(conn, p, limit))
        return out
    # One pass over the sample's events; counting distinct articles per value in Python is cheaper
    # than one grouped query per facet.
    per: dict[str, dict[Any, set[int]]] = {"actor": {}, "type": {}, "quad_class": {}}
    for r in conn.execute(f"SELECT e.article_id, e.actor_country, e.recipient_country, e.type, e.quad_class"
                          f" FROM events e WHERE e.article_id IN ({ids})", p):
        art = r[0]
        for name, value in (("actor", r[1]), ("actor", r[2]), ("type", r[3]), ("quad_class", r[4])):
            if value is not None:
                per[name].setdefault(value, set()).add(art)
    for name, values in per.items():
        ranked = sorted(((v, len(a)) for v, a in values.items()), key=lambda kv: (-kv[1], str(kv[0])))
        if name == "quad_class":
            ranked.sort(key=lambda kv: kv[0])
        out[name] = [{"value": v, "count": n} for v, n in ranked[:limit]]
    return out


def _summary_facets(conn: sqlite3.Connection, ids_param: list[str], limit: int) -> dict[str, list[dict[str, Any]]]:
    """Actor, type and quad-class counts for the sampled article ids, from the summary's primary key.

    Country rows count an article once per country; the '' rows (one per type and quad class
    of each article) count it once per type and per quad class.
    """
    ids = "SELECT value FROM json_each(?)"
    return {
        "actor": _run(conn, f"SELECT country AS value, count(DISTINCT article_id) AS count FROM article_event_facets"
                            f" WHERE article_id IN ({ids}) AND country != '' GROUP BY country"
                            f" ORDER BY 2 DESC, 1 LIMIT ?", [*ids_param, limit]),
        "type": _run(conn, f"SELECT type AS value, count(DISTINCT article_id) AS count FROM article_event_facets"
                           f" WHERE article_id IN ({ids}) AND +country = '' GROUP BY type ORDER BY 2 DESC, 1 LIMIT ?",
                     [*ids_param, limit]),
        "quad_class": _run(conn, f"SELECT quad_class AS value, count(DISTINCT article_id) AS count"
                                 f" FROM article_event_facets WHERE article_id IN ({ids}) AND +country = ''"
                                 f" AND quad_class != 0 GROUP BY quad_class ORDER BY 1 LIMIT ?", [*ids_param, limit]),
    }


def search_timeline(conn: sqlite3.Connection, query: str | None, filters: ArticleFilters, *,
                    by: str = "month", summary: bool | None = None) -> list[dict[str, Any]]:
    """Matching articles per publication period (attention over time)."""
    use = _use_summary(conn, summary)
    frm, params = _base(conn, query.strip() if query else None, filters.to_search_filters(summary=use, conn=conn), use)
    per = period_sql(by, "a.published_day")
    return _run(conn, f"SELECT {per} AS period, count(*) AS count {frm} AND a.published_day IS NOT NULL"
                      f" GROUP BY 1 ORDER BY 1", params, query)


def article_source(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT s.name, s.kind, s.url, s.title FROM articles a JOIN documents d ON d.id = a.document_id"
                       " JOIN sources s ON s.id = d.source_id WHERE a.id = ?", (article_id,)).fetchone()
    return dict(row) if row else None


def event_mentions(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Sentences that state each event (for drill-down lists)."""
    out: dict[int, list[dict[str, Any]]] = {i: [] for i in event_ids}
    for chunk in range(0, len(event_ids), 500):
        part = event_ids[chunk:chunk + 500]
        marks = ",".join("?" * len(part))
        for r in conn.execute(f"SELECT event_id, article_id, sentence_index, sentence, start, end, trigger"
                              f" FROM event_mentions WHERE event_id IN ({marks}) ORDER BY id", part):
            out[r["event_id"]].append(dict(r))
    return out


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?",
                        (name,)).fetchone() is not None


def latest_articles(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """Newest current articles by publication day (uses the published_day index, no full sort)."""
    rows = conn.execute(
        "SELECT a.id, a.url, a.title, a.published, a.language, a.site_name FROM articles a"
        " WHERE a.is_current = 1 AND a.published_day IS NOT NULL ORDER BY a.published_day DESC, a.id DESC LIMIT ?",
        (limit,)).fetchall()
    out = [dict(r) for r in rows]
    if len(out) < limit:  # undated articles come last
        out += [dict(r) for r in conn.execute(
            "SELECT a.id, a.url, a.title, a.published, a.language, a.site_name FROM articles a"
            " WHERE a.is_current = 1 AND a.published_day IS NULL ORDER BY a.id DESC LIMIT ?", (limit - len(out),))]
    return out
