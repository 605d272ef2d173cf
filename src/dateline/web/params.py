"""Query parameters shared by pages: parsed, validated and turned back into shareable URLs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Query, Request
from fastapi.templating import Jinja2Templates

from ..errors import DatelineError, InputError
from ..store.events import EventFilters
from ..store.queries import check_date
from ..store.web_queries import ArticleFilters

CODE_PATTERN = r"^[A-Za-z]{3}$"
PERIOD_PATTERN = r"^(day|week|month|year)$"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class NotAvailable(DatelineError):
    """A capability this installation does not have yet (stories, exports)."""

    code = "not_available"
    status = 501


def url(path: str, params: dict[str, Any] | None = None, **changes: Any) -> str:
    """``path`` with ``params`` updated by ``changes``; None or '' removes a parameter."""
    merged = {**(params or {}), **changes}
    clean = {k: v for k, v in merged.items() if v not in (None, "", False)}
    return path + ("?" + urlencode(clean) if clean else "")


def seg(value: str) -> str:
    """One path segment (an actor name may hold spaces or slashes)."""
    return quote(str(value), safe="")


def period_range(period: str, by: str) -> tuple[str, str]:
    """First and last day (or prefix) a chart period covers, for drill-down filters."""
    if by == "week":
        start = dt.date.fromisoformat(period)
        return period, (start + dt.timedelta(days=6)).isoformat()
    return period, period


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200):
    templates: Jinja2Templates = request.app.state.templates
    base = {"write_enabled": bool(request.app.state.write_token), "nav_query": ""}
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)


def _quad(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        q = int(value)
    except ValueError:
        raise InputError(f"quad_class must be 1, 2, 3 or 4; got {value!r}") from None
    if q not in (1, 2, 3, 4):
        raise InputError(f"quad_class must be 1, 2, 3 or 4; got {value!r}")
    return q


@dataclass
class EventQuery:
    """Event-list filters as they arrive in a URL (and go back into one)."""

    filters: EventFilters
    params: dict[str, Any]


def event_query(
    actor: Annotated[str | None, Query(max_length=200, description="actor: alpha-3 country or a name")] = None,
    recipient: Annotated[str | None, Query(max_length=200)] = None,
    dyad: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}-[A-Za-z]{3}$", description="e.g. USA-CHN, either direction")] = None,
    type: Annotated[str | None, Query(max_length=20, description="PLOVER event type")] = None,
    mode: Annotated[str | None, Query(max_length=40)] = None,
    quad_class: Annotated[str | None, Query(description="1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict")] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    since: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")] = None,
    place: Annotated[str | None, Query(pattern=CODE_PATTERN, description="country of the event location")] = None,
    q: Annotated[str | None, Query(max_length=500, description="full-text query over the articles")] = None,
    article_id: Annotated[int | None, Query(ge=1)] = None,
    world_event_id: Annotated[int | None, Query(ge=1, description="copies of one world event")] = None,
) -> EventQuery:
    check_date(since, "since")
    check_date(until, "until")
    f = EventFilters(actor=actor or None, recipient=recipient or None,
                     dyad=tuple(dyad.upper().split("-")) if dyad else None,  # type: ignore[arg-type]
                     type=type or None, mode=mode or None, quad_class=_quad(quad_class), status=status or None,
                     since=since or None, until=until or None, place=place or None, query=(q or "").strip() or None,
                     article_id=article_id, world_event_id=world_event_id)
    f.validate()
    params = {"actor": actor, "recipient": recipient, "dyad": dyad, "type": type, "mode": mode,
              "quad_class": quad_class, "status": status, "since": since, "until": until, "place": place, "q": q,
              "article_id": article_id, "world_event_id": world_event_id}
    return EventQuery(f, {k: v for k, v in params.items() if v not in (None, "")})


@dataclass
class SearchQuery:
    query: str
    filters: ArticleFilters
    params: dict[str, Any]
    limit: int
    offset: int
    by: str


def search_query(
    q: Annotated[str, Query(max_length=500, description="FTS5 query; plain words work")] = "",
    source: Annotated[str | None, Query(max_length=200)] = None,
    language: Annotated[str | None, Query(max_length=12)] = None,
    actor: Annotated[str | None, Query(max_length=200, description="articles with an event involving this actor")] = None,
    type: Annotated[str | None, Query(max_length=20, description="articles with an event of this PLOVER type")] = None,
    quad_class: Annotated[str | None, Query()] = None,
    since: Annotated[str | None, Query(description="published on or after (YYYY[-MM[-DD]])")] = None,
    until: Annotated[str | None, Query(description="published on or before (YYYY[-MM[-DD]])")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    by: Annotated[str, Query(pattern=PERIOD_PATTERN, description="timeline period")] = "month",
) -> SearchQuery:
    f = ArticleFilters(since=since or None, until=until or None, language=language or None, source=source or None,
                       actor=actor or None, type=type or None, quad_class=_quad(quad_class))
    f.to_search_filters()  # validates dates, language, type
    params = {"q": q.strip(), "source": source, "language": language, "actor": actor, "type": type,
              "quad_class": quad_class, "since": since, "until": until}
    return SearchQuery(q.strip(), f, {k: v for k, v in params.items() if v not in (None, "")}, limit, offset, by)
