"""Writing documents and articles: idempotent, versioned ingest."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from dataclasses import dataclass

from ..models import Article, RawDocument
from .db import utcnow


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_hash(text: str) -> str:
    normal = " ".join(text.split()).lower()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass
class DocumentCheck:
    """What the store already knows about a raw document, before extraction."""

    status: str  # "new" | "duplicate" | "new_version"
    existing_id: int | None = None  # the duplicate's document id, or the superseded version
    version: int = 1
    hash: str = ""


@dataclass
class StoredArticle:
    status: str  # "added" | "new_version" | "duplicate" | "unchanged"
    article_id: int | None
    document_id: int | None


def check_document(conn: sqlite3.Connection, raw: RawDocument) -> DocumentCheck:
    h = content_hash(raw.content)
    row = conn.execute("SELECT id FROM documents WHERE content_hash = ?", (h,)).fetchone()
    if row:
        return DocumentCheck("duplicate", row[0], hash=h)
    if raw.url:
        row = conn.execute(
            "SELECT id, version FROM documents WHERE url = ? ORDER BY version DESC LIMIT 1", (raw.url,)
        ).fetchone()
        if row:
            return DocumentCheck("new_version", row[0], row[1] + 1, hash=h)
    return DocumentCheck("new", hash=h)


def source_id(conn: sqlite3.Connection, name: str, kind: str = "file", url: str | None = None,
              title: str | None = None, language: str | None = None) -> int:
    row = conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
    if row:
        if title or language:
            conn.execute(
                "UPDATE sources SET title = coalesce(?, title), language = coalesce(?, language) WHERE id = ?",
                (title, language, row[0]),
            )
        return row[0]
    cur = conn.execute(
        "INSERT INTO sources(name, kind, url, title, language, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (name, kind, url, title, language, utcnow()),
    )
    return cur.lastrowid


def compress_raw(data: bytes) -> bytes:
    """How raw bytes are kept: zlib level 1 (fast; HTML still shrinks about 4x)."""
    return zlib.compress(data, 1)


def store_article(conn: sqlite3.Connection, raw: RawDocument, article: Article, check: DocumentCheck,
                  source: int | None, blob: bytes | None = None) -> StoredArticle:
    """Insert the document and its article in the caller's transaction (``blob``: the raw bytes already
    compressed with ``compress_raw``, when the caller did it while extracting)."""
    if check.status == "duplicate":
        return StoredArticle("duplicate", None, check.existing_id)
    th = text_hash(article.text)
    if check.status == "new_version":
        # Same URL, new bytes: if the clean text did not change (ads, tokens), nothing new happened.
        row = conn.execute(
            "SELECT a.id FROM articles a JOIN documents d ON d.id = a.document_id"
            " WHERE d.url = ? AND a.is_current = 1 AND a.text_hash = ?",
            (raw.url, th),
        ).fetchone()
        if row:
            return StoredArticle("unchanged", row[0], check.existing_id)
    cur = conn.execute(
        "INSERT INTO documents(source_id, url, path, content_hash, raw, raw_size, kind, encoding_hint,"
        " published_hint, fetched_at, version, supersedes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            source, raw.url, raw.path, check.hash, blob if blob is not None else compress_raw(raw.content), len(raw.content), raw.kind,
            raw.encoding_hint, raw.published_hint, raw.fetched_at or utcnow(), check.version,
            check.existing_id if check.status == "new_version" else None,
        ),
    )
    doc_id = cur.lastrowid
    if check.status == "new_version":
        conn.execute(
            "UPDATE articles SET is_current = 0 WHERE document_id IN (SELECT id FROM documents WHERE url = ?)",
            (raw.url,),
        )
    cur = conn.execute(
        "INSERT INTO articles(document_id, url, canonical_url, title, published, published_day, modified, authors,"
        " language, site_name, description, tags, image, text, text_hash, word_count, created_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            doc_id, article.url, article.canonical_url, article.title, article.published,
            article.published[:10] if article.published else None, article.modified,
            json.dumps(article.authors, ensure_ascii=False), article.language, article.site_name,
            article.description, json.dumps(article.tags, ensure_ascii=False), article.image, article.text, th,
            len(article.text.split()), utcnow(),
        ),
    )
    status = "new_version" if check.status == "new_version" else "added"
    return StoredArticle(status, cur.lastrowid, doc_id)


def raw_content(conn: sqlite3.Connection, document_id: int) -> bytes:
    row = conn.execute("SELECT raw FROM documents WHERE id = ?", (document_id,)).fetchone()
    return zlib.decompress(row[0]) if row else b""


def record_failure(conn: sqlite3.Connection, item: str, reason: str) -> None:
    conn.execute("INSERT INTO ingest_failures(item, reason, at) VALUES (?, ?, ?)", (item, reason, utcnow()))
