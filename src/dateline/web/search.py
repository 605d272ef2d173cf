"""The search page: FTS5 hits, facets that filter when clicked, counts over time, CSV/JSON download."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from . import charts
from .params import SearchQuery, period_range, render, search_query, url
from .repository import Repository
from .schemas import ErrorOut, SearchOut

router = APIRouter()
ERRORS = {400: {"model": ErrorOut}}
FACET_LABELS = {"source": "Source", "language": "Language", "actor": "Actor", "type": "Event type",
                "quad_class": "Quad class"}
CSV_FIELDS = ["id", "published", "title", "url", "language", "site_name", "snippet"]


def search_data(r: Repository, sq: SearchQuery, *, timeline: bool = True) -> dict[str, Any]:
    res = r.search(sq.query, sq.filters, sq.limit, sq.offset)
    facets = {}
    for name, values in r.search_facets(sq.query, sq.filters).items():
        facets[name] = [{"value": v["value"], "count": v["count"],
                         "url": url("/search", sq.params, **{name: v["value"]})} for v in values]
    # The HTML page shows the timeline through its chart URL; only the JSON twin embeds it.
    points = r.search_timeline(sq.query, sq.filters, sq.by) if timeline else None
    links = {"self": url("/search", sq.params), "json": url("/search.json", sq.params),
             "csv": url("/search.csv", sq.params), "chart": url("/search/chart.svg", sq.params, by=sq.by)}
    if sq.offset + sq.limit < res["total"]:
        links["next"] = url("/search", sq.params, offset=sq.offset + sq.limit)
    if sq.offset:
        links["prev"] = url("/search", sq.params, offset=max(0, sq.offset - sq.limit) or None)
    from ..store.web_queries import FACET_SAMPLE

    return {"query": sq.query, "filters": {k: v for k, v in sq.params.items() if k != "q"}, "total": res["total"],
            "total_is_lower_bound": res.get("total_is_lower_bound", False), "ranked": res.get("ranked", False),
            "facets_sampled": res["total"] > FACET_SAMPLE, "limit": sq.limit, "offset": sq.offset,
            "hits": res["hits"], "facets": facets, "timeline": points, "links": links}


def _timeline_url(sq: SearchQuery):
    def link(point: dict[str, Any]) -> str:
        since, until = period_range(point["period"], sq.by)
        return url("/search", sq.params, since=since, until=until)
    return link


@router.get("/search.json", response_model=SearchOut, responses=ERRORS, tags=["pages"],
            summary="Full-text search with facets and counts over time")
def search_json(request: Request, sq: Annotated[SearchQuery, Depends(search_query)]):
    return search_data(request.app.state.repo, sq)


@router.get("/search.csv", responses={**ERRORS, 200: {"content": {"text/csv": {}}}}, tags=["exports"],
            response_class=Response, summary="Search hits as CSV")
def search_csv(request: Request, sq: Annotated[SearchQuery, Depends(search_query)]):
    res = request.app.state.repo.search(sq.query, sq.filters, sq.limit, sq.offset)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for hit in res["hits"]:
        writer.writerow({k: _csv_safe(hit.get(k)) for k in CSV_FIELDS})
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="dateline-search.csv"'})


def _csv_safe(value: Any) -> Any:
    # A cell starting with = + - @ is a formula in spreadsheets; titles are hostile input.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get("/search/chart.svg", responses={200: {"content": {"image/svg+xml": {}}}}, tags=["charts"],
            response_class=Response)
def search_chart(request: Request, sq: Annotated[SearchQuery, Depends(search_query)]):
    rows = request.app.state.repo.search_timeline(sq.query, sq.filters, sq.by)
    svg = charts.render(charts.counts_over_time(rows, _timeline_url(sq), title="Matching articles over time"))
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=300"})


@router.get("/search", response_class=HTMLResponse, tags=["pages"], summary="Search page")
def search_page(request: Request, sq: Annotated[SearchQuery, Depends(search_query)]):
    data = search_data(request.app.state.repo, sq, timeline=False)
    active = [{"name": k, "value": v, "remove": url("/search", sq.params, **{k: None})}
              for k, v in sq.params.items() if k != "q"]
    return render(request, "search.html", {"data": data, "facet_labels": FACET_LABELS, "active": active,
                                           "quad_names": charts.QUAD_NAMES, "nav_query": sq.query,
                                           "params": sq.params, "by": sq.by})
