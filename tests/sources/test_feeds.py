from __future__ import annotations

import pytest

from dateline.errors import InputError
from dateline.sources.feeds import parse_feed

RSS20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Wire Desk</title><link>https://news.example/</link><language>en-gb</language>
  <item>
    <title>Talks resume in Geneva</title>
    <link>/world/talks-resume</link>
    <guid isPermaLink="false">wire-0002</guid>
    <pubDate>Tue, 13 Jun 2023 18:30:00 +0200</pubDate>
    <description>Delegations met again.</description>
    <content:encoded><![CDATA[<p>Delegations met again on Tuesday.</p>]]></content:encoded>
  </item>
  <item>
    <title>Ceasefire announced</title>
    <guid>https://news.example/world/ceasefire</guid>
    <pubDate>Mon, 12 Jun 2023 08:00:00 GMT</pubDate>
  </item>
</channel>
</rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Le Fil</title>
  <link rel="alternate" href="https://fil.example/"/>
  <id>urn:fil</id><updated>2023-06-14T10:00:00+02:00</updated>
  <entry>
    <title>Sommet à Bruxelles</title>
    <link rel="alternate" href="https://fil.example/sommet"/>
    <id>urn:fil:1</id>
    <published>2023-06-14T09:15:00+02:00</published>
    <updated>2023-06-14T10:00:00+02:00</updated>
    <summary>Les dirigeants se sont réunis.</summary>
  </entry>
</feed>""".encode()

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example/"><title>Old Wire</title><link>https://old.example/</link></channel>
  <item rdf:about="https://old.example/a"><title>Item A</title><link>https://old.example/a</link>
    <dc:date>2023-06-10T12:00:00Z</dc:date></item>
</rdf:RDF>"""

RSS091 = b"""<?xml version="1.0"?>
<rss version="0.91"><channel><title>Ancient</title><link>https://anc.example/</link>
<item><title>First</title><link>https://anc.example/1</link></item></channel></rss>"""


def test_rss20():
    feed = parse_feed(RSS20, "https://news.example/rss.xml")
    assert feed.title == "Wire Desk" and feed.language == "en-gb" and feed.version == "rss20"
    assert feed.link == "https://news.example/"
    first, second = feed.entries
    assert first.url == "https://news.example/world/talks-resume"  # relative link resolved
    assert first.id == "wire-0002" and first.key == "wire-0002"
    assert first.published == "2023-06-13T18:30:00+02:00"  # offset kept as written
    assert first.summary == "Delegations met again."
    assert "Delegations met again on Tuesday" in first.content
    # No <link>: a permalink guid is the URL.
    assert second.url == "https://news.example/world/ceasefire"
    assert second.published == "2023-06-12T08:00:00+00:00"


def test_atom():
    feed = parse_feed(ATOM, "https://fil.example/atom")
    assert feed.title == "Le Fil" and feed.language == "fr" and feed.version == "atom10"
    (entry,) = feed.entries
    assert entry.url == "https://fil.example/sommet" and entry.id == "urn:fil:1"
    assert entry.published == "2023-06-14T09:15:00+02:00"
    assert entry.title == "Sommet à Bruxelles"


def test_rss10_and_091():
    rdf = parse_feed(RSS10, "https://old.example/rss")
    assert rdf.title == "Old Wire" and rdf.entries[0].url == "https://old.example/a"
    assert rdf.entries[0].published == "2023-06-10T12:00:00+00:00"
    old = parse_feed(RSS091, "https://anc.example/rss")
    assert old.version == "rss091u" or old.version.startswith("rss09")
    assert [e.url for e in old.entries] == ["https://anc.example/1"]


def test_broken_feed_with_entries_is_read_with_a_warning():
    broken = RSS20.replace(b"</channel>", b"<oops></channel>")
    feed = parse_feed(broken, "https://news.example/rss.xml")
    assert len(feed.entries) == 2
    assert feed.warning


def test_unreadable_feed_gives_feedparser_reason():
    with pytest.raises(InputError, match=r"not a readable feed: https://x.example/f \(SAXParseException: .*not well-formed"):
        parse_feed(b'{"not": "a feed"}', "https://x.example/f")
    # Cut off mid-item: feedparser's loose parser still reads the entry.
    cut = parse_feed(b"<rss version='2.0'><channel><item><title>x</title><link>https://x.example/1</link>", "https://x.example/f")
    assert [e.url for e in cut.entries] == ["https://x.example/1"] and cut.warning


def test_html_page_is_not_a_feed():
    with pytest.raises(InputError, match="not a (readable )?feed"):
        parse_feed(b"<html><body><p>hello</p></body></html>", "https://x.example/")


def test_empty_feed_body():
    with pytest.raises(InputError, match="empty feed"):
        parse_feed(b"   ", "https://x.example/f")


def test_bytes_are_never_taken_for_a_path(tmp_path, monkeypatch):
    # feedparser opens a str/bytes argument as a file if it can; ours must parse the content.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feed").write_bytes(RSS20)
    with pytest.raises(InputError):
        parse_feed(b"feed", "https://x.example/f")
