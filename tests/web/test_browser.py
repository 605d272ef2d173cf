"""Headless Chromium (Debian's, through Playwright) against uvicorn on 127.0.0.1.

Screenshots go to tests/screenshots/ (git-ignored) so a person can look at what was tested.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, or make browser-deps)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.problems = []  # dialogs, page errors, CSP violations, requests leaving 127.0.0.1
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on("console", lambda m: pg.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("request", lambda r: None if r.url.startswith((live_server, "data:")) else
          pg.problems.append(f"external request: {r.url}"))
    yield pg
    ctx.close()


def charts_ready(pg, count: int = 1) -> None:
    """Charts are inlined by our app.js; wait until the SVG marks are in the DOM."""
    pg.wait_for_function(f"document.querySelectorAll('svg.chart-inline').length >= {count}", timeout=30_000)


def test_search_click_article_and_relations_chart(page, live_server):
    page.goto(f"{live_server}/")
    page.fill("header input[name=q]", "Blinken")
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Blinken")
    total = int(page.inner_text("#total"))
    assert total >= 3
    assert page.locator(".facet[data-facet=type] a.facet-value").count() >= 1
    charts_ready(page)
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)

    page.locator("a.hit-title").first.click()
    page.wait_for_url("**/article/*")
    assert page.locator("mark.hl-entity").count() > 0
    assert page.locator("tr.event").count() > 0
    page.wait_for_selector("section.related.loaded h3", timeout=30_000)  # fragment fetched by app.js
    page.screenshot(path=str(SHOTS / "article.png"), full_page=True)

    page.goto(f"{live_server}/relations/USA/CHN")
    charts_ready(page)
    bars = page.locator("svg.chart-inline [role=graphics-symbol][aria-label^='period:']")
    assert bars.count() == page.locator("tr.point").count() > 0
    assert bars.first.locator("xpath=..").get_attribute("xlink:href").startswith("/events?")
    page.screenshot(path=str(SHOTS / "relations.png"), full_page=True)

    # drill down: a bar's link opens its events with their sentences
    bars.first.locator("xpath=..").click()
    page.wait_for_url("**/events?**")
    assert page.locator("tr.event blockquote.sentence").count() > 0
    page.screenshot(path=str(SHOTS / "drilldown.png"), full_page=True)
    assert page.problems == []


def test_home_map_network_render_charts(page, live_server):
    for path, name in [("/", "home"), ("/map", "map"), ("/network", "network")]:
        page.goto(live_server + path)
        charts_ready(page)
        assert page.locator("svg.chart-inline [role=graphics-symbol]").count() > 0, path
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.problems == []


def test_hostile_page_runs_nothing(page, live_server):
    page.goto(f"{live_server}/search?q=onerror")
    page.screenshot(path=str(SHOTS / "xss-search.png"), full_page=True)
    page.locator("a.hit-title").first.click()
    page.wait_for_url("**/article/*")
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "xss-article.png"), full_page=True)
    assert page.evaluate("window.__xss === undefined")
    assert page.locator("h1.article-title").inner_text().startswith("Talks <script>")
    assert page.locator("main img:not(.chart-svg)").count() == 0  # the <img onerror> stayed text
    for path in ["/", "/events", "/story/1"]:
        page.goto(live_server + path)
    assert page.evaluate("window.__xss === undefined")
    assert not [p for p in page.problems if p.startswith(("dialog", "pageerror"))], page.problems
