"""dateline's own shapes: JSON Lines (the analyze contract's event fields), CSV and Parquet
(every events column plus the joined article columns)."""

from __future__ import annotations

import sqlite3
from typing import Any

from .context import ExportContext, contexts_list

# Columns iter_events joins from the article, after the events table's own columns.
JOINED = (("event_date", "TEXT"), ("article_url", "TEXT"), ("article_title", "TEXT"), ("article_published", "TEXT"),
          ("article_site", "TEXT"), ("article_language", "TEXT"), ("article_length", "INTEGER"))


def table_columns(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(name, SQLite type) of every exported column, known even when no event matches."""
    own = [(r[1], (r[2] or "TEXT").upper()) for r in conn.execute("PRAGMA table_info(events)")]
    return own + [c for c in JOINED if c[0] not in {n for n, _ in own}]


def flat_row(ev: dict[str, Any], columns: list[str]) -> list[Any]:
    out = []
    for name in columns:
        value = ev.get(name)
        if name == "contexts":
            value = ";".join(contexts_list(value))
        out.append(value)
    return out


def _arg(ev: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    keys = ("text", "name", "country", "sector", "role", "id")
    if not any(ev.get(f"{prefix}_{k}") for k in keys):
        return None
    return {k: ev.get(f"{prefix}_{k}") for k in keys}


def json_record(ev: dict[str, Any], ctx: ExportContext) -> dict[str, Any]:
    """An event in the analyze contract's shape, with its ids, article and mentions."""
    loc = None
    if ev.get("location_text") or ev.get("location_name"):
        loc = {"text": ev.get("location_text"), "name": ev.get("location_name"),
               "country": ev.get("location_country"), "lat": ev.get("lat"), "lon": ev.get("lon"),
               "geonames_id": ev.get("geonames_id")}
    date = None
    if ev.get("date_text") or ev.get("date_value"):
        date = {k: ev.get(f"date_{k}") for k in ("text", "value", "precision", "start", "end")}
        date["start_date"], date["end_date"] = date.pop("start"), date.pop("end")
    attribution = None
    if ev.get("attribution_text"):
        attribution = {"text": ev.get("attribution_text"), "country": ev.get("attribution_country"),
                       "sector": ev.get("attribution_sector")}
    return {
        "id": ev["id"],
        "world_event_id": ev.get("world_event_id"),
        "event_date": ev.get("event_date"),
        "type": ev.get("type"),
        "mode": ev.get("mode"),
        "contexts": contexts_list(ev.get("contexts")),
        "status": ev.get("status"),
        "actor": _arg(ev, "actor"),
        "recipient": _arg(ev, "recipient"),
        "location": loc,
        "date": date,
        "attribution": attribution,
        "sentence": ev.get("sentence"),
        "sentence_index": ev.get("sentence_index"),
        "start": ev.get("start"),
        "end": ev.get("end"),
        "trigger": ev.get("trigger"),
        "score": ev.get("score"),
        "quad_class": ev.get("quad_class"),
        "cameo": ev.get("cameo"),
        "goldstein": ev.get("goldstein"),
        "explain": ev.get("explain"),
        "decided_by": ev.get("decided_by"),
        "mentions": ctx.event_mentions(ev),
        "article": {"id": ev.get("article_id"), "url": ev.get("article_url"), "title": ev.get("article_title"),
                    "published": ev.get("article_published"), "site": ev.get("article_site"),
                    "language": ev.get("article_language")},
    }


def arrow_schema(columns: list[tuple[str, str]]):
    import pyarrow as pa

    def kind(name: str, sql_type: str):
        if name == "contexts":
            return pa.list_(pa.string())
        if "INT" in sql_type:
            return pa.int64()
        if sql_type in ("REAL", "FLOAT", "DOUBLE"):
            return pa.float64()
        return pa.string()

    return pa.schema([(name, kind(name, t)) for name, t in columns])


def arrow_record(ev: dict[str, Any], names: list[str]) -> dict[str, Any]:
    out = {n: ev.get(n) for n in names}
    if "contexts" in out:
        out["contexts"] = contexts_list(out["contexts"])
    return out
