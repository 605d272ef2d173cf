"""A polite HTTP fetcher.

Polite: one clear User-Agent, robots.txt honoured, a minimum delay and a
concurrency cap per host, backoff when the server says it is overloaded.
Careful: every hop of a redirect chain is checked against the SSRF guard and
robots.txt before it is requested, bodies are capped while they stream (after
decompression), and a request has an overall deadline as well as per-read
timeouts so a server that drips bytes cannot hold a worker forever.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

from dateline import __version__
from dateline.errors import DatelineError, FetchError, Forbidden, InputError
from dateline.models import RawDocument
from dateline.sources.decode import BodyTooLarge, BoundedBody
from dateline.sources.detect import sniff_kind
from dateline.sources.robots import ROBOTS_MAX_BYTES, RobotsCache, RobotsResponse, origin_of
from dateline.sources.safety import check_url, guarded_transport

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = f"dateline/{__version__} (+https://github.com/dateline-news/dateline)"
ROBOTS_AGENT = "dateline"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"


class HTTPStatusError(FetchError):
    """The server answered, but not with content (4xx/5xx after retries)."""

    code = "http_error"

    def __init__(self, message: str, *, url: str, http_status: int):
        super().__init__(message)
        self.url = url
        self.http_status = http_status

    @property
    def transient(self) -> bool:
        return self.http_status == 429 or self.http_status >= 500


@dataclass
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]  # lower-case names
    content: bytes
    charset: str | None
    not_modified: bool
    fetched_at: str  # ISO-8601, UTC
    redirects: list[str] = field(default_factory=list)  # the hops before final_url

    @property
    def content_type(self) -> str | None:
        return media_type(self.headers.get("content-type"))

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass
class FetchOutcome:
    """One URL of ``fetch_many``: a result or the error that stopped it."""

    url: str
    result: FetchResult | None = None
    error: DatelineError | None = None


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    content: bytes


def media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    value = content_type.split(";", 1)[0].strip().lower()
    return value or None


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            value = value.strip().strip("'\"").strip()
            return value.lower() or None
    return None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def utc_now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class _HostGate:
    """Spaces request starts to one host by ``delay`` and caps how many run at once."""

    def __init__(self, delay: float, concurrency: int):
        self.delay = delay
        self._slots = threading.BoundedSemaphore(concurrency)
        self._lock = threading.Lock()
        self._next_start = 0.0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start)
                self._next_start = start + self.delay
            if start > now:
                time.sleep(start - now)
            yield


class Fetcher:
    """Fetch URLs politely and safely. Thread-safe; use as a context manager or call close()."""

    def __init__(
        self,
        user_agent: str | None = None,
        *,
        min_delay: float = 1.0,
        max_concurrency_per_host: int = 2,
        timeout: float = 20.0,
        total_timeout: float | None = None,
        max_bytes: int = 10 * 1024 * 1024,
        max_redirects: int = 5,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        max_retry_after: float = 120.0,
        max_crawl_delay: float = 30.0,
        allow_private: bool = False,
        respect_robots: bool = True,
        max_workers: int = 4,
        transport: httpx.BaseTransport | None = None,
    ):
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.min_delay = min_delay
        self.max_concurrency_per_host = max(1, max_concurrency_per_host)
        self.timeout = timeout
        # Per-read timeouts alone let a server drip one byte at a time for ever.
        self.total_timeout = total_timeout if total_timeout is not None else max(60.0, 3 * timeout)
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self.max_crawl_delay = max_crawl_delay
        self.allow_private = allow_private
        self.respect_robots = respect_robots
        self.max_workers = max(1, max_workers)
        self._client = httpx.Client(
            headers={"User-Agent": self.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,  # no proxies or .netrc from the environment: we decide where requests go
            # Our own transport re-checks the address at connect time (DNS rebinding);
            # a caller-supplied one (tests, proxies) gets the pre-request check only.
            transport=transport
            or guarded_transport(
                allow_private=allow_private,
                trust_env=False,
                limits=httpx.Limits(max_connections=max(10, self.max_workers * 2)),
            ),
        )
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()
        self._robots = RobotsCache(ROBOTS_AGENT, self._fetch_robots)

    # -- lifecycle -------------------------------------------------------

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public API ------------------------------------------------------

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url``; a 304 to the conditional headers gives ``not_modified=True``.

        Raises Forbidden (SSRF guard, robots.txt), HTTPStatusError (4xx/5xx
        after retries), BodyTooLarge, or FetchError (network, redirects).
        """
        start_url = self._normalise(url)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hops: list[str] = []
        current = start_url
        for _ in range(self.max_redirects + 1):
            self._guard(current)
            response = self._request(current, headers, self.max_bytes)
            location = response.headers.get("location")
            if response.status in REDIRECT_STATUSES and location:
                hops.append(current)
                current = self._normalise(urljoin(current, location.strip()))
                log.debug("redirect %s -> %s", hops[-1], current)
                continue
            return self._result(start_url, current, response, hops)
        chain = " -> ".join([*hops, current])
        raise FetchError(f"too many redirects (more than {self.max_redirects}) from {start_url}", detail=chain)

    def fetch_document(self, url: str) -> RawDocument:
        """Fetch one article page as a RawDocument (HTML or plain text only)."""
        return document_from_result(self.fetch(url))

    def fetch_many(self, urls: Iterable[str]) -> Iterator[FetchOutcome]:
        """Fetch several URLs on a small thread pool; outcomes come in completion order."""
        pool = ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="dateline-fetch")
        try:
            futures = {pool.submit(self.fetch, u): u for u in urls}
            for future in as_completed(futures):
                url = futures[future]
                try:
                    yield FetchOutcome(url, result=future.result())
                except DatelineError as exc:
                    yield FetchOutcome(url, error=exc)
        finally:
            # A caller that stops early must not wait for the whole queue.
            pool.shutdown(wait=True, cancel_futures=True)

    # -- internals -------------------------------------------------------

    @staticmethod
    def _normalise(url: str) -> str:
        url = (url or "").strip()
        if not url:
            raise InputError("empty URL")
        return urldefrag(url)[0]  # the fragment never goes to the server

    def _guard(self, url: str) -> None:
        check_url(url, allow_private=self.allow_private)
        if not self.respect_robots:
            return
        decision = self._robots.check(url)
        if not decision.allowed:
            raise Forbidden(f"refused: {decision.reason}")
        if decision.crawl_delay:
            gate = self._gate(url)
            gate.delay = max(gate.delay, min(decision.crawl_delay, self.max_crawl_delay))

    def _gate(self, url: str) -> _HostGate:
        key = origin_of(url)
        with self._gates_lock:
            gate = self._gates.get(key)
            if gate is None:
                gate = self._gates[key] = _HostGate(self.min_delay, self.max_concurrency_per_host)
            return gate

    def _fetch_robots(self, robots_url: str) -> RobotsResponse:
        current = robots_url
        try:
            for _ in range(self.max_redirects + 1):
                check_url(current, allow_private=self.allow_private)
                response = self._request(current, {}, ROBOTS_MAX_BYTES, truncate=True)
                location = response.headers.get("location")
                if response.status in REDIRECT_STATUSES and location:
                    current = urljoin(current, location.strip())
                    continue
                return RobotsResponse(response.status, response.content)
        except Forbidden as exc:
            # A robots.txt redirecting somewhere we may not go: treat as absent.
            return RobotsResponse(404, error=exc.message)
        except FetchError as exc:
            return RobotsResponse(0, error=exc.message)
        return RobotsResponse(404, error="too many redirects")

    def _request(self, url: str, headers: dict[str, str], max_bytes: int, *, truncate: bool = False) -> _Response:
        """One URL, with retries on 429/5xx and network errors; no redirect handling."""
        gate = self._gate(url)
        attempt = 0
        while True:
            wait: float | None = None
            try:
                with gate.turn():
                    response = self._send(url, headers, max_bytes, truncate=truncate)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if attempt >= self.retries:
                    raise FetchError(f"{_describe(exc, self.timeout)} fetching {url}") from exc
                log.info("%s fetching %s; retrying", _describe(exc, self.timeout), url)
            except httpx.InvalidURL as exc:
                raise InputError(f"invalid URL {url!r}: {exc}") from exc
            except httpx.HTTPError as exc:  # protocol errors that a retry will not fix
                raise FetchError(f"HTTP error fetching {url}: {type(exc).__name__}: {exc}") from exc
            else:
                transient = response.status == 429 or response.status >= 500
                if not transient or attempt >= self.retries:
                    return response
                wait = parse_retry_after(response.headers.get("retry-after"))
                if wait is not None:
                    wait = min(wait, self.max_retry_after)
                log.info("HTTP %s from %s; retrying", response.status, url)
            if wait is None:
                wait = min(self.backoff * (2**attempt), self.max_backoff)
            attempt += 1
            time.sleep(wait)

    def _send(self, url: str, headers: dict[str, str], max_bytes: int, *, truncate: bool) -> _Response:
        deadline = time.monotonic() + self.total_timeout
        with self._client.stream("GET", url, headers=headers) as r:
            got = {k.lower(): v for k, v in r.headers.items()}
            if not 200 <= r.status_code < 300:
                # Error and redirect bodies are never used; do not download them.
                return _Response(r.status_code, got, b"")
            length = got.get("content-length", "")
            if not truncate and length.isdigit() and int(length) > max_bytes:
                raise BodyTooLarge(
                    f"refused: {url} announces {int(length):,} bytes, more than max_bytes {max_bytes:,}"
                )
            body = BoundedBody(max_bytes, got.get("content-encoding"), what=f"response from {url}")
            try:
                for chunk in r.iter_raw():
                    body.feed(chunk)
                    if time.monotonic() > deadline:
                        raise FetchError(f"timed out: {url} took longer than {self.total_timeout:g} s in total")
            except BodyTooLarge:
                if not truncate:
                    raise
            return _Response(r.status_code, got, body.result())

    def _result(self, start_url: str, final_url: str, response: _Response, hops: list[str]) -> FetchResult:
        if response.status == 304:
            not_modified = True
        elif 200 <= response.status < 300:
            not_modified = False
        else:
            raise HTTPStatusError(
                f"HTTP {response.status} from {final_url}", url=final_url, http_status=response.status
            )
        return FetchResult(
            url=start_url,
            final_url=final_url,
            status=response.status,
            headers=response.headers,
            content=response.content,
            charset=charset_of(response.headers.get("content-type")),
            not_modified=not_modified,
            fetched_at=utc_now_iso(),
            redirects=hops,
        )


def _describe(exc: Exception, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    return f"network error ({type(exc).__name__}: {exc})"


def document_from_result(result: FetchResult, *, source: str | None = None) -> RawDocument:
    """A fetched article page as a RawDocument; InputError if the body is not a page."""
    kind = sniff_kind(result.content_type, result.content)
    if kind not in ("html", "text"):
        raise InputError(f"not an article: {result.final_url} is a {kind} ({result.content_type or 'no Content-Type'})")
    return RawDocument(
        content=result.content,
        url=result.final_url,
        kind=kind,
        fetched_at=result.fetched_at,
        encoding_hint=result.charset,
        source=source or urlsplit(result.final_url).hostname,
    )
