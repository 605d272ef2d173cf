"""Read-side queries over articles: search, one article, statistics."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, NotFound

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def article_row_to_dict(row: sqlite3.Row, *, with_text: bool = True) -> dict[str, Any]:
    out = {k: row[k] for k in row.keys() if k not in ("text", "authors", "tags", "text_hash")}
    out["authors"] = json.loads(row["authors"]) if "authors" in row.keys() else []
    out["tags"] = json.loads(row["tags"]) if "tags" in row.keys() else []
    if with_text and "text" in row.keys():
        out["text"] = row["text"]
    return out


def get_article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return article_row_to_dict(row)


def check_date(value: str | None, name: str) -> str | None:
    if value in (None, ""):
        return None
    if not _DATE.match(value):
        raise InputError(f"{name} must be a date like 2023-06-14 (or 2023-06, 2023); got {value!r}")
    return value


def fts_query(query: str) -> str:
    """Validate an FTS5 query; plain words work as-is, FTS syntax is allowed."""
    query = query.strip()
    if not query:
        raise InputError("empty search query")
    return query


@dataclass
class SearchFilters:
    since: str | None = None
    until: str | None = None
    language: str | None = None
    source: str | None = None
    extra_where: list[str] = field(default_factory=list)
    extra_params: list[Any] = field(default_factory=list)


def _filter_sql(f: SearchFilters) -> tuple[str, list[Any]]:
    where, params = ["a.is_current = 1"], []
    if f.since:
        where.append("a.published_day >= ?")
        params.append(check_date(f.since, "since"))
    if f.until:
        where.append("a.published_day <= ? || '-99'")
        params.append(check_date(f.until, "until"))
    if f.language:
        where.append("a.language = ?")
        params.append(f.language)
    if f.source:
        where.append("a.document_id IN (SELECT d.id FROM documents d JOIN sources s ON s.id = d.source_id"
                     " WHERE s.name = ?)")
        params.append(f.source)
    where.extend(f.extra_where)
    params.extend(f.extra_params)
    return " AND ".join(where), params


def search(conn: sqlite3.Connection, query: str, *, limit: int = 20, offset: int = 0,
           filters: SearchFilters | None = None) -> dict[str, Any]:
    """Full-text search (FTS5, bm25 ranking) with filters; returns hits and a total."""
    q = fts_query(query)
    where, params = _filter_sql(filters or SearchFilters())
    sql_from = f"FROM articles_fts f JOIN articles a ON a.id = f.rowid WHERE articles_fts MATCH ? AND {where}"
    try:
        total = conn.execute(f"SELECT count(*) {sql_from}", [q, *params]).fetchone()[0]
        rows = conn.execute(
            "SELECT a.id, a.url, a.title, a.published, a.language, a.site_name,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 24) AS snippet "
            f"{sql_from} ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ? OFFSET ?",
            [q, *params, limit, offset],
        ).fetchall()
    except sqlite3.OperationalError as exc:
        raise InputError(f"invalid search query {query!r}: {exc}") from exc
    return {"query": query, "total": total, "hits": [dict(r) for r in rows]}


def list_articles(conn: sqlite3.Connection, *, limit: int = 50, offset: int = 0,
                  filters: SearchFilters | None = None) -> list[dict[str, Any]]:
    where, params = _filter_sql(filters or SearchFilters())
    rows = conn.execute(
        "SELECT a.id, a.url, a.title, a.published, a.language, a.site_name, a.analysis_status FROM articles a"
        f" WHERE {where} ORDER BY coalesce(a.published, a.created_at) DESC, a.id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [dict(r) for r in rows]


def stats(conn: sqlite3.Connection) -> dict[str, Any]:
    one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    out: dict[str, Any] = {
        "articles": one("SELECT count(*) FROM articles WHERE is_current = 1"),
        "article_versions": one("SELECT count(*) FROM articles"),
        "documents": one("SELECT count(*) FROM documents"),
        "sources": one("SELECT count(*) FROM sources"),
        "failures": one("SELECT count(*) FROM ingest_failures"),
    }
    out["languages"] = {
        (r[0] or "unknown"): r[1]
        for r in conn.execute(
            "SELECT language, count(*) FROM articles WHERE is_current = 1 GROUP BY language ORDER BY 2 DESC"
        )
    }
    out["analysis"] = {
        r[0]: r[1] for r in conn.execute("SELECT analysis_status, count(*) FROM articles GROUP BY 1")
    }
    for table in ("mentions", "places", "time_expressions", "events"):
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)).fetchone():
            out[table] = one(f"SELECT count(*) FROM {table}")
    row = conn.execute(
        "SELECT min(published_day), max(published_day) FROM articles WHERE is_current = 1"
    ).fetchone()
    out["published_range"] = [row[0], row[1]]
    return out
