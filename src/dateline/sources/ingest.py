"""``dateline ingest`` over every kind of source: web pages, feeds, sitemaps, WARC archives and local files.

``ingest_inputs`` decides what each argument is (a URL is fetched once and
its body sniffed: feed, sitemap or page), turns it into RawDocuments and
hands them to ``pipeline.ingest_documents``, then ``pipeline.finish_ingest``
(analysis and stories, in the order only the pipeline knows). It is the one
ingest entry point: ``pipeline.ingest`` delegates here.
Every problem becomes a line of the report (item, reason), never a crash:
one unreachable feed must not cost the other inputs.

Feeds and sitemaps list many pages; those whose URL is already stored are
not fetched again, and a feed's entries once handled are remembered in its
``feeds`` row (shared with ``dateline watch``), so a redirecting link is not
fetched on every run either.

The fetcher, feed, sitemap and WARC modules are imported where they are
used: they pull in httpx, feedparser and warcio (about half a second), which
ingesting local files, the common case and ``pipeline.ingest``'s, never needs.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from dateline.errors import DatelineError, Forbidden, InputError
from dateline.models import RawDocument
from dateline.pipeline import (
    IngestReport,
    Options,
    ProgressFn,
    analyze_pending,
    finish_ingest,
    group_stories,
    ingest_documents,
)
from dateline.sources.detect import detect_kind, sniff_kind
from dateline.sources.local import Skipped, iter_documents
from dateline.store import feeds as feed_store

if TYPE_CHECKING:
    from dateline.sources.feeds import Feed, FeedEntry
    from dateline.sources.fetch import Fetcher
    from dateline.sources.sitemaps import Sitemap, SitemapEntry
    from dateline.sources.watch import FeedState

log = logging.getLogger(__name__)

MAX_SITEMAPS = 50  # child sitemaps followed from one index (nested indexes included)
FETCH_BATCH = 16  # pages fetched concurrently before they are stored; bounds memory on huge sitemaps
MAX_LOCAL_LIST_BYTES = 50 * 1024 * 1024


@dataclass
class InputSummary:
    """What one argument turned out to be and what it listed."""

    item: str
    kind: str  # url | feed | sitemap | warc | file | folder | glob | jsonl
    listed: int = 0  # entries of a feed or sitemap
    already_stored: int = 0  # of those, not fetched because the store has them
    fetched: int = 0
    title: str | None = None
    language: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, 0) or k in ("item", "kind")}


@dataclass
class SourceReport(IngestReport):
    """The pipeline's report plus what only web sources have."""

    already_stored: int = 0  # feed/sitemap entries skipped without fetching
    record_skips: Counter = field(default_factory=Counter)  # reason -> count (WARC records, non-document files)
    inputs: list[InputSummary] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = super().to_dict()
        out["already_stored"] = self.already_stored
        out["record_skips"] = dict(self.record_skips.most_common())
        out["inputs"] = [i.to_dict() for i in self.inputs]
        return out

    def extra_lines(self) -> list[str]:
        """Lines for people, after the pipeline's own summary."""
        lines = []
        if self.already_stored:
            lines.append(f"not fetched: {self.already_stored} feed/sitemap entries already in the store")
        if self.record_skips:
            total = sum(self.record_skips.values())
            reasons = ", ".join(f"{n} {reason}" for reason, n in self.record_skips.most_common(8))
            lines.append(f"records skipped: {total} ({reasons})")
        return lines


@dataclass
class _Wanted:
    """A page a feed or sitemap pointed at, with what the listing said about it."""

    url: str | None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    key: str | None = None  # feed entry key, to remember it as handled
    content: str | None = None  # full HTML carried by the feed itself


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url or "").hostname
    except ValueError:
        return None


