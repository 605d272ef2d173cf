"""Page metadata read straight off the parsed tree: meta tags, JSON-LD, <time>, <link rel=canonical>.

One pass over tags that are cheap to find, instead of a second full metadata extraction:
structured data states times and offsets (htmldate returns days), and it is where
publishers put the facts they want machines to read. htmldate is the fallback for a date.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from .dates import DateValue, normalize_datetime

logger = logging.getLogger(__name__)

_ARTICLE_TYPES = {
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "liveblogposting", "report", "scholarlyarticle",
    "techarticle", "socialmediaposting", "posting", "askpublicnewsarticle", "satiricalarticle",
}
_PUBLISHED_KEYS = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "publishdate", "publish-date", "publish_date", "pubdate", "date_published",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
    "dcterms.created", "dc.date.created", "article_date_original", "originalpublicationdate",
    "publication_date", "cxenseparse:recs:publishtime", "date", "displaydate",
)
_MODIFIED_KEYS = (
    "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified",
    "article.updated", "lastmod",
)
_AUTHOR_KEYS = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator", "byl",
                "citation_author", "dcterms.creator")
_TITLE_SEPARATORS = re.compile(r"\s+[|–—•·:]{1,2}\s+|\s+-\s+")
_SPACE = re.compile(r"\s+")


@dataclass
class PageMeta:
    title: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    image: str | None = None
    lang: str | None = None
    authors_raw: list[str] = field(default_factory=list)
    published: DateValue | None = None
    published_source: str | None = None
    modified: DateValue | None = None
    tags: list[str] = field(default_factory=list)
    byline_texts: list[str] = field(default_factory=list)


_DATE_ELEMENTS = (
    '//*[contains(@class, "date") or contains(@class, "time") or contains(@class, "byline") '
    'or contains(@class, "posted") or contains(@class, "publish")][not(self::time)]'
)
_BYLINE_ELEMENTS = (
    '//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")]'
    '[not(ancestor-or-self::*[contains(@class, "comment")])]'
)
_MAX_CANDIDATES = 6
_MAX_BYLINE_CHARS = 160


def _clean(text: Any) -> str | None:
    if not isinstance(text, str):
        return None
    text = _SPACE.sub(" ", text).strip()
    return text or None


@dataclass
class _Tags:
    """The elements metadata comes from, collected in one walk over the tree."""

    metas: list = field(default_factory=list)
    jsonld: list = field(default_factory=list)
    canonical: list[str] = field(default_factory=list)
    h1: object = None
    title: object = None
    times: list = field(default_factory=list)


def _collect(tree) -> _Tags:
    tags = _Tags()
    for el in tree.iter("meta", "script", "link", "h1", "title", "time"):
        tag = el.tag
        if tag == "meta":
            tags.metas.append(el)
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json":
                tags.jsonld.append(el)
        elif tag == "link":
            if "canonical" in (el.get("rel") or "").lower().split():
                href = _clean(el.get("href"))
                if href:
                    tags.canonical.append(href)
        elif tag == "time":
            if el.get("datetime"):
                tags.times.append(el)
        elif tag == "h1":
            if tags.h1 is None:
                tags.h1 = el
        elif tags.title is None:
            tags.title = el
    return tags


def _jsonld_items(scripts: list) -> Iterator[dict]:
    for script in scripts:
        body = (script.text or "").strip().rstrip(";")
        if not body:
            continue
        try:
            data = json.loads(body)
        except ValueError:
            logger.debug("unparseable JSON-LD skipped")
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
                main = item.get("mainEntity")
                if isinstance(main, (dict, list)):
                    stack.append(main)


def _types(item: dict) -> set[str]:
    t = item.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _ld_names(value: Any, *, persons_only: bool) -> list[str]:
    out: list[str] = []
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            if persons_only and "organization" in _types(v):
                continue
            name = v.get("name")
            if isinstance(name, str):
                out.append(name)
    return out


def _ld_url(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return _clean(value)


def _strip_site(title: str, site: str | None, host_stem: str | None) -> str:
    """Drop a " | Site Name" tail (or a "Site Name: " head) from a page title."""
    seps = list(_TITLE_SEPARATORS.finditer(title))
    if not seps:
        return title
    keys = {k.casefold().replace(" ", "") for k in (site, host_stem) if k}

    def is_site(segment: str) -> bool:
        compact = segment.casefold().replace(" ", "")
        return bool(compact) and any(compact == k or (len(k) > 3 and k in compact) for k in keys)

    tail = title[seps[-1].end() :]
    if is_site(tail):
        return title[: seps[-1].start()].strip()
    head = title[: seps[0].start()]
    if is_site(head):
        return title[seps[0].end() :].strip()
    return title


def time_candidates(tree) -> list[DateValue]:
    """Dates written in <time datetime> or in date/byline elements.

    They add the time of day to a date found elsewhere when both name the same day. Callers ask
    only when they need it: the class scan is the costliest metadata query.
    """
    from .stamps import parse_stamp

    found: list[DateValue] = []
    for el in tree.xpath("//time[@datetime]")[:_MAX_CANDIDATES]:
        value = normalize_datetime(el.get("datetime"))
        if value:
            found.append(value)
    for el in tree.xpath(_DATE_ELEMENTS)[: _MAX_CANDIDATES * 2]:
        text = _clean(el.text_content())
        stamp = parse_stamp(text, allow_bare=True) if text else None
        if stamp:
            found.append(stamp.value)
    return found


def _marks_publication(el) -> bool:
    if el.get("pubdate") is not None or el.get("itemprop") == "datePublished":
        return True
    return "publish" in (el.get("class") or "")


def read_meta(tree, url: str | None = None) -> PageMeta:
    meta = PageMeta()
    metas: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    found = _collect(tree)
    for el in found.metas:
        key = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").lower()
        content = _clean(el.get("content"))
        if key and content:
            metas.setdefault(key, content)
            multi.setdefault(key, []).append(content)

    article: dict = {}
    page_level: dict = {}
    for item in _jsonld_items(found.jsonld):
        types = _types(item)
        if not article and types & _ARTICLE_TYPES:
            article = item
        elif not page_level and "webpage" in types:
            page_level = item
    ld = article or page_level

    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    meta.lang = _clean(root.get("lang")) if root is not None else None

    host = urlsplit(url).hostname if url else None
    publisher = ld.get("publisher") if isinstance(ld.get("publisher"), dict) else {}
    meta.site_name = metas.get("og:site_name") or _clean(publisher.get("name")) or metas.get("application-name")

    title = _clean(ld.get("headline")) or metas.get("og:title") or metas.get("twitter:title")
    if not title:
        title = _clean(found.h1.text_content()) if found.h1 is not None else None
    if not title:
        title = _clean(found.title.text_content()) if found.title is not None else None
    if title:
        host_stem = host.removeprefix("www.").split(".")[0] if host else None
        title = _strip_site(title, meta.site_name, host_stem) or title
    meta.title = title

    meta.description = metas.get("og:description") or metas.get("description") or _clean(ld.get("description"))
    meta.image = metas.get("og:image") or metas.get("twitter:image") or _ld_url(ld.get("image"))

    canon = found.canonical[0] if found.canonical else metas.get("og:url")
    meta.canonical_url = urljoin(url, canon) if canon and url else canon

    authors = _ld_names(ld.get("author"), persons_only=True) if ld else []
    for key in _AUTHOR_KEYS:
        for value in multi.get(key, []):
            if not value.startswith(("http://", "https://", "/")):
                authors.append(value)
    if not authors:
        for el in tree.xpath(_BYLINE_ELEMENTS):
            text = _clean(el.text_content())
            if text and len(text) <= _MAX_BYLINE_CHARS:
                meta.byline_texts.append(text)
            if len(meta.byline_texts) >= _MAX_CANDIDATES:
                break
    meta.authors_raw = authors

    for key, source in (("datePublished", "json-ld"), ("dateCreated", "json-ld")):
        value = normalize_datetime(_clean(ld.get(key)))
        if value:
            meta.published, meta.published_source = value, source
            break
    if not meta.published:
        for key in _PUBLISHED_KEYS:
            value = normalize_datetime(metas.get(key))
            if value:
                meta.published, meta.published_source = value, f"meta {key}"
                break
    if not meta.published:
        times = [el for el in found.times if _marks_publication(el)]
        for el in times[:3]:
            value = normalize_datetime(el.get("datetime"))
            if value:
                meta.published, meta.published_source = value, "time element"
                break
    meta.modified = normalize_datetime(_clean(ld.get("dateModified")))
    if not meta.modified:
        for key in _MODIFIED_KEYS:
            meta.modified = normalize_datetime(metas.get(key))
            if meta.modified:
                break

    tags: list[str] = list(multi.get("article:tag", []))
    keywords = ld.get("keywords")
    if isinstance(keywords, list):
        tags.extend(k for k in keywords if isinstance(k, str))
    elif isinstance(keywords, str):
        tags.extend(keywords.split(","))
    for key in ("news_keywords", "keywords"):
        if key in metas:
            tags.extend(metas[key].split(","))
    seen: set[str] = set()
    for tag in tags:
        tag = (_clean(tag) or "")[:80]
        if tag and tag.casefold() not in seen and len(meta.tags) < 40:
            seen.add(tag.casefold())
            meta.tags.append(tag)
    return meta
