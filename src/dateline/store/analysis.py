"""Writing and reading what analysis found: mentions, actors, places, times, events."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ..models import Analysis, Event


def _actor_id(conn: sqlite3.Connection, cache: dict, a) -> int:
    key = (a.name, a.kind, a.country, a.sector, a.role)
    if key in cache:
        return cache[key]
    row = conn.execute(
        "SELECT id FROM actors WHERE name IS ? AND kind IS ? AND country IS ? AND sector IS ? AND role IS ?", key
    ).fetchone()
    if row:
        cache[key] = row[0]
        return row[0]
    cur = conn.execute(
        "INSERT INTO actors(name, kind, country, sector, role, ext_id) VALUES (?,?,?,?,?,?)", (*key, a.id)
    )
    cache[key] = cur.lastrowid
    return cur.lastrowid


def clear_analysis(conn: sqlite3.Connection, article_id: int) -> None:
    # The event summary goes first: its delete trigger on events then has nothing left to recheck
    # (migration 0007; the insert trigger rebuilds it as the new events are saved).
    for table in ("article_event_facets", "event_mentions", "events", "mentions", "places", "time_expressions"):
        conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))


def save_analysis(conn: sqlite3.Connection, article_id: int, analysis: Analysis,
                  actor_cache: dict | None = None) -> None:
    """Replace the article's analysis rows (in the caller's transaction)."""
    cache = actor_cache if actor_cache is not None else {}
    clear_analysis(conn, article_id)
    conn.executemany(
        "INSERT INTO mentions(article_id, idx, text, label, start, end, sentence, actor_id, coref_of, explain)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (article_id, i, m.text, m.label, m.start, m.end, m.sentence,
             _actor_id(conn, cache, m.actor) if m.actor else None, m.coref_of, m.explain)
            for i, m in enumerate(analysis.entities)
        ],
    )
    conn.executemany(
        "INSERT INTO places(article_id, text, start, end, sentence, name, country, lat, lon, geonames_id, feature)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [
            (article_id, p.text, p.start, p.end, p.sentence, p.name, p.country, p.lat, p.lon, p.geonames_id, p.feature)
            for p in analysis.places
        ],
    )
    conn.executemany(
        "INSERT INTO time_expressions(article_id, text, start, end, sentence, value, precision, start_date,"
        " end_date, reason) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (article_id, t.text, t.start, t.end, t.sentence, t.value, t.precision, t.start_date, t.end_date, t.reason)
            for t in analysis.times
        ],
    )
    for i, ev in enumerate(analysis.events):
        save_event(conn, article_id, i, ev)
    status = "done" if analysis.analysed else "skipped"
    conn.execute(
        "UPDATE articles SET analysis_status = ?, analysis_note = ? WHERE id = ?",
        (status, analysis.note, article_id),
    )


def _arg(a) -> tuple:
    if a is None:
        return (None,) * 6
    return (a.text, a.name, a.country, a.sector, a.role, a.id)


def save_event(conn: sqlite3.Connection, article_id: int, idx: int, ev: Event) -> int:
    loc, date, att = ev.location, ev.date, ev.attribution
    cur = conn.execute(
        "INSERT INTO events(article_id, idx, type, mode, status, contexts,"
        " actor_text, actor_name, actor_country, actor_sector, actor_role, actor_id,"
        " recipient_text, recipient_name, recipient_country, recipient_sector, recipient_role, recipient_id,"
        " location_text, location_name, location_country, lat, lon, geonames_id,"
        " date_text, date_value, date_precision, date_start, date_end,"
        " attribution_text, attribution_country, attribution_sector,"
        " sentence, sentence_index, start, end, trigger, score, quad_class, cameo, goldstein, explain, decided_by)"
        " VALUES (" + ",".join("?" * 43) + ")",
        (
            article_id, idx, ev.type, ev.mode, ev.status, json.dumps(ev.contexts),
            *_arg(ev.actor), *_arg(ev.recipient),
            *((loc.text, loc.name, loc.country, loc.lat, loc.lon, loc.geonames_id) if loc else (None,) * 6),
            *((date.text, date.value, date.precision, date.start_date, date.end_date) if date else (None,) * 5),
            *((att.text, att.country, att.sector) if att else (None,) * 3),
            ev.sentence, ev.sentence_index, ev.start, ev.end, ev.trigger, ev.score, ev.quad_class, ev.cameo,
            ev.goldstein, ev.explain, ev.decided_by,
        ),
    )
    event_id = cur.lastrowid
    mentions = ev.mentions or []
    if not mentions:
        conn.execute(
            "INSERT INTO event_mentions(event_id, article_id, sentence_index, sentence, start, end, trigger)"
            " VALUES (?,?,?,?,?,?,?)",
            (event_id, article_id, ev.sentence_index, ev.sentence, ev.start, ev.end, ev.trigger),
        )
    conn.executemany(
        "INSERT INTO event_mentions(event_id, article_id, sentence_index, sentence, start, end, trigger)"
        " VALUES (?,?,?,?,?,?,?)",
        [(event_id, article_id, m.sentence_index, m.sentence, m.start, m.end, m.trigger) for m in mentions],
    )
    return event_id


def article_analysis(conn: sqlite3.Connection, article_id: int) -> dict[str, Any]:
    """The stored analysis of one article, in the shapes of the analyze contract."""
    mentions = [
        dict(r) for r in conn.execute(
            "SELECT m.text, m.label, m.start, m.end, m.sentence, a.name, a.kind, a.country, a.sector, a.role,"
            " a.ext_id AS id, m.explain FROM mentions m LEFT JOIN actors a ON a.id = m.actor_id"
            " WHERE m.article_id = ? ORDER BY m.start", (article_id,))
    ]
    places = [dict(r) for r in conn.execute(
        "SELECT text, start, end, name, country, lat, lon, geonames_id, feature FROM places"
        " WHERE article_id = ? ORDER BY start", (article_id,))]
    times = [dict(r) for r in conn.execute(
        "SELECT text, start, end, value, precision, start_date, end_date, reason FROM time_expressions"
        " WHERE article_id = ? ORDER BY start", (article_id,))]
    events = [dict(r) for r in conn.execute(
        "SELECT * FROM events WHERE article_id = ? ORDER BY idx", (article_id,))]
    for e in events:
        e["contexts"] = json.loads(e["contexts"] or "[]")
    return {"entities": mentions, "places": places, "times": times, "events": events}
