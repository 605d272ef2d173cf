"""RSS 0.9x/1.0/2.0 and Atom feeds, read with feedparser."""

from __future__ import annotations

import email.utils
import io
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin

import feedparser

from dateline.errors import InputError

log = logging.getLogger(__name__)


@dataclass
class FeedEntry:
    url: str | None
    title: str | None = None
    published: str | None = None  # ISO-8601 with offset when the feed gave one
    summary: str | None = None
    id: str | None = None
    content: str | None = None  # full HTML when the feed carries it (content:encoded, atom:content)

    @property
    def key(self) -> str | None:
        """What identifies the entry across polls: its id, else its URL."""
        return self.id or self.url


@dataclass
class Feed:
    url: str
    title: str | None = None
    language: str | None = None
    link: str | None = None
    version: str | None = None  # feedparser's name, e.g. "rss20", "atom10"
    entries: list[FeedEntry] = field(default_factory=list)
    warning: str | None = None  # a parse problem that still left entries


def _iso_from_raw(raw: str | None) -> str | None:
    """Parse the date as written, keeping its offset (feedparser's struct_time drops it)."""
    if not raw:
        return None
    raw = raw.strip()
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(raw)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
    # A date with no time of day stays a date; a naive time is left naive
    # rather than guessed to be UTC.
    if len(raw) == 10 and raw[4] == "-":
        return when.date().isoformat()
    return when.isoformat()


def _iso_from_struct(value: time.struct_time | None) -> str | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=timezone.utc).isoformat()
    except (TypeError, ValueError):
        return None


def _entry_date(entry: dict) -> str | None:
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed"), ("created", "created_parsed")):
        value = _iso_from_raw(entry.get(raw_key)) or _iso_from_struct(entry.get(parsed_key))
        if value:
            return value
    return None


def _entry_url(entry: dict, base: str) -> str | None:
    link = entry.get("link")
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link:
        guid = entry.get("id") or ""
        # An RSS guid is a permalink unless isPermaLink="false"; feedparser keeps it as id.
        if guid.startswith(("http://", "https://")) and entry.get("guidislink", True):
            link = guid
    return urljoin(base, link.strip()) if link else None


def _entry_content(entry: dict) -> str | None:
    contents = entry.get("content") or []
    best = max((c.get("value") or "" for c in contents), key=len, default="")
    return best or None


def parse_feed(data: bytes, url: str) -> Feed:
    """Parse a feed body. InputError only when nothing usable could be read."""
    if not data or not data.strip():
        raise InputError(f"empty feed: {url}")
    # A file-like object: given bytes or str, feedparser may treat them as a path or URL.
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url})
    problem = None
    exc = parsed.get("bozo_exception")
    # We hand feedparser bytes without HTTP headers, so it always notes a missing
    # Content-Type; that says nothing about the feed itself.
    if parsed.get("bozo") and not isinstance(exc, feedparser.NonXMLContentType):
        problem = f"{type(exc).__name__}: {exc}" if exc else "malformed feed"
    meta = parsed.get("feed", {})
    if not parsed.entries:
        if problem:
            raise InputError(f"not a readable feed: {url} ({problem})")
        if not parsed.get("version"):
            raise InputError(f"not a feed: {url} (no RSS or Atom root element)")
    if problem and parsed.entries:
        log.warning("feed %s is malformed but readable: %s", url, problem)

    entries = []
    for e in parsed.entries:
        entries.append(
            FeedEntry(
                url=_entry_url(e, url),
                title=(e.get("title") or "").strip() or None,
                published=_entry_date(e),
                summary=(e.get("summary") or "").strip() or None,
                id=(e.get("id") or "").strip() or None,
                content=_entry_content(e),
            )
        )
    link = meta.get("link")
    return Feed(
        url=url,
        title=(meta.get("title") or "").strip() or None,
        language=(meta.get("language") or "").strip() or None,
        link=urljoin(url, link) if link else None,
        version=parsed.get("version") or None,
        entries=entries,
        warning=problem,
    )
