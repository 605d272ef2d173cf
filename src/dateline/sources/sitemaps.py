"""XML sitemaps, sitemap indexes and Google News sitemaps.

Parsed with lxml configured never to expand entities, load DTDs or touch the
network, so a hostile sitemap cannot read local files (XXE) or blow up
memory (billion laughs). Elements are matched by local name because sitemaps
in the wild use the 0.9 namespace, an old Google one, or none at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from dateline.errors import InputError
from dateline.sources.decode import gunzip_bounded

log = logging.getLogger(__name__)

# The sitemap protocol caps a file at 50 MB uncompressed.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass
class SitemapEntry:
    url: str
    lastmod: str | None = None
    news_title: str | None = None
    news_publication_date: str | None = None
    news_language: str | None = None
    news_publication: str | None = None

    @property
    def published(self) -> str | None:
        """The best publication hint: news date, else lastmod."""
        return self.news_publication_date or self.lastmod


@dataclass
class Sitemap:
    url: str
    kind: str  # "urlset" or "index"
    entries: list[SitemapEntry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # child sitemap URLs of an index


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments, entity references
    return tag.rsplit("}", 1)[-1].lower()


def _text(el: etree._Element) -> str | None:
    value = "".join(el.itertext()).strip()
    return value or None


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _parse_xml(data: bytes, url: str) -> etree._Element:
    try:
        return etree.fromstring(data, _parser(recover=False))
    except etree.XMLSyntaxError as exc:
        first_error = str(exc)
    # Hand-made sitemaps often carry small errors (a stray "&"); recover what we can.
    try:
        root = etree.fromstring(data, _parser(recover=True))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise InputError(f"not a readable sitemap: {url} ({first_error})")
    log.warning("sitemap %s is malformed, read in recovery mode: %s", url, first_error)
    return root


def parse_sitemap(data: bytes, url: str, *, max_bytes: int = MAX_SITEMAP_BYTES) -> Sitemap:
    """Parse a sitemap (plain or gzip'd): URL entries, or child sitemaps for an index."""
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data, max_bytes, what=f"sitemap {url}")
    if not data.strip():
        raise InputError(f"empty sitemap: {url}")
    if len(data) > max_bytes:
        raise InputError(f"sitemap {url} is larger than {max_bytes:,} bytes")
    root = _parse_xml(data, url)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = []
        for sm in root:
            if _local(sm.tag) != "sitemap":
                continue
            loc = _child(sm, "loc")
            loc_text = _text(loc) if loc is not None else None
            if loc_text:
                children.append(urljoin(url, loc_text))
        return Sitemap(url=url, kind="index", sitemaps=children)
    if kind != "urlset":
        raise InputError(f"not a sitemap: {url} (root element <{kind or '?'}>, expected <urlset> or <sitemapindex>)")

    entries = []
    for node in root:
        if _local(node.tag) != "url":
            continue
        loc = _child(node, "loc")
        loc_text = _text(loc) if loc is not None else None
        if not loc_text:
            continue
        entry = SitemapEntry(url=urljoin(url, loc_text))
        lastmod = _child(node, "lastmod")
        if lastmod is not None:
            entry.lastmod = _text(lastmod)
        news = _child(node, "news")
        if news is not None:
            _read_news(news, entry)
        entries.append(entry)
    return Sitemap(url=url, kind="urlset", entries=entries)


def _read_news(news: etree._Element, entry: SitemapEntry) -> None:
    for el in news:
        name = _local(el.tag)
        if name == "publication_date":
            entry.news_publication_date = _text(el)
        elif name == "title":
            entry.news_title = _text(el)
        elif name == "publication":
            pub_name = _child(el, "name")
            lang = _child(el, "language")
            entry.news_publication = _text(pub_name) if pub_name is not None else None
            entry.news_language = _text(lang) if lang is not None else None
        elif name == "language":  # some sites put it directly under <news:news>
            entry.news_language = _text(el)
