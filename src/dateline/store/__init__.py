"""The embedded store: SQLite (WAL, FTS5) with versioned migrations.

``Store`` is a thin facade over the query modules so callers (pipeline, CLI,
web) hold one object; SQL lives in ``articles.py``, ``analysis.py``,
``queries.py`` and ``events.py``.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from ..models import Analysis, Article, RawDocument
from . import analysis as _analysis
from . import articles as _articles
from . import queries as _queries
from .db import connect, default_db_path, migrate

__all__ = ["Store", "default_db_path"]


class Store:
    def __init__(self, path: str | None = None, *, readonly: bool = False):
        self.path = str(path or default_db_path())
        self.readonly = readonly
        if readonly:
            self.conn = connect(self.path, readonly=True)
        else:
            self.conn = connect(self.path)
            migrate(self.conn)
        self._actor_cache: dict = {}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._actor_cache.clear()
            raise

    # -- ingest ---------------------------------------------------------------
    def check_document(self, raw: RawDocument) -> _articles.DocumentCheck:
        return _articles.check_document(self.conn, raw)

    def add_article(self, raw: RawDocument, article: Article, check: _articles.DocumentCheck,
                    source: str | None = None, source_kind: str = "file",
                    blob: bytes | None = None) -> _articles.StoredArticle:
        with self.transaction() as conn:
            sid = _articles.source_id(conn, source, source_kind) if source else None
            return _articles.store_article(conn, raw, article, check, sid, blob)

    def record_failure(self, item: str, reason: str) -> None:
        with self.transaction() as conn:
            _articles.record_failure(conn, item, reason)

    def ensure_source(self, name: str, kind: str, url: str | None = None, title: str | None = None,
                      language: str | None = None) -> int:
        with self.transaction() as conn:
            return _articles.source_id(conn, name, kind, url, title, language)

    # -- analysis -------------------------------------------------------------
    def pending_analysis(self, limit: int = 64, *, redo: bool = False) -> list[dict[str, Any]]:
        where = "is_current = 1" if redo else "analysis_status = 'pending'"
        rows = self.conn.execute(
            f"SELECT id, title, text, published, language, url FROM articles WHERE {where} ORDER BY id LIMIT ?",
            (limit,),
        ).fetchall()
        return [dict(r) for r in rows]

    def save_analyses(self, items: list[tuple[int, Analysis]]) -> None:
        with self.transaction() as conn:
            for article_id, analysis in items:
                _analysis.save_analysis(conn, article_id, analysis, self._actor_cache)

    def mark_analysis_failed(self, article_id: int, reason: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE articles SET analysis_status = 'failed', analysis_note = ? WHERE id = ?", (reason, article_id)
            )

    def reset_analysis(self) -> int:
        with self.transaction() as conn:
            return conn.execute("UPDATE articles SET analysis_status = 'pending' WHERE is_current = 1").rowcount

    # -- reads ----------------------------------------------------------------
    def article(self, article_id: int, *, with_analysis: bool = True) -> dict[str, Any]:
        out = _queries.get_article(self.conn, article_id)
        if with_analysis:
            out.update(_analysis.article_analysis(self.conn, article_id))
        return out

    def search(self, query: str, **kw) -> dict[str, Any]:
        return _queries.search(self.conn, query, **kw)

    def list_articles(self, **kw) -> list[dict[str, Any]]:
        return _queries.list_articles(self.conn, **kw)

    def stats(self) -> dict[str, Any]:
        return _queries.stats(self.conn)

    def raw_content(self, document_id: int) -> bytes:
        return _articles.raw_content(self.conn, document_id)
