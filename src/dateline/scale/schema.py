"""The Parquet lake's tables: names, column types, and deterministic ids.

Columns mirror the SQLite store (store/migrations) so the same SQL shapes work
over both, with two differences: list-valued fields (authors, tags, contexts)
are Parquet lists instead of JSON strings, and ids are 52-bit hashes of the
document (not autoincrement integers), so two runs, two engines or a resumed
run give the same ids. 52 bits keep them exact in JavaScript; the chance of any
collision stays below one in a hundred up to ~10 million articles.
"""

from __future__ import annotations

import hashlib

import pyarrow as pa

MONTH_UNKNOWN = "unknown"

_s, _i, _f, _b = pa.string(), pa.int64(), pa.float64(), pa.bool_()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        ("id", _i), ("doc_key", _s), ("url", _s), ("canonical_url", _s), ("title", _s), ("published", _s),
        ("published_day", _s), ("modified", _s), ("authors", pa.list_(_s)), ("language", _s),
        ("site_name", _s), ("description", _s), ("tags", pa.list_(_s)), ("image", _s), ("text", _s),
        ("text_hash", _s), ("content_hash", _s), ("raw_size", _i), ("word_count", _i), ("source", _s),
        ("source_kind", _s), ("path", _s), ("fetched_at", _s), ("published_source", _s), ("input", _s),
        ("analysed", _b), ("analysis_status", _s), ("analysis_note", _s), ("sentence_count", _i),
    ]),
    "entities": pa.schema([
        ("article_id", _i), ("idx", _i), ("text", _s), ("label", _s), ("start", _i), ("end", _i),
        ("sentence", _i), ("name", _s), ("kind", _s), ("country", _s), ("sector", _s), ("role", _s),
        ("actor_ext_id", _s), ("coref_of", _i), ("explain", _s),
    ]),
    "places": pa.schema([
        ("article_id", _i), ("idx", _i), ("text", _s), ("start", _i), ("end", _i), ("sentence", _i),
        ("name", _s), ("country", _s), ("lat", _f), ("lon", _f), ("geonames_id", _i), ("feature", _s),
    ]),
    "times": pa.schema([
        ("article_id", _i), ("idx", _i), ("text", _s), ("start", _i), ("end", _i), ("sentence", _i),
        ("value", _s), ("precision", _s), ("start_date", _s), ("end_date", _s), ("reason", _s),
    ]),
    "events": pa.schema([
        ("id", _i), ("article_id", _i), ("idx", _i), ("type", _s), ("mode", _s), ("status", _s),
        ("contexts", pa.list_(_s)),
        ("actor_text", _s), ("actor_name", _s), ("actor_country", _s), ("actor_sector", _s), ("actor_role", _s),
        ("actor_id", _s),
        ("recipient_text", _s), ("recipient_name", _s), ("recipient_country", _s), ("recipient_sector", _s),
        ("recipient_role", _s), ("recipient_id", _s),
        ("location_text", _s), ("location_name", _s), ("location_country", _s), ("lat", _f), ("lon", _f),
        ("geonames_id", _i),
        ("date_text", _s), ("date_value", _s), ("date_precision", _s), ("date_start", _s), ("date_end", _s),
        ("attribution_text", _s), ("attribution_country", _s), ("attribution_sector", _s),
        ("sentence", _s), ("sentence_index", _i), ("start", _i), ("end", _i), ("trigger", _s), ("score", _f),
        ("quad_class", _i), ("cameo", _s), ("goldstein", _f), ("explain", _s), ("decided_by", _s),
    ]),
    "mentions": pa.schema([
        ("event_id", _i), ("article_id", _i), ("idx", _i), ("sentence_index", _i), ("sentence", _s),
        ("start", _i), ("end", _i), ("trigger", _s),
    ]),
}
TABLES = tuple(SCHEMAS)
# Sort keys that make a table's content comparable regardless of file layout or engine.
SORT_KEYS: dict[str, list[str]] = {
    "articles": ["id"], "entities": ["article_id", "idx"], "places": ["article_id", "idx"],
    "times": ["article_id", "idx"], "events": ["id"], "mentions": ["event_id", "idx"],
}


def sha1_hex(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def doc_key(url: str | None, content_hash: str) -> str:
    """The document's identity: its URL and the hash of its bytes (a re-crawled changed page is a new document)."""
    return sha1_hex(f"{url or ''}\x00{content_hash}")


def id52(key: str) -> int:
    return int(sha1_hex(key)[:13], 16)


def article_id(key: str) -> int:
    return int(key[:13], 16)


def event_id(article: int, idx: int) -> int:
    return id52(f"event:{article}:{idx}")


def month_of(published: str | None) -> str:
    """Hive partition value: YYYY-MM of the publication date, or 'unknown'."""
    if published and len(published) >= 7 and published[:4].isdigit() and published[5:7].isdigit():
        return published[:7]
    return MONTH_UNKNOWN


def empty_table(name: str) -> pa.Table:
    return SCHEMAS[name].empty_table()