class WebIngest:
    """One ``ingest_inputs`` run: the store, the report and a lazily made fetcher."""

    def __init__(self, store, report: SourceReport, *, progress: ProgressFn | None = None,
                 fetcher: Fetcher | None = None, fetcher_factory: Callable[[], Fetcher] | None = None,
                 max_pages: int | None = None, max_sitemaps: int = MAX_SITEMAPS):
        self.store = store
        self.report = report
        self.progress = progress
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None
        self._factory = fetcher_factory or _default_fetcher
        self.max_pages = max_pages
        self.max_sitemaps = max_sitemaps
        self._described: set[str] = set()

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = self._factory()
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    # -- dispatch ----------------------------------------------------------------

    def ingest(self, arg: str) -> None:
        """One argument; its failures go to the report."""
        try:
            kind = self._kind(arg)
            summary = InputSummary(arg, kind)
            self.report.inputs.append(summary)
            if kind == "web":
                self._web(arg, summary)
            elif kind == "warc":
                self._warc(arg)
            elif kind == "feed":
                from dateline.sources.feeds import parse_feed

                self._feed(parse_feed(_read_local(arg), arg), summary, state_key=None)
            elif kind == "sitemap":
                from dateline.sources.sitemaps import parse_sitemap

                self._sitemap(parse_sitemap(_read_local(arg), arg), summary)
            else:
                kind_name = "jsonl" if kind == "jsonl" else "file"
                ingest_documents(iter_documents([arg], self._skipped_record), self.store, self.report,
                                 self.progress, kind_name)
        except DatelineError as exc:
            self.fail(arg, exc.message)
        except Exception as exc:  # one bad input must not end the run
            log.exception("unexpected error on %s", arg)
            self.fail(arg, f"internal error: {type(exc).__name__}: {exc}")

    @staticmethod
    def _kind(arg: str) -> str:
        arg = arg.strip()
        if "://" in arg:
            scheme = arg.split("://", 1)[0].lower()
            if scheme not in ("http", "https"):
                from dateline.sources.safety import check_url

                check_url(arg)  # raises the guard's own "refused: file:// is not allowed" message
                raise Forbidden(f"refused: {scheme}:// is not fetched ({arg})")
            return "web"
        return detect_kind(arg)

    def fail(self, item: str, reason: str) -> None:
        self.report.failed += 1
        self.report.failures.append((item, reason))
        log.info("failed %s: %s", item, reason)
        self.store.record_failure(item, reason)

    def _skipped_record(self, item: str | None, reason: str) -> None:
        self.report.record_skips[reason] += 1

    # -- web: fetch once, then decide -------------------------------------------

    def _web(self, url: str, summary: InputSummary) -> None:
        from dateline.sources.feeds import parse_feed
        from dateline.sources.fetch import document_from_result
        from dateline.sources.sitemaps import parse_sitemap

        result = self.fetcher.fetch(url)
        kind = sniff_kind(result.content_type, result.content)
        if kind == "feed":
            summary.kind = "feed"
            self._feed(parse_feed(result.content, result.final_url), summary, state_key=url)
        elif kind == "sitemap":
            summary.kind = "sitemap"
            self._sitemap(parse_sitemap(result.content, result.final_url), summary)
        else:
            summary.kind = "url"
            summary.fetched = 1
            ingest_documents([document_from_result(result)], self.store, self.report, self.progress, "url")

    # -- feeds ---------------------------------------------------------------------

    def _feed(self, feed: Feed, summary: InputSummary, *, state_key: str | None) -> None:
        summary.listed, summary.title, summary.language = len(feed.entries), feed.title, feed.language
        if feed.warning:
            summary.note = feed.warning
        name = feed.title or _host(feed.url) or feed.url
        self._describe(name, "feed", state_key or feed.url, feed.title, feed.language)
        state = self._feed_state(state_key)
        seen = set(state.seen) if state else set()
        wanted: list[_Wanted] = []
        for entry in reversed(feed.entries):  # oldest first, so ids follow publication order
            if not entry.key:
                self.fail(f"{feed.url} entry {entry.title or '(untitled)'}", "feed entry without link or id")
            elif entry.key in seen:
                summary.already_stored += 1
            else:
                wanted.append(_entry_wanted(entry, name))
        handled: list[str] = []
        for item, done in self._fetch_and_store(wanted, summary, "feed"):
            if done and item.key:
                handled.append(item.key)
        self.report.already_stored += summary.already_stored
        if state is not None:
            for key in handled:
                if key not in seen:
                    state.seen.append(key)
            state.last_polled = datetime.now(timezone.utc).isoformat(timespec="seconds")
            state.title = feed.title or state.title
            state.language = feed.language or state.language
            with self.store.transaction() as conn:
                feed_store.save_feed_state(conn, state.to_dict())

    def _feed_state(self, url: str | None) -> FeedState | None:
        if not url:
            return None  # a local feed file has no polling state
        from dateline.sources.watch import FeedState

        data = feed_store.load_feed_state(self.store.conn, url)
        return FeedState.from_dict(data) if data else FeedState(url=url)

    # -- sitemaps ------------------------------------------------------------------

    def _sitemap(self, first: Sitemap, summary: InputSummary) -> None:
        from dateline.sources.sitemaps import parse_sitemap

        queue: deque[Sitemap | str] = deque([first])
        visited = {first.url}
        followed = 0
        while queue:
            item = queue.popleft()
            if isinstance(item, str):
                try:
                    result = self.fetcher.fetch(item)
                    item = parse_sitemap(result.content, result.final_url)
                except DatelineError as exc:
                    self.fail(item, exc.message)
                    continue
            if item.kind == "index":
                for child in item.sitemaps:
                    if child in visited:
                        continue
                    if followed >= self.max_sitemaps:
                        summary.note = f"followed only the first {self.max_sitemaps} child sitemaps"
                        break
                    visited.add(child)
                    followed += 1
                    queue.append(child)
                continue
            summary.listed += len(item.entries)
            wanted = [self._sitemap_wanted(e, item.url) for e in item.entries]
            for _ in self._fetch_and_store(wanted, summary, "sitemap"):
                pass
        self.report.already_stored += summary.already_stored

    def _sitemap_wanted(self, entry: SitemapEntry, sitemap_url: str) -> _Wanted:
        # A Google News sitemap names the publication; a plain one only has the site.
        name = entry.news_publication or _host(entry.url) or sitemap_url
        self._describe(name, "sitemap", sitemap_url, entry.news_publication, entry.news_language)
        # <lastmod> is when the page last changed, not when it was published: not a date hint.
        return _Wanted(url=entry.url, title=entry.news_title, published=entry.news_publication_date, source=name)

    # -- WARC ----------------------------------------------------------------------

    def _warc(self, path: str) -> None:
        from dateline.sources.warc import iter_warc

        def documents() -> Iterator[RawDocument | Skipped]:
            try:
                yield from iter_warc(path, self._skipped_record)
            except InputError as exc:  # truncated or unreadable: what came before is kept, one line says why
                yield Skipped(path, exc.message)

        ingest_documents(documents(), self.store, self.report, self.progress, "warc")

    # -- fetching listed pages ----------------------------------------------------

    def _fetch_and_store(self, wanted: list[_Wanted], summary: InputSummary,
                         source_kind: str) -> Iterator[tuple[_Wanted, bool]]:
        """Fetch and store each page not yet stored; yields (page, handled for good)."""
        from dateline.sources.fetch import document_from_result
        from dateline.sources.watch import _is_permanent

        by_url: dict[str, _Wanted] = {}
        inline: list[_Wanted] = []
        for w in wanted:
            if w.url:
                by_url.setdefault(w.url, w)
            elif w.content:
                inline.append(w)
        stored = feed_store.known_urls(self.store.conn, by_url)
        for url in stored:
            summary.already_stored += 1
            yield by_url.pop(url), True
        for w in inline:
            doc = RawDocument(content=w.content.encode("utf-8"), kind="html", encoding_hint="utf-8")
            self._store(doc, w, source_kind)
            yield w, True
        todo = list(by_url.values())
        if self.max_pages is not None:
            room = max(0, self.max_pages - summary.fetched)
            if len(todo) > room:
                summary.note = f"fetched only {self.max_pages} pages (--max-pages)"
                todo = todo[:room]
        for start in range(0, len(todo), FETCH_BATCH):
            batch = todo[start : start + FETCH_BATCH]
            for outcome in self.fetcher.fetch_many(w.url for w in batch):
                w = by_url[outcome.url]
                summary.fetched += 1
                if outcome.error is not None:
                    self.fail(outcome.url, outcome.error.message)
                    yield w, _is_permanent(outcome.error)
                    continue
                try:
                    doc = document_from_result(outcome.result, source=w.source)
                except DatelineError as exc:
                    self.fail(outcome.url, exc.message)
                    yield w, True
                    continue
                self._store(doc, w, source_kind)
                yield w, True

    def _store(self, doc: RawDocument, w: _Wanted, source_kind: str) -> None:
        doc.published_hint = w.published or doc.published_hint
        doc.title_hint = w.title or doc.title_hint
        doc.source = w.source or doc.source
        ingest_documents([doc], self.store, self.report, self.progress, source_kind)

    def _describe(self, name: str, kind: str, url: str | None, title: str | None, language: str | None) -> None:
        key = f"{name}\0{title}\0{language}"
        if key in self._described:
            return
        self._described.add(key)
        with self.store.transaction() as conn:
            feed_store.describe_source(conn, name, kind, url, title, language)


