from __future__ import annotations

import gzip
import time

import pytest

from dateline import __version__
from dateline.errors import FetchError, Forbidden, InputError
from dateline.sources.decode import BodyTooLarge
from dateline.sources.fetch import Fetcher, HTTPStatusError, charset_of, parse_retry_after

PAGE = "<html><head><title>T</title></head><body><p>Ministers met in Paris.</p></body></html>"


def test_fetch_page_with_user_agent_and_charset(site, fetcher):
    site.page("/a", PAGE.encode("latin-1"), ctype="text/html; charset=ISO-8859-1")
    result = fetcher.fetch(site.url("/a"))
    assert result.status == 200
    assert result.content == PAGE.encode("latin-1")
    assert result.charset == "iso-8859-1"
    assert result.content_type == "text/html"
    assert result.final_url == site.url("/a")
    assert not result.not_modified
    assert result.fetched_at.endswith("+00:00")
    ua = [h for h in site.hits if h.path == "/a"][0].headers["user-agent"]
    assert ua == f"dateline/{__version__} (+https://github.com/dateline-news/dateline)"


def test_fetch_document_gives_raw_document(site, fetcher):
    site.page("/story", PAGE)
    doc = fetcher.fetch_document(site.url("/story#comments"))
    assert doc.url == site.url("/story")  # the fragment is never sent or kept
    assert doc.kind == "html" and doc.encoding_hint == "utf-8"
    assert doc.source == "127.0.0.1" and doc.fetched_at


def test_fetch_document_refuses_non_articles(site, fetcher):
    site.page("/img.png", b"\x89PNG\r\n\x1a\n\0\0", ctype="image/png")
    site.page("/feed", "<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", ctype="text/xml")
    with pytest.raises(InputError, match="unsupported content type image/png"):
        fetcher.fetch_document(site.url("/img.png"))
    with pytest.raises(InputError, match="is a feed"):
        fetcher.fetch_document(site.url("/feed"))


def test_robots_disallow_is_honoured_and_cached(site, fetcher):
    site.page("/private/x", PAGE)
    site.page("/ok", PAGE)
    with pytest.raises(Forbidden, match=r"robots.txt disallows /private/x for dateline"):
        fetcher.fetch(site.url("/private/x"))
    fetcher.fetch(site.url("/ok"))
    fetcher.fetch(site.url("/ok"))
    assert site.count("/private/x") == 0
    assert site.count("/robots.txt") == 1


def test_missing_robots_allows_everything(site, fetcher):
    del site.routes["/robots.txt"]
    site.page("/private/x", PAGE)
    assert fetcher.fetch(site.url("/private/x")).status == 200


def test_robots_server_error_keeps_us_away(site):
    site.page("/robots.txt", "oops", status=503, ctype="text/plain")
    site.page("/a", PAGE)
    with Fetcher(allow_private=True, min_delay=0, retries=0) as f:
        with pytest.raises(Forbidden, match=r"could not be read \(HTTP 503\)"):
            f.fetch(site.url("/a"))
    assert site.count("/a") == 0


def test_redirects_followed_and_each_hop_checked(site, fetcher):
    site.page("/r1", "", status=301, headers={"Location": "/r2"})
    site.page("/r2", "", status=302, headers={"Location": site.url("/final")})
    site.page("/final", PAGE)
    result = fetcher.fetch(site.url("/r1"))
    assert result.final_url == site.url("/final")
    assert result.redirects == [site.url("/r1"), site.url("/r2")]

    site.page("/to-private", "", status=302, headers={"Location": "/private/secret"})
    with pytest.raises(Forbidden, match="robots.txt disallows /private/secret"):
        fetcher.fetch(site.url("/to-private"))
    assert site.count("/private/secret") == 0


def test_redirect_chain_longer_than_limit(site):
    for i in range(10):
        site.page(f"/loop{i}", "", status=302, headers={"Location": f"/loop{i + 1}"})
    with Fetcher(allow_private=True, min_delay=0, max_redirects=3) as f:
        with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
            f.fetch(site.url("/loop0"))
    assert site.count("/loop3") == 1 and site.count("/loop4") == 0


def test_timeout_on_slow_response(site, tools):
    site.route("/slow", tools.slow(1.5))
    with Fetcher(allow_private=True, min_delay=0, timeout=0.3, retries=0) as f:
        start = time.monotonic()
        with pytest.raises(FetchError, match="timed out after 0.3 s"):
            f.fetch(site.url("/slow"))
    assert time.monotonic() - start < 1.2


