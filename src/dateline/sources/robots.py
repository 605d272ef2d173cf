"""robots.txt, fetched once per origin and cached.

Status handling follows RFC 9309: a robots.txt that does not exist (4xx)
allows everything; one that cannot be read because the server fails (5xx,
429, network error) means "stay away" until it can be read, so that an
overloaded site is not crawled harder.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

log = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512 * 1024  # what the large crawlers read; the rest is ignored
OK_TTL = 24 * 3600.0
ERROR_TTL = 300.0


@dataclass
class RobotsResponse:
    """What the fetcher got for a robots.txt: ``status`` 0 means a network error."""

    status: int
    content: bytes = b""
    error: str | None = None


@dataclass
class _Entry:
    parser: RobotFileParser | None  # None: no rules, everything allowed
    blocked_reason: str | None  # set when the whole origin is off limits
    expires: float


@dataclass
class RobotsDecision:
    allowed: bool
    robots_url: str
    reason: str | None = None
    crawl_delay: float | None = None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))


class RobotsCache:
    """Answers "may ``agent`` fetch this URL?", fetching each origin's robots.txt once."""

    def __init__(self, agent: str, fetch_robots: Callable[[str], RobotsResponse], *, clock=time.monotonic):
        self.agent = agent
        self._fetch = fetch_robots
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock_for(self, origin: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(origin, threading.Lock())

    def check(self, url: str) -> RobotsDecision:
        origin = origin_of(url)
        robots_url = origin + "/robots.txt"
        # One fetch per origin even when many threads ask at once.
        with self._lock_for(origin):
            entry = self._entries.get(origin)
            if entry is None or entry.expires <= self._clock():
                entry = self._load(robots_url)
                self._entries[origin] = entry
        if entry.blocked_reason:
            return RobotsDecision(False, robots_url, entry.blocked_reason)
        if entry.parser is None:
            return RobotsDecision(True, robots_url)
        delay = entry.parser.crawl_delay(self.agent)
        if entry.parser.can_fetch(self.agent, url):
            return RobotsDecision(True, robots_url, crawl_delay=float(delay) if delay else None)
        path = urlsplit(url).path or "/"
        return RobotsDecision(False, robots_url, f"{robots_url} disallows {path} for {self.agent}")

    def _load(self, robots_url: str) -> _Entry:
        now = self._clock()
        response = self._fetch(robots_url)
        if response.status == 0 or response.status == 429 or response.status >= 500:
            why = response.error or f"HTTP {response.status}"
            log.warning("robots.txt unavailable at %s (%s); not crawling that site for now", robots_url, why)
            return _Entry(None, f"{robots_url} could not be read ({why}), so the site is not crawled", now + ERROR_TTL)
        if 400 <= response.status < 500:
            return _Entry(None, None, now + OK_TTL)
        if not 200 <= response.status < 300:
            return _Entry(None, None, now + ERROR_TTL)
        text = response.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        parser = RobotFileParser(robots_url)
        parser.parse(text.splitlines())
        return _Entry(parser, None, now + OK_TTL)
