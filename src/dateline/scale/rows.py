"""One analysed document as rows of the lake's tables (see schema.py).

The event columns and the event-mention rule (an event with no merged mentions
is stated by its own sentence) follow store/analysis.py ``save_event``, so
loading a lake into SQLite gives what ``dateline ingest`` would have stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..models import Analysis, Event, RawDocument
from ..store.articles import text_hash
from . import schema


@dataclass
class DocumentRows:
    """The rows of one article, keyed by table name, and its month partition."""

    month: str
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _arg(prefix: str, a) -> dict[str, Any]:
    keys = ("text", "name", "country", "sector", "role", "id")
    return {f"{prefix}_{k}": (getattr(a, k) if a is not None else None) for k in keys}


def event_row(article: int, idx: int, ev: Event) -> dict[str, Any]:
    loc, date, att = ev.location, ev.date, ev.attribution
    row: dict[str, Any] = {
        "id": schema.event_id(article, idx), "article_id": article, "idx": idx, "type": ev.type, "mode": ev.mode,
        "status": ev.status, "contexts": list(ev.contexts),
    }
    row.update(_arg("actor", ev.actor))
    row.update(_arg("recipient", ev.recipient))
    row.update({
        "location_text": loc.text if loc else None, "location_name": loc.name if loc else None,
        "location_country": loc.country if loc else None, "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None, "geonames_id": loc.geonames_id if loc else None,
        "date_text": date.text if date else None, "date_value": date.value if date else None,
        "date_precision": date.precision if date else None, "date_start": date.start_date if date else None,
        "date_end": date.end_date if date else None,
        "attribution_text": att.text if att else None, "attribution_country": att.country if att else None,
        "attribution_sector": att.sector if att else None,
        "sentence": ev.sentence, "sentence_index": ev.sentence_index, "start": ev.start, "end": ev.end,
        "trigger": ev.trigger, "score": ev.score, "quad_class": ev.quad_class, "cameo": ev.cameo,
        "goldstein": ev.goldstein, "explain": ev.explain, "decided_by": ev.decided_by,
    })
    return row


def mention_rows(article: int, event: int, ev: Event) -> list[dict[str, Any]]:
    stated = ev.mentions or []
    if not stated:
        return [{"event_id": event, "article_id": article, "idx": 0, "sentence_index": ev.sentence_index,
                 "sentence": ev.sentence, "start": ev.start, "end": ev.end, "trigger": ev.trigger}]
    return [{"event_id": event, "article_id": article, "idx": i, "sentence_index": m.sentence_index,
             "sentence": m.sentence, "start": m.start, "end": m.end, "trigger": m.trigger}
            for i, m in enumerate(stated)]


def document_rows(raw: RawDocument, content_hash: str, key: str, analysis: Analysis, input_name: str,
                  source_kind: str) -> DocumentRows:
    art = analysis.article
    aid = schema.article_id(key)
    status = "done" if analysis.analysed else "skipped"
    article = {
        "id": aid, "doc_key": key, "url": art.url or raw.url, "canonical_url": art.canonical_url,
        "title": art.title, "published": art.published,
        "published_day": art.published[:10] if art.published else None, "modified": art.modified,
        "authors": list(art.authors), "language": art.language, "site_name": art.site_name,
        "description": art.description, "tags": list(art.tags), "image": art.image, "text": art.text,
        "text_hash": text_hash(art.text), "content_hash": content_hash, "raw_size": len(raw.content),
        "word_count": len(art.text.split()), "source": raw.source, "source_kind": source_kind, "path": raw.path,
        "fetched_at": raw.fetched_at, "published_source": art.published_source, "input": input_name,
        "analysed": analysis.analysed, "analysis_status": status, "analysis_note": analysis.note,
        "sentence_count": len(analysis.sentences),
    }
    entities = []
    for i, m in enumerate(analysis.entities):
        a = m.actor
        entities.append({
            "article_id": aid, "idx": i, "text": m.text, "label": m.label, "start": m.start, "end": m.end,
            "sentence": m.sentence, "name": a.name if a else None, "kind": a.kind if a else None,
            "country": a.country if a else None, "sector": a.sector if a else None, "role": a.role if a else None,
            "actor_ext_id": a.id if a else None, "coref_of": m.coref_of, "explain": m.explain,
        })
    places = [{"article_id": aid, "idx": i, "text": p.text, "start": p.start, "end": p.end, "sentence": p.sentence,
               "name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "geonames_id": p.geonames_id,
               "feature": p.feature} for i, p in enumerate(analysis.places)]
    times = [{"article_id": aid, "idx": i, "text": t.text, "start": t.start, "end": t.end, "sentence": t.sentence,
              "value": t.value, "precision": t.precision, "start_date": t.start_date, "end_date": t.end_date,
              "reason": t.reason} for i, t in enumerate(analysis.times)]
    events, mentions = [], []
    for i, ev in enumerate(analysis.events):
        row = event_row(aid, i, ev)
        events.append(row)
        mentions.extend(mention_rows(aid, row["id"], ev))
    return DocumentRows(
        month=schema.month_of(art.published),
        tables={"articles": [article], "entities": entities, "places": places, "times": times, "events": events,
                "mentions": mentions},
    )
