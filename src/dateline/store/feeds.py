"""Feed polling state (table ``feeds``, migration 0005) and URL look-ups for web ingest.

The watcher itself never touches SQLite (see ``sources/watch.py``); these
functions back the ``state_load`` / ``state_save`` it is given. States go in
and out as plain dicts (``FeedState.to_dict()``) so the store does not depend
on the sources package.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from .db import utcnow

_COLUMNS = ("url", "title", "language", "etag", "last_modified", "last_polled", "next_poll_at", "failures",
            "last_error")
_LOOKUP_CHUNK = 500  # stays under SQLite's limit on bound parameters


def load_feed_state(conn: sqlite3.Connection, url: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
    if row is None:
        return None
    data = {name: row[name] for name in _COLUMNS}
    data["seen"] = json.loads(row["seen"] or "[]")
    data["attempts"] = json.loads(row["attempts"] or "{}")
    return data


def save_feed_state(conn: sqlite3.Connection, state: dict[str, Any]) -> None:
    """Insert or update the row of ``state["url"]``, in the caller's transaction."""
    seen = list(state.get("seen") or [])
    old = conn.execute("SELECT seen, last_new_at FROM feeds WHERE url = ?", (state["url"],)).fetchone()
    last_new_at = old["last_new_at"] if old else None
    old_seen = set(json.loads(old["seen"])) if old else set()
    if any(key not in old_seen for key in seen):
        last_new_at = state.get("last_polled") or utcnow()
    values = [state.get(name) for name in _COLUMNS]
    conn.execute(
        f"INSERT INTO feeds({', '.join(_COLUMNS)}, seen, attempts, last_new_at, updated_at)"
        f" VALUES ({', '.join('?' * (len(_COLUMNS) + 4))})"
        " ON CONFLICT(url) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in (*_COLUMNS[1:], "seen", "attempts", "last_new_at", "updated_at")),
        (*values, json.dumps(seen, ensure_ascii=False), json.dumps(state.get("attempts") or {}, ensure_ascii=False),
         last_new_at, utcnow()),
    )


def list_feed_states(conn: sqlite3.Connection) -> list[dict]:
    """Every feed row for status displays (seen keys replaced by their count)."""
    out = []
    for row in conn.execute("SELECT * FROM feeds ORDER BY url"):
        item = dict(row)
        item["seen"] = len(json.loads(item["seen"] or "[]"))
        item["attempts"] = json.loads(item["attempts"] or "{}")
        out.append(item)
    return out


def known_urls(conn: sqlite3.Connection, urls: Iterable[str]) -> set[str]:
    """Which of ``urls`` the store already holds a document or article for (by URL or canonical URL)."""
    wanted = list(dict.fromkeys(u for u in urls if u))
    found: set[str] = set()
    for i in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[i : i + _LOOKUP_CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT url FROM documents WHERE url IN ({marks})"
            f" UNION SELECT url FROM articles WHERE url IN ({marks})"
            f" UNION SELECT canonical_url FROM articles WHERE canonical_url IN ({marks})",
            (*chunk, *chunk, *chunk),
        ).fetchall()
        found.update(r[0] for r in rows)
    return found


def describe_source(conn: sqlite3.Connection, name: str, kind: str, url: str | None = None,
                    title: str | None = None, language: str | None = None) -> int:
    """Create or complete the ``sources`` row ``name`` with what a feed or sitemap says about itself.

    Unlike ``articles.source_id`` this also fills a missing URL: a watched feed's
    source row is often created by its first article, before the feed's own
    details are saved.
    """
    row = conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
    if row is None:
        cur = conn.execute(
            "INSERT INTO sources(name, kind, url, title, language, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (name, kind, url, title, language, utcnow()),
        )
        return cur.lastrowid
    conn.execute(
        "UPDATE sources SET url = coalesce(url, ?), title = coalesce(?, title), language = coalesce(?, language)"
        " WHERE id = ?",
        (url, title, language, row[0]),
    )
    return row[0]