def _entry_wanted(entry: FeedEntry, source: str) -> _Wanted:
    return _Wanted(url=entry.url, title=entry.title, published=entry.published, source=source, key=entry.key,
                   content=entry.content)


def _read_local(path: str) -> bytes:
    p = Path(path).expanduser()
    try:
        if p.stat().st_size > MAX_LOCAL_LIST_BYTES:
            raise InputError(f"{path} is larger than {MAX_LOCAL_LIST_BYTES:,} bytes")
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _default_fetcher() -> Fetcher:
    from dateline.sources.fetch import Fetcher

    return Fetcher()


def make_fetcher(*, allow_private: bool = False, user_agent: str | None = None, delay: float | None = None) -> Fetcher:
    from dateline.sources.fetch import Fetcher

    kwargs: dict = {"allow_private": allow_private, "user_agent": user_agent}
    if delay is not None:
        kwargs["min_delay"] = max(0.0, delay)
    return Fetcher(**kwargs)


def ingest_inputs(inputs: Iterable[str], store, *, allow_private: bool = False, options: Options | None = None,
                  analyze: bool = True, progress: ProgressFn | None = None, user_agent: str | None = None,
                  delay: float | None = None, max_pages: int | None = None, max_sitemaps: int = MAX_SITEMAPS,
                  fetcher: Fetcher | None = None) -> SourceReport:
    """``dateline ingest``: URLs, feeds, sitemaps, WARC archives, files, folders, globs and JSONL into the store.

    ``delay`` is the minimum number of seconds between two requests to one host
    (default 1); ``max_pages`` caps the pages fetched per feed or sitemap.
    ``fetcher`` replaces the one built from the other settings (tests, proxies).
    """
    report = SourceReport()
    run = WebIngest(
        store, report, progress=progress, fetcher=fetcher, max_pages=max_pages, max_sitemaps=max_sitemaps,
        fetcher_factory=lambda: make_fetcher(allow_private=allow_private, user_agent=user_agent, delay=delay),
    )
    try:
        for arg in inputs:
            run.ingest(arg)
    finally:
        run.close()
    return finish_ingest(store, report, analyze=analyze, options=options, progress=progress)


