"""Read side: story lists, one story, related articles and stories (for the CLI, web and API)."""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from typing import Any

from ..errors import NotFound
from ..store import stories as sql
from ..store.queries import check_date
from .cluster import DAY, DocFreq, tfidf
from .text import terms
from .update import article_time

RELATED_SIGMA_DAYS = 7.0  # related reading may be a little older than the story itself
_FTS_SAFE = re.compile(r"^[^\W_]+$", re.UNICODE)


def _article_entry(a: dict[str, Any]) -> dict[str, Any]:
    return {"id": a["id"], "url": a["url"], "canonical_url": a["canonical_url"], "title": a["title"],
            "published": a["published"], "language": a["language"],
            "duplicate_of": a["original_id"] if a["copy_kind"] == "duplicate" else None,
            "translation_of": a["original_id"] if a["copy_kind"] == "translation" else None,
            "similarity": a["similarity"]}


def list_stories(store, *, since: str | None = None, limit: int | None = None,
                 min_articles: int = 1) -> list[dict[str, Any]]:
    """Stories, most recently active first, each with its articles (``dateline stories --json``)."""
    check_date(since, "since")
    stories = sql.list_stories(store.conn, since=since, limit=limit, min_articles=min_articles)
    members = sql.story_articles(store.conn, [s["id"] for s in stories])
    out = []
    for s in stories:
        arts = [_article_entry(a) for a in members[s["id"]]]
        out.append({"id": s["id"], "title": s["title"], "first_published": s["first_published"],
                    "last_published": s["last_published"], "article_count": len(arts), "articles": arts})
    return out


def get_story(store, story_id: int, *, related: int = 5) -> dict[str, Any]:
    row = sql.story_row(store.conn, story_id)
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    arts = [_article_entry(a) for a in sql.story_articles(store.conn, [story_id])[story_id]]
    copies = sum(1 for a in arts if a["duplicate_of"] or a["translation_of"])
    return {"id": row["id"], "title": row["title"], "first_published": row["first_published"],
            "last_published": row["last_published"], "article_count": len(arts),
            "independent_reports": len(arts) - copies, "articles": arts,
            "world_events": sql.world_event_rows(store.conn, story_id=story_id),
            "related_stories": related_stories(store, story_id, limit=related) if related else []}


def _fts_query(weights: dict[str, float], n: int = 12) -> str | None:
    top = [t for t, _ in sorted(weights.items(), key=lambda kv: -kv[1]) if _FTS_SAFE.match(t)][:n]
    return " OR ".join(f"{t}*" for t in top) if top else None


def _article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT id, title, text, published, created_at FROM articles WHERE id = ?",
                       (article_id,)).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    return dict(row)


def _candidates(conn: sqlite3.Connection, art: dict[str, Any], pool: int) -> list[tuple[int, float]]:
    """Full-text neighbours of an article: its strongest terms as an FTS5 OR-query, ranked by BM25."""
    counts = terms(art["title"], art["text"])
    n_docs = int(sql.get_meta(conn, "n_docs", "0") or 0)
    weights = tfidf(counts, DocFreq(max(n_docs, 1), sql.load_df(conn, counts)))
    query = _fts_query(weights)
    if not query:
        return []
    rows = conn.execute(
        "SELECT f.rowid, bm25(articles_fts) FROM articles_fts f JOIN articles a ON a.id = f.rowid"
        " WHERE articles_fts MATCH ? AND a.is_current = 1 ORDER BY bm25(articles_fts) LIMIT ?",
        (query, pool)).fetchall()
    return [(r[0], -r[1]) for r in rows if r[0] != art["id"]]


def related_articles(store, article_id: int, *, limit: int = 10) -> dict[str, Any]:
    """Copies of the article, the rest of its story, and the nearest articles of other stories."""
    conn = store.conn
    art = _article(conn, article_id)
    story_id = sql.story_of(conn, article_id)
    same: list[dict[str, Any]] = []
    copies: list[dict[str, Any]] = []
    root = sql.copy_root(conn, article_id)
    if story_id is not None:
        for a in sql.story_articles(conn, [story_id])[story_id]:
            if a["id"] == article_id:
                continue
            entry = _article_entry(a)
            in_group = a["id"] == root or a["original_id"] == root
            (copies if in_group else same).append(entry)
    t0 = article_time(art["published"], art["created_at"])
    scored = []
    cands = _candidates(conn, art, pool=max(50, limit * 5))
    story_ids = {a: sql.story_of(conn, a) for a, _ in cands}
    texts = sql.texts(conn, [a for a, _ in cands])
    best = max((s for _, s in cands), default=1.0) or 1.0
    for aid, score in cands:
        if story_id is not None and story_ids[aid] == story_id:
            continue
        other = texts.get(aid)
        if other is None:
            continue
        t1 = article_time(other["published"], other["created_at"])
        gap = abs((t1 or 0) - (t0 or 0)) / DAY if t0 and t1 else 0.0
        decay = math.exp(-(gap * gap) / (2 * RELATED_SIGMA_DAYS ** 2))
        scored.append((score / best * (0.5 + 0.5 * decay), aid))
    scored.sort(reverse=True)
    others = []
    for sc, aid in scored[:limit]:
        o = texts[aid]
        others.append({"id": aid, "title": o["title"], "published": o["published"], "story_id": story_ids[aid],
                       "score": round(sc, 3)})
    return {"article_id": article_id, "story_id": story_id, "copies": copies, "same_story": same[:limit],
            "other_stories": others}


def related_stories(store, story_id: int, *, limit: int = 5, members: int = 5) -> list[dict[str, Any]]:
    """Other stories near this one: related-article scores of its first members, summed per story."""
    arts = sql.story_articles(store.conn, [story_id]).get(story_id, [])
    totals: Counter = Counter()
    for a in arts[:members]:
        for o in related_articles(store, a["id"], limit=10)["other_stories"]:
            if o["story_id"] is not None:
                totals[o["story_id"]] += o["score"]
    out = []
    for sid, score in totals.most_common(limit):
        row = sql.story_row(store.conn, sid)
        if row is not None:
            out.append({"id": sid, "title": row["title"], "article_count": row["article_count"],
                        "last_published": row["last_published"], "score": round(score, 3)})
    return out


def world_events(store, *, story_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    return sql.world_event_rows(store.conn, story_id=story_id, limit=limit)
