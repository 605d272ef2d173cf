"""Charts as server-side SVG: Vega-Lite specs built with altair, rendered by vl-convert.

Pages stay free of chart JavaScript and CDNs. Every data mark becomes an SVG element with
``role="graphics-symbol"``, an ``aria-label`` and a ``<title>`` (hover text), and links to
its drill-down page through Vega-Lite's ``href`` channel. Rendering costs a few hundred
milliseconds, so pages load charts from their own ``….svg`` URLs and results are cached.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from typing import Any

log = logging.getLogger(__name__)

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_COLORS = ["#4c9a6a", "#1f6f43", "#e0a030", "#c0392b"]
# vl-convert resolves relative hrefs against its default loader base; we want site-relative links.
_LOADER_BASE = re.compile(r'xlink:href="https?://vega\.github\.io/vega-datasets/+')
_SELF_CLOSED_MARK = re.compile(r'<(path|circle|rect|line|text)( aria-label="([^"]*)" role="graphics-symbol"[^>]*?)/>')


class ChartUnavailable(RuntimeError):
    pass


def _alt():
    try:
        import altair as alt
    except ImportError as exc:  # pragma: no cover - altair is a declared dependency
        raise ChartUnavailable("altair is not installed") from exc
    return alt


@functools.lru_cache(maxsize=512)
def _render(spec_json: str) -> str:
    import vl_convert

    # allowed_base_urls=[]: charts carry their data inline; the renderer must never fetch anything.
    svg = vl_convert.vegalite_to_svg(json.loads(spec_json), allowed_base_urls=[])
    svg = _LOADER_BASE.sub('xlink:href="/', svg)
    return _SELF_CLOSED_MARK.sub(r"<\1\2><title>\3</title></\1>", svg)


def render(chart: Any) -> str:
    """SVG text of an altair chart (cached by its spec)."""
    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    return _render(json.dumps(spec, sort_keys=True, default=str))


def warm_up() -> None:
    """The first render starts the JavaScript engine (seconds); do it before the first visitor."""
    try:
        render(empty_chart("warming up"))
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first request
        log.warning("chart renderer warm-up failed", exc_info=True)


def empty_chart(message: str):
    alt = _alt()
    return alt.Chart(alt.Data(values=[{"text": message}])).mark_text(size=13, color="#666").encode(
        text="text:N").properties(width=300, height=40)


def quad_stack(points: list[dict[str, Any]], href: Any, *, title: str = "", width: int = 640):
    """Stacked bars: world events per period, one colour per quad class; each bar links to ``href(point)``."""
    alt = _alt()
    rows = [{"period": p["period"], "quad": QUAD_NAMES.get(p.get("quad_class"), "unclassified"),
             "events": p["events"], "url": href(p)} for p in points if p.get("period")]
    if not rows:
        return empty_chart("no events")
    scale = alt.Scale(domain=list(QUAD_NAMES.values()), range=QUAD_COLORS)
    return alt.Chart(alt.Data(values=rows), title=title).mark_bar().encode(
        x=alt.X("period:O", title=None, sort="ascending"),
        y=alt.Y("sum(events):Q", title="world events"),
        color=alt.Color("quad:N", scale=scale, title="quad class", legend=alt.Legend(orient="bottom")),
        href="url:N",
        tooltip=[alt.Tooltip("period:O"), alt.Tooltip("quad:N"), alt.Tooltip("sum(events):Q", title="events")],
        order=alt.Order("quad:N"),
    ).properties(width=width, height=220)


def counts_over_time(rows: list[dict[str, Any]], href: Any, *, title: str = "", width: int = 640):
    """Bars of matching articles per period; each links to the search narrowed to that period."""
    alt = _alt()
    data = [{"period": r["period"], "articles": r["count"], "url": href(r)} for r in rows if r.get("period")]
    if not data:
        return empty_chart("no dated articles")
    return alt.Chart(alt.Data(values=data), title=title).mark_bar(color="#3b6ea8").encode(
        x=alt.X("period:O", title=None), y=alt.Y("articles:Q", title="articles"), href="url:N",
        tooltip=[alt.Tooltip("period:O"), alt.Tooltip("articles:Q")],
    ).properties(width=width, height=160)


def place_map(places: list[dict[str, Any]], href: Any, *, width: int = 720):
    """Event locations as circles on a graticule (no base map file needed): size = events, colour = mean score."""
    alt = _alt()
    data = [{"name": p.get("name") or "?", "country": p.get("country") or "", "lat": p["lat"], "lon": p["lon"],
             "events": p["events"], "score": round(p["mean_score"], 2) if p.get("mean_score") is not None else 0.0,
             "url": href(p)} for p in places if p.get("lat") is not None and p.get("lon") is not None]
    if not data:
        return empty_chart("no located events")
    projection = {"type": "equalEarth"}
    sphere = alt.Chart(alt.sphere()).mark_geoshape(fill="#eef4fa", stroke="#c9d6e3").project(**projection)
    grid = alt.Chart(alt.graticule(step=[30, 30])).mark_geoshape(stroke="#d8e2ec", strokeWidth=0.5,
                                                                  filled=False).project(**projection)
    dots = alt.Chart(alt.Data(values=data)).mark_circle(opacity=0.8, stroke="#333", strokeWidth=0.5).encode(
        longitude="lon:Q", latitude="lat:Q",
        size=alt.Size("events:Q", scale=alt.Scale(range=[40, 900]), title="events"),
        color=alt.Color("score:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[-10, 10]), title="mean score"),
        href="url:N",
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("country:N"), alt.Tooltip("events:Q"), alt.Tooltip("score:Q")],
    ).project(**projection)
    return alt.layer(sphere, grid, dots).properties(width=width, height=width // 2)


def circle_layout(nodes: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """Nodes on a circle, busiest first: deterministic and readable for the few dozen actors shown."""
    n = max(len(nodes), 1)
    return {node["id"]: (math.cos(2 * math.pi * i / n) * 100, math.sin(2 * math.pi * i / n) * 100)
            for i, node in enumerate(nodes)}


def network(net: dict[str, Any], href: Any, *, width: int = 560):
    """Actors linked by events: node size = volume, edge colour = mean score (conflict red, cooperation green)."""
    alt = _alt()
    nodes = net.get("nodes", [])
    if not nodes:
        return empty_chart("no actor pairs")
    pos = circle_layout(nodes)
    edges = [{"x": pos[e["source"]][0], "y": pos[e["source"]][1], "x2": pos[e["target"]][0],
              "y2": pos[e["target"]][1], "pair": f"{e['source']} → {e['target']}", "events": e["events"],
              "score": round(e["mean_score"], 2) if e.get("mean_score") is not None else 0.0}
             for e in net.get("edges", []) if e["source"] in pos and e["target"] in pos]
    node_rows = [{"id": n["id"], "x": pos[n["id"]][0], "y": pos[n["id"]][1], "events": n["events"],
                  "url": href(n)} for n in nodes]
    axis = dict(axis=None, scale=alt.Scale(domain=[-125, 125]))
    lines = alt.Chart(alt.Data(values=edges)).mark_rule(opacity=0.7).encode(
        x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **axis), x2="x2:Q", y2="y2:Q",
        color=alt.Color("score:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[-10, 10]), title="mean score"),
        strokeWidth=alt.StrokeWidth("events:Q", scale=alt.Scale(range=[1, 6]), legend=None),
        tooltip=[alt.Tooltip("pair:N"), alt.Tooltip("events:Q"), alt.Tooltip("score:Q")],
    )
    dots = alt.Chart(alt.Data(values=node_rows)).mark_circle(color="#3b6ea8", opacity=0.9).encode(
        x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **axis),
        size=alt.Size("events:Q", scale=alt.Scale(range=[60, 1200]), title="events"),
        href="url:N", tooltip=[alt.Tooltip("id:N", title="actor"), alt.Tooltip("events:Q")],
    )
    labels = dots.mark_text(dy=-14, fontSize=11, color="#222").encode(text="id:N")
    return alt.layer(lines, dots, labels).properties(width=width, height=width).configure_view(stroke=None)
