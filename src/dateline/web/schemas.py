"""Response models of the JSON twins; they make the OpenAPI document describe real shapes.

Models allow extra fields so a store that grows columns does not break the API, but every
field the pages rely on is declared and typed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    error: str = Field(description="machine-readable code, e.g. bad_input or not_found")
    message: str
    status: int
    detail: str | None = None


class ArticleRef(_Open):
    id: int
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    site_name: str | None = None
    snippet: str | None = None


class CountryCount(_Open):
    country: str | None
    events: int
    mean_score: float | None = None


class DyadCount(_Open):
    a: str
    b: str
    events: int
    mean_score: float | None = None


class QuadPoint(_Open):
    period: str
    quad_class: int | None = None
    events: int


class HomeOut(BaseModel):
    stats: dict[str, Any]
    latest_articles: list[ArticleRef]
    stories: list[dict[str, Any]] | None = Field(description="null while the store has no stories")
    top_actors: list[CountryCount]
    top_dyads: list[DyadCount]
    volume: list[QuadPoint]


class FacetValue(BaseModel):
    value: str | int | None
    count: int
    url: str = Field(description="the search with this facet applied")


class TimelinePoint(BaseModel):
    period: str
    count: int


class SearchOut(BaseModel):
    query: str
    filters: dict[str, Any]
    total: int
    total_is_lower_bound: bool = Field(False, description="true when more than `total` articles match")
    ranked: bool = Field(False, description="hits ordered by relevance (bm25); false = newest first")
    facets_sampled: bool = Field(False, description="facet counts cover only the first matches")
    limit: int
    offset: int
    hits: list[ArticleRef]
    facets: dict[str, list[FacetValue]]
    timeline: list[TimelinePoint] | None = Field(None, description="matches per period (JSON twin only)")
    links: dict[str, str]


class Mention(_Open):
    sentence_index: int
    sentence: str
    start: int
    end: int
    trigger: str


class EventOut(_Open):
    id: int
    article_id: int
    type: str
    mode: str | None = None
    status: str
    actor_text: str | None = None
    actor_country: str | None = None
    recipient_text: str | None = None
    recipient_country: str | None = None
    location_name: str | None = None
    date_value: str | None = None
    attribution_text: str | None = None
    sentence: str
    trigger: str
    quad_class: int | None = None
    score: float | None = None
    explain: str
    mentions: list[Mention] = []


class Entity(_Open):
    text: str
    label: str
    start: int
    end: int


class TimeExpr(_Open):
    text: str
    start: int
    end: int
    value: str | None = None


class PlaceOut(_Open):
    text: str
    start: int
    end: int
    name: str
    country: str | None = None


class ArticleOut(_Open):
    id: int
    title: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    text: str
    authors: list[str] = []
    source: dict[str, Any] | None = None
    entities: list[Entity]
    times: list[TimeExpr]
    places: list[PlaceOut]
    events: list[EventOut]
    relations: dict[str, Any] | None = Field(None, description="duplicates/translations/related; null until stories exist")


class StoryOut(_Open):
    id: int


class ActorOut(BaseModel):
    actor: str
    as_actor: dict[str, int]
    as_recipient: dict[str, int]
    series_as_actor: list[QuadPoint]
    series_as_recipient: list[QuadPoint]
    top_recipients: list[CountryCount]
    top_actors: list[CountryCount]
    by_type: list[dict[str, Any]]


class RelationPoint(QuadPoint):
    mean_score: float | None = None
    event_ids: list[int]
    url: str = Field(description="drill-down: this point's events and their sentences")


class RelationsOut(BaseModel):
    actor: str
    recipient: str
    directed: bool
    by: str
    points: list[RelationPoint]
    series: list[dict[str, Any]]


class EventsOut(BaseModel):
    filters: dict[str, Any]
    total: dict[str, int]
    limit: int
    offset: int
    events: list[EventOut]
    exports: dict[str, str]


class PlaceCount(_Open):
    name: str | None
    country: str | None = None
    lat: float
    lon: float
    events: int
    mean_score: float | None = None


class MapOut(BaseModel):
    filters: dict[str, Any]
    places: list[PlaceCount]


class NetworkNode(BaseModel):
    id: str
    events: int


class NetworkEdge(_Open):
    source: str
    target: str
    events: int
    mean_score: float | None = None


class NetworkOut(BaseModel):
    filters: dict[str, Any]
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
