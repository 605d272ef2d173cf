"""``ingest_inputs`` over a real HTTP server on 127.0.0.1: pages, feeds, sitemaps, and the SSRF guard."""

from __future__ import annotations

import gzip

import pytest

from dateline.sources import safety
from dateline.sources.fetch import Fetcher
from dateline.sources.ingest import ingest_inputs
from dateline.store import Store
from dateline.store.feeds import load_feed_state

PUBLIC_IP = "93.184.216.34"


def article(title: str, body: str) -> str:
    return (f"<html lang='en'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{body}</p><p>The talks were held on Tuesday in the capital, officials said.</p>"
            f"</article></body></html>")


def rss(site, items: list[tuple[str, str]], *, title: str = "Local Wire", language: str = "en") -> str:
    body = "".join(
        f"<item><title>{t}</title><link>{site.url('/news/' + slug)}</link><guid>{site.url('/news/' + slug)}</guid>"
        f"<pubDate>Tue, 13 Jun 2023 1{i}:00:00 +0000</pubDate></item>"
        for i, (slug, t) in enumerate(items)
    )
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
            f"<language>{language}</language>{body}</channel></rss>")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as s:
        yield s


def local(**kw):
    return {"allow_private": True, "delay": 0.0, "analyze": False, **kw}


def articles(store) -> list[dict]:
    return [dict(r) for r in store.conn.execute(
        "SELECT a.url, a.title, a.published, s.name AS source, s.kind AS source_kind FROM articles a"
        " JOIN documents d ON d.id = a.document_id LEFT JOIN sources s ON s.id = d.source_id ORDER BY a.id")]


@pytest.fixture
def wire(site):
    site.page("/news/one", article("Ministers meet", "Ministers from both countries met to discuss trade."))
    site.page("/news/two", article("Border reopens", "The border crossing reopened after three weeks."))
    site.page("/feed", rss(site, [("two", "Border reopens"), ("one", "Ministers meet")]), ctype="text/xml")
    return site


def test_feed_ingest_stores_entries_with_feed_metadata(store, wire):
    report = ingest_inputs([wire.url("/feed")], store, **local())
    assert (report.added, report.failed) == (2, 0), report.failures
    rows = articles(store)
    assert sorted(r["url"] for r in rows) == [wire.url("/news/one"), wire.url("/news/two")]
    assert {r["source"] for r in rows} == {"Local Wire"} and {r["source_kind"] for r in rows} == {"feed"}
    src = store.conn.execute("SELECT kind, url, title, language FROM sources WHERE name = 'Local Wire'").fetchone()
    assert tuple(src) == ("feed", wire.url("/feed"), "Local Wire", "en")
    # The entry's date is the fallback publication date when the page has none.
    by_url = {r["url"]: r for r in rows}
    assert by_url[wire.url("/news/one")]["published"].startswith("2023-06-13T11:00")
    assert report.inputs[0].kind == "feed" and report.inputs[0].listed == 2
    state = load_feed_state(store.conn, wire.url("/feed"))
    assert sorted(state["seen"]) == sorted([wire.url("/news/one"), wire.url("/news/two")])


def test_same_feed_twice_adds_nothing_and_fetches_no_page(store, wire):
    ingest_inputs([wire.url("/feed")], store, **local())
    report = ingest_inputs([wire.url("/feed")], store, **local())
    assert (report.added, report.new_versions, report.failed) == (0, 0, 0)
    assert report.already_stored == 2
    assert wire.count("/news/one") == 1 and wire.count("/news/two") == 1
    assert store.stats()["articles"] == 2


def test_feed_entry_stored_by_another_route_is_not_fetched(store, wire):
    ingest_inputs([wire.url("/news/one")], store, **local())
    report = ingest_inputs([wire.url("/feed")], store, **local())
    assert report.added == 1 and report.already_stored == 1
    assert wire.count("/news/one") == 1