# -- watching feeds ---------------------------------------------------------------

_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)", re.I)


def parse_duration(text: str) -> float:
    """Seconds in "30s", "15m", "1h", "1h30m" or a bare number of seconds; InputError otherwise."""
    value = (text or "").strip().lower()
    try:
        seconds = float(value)
    except ValueError:
        parts = _DURATION_PART.findall(value)
        if not parts or _DURATION_PART.sub("", value).strip():
            raise InputError(f"not a duration: {text!r} (use e.g. 30s, 15m, 1h)") from None
        seconds = sum(float(n) * _UNITS[unit] for n, unit in parts)
    if seconds <= 0:
        raise InputError(f"duration must be positive: {text!r}")
    return seconds


def read_feed_list(path: str | os.PathLike[str]) -> list[str]:
    """Feed URLs from a file: one per line; blank lines and # comments ignored."""
    try:
        lines = Path(path).expanduser().read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read feed list {path}: {exc.strerror or exc}") from exc
    urls: list[str] = []
    for number, line in enumerate(lines, start=1):
        # A comment is a whole line or starts after whitespace; a "#" inside a URL is its fragment.
        line = "" if line.lstrip().startswith("#") else re.split(r"\s#", line, maxsplit=1)[0].strip()
        if not line:
            continue
        if urlsplit(line).scheme.lower() not in ("http", "https") or not _host(line):
            raise InputError(f"{path}:{number}: not an http(s) feed URL: {line!r}")
        if line not in urls:
            urls.append(line)
    if not urls:
        raise InputError(f"no feed URLs in {path}")
    return urls


