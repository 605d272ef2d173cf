"""SQL for stories, copies, the LSH band index, document frequencies and world events.

The logic (what is a copy, which story an article joins) lives in ``dateline.stories``; these
functions only read and write rows, in the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .db import utcnow

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
_CHUNK = 500


def _chunks(items: list, size: int = _CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


# -- articles -------------------------------------------------------------------

def drop_stale(conn: sqlite3.Connection) -> int:
    """Forget superseded article versions (their new version is clustered as a new article)."""
    stale = [r[0] for r in conn.execute(
        "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE a.is_current = 0")]
    if not stale:
        return 0
    for chunk in _chunks(stale):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM article_copies WHERE article_id IN ({marks}) OR original_id IN ({marks})",
                     [*chunk, *chunk])
        conn.execute(f"DELETE FROM minhash_bands WHERE article_id IN ({marks})", chunk)
        conn.execute(f"DELETE FROM story_articles WHERE article_id IN ({marks})", chunk)
    recount_stories(conn)
    return len(stale)


def recount_stories(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE stories SET article_count = (SELECT count(*) FROM story_articles sa"
                 " WHERE sa.story_id = stories.id)")
    conn.execute("DELETE FROM stories WHERE article_count = 0")


def unassigned_articles(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.id, a.title, a.text, a.language, a.published, a.created_at FROM articles a"
        " WHERE a.is_current = 1 AND NOT EXISTS (SELECT 1 FROM story_articles sa WHERE sa.article_id = a.id)"
        " ORDER BY a.id LIMIT ?", (limit,)).fetchall()
    return [dict(r) for r in rows]


def entity_counts(conn: sqlite3.Connection, article_ids: list[int]) -> dict[int, Counter]:
    """Resolved actors (by name) and place names mentioned in each article."""
    out: dict[int, Counter] = {i: Counter() for i in article_ids}
    labels = ",".join(f"'{x}'" for x in ENTITY_LABELS)
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for aid, name in conn.execute(
                f"SELECT m.article_id, lower(coalesce(ac.name, m.text)) FROM mentions m"
                f" LEFT JOIN actors ac ON ac.id = m.actor_id"
                f" WHERE m.article_id IN ({marks}) AND (m.actor_id IS NOT NULL OR m.label IN ({labels}))", chunk):
            out[aid]["a:" + name] += 1
        for aid, name, gid in conn.execute(
                f"SELECT article_id, lower(name), geonames_id FROM places WHERE article_id IN ({marks})", chunk):
            out[aid]["p:" + (str(gid) if gid else name)] += 1
    return out


def texts(conn: sqlite3.Connection, article_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = list(article_ids)
    out = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT id, title, text, language, published, created_at FROM articles"
                              f" WHERE id IN ({marks}) AND is_current = 1", chunk):
            out[r["id"]] = dict(r)
    return out


def other_language_near(conn: sqlite3.Connection, language: str, day_from: str, day_to: str,
                        limit: int = 200) -> list[int]:
    """Current articles in another language published within a day range (translation candidates)."""
    return [r[0] for r in conn.execute(
        "SELECT a.id FROM articles a JOIN story_articles sa ON sa.article_id = a.id"
        " WHERE (a.language < ? OR a.language > ?) AND a.published_day BETWEEN ? AND ? AND a.is_current = 1"
        " LIMIT ?", (language, language, day_from, day_to, limit))]


# -- LSH bands and copies ---------------------------------------------------------

def band_candidates(conn: sqlite3.Connection, keys: list[int]) -> set[int]:
    out: set[int] = set()
    for band, key in enumerate(keys):
        out.update(r[0] for r in conn.execute(
            "SELECT article_id FROM minhash_bands WHERE band = ? AND key = ?", (band, key)))
    return out


def add_bands(conn: sqlite3.Connection, article_id: int, keys: list[int]) -> None:
    conn.executemany("INSERT OR IGNORE INTO minhash_bands(band, key, article_id) VALUES (?,?,?)",
                     [(b, k, article_id) for b, k in enumerate(keys)])


def copy_root(conn: sqlite3.Connection, article_id: int) -> int:
    row = conn.execute("SELECT original_id FROM article_copies WHERE article_id = ?", (article_id,)).fetchone()
    return row[0] if row else article_id


def set_copy(conn: sqlite3.Connection, article_id: int, original_id: int, kind: str, similarity: float) -> None:
    conn.execute("INSERT OR REPLACE INTO article_copies(article_id, original_id, kind, similarity) VALUES (?,?,?,?)",
                 (article_id, original_id, kind, similarity))


def reroot(conn: sqlite3.Connection, old_root: int, new_root: int) -> None:
    """An earlier copy arrived: the old original and its copies now point to it."""
    conn.execute("UPDATE article_copies SET original_id = ? WHERE original_id = ?", (new_root, old_root))


def copies_of(conn: sqlite3.Connection, article_ids: list[int]) -> dict[int, dict[str, Any]]:
    out = {}
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(f"SELECT article_id, original_id, kind, similarity FROM article_copies"
                              f" WHERE article_id IN ({marks})", chunk):
            out[r[0]] = {"original_id": r[1], "kind": r[2], "similarity": r[3]}
    return out


# -- document frequencies -----------------------------------------------------------

def load_df(conn: sqlite3.Connection, terms: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(sorted(set(terms))):
        marks = ",".join("?" * len(chunk))
        out.update(conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk).fetchall())
    return out


def save_df(conn: sqlite3.Connection, changed: dict[str, int], n_docs: int) -> None:
    conn.executemany("INSERT INTO term_df(term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = excluded.df",
                     list(changed.items()))
    set_meta(conn, "n_docs", str(n_docs))


def get_meta(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM story_meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO story_meta(key, value) VALUES (?, ?)", (key, value))


# -- stories --------------------------------------------------------------------------

def stories_in_window(conn: sqlite3.Connection, lo: float, hi: float) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM stories WHERE last_ts >= ? AND first_ts <= ?", (lo, hi)).fetchall()


def story_row(conn: sqlite3.Connection, story_id: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()


def story_of(conn: sqlite3.Connection, article_id: int) -> int | None:
    row = conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def next_story_id(conn: sqlite3.Connection) -> int:
    return (conn.execute("SELECT max(id) FROM stories").fetchone()[0] or 0) + 1


def save_story(conn: sqlite3.Connection, sid: int, title: str | None, first_ts: float, last_ts: float,
               first_pub: str | None, last_pub: str | None, count: int, centroid: dict) -> None:
    conn.execute(
        "INSERT INTO stories(id, title, first_ts, last_ts, first_published, last_published, article_count,"
        " centroid, updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET title = excluded.title,"
        " first_ts = excluded.first_ts, last_ts = excluded.last_ts, first_published = excluded.first_published,"
        " last_published = excluded.last_published, article_count = excluded.article_count,"
        " centroid = excluded.centroid, updated_at = excluded.updated_at",
        (sid, title, first_ts, last_ts, first_pub, last_pub, count, json.dumps(centroid, ensure_ascii=False),
         utcnow()))


def add_story_article(conn: sqlite3.Connection, story_id: int, article_id: int, similarity: float,
                      ts: float) -> None:
    conn.execute("INSERT INTO story_articles(story_id, article_id, similarity, ts) VALUES (?,?,?,?)",
                 (story_id, article_id, similarity, ts))


def list_stories(conn: sqlite3.Connection, *, since: str | None = None, limit: int | None = None,
                 min_articles: int = 1) -> list[dict[str, Any]]:
    where, params = ["article_count >= ?"], [min_articles]
    if since:
        where.append("coalesce(last_published, '') >= ?")
        params.append(since)
    sql = (f"SELECT id, title, first_published, last_published, article_count FROM stories"
           f" WHERE {' AND '.join(where)} ORDER BY last_ts DESC, id DESC")
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [dict(r) for r in conn.execute(sql, params)]


def story_articles(conn: sqlite3.Connection, story_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {s: [] for s in story_ids}
    for chunk in _chunks(story_ids):
        marks = ",".join("?" * len(chunk))
        for r in conn.execute(
                f"SELECT sa.story_id, a.id, a.url, a.canonical_url, a.title, a.published, a.language, a.site_name,"
                f" sa.similarity, c.original_id, c.kind AS copy_kind, c.similarity AS copy_similarity"
                f" FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
                f" LEFT JOIN article_copies c ON c.article_id = a.id"
                f" WHERE sa.story_id IN ({marks}) AND a.is_current = 1 ORDER BY sa.ts, a.id", chunk):
            d = dict(r)
            out[d.pop("story_id")].append(d)
    return out


# -- world events -------------------------------------------------------------------------

def ungrouped_events(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(
        "SELECT e.id, e.article_id, e.type, e.actor_country, e.recipient_country,"
        " substr(coalesce(e.date_start, a.published_day), 1, 10) AS day, sa.story_id"
        " FROM events e JOIN articles a ON a.id = e.article_id LEFT JOIN story_articles sa ON sa.article_id = a.id"
        " WHERE e.world_event_id IS NULL AND a.is_current = 1 ORDER BY day, e.id LIMIT ?", (limit,))]


def world_event_candidates(conn: sqlite3.Connection, type_: str, actor: str | None, recipient: str | None,
                           day_from: str, day_to: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(
        "SELECT id, date_start, date_end FROM world_events WHERE type = ? AND actor_country IS ?"
        " AND recipient_country IS ? AND date_start BETWEEN ? AND ?",
        (type_, actor, recipient, day_from, day_to))]


def create_world_event(conn: sqlite3.Connection, type_: str, actor: str | None, recipient: str | None,
                       day: str, story_id: int | None) -> int:
    cur = conn.execute(
        "INSERT INTO world_events(type, actor_country, recipient_country, date_start, date_end, story_id, updated_at)"
        " VALUES (?,?,?,?,?,?,?)", (type_, actor, recipient, day, day, story_id, utcnow()))
    return cur.lastrowid


def attach_event(conn: sqlite3.Connection, event_id: int, world_event_id: int, day: str) -> None:
    conn.execute("UPDATE events SET world_event_id = ? WHERE id = ?", (world_event_id, event_id))
    conn.execute("UPDATE world_events SET date_start = min(date_start, ?), date_end = max(date_end, ?)"
                 " WHERE id = ?", (day, day, world_event_id))


def world_events_of_articles(conn: sqlite3.Connection, article_ids: list[int]) -> set[int]:
    out: set[int] = set()
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        out.update(r[0] for r in conn.execute(
            f"SELECT DISTINCT world_event_id FROM events WHERE article_id IN ({marks})"
            f" AND world_event_id IS NOT NULL", chunk))
    return out


def recount_world_events(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Counts per world event; an article and its copies (duplicates, translations) are one source."""
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        conn.execute(
            f"UPDATE world_events SET"
            f" event_count = (SELECT count(*) FROM events e WHERE e.world_event_id = world_events.id),"
            f" mention_count = (SELECT count(*) FROM event_mentions m JOIN events e ON e.id = m.event_id"
            f"   WHERE e.world_event_id = world_events.id),"
            f" article_count = (SELECT count(DISTINCT e.article_id) FROM events e"
            f"   WHERE e.world_event_id = world_events.id),"
            f" source_count = (SELECT count(DISTINCT coalesce(c.original_id, e.article_id)) FROM events e"
            f"   LEFT JOIN article_copies c ON c.article_id = e.article_id WHERE e.world_event_id = world_events.id),"
            f" updated_at = ? WHERE id IN ({marks})", [utcnow(), *chunk])
        # events replaced by a re-analysis can leave a world event with nothing in it
        conn.execute(f"DELETE FROM world_events WHERE event_count = 0 AND id IN ({marks})", chunk)


def world_event_rows(conn: sqlite3.Connection, *, story_id: int | None = None,
                     limit: int = 100) -> list[dict[str, Any]]:
    if story_id is not None:
        sql = ("SELECT * FROM world_events WHERE id IN (SELECT e.world_event_id FROM events e JOIN story_articles sa"
               " ON sa.article_id = e.article_id WHERE sa.story_id = ?) ORDER BY date_start, id LIMIT ?")
        return [dict(r) for r in conn.execute(sql, (story_id, limit))]
    return [dict(r) for r in conn.execute(
        "SELECT * FROM world_events ORDER BY source_count DESC, date_start DESC LIMIT ?", (limit,))]
