"""Pages and their JSON twins: home, article, story, actor, relations, events, map, network.

Each page has one function that gathers its data (``*_data``); the ``….json`` route returns
it through a response model and the HTML route renders it. JSON routes are registered
before HTML ones so ``/relations/USA/CHN.json`` never reaches the HTML route.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..errors import NotFound
from ..store.events import EventFilters
from . import charts
from .highlight import segments, spans_from_analysis
from .params import (CODE_PATTERN, PERIOD_PATTERN, EventQuery, NotAvailable, event_query, period_range, render,
                     seg, url)
from .repository import Repository
from .schemas import (ActorOut, ArticleOut, ErrorOut, EventOut, EventsOut, HomeOut, MapOut, NetworkOut,
                      RelationsOut, StoryOut)
from .search import router as search_router

router = APIRouter()
ERRORS = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}, 501: {"model": ErrorOut}}
SVG = {"content": {"image/svg+xml": {}}, "description": "chart as SVG; every data mark has role=graphics-symbol"}
Period = Annotated[str, Query(pattern=PERIOD_PATTERN)]
Code = Annotated[str, Path(pattern=CODE_PATTERN, description="ISO alpha-3 country code")]


def repo(request: Request) -> Repository:
    return request.app.state.repo


def svg_response(chart) -> Response:
    return Response(charts.render(chart), media_type="image/svg+xml", headers={"Cache-Control": "max-age=300"})


def events_url(**params: Any) -> str:
    return url("/events", params)


def quad_point_url(p: dict[str, Any], by: str, **base: Any) -> str:
    since, until = period_range(p["period"], by)
    return events_url(**base, since=since, until=until, quad_class=p.get("quad_class"))


# -- home ----------------------------------------------------------------------------

def home_data(r: Repository, by: str) -> dict[str, Any]:
    return {"stats": r.stats(), "latest_articles": r.latest_articles(10), "stories": r.latest_stories(8),
            "top_actors": r.top_actors(10), "top_dyads": r.top_dyads(10), "volume": r.volume_by_quad(by)}


@router.get("/index.json", response_model=HomeOut, responses=ERRORS, tags=["pages"], summary="Home page data")
def home_json(request: Request, by: Period = "month"):
    return home_data(repo(request), by)


@router.get("/", response_class=HTMLResponse, tags=["pages"], summary="Home page")
def home_page(request: Request, by: Period = "month"):
    return render(request, "home.html", {"data": home_data(repo(request), by), "by": by,
                                         "chart_src": url("/chart/volume.svg", by=by)})


@router.get("/chart/volume.svg", responses={200: SVG}, tags=["charts"], response_class=Response)
def volume_chart(request: Request, by: Period = "month"):
    points = repo(request).volume_by_quad(by)
    return svg_response(charts.quad_stack(points, lambda p: quad_point_url(p, by),
                                          title="World events by quad class"))


# -- article ---------------------------------------------------------------------------

def article_data(r: Repository, article_id: int, *, relations: bool = True) -> dict[str, Any]:
    art = r.article(article_id)
    ids = [e["id"] for e in art["events"]]
    if ids:
        by_id = {e["id"]: e for e in r.events(EventFilters(article_id=article_id), limit=len(ids) + 10, offset=0)}
        for e in art["events"]:
            e["mentions"] = by_id.get(e["id"], {}).get("mentions", [])
    art["relations"] = r.article_relations(article_id) if relations else None
    return art


@router.get("/article/{article_id}.json", response_model=ArticleOut, responses=ERRORS, tags=["pages"],
            summary="One article with entities, times, places and events")
def article_json(request: Request, article_id: int):
    return article_data(repo(request), article_id)


@router.get("/article/{article_id}", response_class=HTMLResponse, tags=["pages"], summary="Article page")
def article_page(request: Request, article_id: int):
    art = article_data(repo(request), article_id, relations=False)  # loaded from /related by app.js
    return render(request, "article.html", {"art": art, "segments": segments(art["text"], spans_from_analysis(art)),
                                            "quad_names": charts.QUAD_NAMES})


@router.get("/article/{article_id}/related", response_class=HTMLResponse, tags=["pages"],
            summary="Duplicates, translations and related articles (HTML fragment)")
def article_related(request: Request, article_id: int):
    r = repo(request)
    r.article(article_id)  # 404 for an unknown id, before the costlier related search
    return render(request, "_related.html", {"relations": r.article_relations(article_id)})


# -- story -------------------------------------------------------------------------------

def story_data(r: Repository, story_id: int) -> dict[str, Any]:
    try:
        story = r.story(story_id)
    except NotFound as exc:
        if "not available" in exc.message:
            raise NotAvailable(exc.message) from exc
        raise
    story["articles"] = sorted(story.get("articles", []), key=lambda a: a.get("published") or "")
    if "sources" not in story:
        hosts: dict[str, int] = {}
        for a in story["articles"]:
            host = urlsplit(a.get("url") or a.get("canonical_url") or "").hostname or "(no URL)"
            hosts[host] = hosts.get(host, 0) + 1
        story["sources"] = [{"name": h, "articles": n} for h, n in sorted(hosts.items(), key=lambda kv: -kv[1])]
    return story


@router.get("/story/{story_id}.json", response_model=StoryOut, responses=ERRORS, tags=["pages"],
            summary="A story: its articles, world events and sources")
def story_json(request: Request, story_id: int):
    return story_data(repo(request), story_id)


@router.get("/story/{story_id}", response_class=HTMLResponse, tags=["pages"], summary="Story page")
def story_page(request: Request, story_id: int):
    try:
        story = story_data(repo(request), story_id)
    except NotAvailable as exc:
        return render(request, "story.html", {"story": None, "message": exc.message}, status_code=501)
    return render(request, "story.html", {"story": story, "message": None})


# -- actor -----------------------------------------------------------------------------------

ActorName = Annotated[str, Path(min_length=1, max_length=200, description="alpha-3 country code or a name")]


@router.get("/actor/{name}.json", response_model=ActorOut, responses=ERRORS, tags=["pages"],
            summary="An actor's events as actor and recipient, top counterparts")
def actor_json(request: Request, name: ActorName, by: Period = "month"):
    return repo(request).actor(name, by)


@router.get("/actor/{name}/chart.svg", responses={200: SVG}, tags=["charts"], response_class=Response)
def actor_chart(request: Request, name: ActorName, by: Period = "month",
                role: Annotated[str, Query(pattern="^(actor|recipient)$")] = "actor"):
    data = repo(request).actor(name, by)
    points = data["series_as_actor" if role == "actor" else "series_as_recipient"]
    return svg_response(charts.quad_stack(points, lambda p: quad_point_url(p, by, **{role: name}),
                                          title=f"{name} as {role}"))


@router.get("/actor/{name}", response_class=HTMLResponse, tags=["pages"], summary="Actor page")
def actor_page(request: Request, name: ActorName, by: Period = "month"):
    data = repo(request).actor(name, by)
    charts_src = {role: url(f"/actor/{seg(name)}/chart.svg", by=by, role=role) for role in ("actor", "recipient")}
    return render(request, "actor.html", {"data": data, "by": by, "charts_src": charts_src, "name": name,
                                          "is_code": len(name) == 3 and name.isalpha()})


# -- relations ---------------------------------------------------------------------------------

def relations_data(r: Repository, a: str, b: str, by: str, directed: bool) -> dict[str, Any]:
    data = r.relation_series(a, b, by, directed)
    base = {"actor": data["actor"], "recipient": data["recipient"]} if directed else \
        {"dyad": f"{data['actor']}-{data['recipient']}"}
    for p in data["points"]:
        p["url"] = quad_point_url(p, by, **base)
    return data


@router.get("/relations/{a}/{b}.json", response_model=RelationsOut, responses=ERRORS, tags=["pages"],
            summary="Cooperation–conflict series of a dyad; each point links to its events")
def relations_json(request: Request, a: Code, b: Code, by: Period = "month", directed: bool = False):
    return relations_data(repo(request), a, b, by, directed)


@router.get("/relations/{a}/{b}/chart.svg", responses={200: SVG}, tags=["charts"], response_class=Response)
def relations_chart(request: Request, a: Code, b: Code, by: Period = "month", directed: bool = False):
    data = relations_data(repo(request), a, b, by, directed)
    arrow = "→" if directed else "↔"
    return svg_response(charts.quad_stack(data["points"], lambda p: p["url"],
                                          title=f"{data['actor']} {arrow} {data['recipient']}"))


@router.get("/relations/{a}/{b}", response_class=HTMLResponse, tags=["pages"], summary="Relations page")
def relations_page(request: Request, a: Code, b: Code, by: Period = "month", directed: bool = False):
    data = relations_data(repo(request), a, b, by, directed)
    src = url(f"/relations/{data['actor']}/{data['recipient']}/chart.svg", by=by, directed=directed)
    return render(request, "relations.html", {"data": data, "chart_src": src, "quad_names": charts.QUAD_NAMES})


# -- events -------------------------------------------------------------------------------------

def export_links(r: Repository, params: dict[str, Any]) -> dict[str, str]:
    return {fmt: url(f"/export/events.{fmt}", params) for fmt in r.export_formats()}


def events_data(r: Repository, eq: EventQuery, limit: int, offset: int) -> dict[str, Any]:
    return {"filters": eq.params, "total": r.count_events(eq.filters), "limit": limit, "offset": offset,
            "events": r.events(eq.filters, limit, offset), "exports": export_links(r, eq.params)}


Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("/events.json", response_model=EventsOut, responses=ERRORS, tags=["pages"],
            summary="A filtered event list with each event's sentences")
def events_json(request: Request, eq: Annotated[EventQuery, Depends(event_query)], limit: Limit = 50,
                offset: Offset = 0):
    return events_data(repo(request), eq, limit, offset)


@router.get("/events", response_class=HTMLResponse, tags=["pages"], summary="Event list page")
def events_page(request: Request, eq: Annotated[EventQuery, Depends(event_query)], limit: Limit = 50,
                offset: Offset = 0):
    data = events_data(repo(request), eq, limit, offset)
    pages = {"next": url("/events", eq.params, offset=offset + limit, limit=limit)
             if offset + limit < data["total"]["events"] else None,
             "prev": url("/events", eq.params, offset=max(0, offset - limit) or None, limit=limit) if offset else None}
    return render(request, "events.html", {"data": data, "pages": pages, "quad_names": charts.QUAD_NAMES,
                                           "json_url": url("/events.json", eq.params)})


@router.get("/export/events.{fmt}", tags=["exports"], responses={**ERRORS, 200: {"description": "the export file"}},
            summary="Export a filtered event list (GDELT, POLECAT, CSV, JSONL, Parquet)")
def export_events(request: Request, fmt: str, eq: Annotated[EventQuery, Depends(event_query)]):
    from .exports import export_response

    return export_response(repo(request), fmt, eq.filters)


@router.get("/event/{event_id}.json", response_model=EventOut, responses=ERRORS, tags=["pages"],
            summary="One event with its explanation and sentences")
def event_json(request: Request, event_id: int):
    return repo(request).event(event_id)


@router.get("/event/{event_id}", response_class=HTMLResponse, tags=["pages"], summary="Event page")
def event_page(request: Request, event_id: int):
    return render(request, "event.html", {"ev": repo(request).event(event_id), "quad_names": charts.QUAD_NAMES})


# -- map and network ----------------------------------------------------------------------------

@router.get("/map.json", response_model=MapOut, responses=ERRORS, tags=["pages"], summary="Events by place")
def map_json(request: Request, eq: Annotated[EventQuery, Depends(event_query)]):
    return {"filters": eq.params, "places": repo(request).events_by_place(eq.filters, 500)}


def _place_url(params: dict[str, Any]):
    return lambda p: events_url(**{**params, "place": p.get("country")})


@router.get("/map/chart.svg", responses={200: SVG}, tags=["charts"], response_class=Response)
def map_chart(request: Request, eq: Annotated[EventQuery, Depends(event_query)]):
    return svg_response(charts.place_map(repo(request).events_by_place(eq.filters, 500), _place_url(eq.params)))


@router.get("/map", response_class=HTMLResponse, tags=["pages"], summary="Map page")
def map_page(request: Request, eq: Annotated[EventQuery, Depends(event_query)]):
    places = repo(request).events_by_place(eq.filters, 500)
    link = _place_url(eq.params)
    return render(request, "map.html", {"places": [{**p, "url": link(p)} for p in places], "params": eq.params,
                                        "chart_src": url("/map/chart.svg", eq.params)})


@router.get("/network.json", response_model=NetworkOut, responses=ERRORS, tags=["pages"],
            summary="Actors linked by events")
def network_json(request: Request, eq: Annotated[EventQuery, Depends(event_query)],
                 limit: Annotated[int, Query(ge=1, le=1000)] = 200):
    return {"filters": eq.params, **repo(request).network(eq.filters, limit)}


@router.get("/network/chart.svg", responses={200: SVG}, tags=["charts"], response_class=Response)
def network_chart(request: Request, eq: Annotated[EventQuery, Depends(event_query)],
                  limit: Annotated[int, Query(ge=1, le=1000)] = 60):
    net = repo(request).network(eq.filters, limit)
    return svg_response(charts.network(net, lambda n: f"/actor/{seg(n['id'])}"))


@router.get("/network", response_class=HTMLResponse, tags=["pages"], summary="Network page")
def network_page(request: Request, eq: Annotated[EventQuery, Depends(event_query)],
                 limit: Annotated[int, Query(ge=1, le=1000)] = 60):
    net = repo(request).network(eq.filters, limit)
    return render(request, "network.html", {"net": net, "params": eq.params,
                                            "chart_src": url("/network/chart.svg", eq.params, limit=limit)})


router.include_router(search_router)


@router.get("/favicon.ico", include_in_schema=False)
def favicon():
    # Browsers ask for it on every site; answer without an error in their console.
    return Response(status_code=204)