@dataclass
class CycleSummary:
    """What one pass over the feeds did; given to ``on_cycle``."""

    cycle: int
    new_documents: int
    report: SourceReport
    feeds_failing: int


@dataclass
class WatchResult:
    cycles: int
    polls: int
    documents: int
    failed_polls: int
    report: SourceReport

    def to_dict(self) -> dict:
        return {"cycles": self.cycles, "polls": self.polls, "documents": self.documents,
                "failed_polls": self.failed_polls, "report": self.report.to_dict()}


class _StopAnalysis(Exception):
    """Raised from the progress hook to leave analysis between two batches when a stop was asked for."""


class StoreFeedState:
    """``state_load`` / ``state_save`` for the Watcher, on the store's ``feeds`` table."""

    def __init__(self, store, *, ignore_schedule: bool = False):
        self.store = store
        self.ignore_schedule = ignore_schedule
        self._described: dict[str, tuple] = {}

    def load(self, url: str) -> FeedState | None:
        from dateline.sources.watch import FeedState

        data = feed_store.load_feed_state(self.store.conn, url)
        if data is None:
            return None
        state = FeedState.from_dict(data)
        if self.ignore_schedule and not state.failures:
            state.next_poll_at = None  # --once polls healthy feeds now; failing ones keep their backoff
        return state

    def save(self, state: FeedState) -> None:
        with self.store.transaction() as conn:
            feed_store.save_feed_state(conn, state.to_dict())
            # Name the source as the watcher names its articles' source: the feed title.
            facts = (state.title, state.language)
            if state.title and self._described.get(state.url) != facts:
                feed_store.describe_source(conn, state.title, "feed", state.url, state.title, state.language)
                self._described[state.url] = facts


def watch_feeds(feeds: list[str], store, *, every: float, once: bool = False, allow_private: bool = False,
                user_agent: str | None = None, delay: float | None = None, analyze: bool = True,
                options: Options | None = None, fetcher: Fetcher | None = None,
                stop_event: threading.Event | None = None, install_signal_handlers: bool = False,
                on_cycle: Callable[[CycleSummary], object] | None = None,
                progress: ProgressFn | None = None) -> WatchResult:
    """``dateline watch``: poll ``feeds`` every ``every`` seconds until stopped (or once).

    New articles are stored as they arrive and analysed after each cycle.
    A stop (the event, or SIGINT/SIGTERM with ``install_signal_handlers``)
    lets the article in hand finish; analysis stops between two batches and
    the rest stays pending for the next run or ``dateline reanalyze``.
    """
    from dateline.sources.watch import FeedState, Watcher

    report = SourceReport()
    stop = stop_event or threading.Event()
    own = fetcher is None
    fetcher = fetcher or make_fetcher(allow_private=allow_private, user_agent=user_agent, delay=delay)
    states = StoreFeedState(store, ignore_schedule=once)
    cycles = 0

    def sink(doc: RawDocument) -> None:
        ingest_documents([doc], store, report, progress, "feed")

    def known(urls: list[str]) -> set[str]:
        found = feed_store.known_urls(store.conn, urls)
        report.already_stored += len(found)
        return found

    def stop_aware(rep: IngestReport, phase: str) -> None:
        if progress:
            progress(rep, phase)
        if phase == "analyse" and stop.is_set():
            raise _StopAnalysis

    def after_cycle(handed: int) -> None:
        nonlocal cycles
        cycles += 1
        if analyze and not stop.is_set():
            try:
                analyze_pending(store, options, report=report, progress=stop_aware)
            except _StopAnalysis:
                log.info("stopped analysis early; the rest stays pending")
        if not stop.is_set():
            group_stories(store, report)
        if on_cycle:
            failing = sum(1 for url in watcher.feeds if (states.load(url) or FeedState(url)).failures)
            on_cycle(CycleSummary(cycles, handed, report, failing))

    watcher = Watcher(feeds, every, fetcher, states.load, states.save, sink, stop_event=stop,
                      install_signal_handlers=install_signal_handlers, known_urls=known, after_cycle=after_cycle)
    try:
        stats = watcher.run(max_cycles=1 if once else None)
    finally:
        if own:
            fetcher.close()
    return WatchResult(cycles, stats.polls, stats.documents, stats.failed_polls, report)