def test_feed_entry_failures_are_reported_not_fatal(store, wire):
    wire.page("/feed", rss(wire, [("one", "Ministers meet"), ("gone", "Vanished"), ("two", "Border reopens")]),
              ctype="application/rss+xml")
    wire.page("/news/gone", "no such page", status=404)
    report = ingest_inputs([wire.url("/feed")], store, **local())
    assert report.added == 2 and report.failed == 1
    assert report.failures == [(wire.url("/news/gone"), f"HTTP 404 from {wire.url('/news/gone')}")]


def test_url_ingest_and_analysis(store, site):
    site.page("/story", article("Talks in Beijing",
                                "Antony Blinken met Wang Yi in Beijing on Monday, the State Department said."))
    report = ingest_inputs([site.url("/story")], store, allow_private=True, delay=0.0)
    assert (report.added, report.failed) == (1, 0)
    assert report.analysed == 1 and report.inputs[0].kind == "url"
    row = store.conn.execute("SELECT url, title, analysis_status FROM articles").fetchone()
    assert tuple(row) == (site.url("/story"), "Talks in Beijing", "done")
    assert store.conn.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0


def test_url_that_is_not_a_page_is_a_failure_line(store, site):
    site.page("/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), ctype="image/png")
    report = ingest_inputs([site.url("/logo.png"), site.url("/missing")], store, **local())
    assert report.added == 0 and report.failed == 2
    assert report.failures[0] == (site.url("/logo.png"), "unsupported content type image/png")
    assert report.failures[1][1] == f"HTTP 404 from {site.url('/missing')}"


def sitemap(site, slugs, *, news: bool = False) -> str:
    ns = " xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'" if news else ""
    urls = []
    for slug in slugs:
        extra = ("<news:news><news:publication><news:name>Example Times</news:name><news:language>en</news:language>"
                 "</news:publication><news:publication_date>2023-06-12T08:00:00+00:00</news:publication_date>"
                 f"<news:title>Headline {slug}</news:title></news:news>") if news else "<lastmod>2024-01-01</lastmod>"
        urls.append(f"<url><loc>{site.url('/news/' + slug)}</loc>{extra}</url>")
    return (f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'{ns}>"
            + "".join(urls) + "</urlset>")


def test_sitemap_index_with_news_and_gzip_children(store, wire):
    wire.page("/news/three", article("Aid arrives", "Aid convoys reached the city on Wednesday."))
    wire.page("/sitemap-news.xml", sitemap(wire, ["one", "two"], news=True), ctype="application/xml")
    wire.page("/sitemap-old.xml.gz", gzip.compress(sitemap(wire, ["three", "two"]).encode()),
              ctype="application/octet-stream")
    index = ("<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             f"<sitemap><loc>{wire.url('/sitemap-news.xml')}</loc></sitemap>"
             f"<sitemap><loc>{wire.url('/sitemap-old.xml.gz')}</loc></sitemap>"
             f"<sitemap><loc>{wire.url('/sitemap-missing.xml')}</loc></sitemap>"
             f"<sitemap><loc>{wire.url('/sitemap_index.xml')}</loc></sitemap>"  # a loop: not followed twice
             "</sitemapindex>")
    wire.page("/sitemap_index.xml", index, ctype="text/xml")
    report = ingest_inputs([wire.url("/sitemap_index.xml")], store, **local())
    assert report.added == 3, report.failures
    assert report.failures == [(wire.url("/sitemap-missing.xml"), f"HTTP 404 from {wire.url('/sitemap-missing.xml')}")]
    assert report.already_stored == 1  # "two" was listed by both children
    assert wire.count("/sitemap_index.xml") == 1 and wire.count("/news/two") == 1
    rows = {r["url"]: r for r in articles(store)}
    news = rows[wire.url("/news/one")]
    assert news["source"] == "Example Times" and news["source_kind"] == "sitemap"
    assert news["published"].startswith("2023-06-12")  # Google News publication date as the hint
    assert rows[wire.url("/news/three")]["source"] == "127.0.0.1"
    lang = store.conn.execute("SELECT language FROM sources WHERE name = 'Example Times'").fetchone()[0]
    assert lang == "en"


def test_sitemap_index_is_bounded(store, site):
    children = "".join(f"<sitemap><loc>{site.url(f'/sm{i}.xml')}</loc></sitemap>" for i in range(5))
    site.page("/sitemap.xml", f"<sitemapindex>{children}</sitemapindex>", ctype="text/xml")
    for i in range(5):
        site.page(f"/sm{i}.xml", "<urlset></urlset>", ctype="text/xml")
    report = ingest_inputs([site.url("/sitemap.xml")], store, max_sitemaps=2, **local())
    assert sum(site.count(f"/sm{i}.xml") for i in range(5)) == 2
    assert report.inputs[0].note == "followed only the first 2 child sitemaps"


def test_max_pages_caps_fetches_per_listing(store, wire):
    report = ingest_inputs([wire.url("/feed")], store, max_pages=1, **local())
    assert report.added == 1
    again = ingest_inputs([wire.url("/feed")], store, max_pages=1, **local())
    assert again.added == 1 and again.already_stored == 1  # the rest comes on the next run


# -- SSRF: nothing private is fetched without allow_private ---------------------------------

@pytest.mark.parametrize("target, reason", [
    ("http://127.0.0.1:{port}/news/one", "refused: 127.0.0.1 is a loopback address (use --allow-private to allow)"),
    ("http://10.0.0.1/feed", "refused: 10.0.0.1 is a private address (use --allow-private to allow)"),
    ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address"),
    ("file:///etc/passwd", "refused: file:// is not allowed"),
])
def test_private_targets_are_refused(store, wire, target, reason):
    url = target.format(port=wire.port)
    report = ingest_inputs([url], store, delay=0.0, analyze=False)
    assert report.added == 0 and report.failed == 1
    item, why = report.failures[0]
    assert item == url and why.startswith(reason)
    assert wire.hits == []  # not even robots.txt was asked for
    assert store.conn.execute("SELECT reason FROM ingest_failures").fetchone()[0] == why


def test_redirect_to_loopback_is_refused(store, site, monkeypatch, tools):
    monkeypatch.setattr(safety, "resolve_host", lambda host, port: [PUBLIC_IP] if host == "public.test" else [])
    site.page("/go", "", status=302, headers={"Location": f"http://127.0.0.1:{site.port}/secret"})
    site.page("/secret", article("Internal", "Internal data that must not leak."))
    with Fetcher(min_delay=0, retries=0, transport=tools.RewriteTransport("public.test", site.port)) as f:
        report = ingest_inputs(["http://public.test/go"], store, fetcher=f, analyze=False)
    assert report.added == 0
    assert report.failures == [("http://public.test/go",
                                 "refused: 127.0.0.1 is a loopback address (use --allow-private to allow)")]
    assert site.count("/go") == 1 and site.count("/secret") == 0


def test_feed_linking_to_private_pages_refuses_each(store, site, monkeypatch, tools):
    """A public feed may list internal URLs; each is refused on its own line and the feed is still read."""
    monkeypatch.setattr(safety, "resolve_host", lambda host, port: [PUBLIC_IP] if host == "public.test" else [])
    feed = ("<?xml version='1.0'?><rss version='2.0'><channel><title>Sneaky</title>"
            "<item><title>a</title><link>http://10.1.2.3/admin</link></item>"
            "<item><title>b</title><link>http://public.test/news/ok</link></item></channel></rss>")
    site.page("/feed.xml", feed, ctype="application/rss+xml")
    site.page("/news/ok", article("Fine", "A public story about a summit between two leaders."))
    with Fetcher(min_delay=0, retries=0, transport=tools.RewriteTransport("public.test", site.port)) as f:
        report = ingest_inputs(["http://public.test/feed.xml"], store, fetcher=f, analyze=False)
    assert report.added == 1
    assert report.failures == [("http://10.1.2.3/admin",
                                "refused: 10.1.2.3 is a private address (use --allow-private to allow)")]
