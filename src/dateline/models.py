"""Typed records passed between pipeline stages.

Each stage takes one of these and returns the next; none of them touches the
database or the network. ``to_dict`` methods give the JSON shapes of the
``dateline analyze --json`` contract (docs/analysis-json.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RawDocument:
    """Bytes as they arrived, plus what the source knew about them."""

    content: bytes
    url: str | None = None
    path: str | None = None
    kind: str = "html"  # "html" or "text"
    fetched_at: str | None = None  # ISO-8601, UTC
    published_hint: str | None = None  # e.g. from a feed entry or a JSONL line
    title_hint: str | None = None
    encoding_hint: str | None = None  # charset from HTTP headers
    source: str | None = None  # source name (feed title, host, folder)
    doc_id: str | None = None  # caller's id (JSONL "id")


@dataclass
class Article:
    """A clean article: what extraction yields."""

    text: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    published: str | None = None  # ISO-8601, with time and offset when known
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    published_source: str | None = None  # where the date came from (stamp line, metadata, hint)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "published": self.published,
            "modified": self.modified,
            "authors": list(self.authors),
            "language": self.language,
            "site_name": self.site_name,
            "description": self.description,
            "tags": list(self.tags),
            "image": self.image,
            "text": self.text,
        }


@dataclass
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass
class Actor:
    """A resolved actor: who a mention refers to."""

    name: str
    kind: str  # person | organisation | country | group
    country: str | None = None  # ISO 3166-1 alpha-3
    sector: str | None = None  # PLOVER sector code (GOV, MIL, MED, ...)
    role: str | None = None
    id: str | None = None  # stable id (Wikidata Q-id where known)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EntityMention:
    """One span of text naming a person, organisation, country or place."""

    text: str
    label: str  # PERSON | ORG | GPE | LOC | NORP | ...
    start: int  # character offsets into Article.text
    end: int
    sentence: int = 0
    actor: Actor | None = None
    coref_of: int | None = None  # index of the mention this one links back to
    explain: str | None = None  # which rule or list resolved it

    def to_dict(self) -> dict[str, Any]:
        a = self.actor
        return {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "name": a.name if a else None,
            "kind": a.kind if a else None,
            "country": a.country if a else None,
            "sector": a.sector if a else None,
            "role": a.role if a else None,
            "id": a.id if a else None,
            "explain": self.explain,
        }


@dataclass
class Place:
    text: str
    start: int
    end: int
    name: str
    country: str | None = None  # None for international waters
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    feature: str | None = None  # country | city | region | sea | ...
    sentence: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "feature": self.feature,
        }


@dataclass
class TimeExpression:
    text: str
    start: int
    end: int
    value: str | None = None  # "2023-06-16", "2023-02", "2023-02-01/2023-02-10", "2023-06-14T16:04"
    precision: str | None = None  # minute|hour|day|week|month|season|year
    start_date: str | None = None
    end_date: str | None = None
    sentence: int = 0
    reason: str | None = None  # why value is null, or the rule that resolved it

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "precision": self.precision,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "reason": self.reason,
        }


@dataclass
class EventArgument:
    """An actor or recipient of an event, as the text named it."""

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    id: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "role": self.role,
            "id": self.id,
        }


@dataclass
class EventMention:
    sentence_index: int
    sentence: str
    start: int
    end: int
    trigger: str


@dataclass
class Event:
    type: str  # PLOVER 2.0 type
    mode: str | None
    status: str  # occurred | planned | negated | hypothetical
    sentence: str
    start: int
    end: int
    trigger: str
    sentence_index: int = 0
    contexts: list[str] = field(default_factory=list)
    actor: EventArgument | None = None
    recipient: EventArgument | None = None
    location: Place | None = None
    date: TimeExpression | None = None
    attribution: EventArgument | None = None
    score: float | None = None
    quad_class: int | None = None
    cameo: str | None = None
    goldstein: float | None = None
    explain: str = ""
    decided_by: str = "rules"  # rules | classifier
    mentions: list[EventMention] = field(default_factory=list)
    content: frozenset[str] = field(default_factory=frozenset, repr=False)  # clause lemmas, for merging

    def to_dict(self) -> dict[str, Any]:
        loc = self.location
        return {
            "type": self.type,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "status": self.status,
            "actor": self.actor.to_dict() if self.actor else None,
            "recipient": self.recipient.to_dict() if self.recipient else None,
            "location": (
                {"text": loc.text, "name": loc.name, "country": loc.country, "lat": loc.lat, "lon": loc.lon}
                if loc
                else None
            ),
            "date": (
                {
                    "text": self.date.text,
                    "value": self.date.value,
                    "precision": self.date.precision,
                    "start_date": self.date.start_date,
                    "end_date": self.date.end_date,
                }
                if self.date
                else None
            ),
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "trigger": self.trigger,
            "score": self.score,
            "quad_class": self.quad_class,
            "cameo": self.cameo,
            "goldstein": self.goldstein,
            "explain": self.explain,
            "decided_by": self.decided_by,
            "mentions": [asdict(m) for m in self.mentions],
        }


@dataclass
class Analysis:
    """Everything dateline knows about one article."""

    article: Article
    id: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[EntityMention] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    analysed: bool = False
    note: str | None = None  # e.g. "not analysed (language de)"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article.to_dict(),
            "analysed": self.analysed,
            "note": self.note,
            "entities": [e.to_dict() for e in self.entities],
            "places": [p.to_dict() for p in self.places],
            "times": [t.to_dict() for t in self.times],
            "events": [e.to_dict() for e in self.events],
        }
