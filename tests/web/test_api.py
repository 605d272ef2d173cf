"""JSON twins, validation errors, security headers and the write form, through an in-process client."""

from __future__ import annotations

import re

import jsonschema
import pytest


@pytest.fixture(scope="module")
def openapi(client):
    doc = client.get("/openapi.json")
    assert doc.status_code == 200
    return doc.json()


def validate(openapi: dict, path: str, body) -> None:
    """Check ``body`` against the 200 response schema the OpenAPI document declares for ``path``."""
    op = openapi["paths"][path]["get"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.Draft202012Validator({**schema, "components": openapi["components"]}).validate(body)


def first_article_with_events(client) -> int:
    for hit in client.get("/search.json", params={"q": "Blinken"}).json()["hits"]:
        if client.get(f"/article/{hit['id']}.json").json()["events"]:
            return hit["id"]
    raise AssertionError("no analysed article with events")


TWINS = [
    ("/index.json", "/index.json", {}),
    ("/search.json", "/search.json", {"q": "Blinken"}),
    ("/actor/{name}.json", "/actor/USA.json", {}),
    ("/relations/{a}/{b}.json", "/relations/USA/CHN.json", {"by": "week"}),
    ("/events.json", "/events.json", {"dyad": "USA-CHN"}),
    ("/map.json", "/map.json", {}),
    ("/network.json", "/network.json", {}),
]


@pytest.mark.parametrize("schema_path,path,params", TWINS)
def test_json_twins_validate_against_openapi(client, openapi, schema_path, path, params):
    res = client.get(path, params=params)
    assert res.status_code == 200, res.text
    validate(openapi, schema_path, res.json())


def test_article_and_event_twins(client, openapi):
    aid = first_article_with_events(client)
    art = client.get(f"/article/{aid}.json").json()
    validate(openapi, "/article/{article_id}.json", art)
    assert art["entities"] and art["events"]
    ev = art["events"][0]
    assert ev["sentence"] and ev["explain"] and ev["mentions"]
    assert art["text"][ev["start"]:ev["end"]] == ev["trigger"]
    one = client.get(f"/event/{ev['id']}.json").json()
    validate(openapi, "/event/{event_id}.json", one)


def test_story_twin_or_not_available(client, openapi):
    res = client.get("/story/1.json")
    if res.status_code == 501:
        assert res.json()["error"] == "not_available"
        return
    assert res.status_code == 200, res.text
    validate(openapi, "/story/{story_id}.json", res.json())
    page = client.get("/story/1")
    assert page.status_code == 200 and "World events" in page.text


def test_every_page_has_html_and_json_in_openapi(openapi):
    paths = set(openapi["paths"])
    for html in ["/", "/search", "/article/{article_id}", "/story/{story_id}", "/actor/{name}",
                 "/relations/{a}/{b}", "/events", "/map", "/network"]:
        assert html in paths
    for twin in ["/index.json", "/search.json", "/article/{article_id}.json", "/story/{story_id}.json",
                 "/actor/{name}.json", "/relations/{a}/{b}.json", "/events.json", "/map.json", "/network.json"]:
        assert twin in paths
        assert "$ref" in str(openapi["paths"][twin]["get"]["responses"]["200"])


def test_home_lists_real_data(client):
    home = client.get("/index.json").json()
    assert home["stats"]["articles"] == 6
    assert {"USA", "CHN"} <= {a["country"] for a in home["top_actors"]}
    assert any({d["a"], d["b"]} == {"CHN", "USA"} for d in home["top_dyads"])
    assert sum(p["events"] for p in home["volume"]) > 0


def test_search_facets_filter_when_followed(client):
    res = client.get("/search.json", params={"q": "China"}).json()
    assert res["total"] >= 3
    types = res["facets"]["type"]
    assert types and all(f["url"].startswith("/search?") for f in types)
    narrower = min(types, key=lambda f: f["count"])
    follow = client.get(narrower["url"].replace("/search?", "/search.json?")).json()
    assert follow["total"] == narrower["count"] <= res["total"]
    assert sum(p["count"] for p in res["timeline"]) == res["total"]


def test_search_csv_download_and_shareable_link(client):
    res = client.get("/search.csv", params={"q": "Blinken", "language": "en"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    lines = res.text.strip().splitlines()
    assert lines[0].startswith("id,published,title") and len(lines) > 1
    links = client.get("/search.json", params={"q": "Blinken", "language": "en"}).json()["links"]
    assert links["self"] == "/search?q=Blinken&language=en"


def test_relations_points_drill_down_to_events_and_sentences(client):
    rel = client.get("/relations/USA/CHN.json").json()
    assert rel["points"]
    point = max(rel["points"], key=lambda p: p["events"])
    drill = client.get(point["url"].replace("/events?", "/events.json?")).json()
    assert drill["total"]["world_events"] >= point["events"]
    got = {e["id"] for e in drill["events"]}
    assert set(point["event_ids"]) <= got
    assert all(e["mentions"] and e["mentions"][0]["sentence"] for e in drill["events"])


@pytest.mark.parametrize("path,params,fragment", [
    ("/search.json", {"q": '"unclosed'}, "invalid search query"),
    ("/search.json", {"q": "x", "since": "2023-13-45x"}, "since must be a date"),
    ("/search.json", {"q": "x", "type": "PARTY"}, "unknown event type"),
    ("/events.json", {"until": "June"}, "until must be a date"),
    ("/events.json", {"quad_class": "7"}, "quad_class"),
    ("/relations/US/CHN.json", {}, "pattern"),
    ("/relations/USA/CHN.json", {"by": "decade"}, "pattern"),
    ("/search.json", {"limit": "100000"}, "limit"),
])
def test_bad_parameters_give_400_in_the_one_error_shape(client, path, params, fragment):
    res = client.get(path, params=params)
    assert res.status_code == 400, res.text
    body = res.json()
    assert set(body) >= {"error", "message", "status"} and body["status"] == 400 and body["error"] == "bad_input"
    assert fragment in body["message"]


def test_not_found_shapes(client):
    assert client.get("/article/999999.json").json() == {"error": "not_found", "message": "no article with id 999999",
                                                         "status": 404}
    page = client.get("/article/999999")
    assert page.status_code == 404 and "no article with id 999999" in page.text


def test_security_headers_and_no_inline_script(client):
    aid = first_article_with_events(client)
    for path in ["/", "/search?q=Blinken", f"/article/{aid}", "/relations/USA/CHN", "/events", "/map", "/network"]:
        res = client.get(path)
        assert res.status_code == 200, path
        csp = res.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "script-src 'self'" in csp
        assert res.headers["x-content-type-options"] == "nosniff"
        tags = parse_tags(res.text)
        scripts = [attrs for tag, attrs in tags if tag == "script"]
        assert scripts == [{"src": "/static/app.js", "defer": None}], path  # only our own file
        handlers = [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]
        assert handlers == [], path
        assert all(not (attrs.get("src") or "/").startswith(("http", "//")) for _, attrs in tags), path


def parse_tags(html: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def test_hostile_article_is_escaped(client):
    hit = client.get("/search.json", params={"q": "onerror"}).json()["hits"]
    assert hit, "hostile page not ingested"
    art = client.get(f"/article/{hit[0]['id']}")
    assert art.status_code == 200
    assert "<script>window.__xss" not in art.text and "<img src=x" not in art.text
    assert "&lt;script&gt;window.__xss" in art.text
    # titles are escaped wherever they are listed
    for path in ["/", "/search?q=onerror", "/events"]:
        assert "<script>window.__xss" not in client.get(path).text
    # the JSON twin carries the title verbatim (JSON is data, not markup)
    assert "<script>window.__xss" in hit[0]["title"]


def test_article_page_highlights_entities_times_and_triggers(client):
    aid = first_article_with_events(client)
    html = client.get(f"/article/{aid}").text
    assert 'class="hl-event"' in html and 'class="hl-entity"' in html and 'class="hl-time"' in html
    assert "explain" in html and "→" in html
    assert f'data-fragment="/article/{aid}/related"' in html
    related = client.get(f"/article/{aid}/related")
    assert related.status_code == 200
    relations = client.get(f"/article/{aid}.json").json()["relations"]
    if relations is None:
        assert "Not available yet" in related.text
    else:
        assert "Same story" in related.text
        for other in relations["same_story"]:
            assert f'href="/article/{other["id"]}"' in related.text
    assert client.get("/article/999999/related").status_code == 404


def test_charts_are_svg_with_countable_points(client):
    rel = client.get("/relations/USA/CHN.json").json()
    svg = client.get("/relations/USA/CHN/chart.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    bars = re.findall(r'<path aria-label="period: [^"]*" role="graphics-symbol"', svg.text)
    assert len(bars) == len({(p["period"], p["quad_class"]) for p in rel["points"]})
    assert "<title>period:" in svg.text and 'xlink:href="/events?' in svg.text
    assert "vega.github.io" not in svg.text
    for path in ["/chart/volume.svg", "/map/chart.svg", "/network/chart.svg", "/actor/USA/chart.svg",
                 "/search/chart.svg?q=China"]:
        res = client.get(path)
        assert res.status_code == 200 and 'role="graphics-symbol"' in res.text, path


def test_exports_for_filtered_events(client):
    res = client.get("/events.json", params={"dyad": "USA-CHN"}).json()
    if not res["exports"]:
        assert client.get("/export/events.csv").json()["error"] == "not_available"
        return
    csv_url = res["exports"]["csv"]
    assert "dyad=USA-CHN" in csv_url
    out = client.get(csv_url)
    import csv
    import io

    assert out.status_code == 200 and "attachment" in out.headers["content-disposition"]
    assert len(list(csv.DictReader(io.StringIO(out.text)))) == res["total"]["events"]
    assert client.get("/export/events.xlsx").status_code == 400


def test_write_form_is_off_by_default(client):
    assert client.get("/add").status_code == 404
    assert client.post("/add", content="url=http://example.org/&token=x",
                       headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 404
    assert "Add a source" not in client.get("/").text


def test_write_form_requires_the_token(web_db, monkeypatch):
    from fastapi.testclient import TestClient

    from dateline.web import writes
    from dateline.web.app import create_app_for_db

    calls = []
    monkeypatch.setattr(writes, "ingest_url", lambda db, url: calls.append(url) or writes.AddResult(url, "page", 1))
    app = create_app_for_db(web_db, write_token="s3cret-token", warm_charts=False)
    with TestClient(app) as c:
        assert "Add a source" in c.get("/").text and c.get("/add").status_code == 200
        form = {"content-type": "application/x-www-form-urlencoded"}
        assert c.post("/add", content="url=https://news.example/a&token=wrong", headers=form).status_code == 403
        assert c.post("/add", content="url=https://news.example/a", headers=form).status_code == 403
        assert c.post("/add", content="url=javascript:x&token=s3cret-token", headers=form).status_code == 400
        ok = c.post("/add", content="url=https://news.example/a&token=s3cret-token", headers=form)
        assert ok.status_code == 200 and "1 added" in ok.text
    assert calls == ["https://news.example/a"]
