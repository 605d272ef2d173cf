"""``dateline load DIR``: a Parquet lake into the SQLite store, then stories and world events.

The lake keeps no raw bytes (the WARCs are the archive), but the store's
``documents`` table wants a raw blob: the extracted text is stored there
(compressed, kind ``text``), while ``content_hash`` keeps the hash of the
original bytes, so loading twice, or ingesting the same page later with
``dateline ingest``, is recognised as a duplicate. Rows go through the store's
own writers (``add_article``, ``save_analyses``).
"""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..errors import InputError
from ..models import (
    Actor,
    Analysis,
    Article,
    EntityMention,
    Event,
    EventArgument,
    EventMention,
    Place,
    RawDocument,
    TimeExpression,
)
from ..store.articles import DocumentCheck
from . import schema
from .manifest import MANIFEST

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    articles: int = 0
    added: int = 0
    duplicates: int = 0
    events: int = 0
    stories: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "added": self.added, "duplicates": self.duplicates,
                "events": self.events, "stories": self.stories}


def months(lake: Path) -> list[str]:
    folder = lake / "articles"
    return sorted(p.name.split("=", 1)[1] for p in folder.glob("month=*") if p.is_dir()) if folder.exists() else []


def _read_month(lake: Path, table: str, month: str) -> list[dict[str, Any]]:
    folder = lake / table / f"month={month}"
    rows: list[dict[str, Any]] = []
    for f in sorted(folder.glob("*.parquet")) if folder.exists() else []:
        rows.extend(pq.read_table(f, schema=schema.SCHEMAS[table]).to_pylist())
    return rows


def _by_article(rows: list[dict[str, Any]], key: str = "article_id") -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    for v in out.values():
        v.sort(key=lambda r: r["idx"])
    return out


def _argument(r: dict[str, Any], prefix: str) -> EventArgument | None:
    vals = {k: r.get(f"{prefix}_{k}") for k in ("text", "name", "country", "sector", "role", "id")}
    if all(v is None for v in vals.values()):
        return None
    return EventArgument(text=vals["text"] or "", name=vals["name"], country=vals["country"],
                         sector=vals["sector"], role=vals["role"], id=vals["id"])


def _event(r: dict[str, Any], mentions: list[dict[str, Any]]) -> Event:
    loc = None
    if any(r[k] is not None for k in ("location_text", "location_name", "location_country", "lat", "lon")):
        loc = Place(text=r["location_text"] or "", start=0, end=0, name=r["location_name"] or "",
                    country=r["location_country"], lat=r["lat"], lon=r["lon"], geonames_id=r["geonames_id"])
    date = None
    if any(r[k] is not None for k in ("date_text", "date_value", "date_start", "date_end")):
        date = TimeExpression(text=r["date_text"] or "", start=0, end=0, value=r["date_value"],
                              precision=r["date_precision"], start_date=r["date_start"], end_date=r["date_end"])
    att = None
    if any(r[k] is not None for k in ("attribution_text", "attribution_country", "attribution_sector")):
        att = EventArgument(text=r["attribution_text"] or "", country=r["attribution_country"],
                            sector=r["attribution_sector"])
    return Event(
        type=r["type"], mode=r["mode"], status=r["status"], sentence=r["sentence"], start=r["start"], end=r["end"],
        trigger=r["trigger"], sentence_index=r["sentence_index"], contexts=list(r["contexts"] or []),
        actor=_argument(r, "actor"), recipient=_argument(r, "recipient"), location=loc, date=date, attribution=att,
        score=r["score"], quad_class=r["quad_class"], cameo=r["cameo"], goldstein=r["goldstein"],
        explain=r["explain"] or "", decided_by=r["decided_by"] or "rules",
        mentions=[EventMention(m["sentence_index"], m["sentence"], m["start"], m["end"], m["trigger"])
                  for m in mentions],
    )


