from __future__ import annotations

import gzip

import pytest

from dateline.errors import InputError
from dateline.sources.detect import detect_kind, sniff_kind


@pytest.mark.parametrize(
    "arg, kind",
    [
        ("https://news.example/world/2023/06/13/talks", "url"),
        ("https://news.example/feed", "feed"),
        ("https://news.example/feed/", "feed"),
        ("https://news.example/rss.rss", "feed"),
        ("http://news.example/atom.atom", "feed"),
        ("https://news.example/feeds/world.xml", "feed"),
        ("https://news.example/sitemap.xml", "sitemap"),
        ("https://news.example/sitemap-news.xml.gz", "sitemap"),
        ("https://news.example/news_sitemap_2023.xml", "sitemap"),
        ("docs/*.html", "glob"),
    ],
)
def test_detect_kind_without_files(arg, kind):
    assert detect_kind(arg) == kind


def test_detect_kind_on_local_paths(tmp_path):
    (tmp_path / "a.html").write_text("<html></html>")
    (tmp_path / "crawl.warc.gz").write_bytes(b"")
    (tmp_path / "crawl.WARC").write_bytes(b"")
    (tmp_path / "docs.jsonl").write_text("{}\n")
    (tmp_path / "feed.xml").write_text("<?xml version='1.0'?>\n<!-- x -->\n<rss version='2.0'></rss>")
    (tmp_path / "atom.xml").write_text("<feed xmlns='http://www.w3.org/2005/Atom'></feed>")
    (tmp_path / "sm.xml").write_text("<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'></urlset>")
    (tmp_path / "sm.xml.gz").write_bytes(gzip.compress(b"<urlset/>"))
    (tmp_path / "other.xml").write_text("<note>hi</note>")
    kinds = {p.name: detect_kind(str(p)) for p in tmp_path.iterdir()}
    assert kinds == {
        "a.html": "file", "crawl.warc.gz": "warc", "crawl.WARC": "warc", "docs.jsonl": "jsonl",
        "feed.xml": "feed", "atom.xml": "feed", "sm.xml": "sitemap", "sm.xml.gz": "sitemap", "other.xml": "file",
    }
    assert detect_kind(str(tmp_path)) == "folder"
    assert detect_kind(str(tmp_path / "*.xml")) == "glob"


def test_detect_kind_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        detect_kind(str(tmp_path / "nope.html"))
    with pytest.raises(InputError, match="file:// URLs are not fetched"):
        detect_kind("file:///etc/passwd")
    with pytest.raises(InputError, match="unsupported URL scheme ftp://"):
        detect_kind("ftp://x.example/a")
    with pytest.raises(InputError, match="empty"):
        detect_kind("  ")


@pytest.mark.parametrize(
    "ctype, body, kind",
    [
        ("application/rss+xml", b"<rss/>", "feed"),
        ("text/xml; charset=utf-8", b"<?xml version='1.0'?><rss version='2.0'/>", "feed"),
        ("text/html", b"\xef\xbb\xbf<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'/>", "feed"),
        ("application/xml", b"<rdf:RDF xmlns:rdf='x'/>", "feed"),
        ("application/xml", b"<sitemapindex/>", "sitemap"),
        ("text/xml", b"<!-- generated --><urlset/>", "sitemap"),
        ("application/octet-stream", gzip.compress(b"<urlset/>"), "sitemap"),
        ("text/html; charset=utf-8", b"<!DOCTYPE html><html><body/></html>", "html"),
        (None, b"<html><body>x</body></html>", "html"),
        ("text/plain", b"Just words.", "text"),
        (None, b"Just words.", "text"),
    ],
)
def test_sniff_kind(ctype, body, kind):
    assert sniff_kind(ctype, body) == kind


def test_sniff_kind_refuses_binary():
    with pytest.raises(InputError, match="unsupported content type application/pdf"):
        sniff_kind("application/pdf", b"%PDF-1.7")
    with pytest.raises(InputError, match="binary"):
        sniff_kind(None, b"\x00\x01\x02")
