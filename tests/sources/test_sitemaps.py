from __future__ import annotations

import gzip
import time

import pytest

from dateline.errors import InputError
from dateline.sources.sitemaps import parse_sitemap

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example/a</loc><lastmod>2023-06-12</lastmod></url>
  <url><loc> https://news.example/b </loc></url>
  <url><lastmod>2023-06-12</lastmod></url>
</urlset>"""

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example/world/summit</loc>
    <news:news>
      <news:publication><news:name>The Example</news:name><news:language>de</news:language></news:publication>
      <news:publication_date>2023-06-14T09:15:00+02:00</news:publication_date>
      <news:title>Gipfel in Brüssel</news:title>
    </news:news>
  </url>
</urlset>""".encode()

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-news.xml</loc><lastmod>2023-06-14</lastmod></sitemap>
  <sitemap><loc>/sitemap-2023.xml.gz</loc></sitemap>
</sitemapindex>"""


def test_urlset_with_lastmod():
    sm = parse_sitemap(URLSET, "https://news.example/sitemap.xml")
    assert sm.kind == "urlset"
    assert [(e.url, e.lastmod) for e in sm.entries] == [
        ("https://news.example/a", "2023-06-12"),
        ("https://news.example/b", None),
    ]


def test_google_news_sitemap():
    (entry,) = parse_sitemap(NEWS, "https://news.example/news.xml").entries
    assert entry.news_title == "Gipfel in Brüssel"
    assert entry.news_publication_date == "2023-06-14T09:15:00+02:00" == entry.published
    assert entry.news_language == "de" and entry.news_publication == "The Example"


def test_index_lists_children():
    sm = parse_sitemap(INDEX, "https://news.example/sitemap.xml")
    assert sm.kind == "index" and sm.entries == []
    assert sm.sitemaps == ["https://news.example/sitemap-news.xml", "https://news.example/sitemap-2023.xml.gz"]


def test_gzipped_sitemap():
    sm = parse_sitemap(gzip.compress(URLSET), "https://news.example/sitemap.xml.gz")
    assert len(sm.entries) == 2


def test_gzip_bomb_sitemap_is_refused():
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))
    with pytest.raises(InputError, match="larger than 1,048,576 bytes"):
        parse_sitemap(bomb, "https://x.example/s.xml.gz", max_bytes=1024 * 1024)


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY leak SYSTEM "file://{secret}">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://x.example/&leak;</loc></url>
</urlset>""".encode()
    sm = parse_sitemap(xxe, "https://x.example/s.xml")
    assert all("TOP-SECRET" not in e.url for e in sm.entries)


def test_billion_laughs_does_not_expand():
    lol = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE urlset [{''.join(lol)}]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/&lol9;</loc></url></urlset>"""
    start = time.monotonic()
    try:
        sm = parse_sitemap(doc.encode(), "https://x.example/s.xml")
    except InputError:
        pass  # refusing is fine too
    else:
        assert all(len(e.url) < 1000 for e in sm.entries)
    assert time.monotonic() - start < 2


def test_not_a_sitemap():
    with pytest.raises(InputError, match=r"not a sitemap: .* \(root element <rss>"):
        parse_sitemap(b"<rss version='2.0'><channel/></rss>", "https://x.example/s.xml")
    with pytest.raises(InputError, match="not a readable sitemap"):
        parse_sitemap(b"\x00\x01 binary junk", "https://x.example/s.xml")
    with pytest.raises(InputError, match="empty sitemap"):
        parse_sitemap(b"", "https://x.example/s.xml")


def test_slightly_broken_sitemap_is_recovered():
    broken = URLSET.replace(b"https://news.example/b", b"https://news.example/b?x=1&y=2")
    sm = parse_sitemap(broken, "https://news.example/sitemap.xml")
    assert sm.entries[0].url == "https://news.example/a"