def analysis_from_rows(a: dict[str, Any], entities, places, times, events, mentions_by_event) -> Analysis:
    """Rebuild the typed ``Analysis`` of one lake article (the inverse of rows.document_rows)."""
    article = Article(
        text=a["text"], title=a["title"], url=a["url"], canonical_url=a["canonical_url"], published=a["published"],
        modified=a["modified"], authors=list(a["authors"] or []), language=a["language"], site_name=a["site_name"],
        description=a["description"], tags=list(a["tags"] or []), image=a["image"],
        published_source=a["published_source"],
    )
    ents = []
    for m in entities:
        actor = (Actor(name=m["name"], kind=m["kind"], country=m["country"], sector=m["sector"], role=m["role"],
                       id=m["actor_ext_id"]) if m["name"] is not None and m["kind"] is not None else None)
        ents.append(EntityMention(m["text"], m["label"], m["start"], m["end"], m["sentence"], actor, m["coref_of"],
                                  m["explain"]))
    return Analysis(
        article=article, id=str(a["id"]), analysed=bool(a["analysed"]), note=a["analysis_note"], entities=ents,
        places=[Place(p["text"], p["start"], p["end"], p["name"], p["country"], p["lat"], p["lon"], p["geonames_id"],
                      p["feature"], p["sentence"]) for p in places],
        times=[TimeExpression(t["text"], t["start"], t["end"], t["value"], t["precision"], t["start_date"],
                              t["end_date"], t["sentence"], t["reason"]) for t in times],
        events=[_event(e, mentions_by_event.get(e["id"], [])) for e in events],
    )


def _check(store, url: str | None, content_hash: str) -> DocumentCheck:
    """store.articles.check_document, keyed on the lake's hash of the original bytes."""
    row = store.conn.execute("SELECT id FROM documents WHERE content_hash = ?", (content_hash,)).fetchone()
    if row:
        return DocumentCheck("duplicate", row[0], hash=content_hash)
    if url:
        row = store.conn.execute("SELECT id, version FROM documents WHERE url = ? ORDER BY version DESC LIMIT 1",
                                 (url,)).fetchone()
        if row:
            return DocumentCheck("new_version", row[0], row[1] + 1, hash=content_hash)
    return DocumentCheck("new", hash=content_hash)


def load_lake(lake: str | os.PathLike, store, *, stories: bool = True) -> LoadReport:
    """Add every lake article (with its analysis) not yet in ``store``; then update stories if available."""
    lake = Path(lake)
    if not (lake / MANIFEST).exists():
        raise InputError(f"{lake} is not a dateline lake (no {MANIFEST}); write one with 'dateline batch'")
    report = LoadReport()
    for month in months(lake):
        articles = sorted(_read_month(lake, "articles", month), key=lambda r: r["id"])
        parts = {t: _by_article(_read_month(lake, t, month)) for t in ("entities", "places", "times", "events")}
        mentions = _by_article(_read_month(lake, "mentions", month), key="event_id")
        batch = []
        for a in articles:
            report.articles += 1
            check = _check(store, a["url"], a["content_hash"])
            raw = RawDocument(content=a["text"].encode("utf-8"), url=a["url"], path=a["path"], kind="text",
                              fetched_at=a["fetched_at"], source=a["source"])
            analysis = analysis_from_rows(a, parts["entities"].get(a["id"], []), parts["places"].get(a["id"], []),
                                          parts["times"].get(a["id"], []), parts["events"].get(a["id"], []),
                                          mentions)
            stored = store.add_article(raw, analysis.article, check, source=a["source"],
                                       source_kind=a["source_kind"] or "file")
            if stored.status in ("duplicate", "unchanged"):
                report.duplicates += 1
                continue
            report.added += 1
            report.events += len(analysis.events)
            batch.append((stored.article_id, analysis))
            if len(batch) >= 200:
                store.save_analyses(batch)
                batch = []
        if batch:
            store.save_analyses(batch)
        log.info("loaded month %s: %d articles", month, len(articles))
    if stories:
        report.stories = _update_stories(store)
    return report


def _update_stories(store) -> str | None:
    try:
        from ..stories import update_stories
    except ImportError:
        return None
    result = update_stories(store)
    to_dict = getattr(result, "to_dict", None)
    return str(to_dict() if to_dict else result)