def test_total_deadline_stops_a_dripping_server(site):
    def drip(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(40):
            h.wfile.write(b"x" * 10)
            h.wfile.flush()
            time.sleep(0.05)

    site.route("/drip", drip)
    with Fetcher(allow_private=True, min_delay=0, timeout=1.0, total_timeout=0.4, retries=0) as f:
        with pytest.raises(FetchError, match="longer than 0.4 s in total"):
            f.fetch(site.url("/drip"))


def test_404_is_not_retried(site, fetcher):
    with pytest.raises(HTTPStatusError) as info:
        fetcher.fetch(site.url("/missing"))
    assert info.value.http_status == 404 and not info.value.transient
    assert site.count("/missing") == 1


def test_429_honours_retry_after(site, tools, fetcher):
    calls = []

    def limited(h):
        calls.append(time.monotonic())
        if len(calls) == 1:
            tools.send(h, 429, b"slow down", "text/plain", {"Retry-After": "1"})
        else:
            tools.send(h, 200, PAGE.encode())

    site.route("/limited", limited)
    assert fetcher.fetch(site.url("/limited")).status == 200
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.9


def test_retry_after_is_capped(site, tools):
    site.page("/busy", "", status=503, headers={"Retry-After": "3600"})
    with Fetcher(allow_private=True, min_delay=0, retries=2, max_retry_after=0.05) as f:
        start = time.monotonic()
        with pytest.raises(HTTPStatusError, match="HTTP 503"):
            f.fetch(site.url("/busy"))
    assert time.monotonic() - start < 2
    assert site.count("/busy") == 3


def test_500_then_200_succeeds(site, tools, fetcher):
    state = {"n": 0}

    def flaky(h):
        state["n"] += 1
        if state["n"] == 1:
            tools.send(h, 500, b"boom", "text/plain")
        else:
            tools.send(h, 200, PAGE.encode())

    site.route("/flaky", flaky)
    assert fetcher.fetch(site.url("/flaky")).content == PAGE.encode()
    assert state["n"] == 2


def test_retry_after_parsing():
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 - 30) == pytest.approx(30)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480 + 30) == 0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_huge_streamed_body_is_refused(site):
    chunk = b"a" * 65536

    def huge(h):  # 50 MB without Content-Length: only the streaming cap can stop it
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            h.wfile.write(chunk)

    site.route("/huge", huge)
    with Fetcher(allow_private=True, min_delay=0, retries=0) as f:
        start = time.monotonic()
        with pytest.raises(BodyTooLarge, match="larger than 10,485,760 bytes"):
            f.fetch(site.url("/huge"))
    assert time.monotonic() - start < 5


def test_announced_huge_body_is_refused_before_download(site, tools):
    def announced(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(50 * 1024 * 1024))
        h.end_headers()
        h.wfile.write(b"a" * 1000)

    site.route("/announced", announced)
    with Fetcher(allow_private=True, min_delay=0, retries=0) as f:
        with pytest.raises(BodyTooLarge, match="announces 52,428,800 bytes"):
            f.fetch(site.url("/announced"))


def test_gzip_bomb_is_refused(site, tools):
    bomb = tools.gzip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200_000
    site.page("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with Fetcher(allow_private=True, min_delay=0, retries=0) as f:
        with pytest.raises(BodyTooLarge, match="decompressed"):
            f.fetch(site.url("/bomb"))


def test_gzip_body_is_decoded(site, fetcher):
    site.page("/gz", gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    assert fetcher.fetch(site.url("/gz")).content == PAGE.encode()


def test_conditional_get_etag_and_last_modified(site, tools, fetcher):
    def cond(h):
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == "Mon, 01 Jan 2024 00:00:00 GMT":
            h.send_response(304)
            h.end_headers()
        else:
            tools.send(h, 200, PAGE.encode(), headers={"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    site.route("/cond", cond)
    first = fetcher.fetch(site.url("/cond"))
    assert first.etag == '"v1"' and not first.not_modified
    again = fetcher.fetch(site.url("/cond"), etag=first.etag)
    assert again.not_modified and again.status == 304 and again.content == b""
    assert fetcher.fetch(site.url("/cond"), last_modified=first.last_modified).not_modified


def test_min_delay_per_host(site):
    site.page("/p", PAGE)
    with Fetcher(allow_private=True, min_delay=0.25) as f:
        f.fetch(site.url("/p"))  # also fetches robots.txt, spaced like any request
        start = time.monotonic()
        f.fetch(site.url("/p"))
        f.fetch(site.url("/p"))
        assert time.monotonic() - start >= 0.45


def test_concurrency_cap_per_host(site, tools):
    site.route("/slow", tools.slow(0.2))
    urls = [site.url("/slow") + f"?n={i}" for i in range(4)]
    with Fetcher(allow_private=True, min_delay=0, max_concurrency_per_host=1, max_workers=4) as f:
        outcomes = list(f.fetch_many(urls))
    assert all(o.result and o.result.status == 200 for o in outcomes)
    assert site.max_active == 1
    assert sorted(o.url for o in outcomes) == sorted(urls)


def test_fetch_many_reports_errors_per_url(site, fetcher):
    site.page("/ok", PAGE)
    outcomes = {o.url: o for o in fetcher.fetch_many([site.url("/ok"), site.url("/nope")])}
    assert outcomes[site.url("/ok")].result is not None
    assert isinstance(outcomes[site.url("/nope")].error, HTTPStatusError)


def test_charset_parsing():
    assert charset_of('text/html; charset="UTF-8"') == "utf-8"
    assert charset_of("text/html;CHARSET=windows-1252 ; foo=bar") == "windows-1252"
    assert charset_of("text/html") is None and charset_of(None) is None


def test_garbage_response_is_a_fetch_error(site, fetcher):
    def garbage(h):
        h.wfile.write(b"NOT HTTP AT ALL\r\n\r\n")

    site.route("/garbage", garbage)
    with Fetcher(allow_private=True, min_delay=0, retries=0) as f:
        with pytest.raises(FetchError):
            f.fetch(site.url("/garbage"))


def test_fetch_many_can_be_abandoned_early(site, tools):
    site.route("/slow", tools.slow(0.2))
    urls = [site.url("/slow") + f"?n={i}" for i in range(20)]
    with Fetcher(allow_private=True, min_delay=0, max_concurrency_per_host=2, max_workers=2) as f:
        start = time.monotonic()
        first = next(iter(f.fetch_many(urls)))
        gen = f.fetch_many(urls)
        next(gen)
        gen.close()
        assert first.result is not None
        assert time.monotonic() - start < 2.5  # not 20 x 0.2 s / 2 workers per generator
