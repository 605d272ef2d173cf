"""Polling feeds for new articles.

State lives outside: the caller gives ``state_load(url)`` and
``state_save(FeedState)`` (the CLI keeps them in SQLite), so this module never
touches the database. Two rules keep articles from being lost:

* an entry is marked seen only once its article was handed over (or failed
  for good: 404, robots.txt, not HTML), so a timeout is retried next poll;
* the feed's ETag/Last-Modified are stored only when every new entry was
  dealt with, otherwise the next poll's 304 would hide the leftovers.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from dateline.errors import DatelineError, FetchError
from dateline.models import RawDocument
from dateline.sources.feeds import FeedEntry, parse_feed
from dateline.sources.fetch import Fetcher, HTTPStatusError

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 24 * 3600.0
MAX_SEEN = 5000  # keys remembered per feed; far more than any feed lists at once
MAX_ENTRY_ATTEMPTS = 3  # transient failures before an entry is given up


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)  # entry ids (or URLs), oldest first
    last_polled: str | None = None  # ISO-8601 UTC
    failures: int = 0  # consecutive failed polls
    next_poll_at: str | None = None  # ISO-8601 UTC; None = now
    last_error: str | None = None
    title: str | None = None
    language: str | None = None  # the feed's declared language
    attempts: dict[str, int] = field(default_factory=dict)  # entry key -> transient failures

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeedState:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        state = cls(**known)
        state.seen = list(state.seen or [])
        state.attempts = dict(state.attempts or {})
        return state

    def is_due(self, now: datetime | None = None) -> bool:
        if not self.next_poll_at:
            return True
        return _parse_iso(self.next_poll_at) <= (now or _now())

    def copy(self) -> FeedState:
        return replace(self, seen=list(self.seen), attempts=dict(self.attempts))


KnownUrls = Callable[[list[str]], set[str]]  # which of these URLs are already stored


class PollResult(NamedTuple):
    documents: list[RawDocument]
    state: FeedState


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _iso(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _parse_iso(value: str) -> datetime:
    when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def backoff_seconds(every_seconds: float, failures: int) -> float:
    """Delay before the next poll after ``failures`` consecutive failures."""
    return min(every_seconds * (2 ** max(0, failures)), MAX_BACKOFF_SECONDS)


def _is_permanent(exc: DatelineError) -> bool:
    """Errors that will not go away by retrying the same entry."""
    if isinstance(exc, HTTPStatusError):
        return not exc.transient
    # Forbidden, InputError (not HTML), BodyTooLarge: same answer next time.
    return type(exc) is not FetchError


class FeedPoll:
    """One poll of one feed: fetch it, list new entries, turn each into a document."""

    def __init__(self, fetcher: Fetcher, state: FeedState, *, every_seconds: float, max_seen: int = MAX_SEEN,
                 known_urls: KnownUrls | None = None):
        self.fetcher = fetcher
        self.known_urls = known_urls
        self.state = state.copy()
        self.every_seconds = every_seconds
        self.max_seen = max_seen
        self._pending_validators: tuple[str | None, str | None] | None = None
        self._feed_title: str | None = state.title
        self._incomplete = False

    def new_entries(self) -> list[FeedEntry]:
        """Entries not seen before, oldest first; [] on 304 or failure (recorded in state)."""
        st = self.state
        now = _now()
        st.last_polled = _iso(now)
        try:
            result = self.fetcher.fetch(st.url, etag=st.etag, last_modified=st.last_modified)
            if result.not_modified:
                self._succeeded(now)
                return []
            feed = parse_feed(result.content, result.final_url)
        except DatelineError as exc:
            st.failures += 1
            st.last_error = exc.message
            delay = backoff_seconds(self.every_seconds, st.failures)
            st.next_poll_at = _iso(now + timedelta(seconds=delay))
            log.warning("feed %s failed (%d in a row, next try in %.0f s): %s", st.url, st.failures, delay, exc.message)
            return []
        self._feed_title = feed.title or self._feed_title
        st.title = self._feed_title
        st.language = feed.language or st.language
        self._pending_validators = (result.etag, result.last_modified)
        self._succeeded(now)
        seen = set(st.seen)
        fresh: list[FeedEntry] = []
        for entry in feed.entries:
            key = entry.key
            if not key:
                log.warning("entry without id or link in %s: %r; skipped", st.url, entry.title)
            elif key not in seen:
                seen.add(key)
                fresh.append(entry)
        fresh.reverse()  # feeds list newest first; hand them over in publication order
        if self.known_urls and fresh:
            # Articles stored by another route (an earlier ingest, a sitemap) are not fetched again.
            stored = self.known_urls([e.url for e in fresh if e.url])
            for entry in [e for e in fresh if e.url in stored]:
                self.mark_seen(entry.key or "")
            fresh = [e for e in fresh if e.url not in stored]
        return fresh

    def _succeeded(self, now: datetime) -> None:
        st = self.state
        st.failures = 0
        st.last_error = None
        st.next_poll_at = _iso(now + timedelta(seconds=self.every_seconds))

    def document(self, entry: FeedEntry) -> RawDocument | None:
        """Fetch the entry's article; None when it is skipped (the reason is logged)."""
        key = entry.key or ""
        if entry.url:
            try:
                doc = self.fetcher.fetch_document(entry.url)
            except DatelineError as exc:
                if _is_permanent(exc):
                    log.warning("skipping %s: %s", entry.url, exc.message)
                    self.mark_seen(key)
                    return None
                tries = self.state.attempts.get(key, 0) + 1
                if tries >= MAX_ENTRY_ATTEMPTS:
                    log.warning("giving up on %s after %d tries: %s", entry.url, tries, exc.message)
                    self.mark_seen(key)
                else:
                    log.info("will retry %s next poll: %s", entry.url, exc.message)
                    self.state.attempts[key] = tries
                    self._incomplete = True
                return None
        elif entry.content:
            # No link but the feed carries the whole article.
            doc = RawDocument(content=entry.content.encode("utf-8"), kind="html", encoding_hint="utf-8")
        else:
            log.warning("skipping entry %s of %s: no link and no content", key or "(no id)", self.state.url)
            self.mark_seen(key)
            return None
        doc.published_hint = entry.published
        doc.title_hint = entry.title
        doc.source = self._feed_title or doc.source
        return doc

    def mark_seen(self, key: str) -> None:
        if not key:
            return
        st = self.state
        st.attempts.pop(key, None)
        if key not in st.seen:
            st.seen.append(key)
            if len(st.seen) > self.max_seen:
                del st.seen[: len(st.seen) - self.max_seen]

    def finish(self, *, complete: bool = True) -> FeedState:
        """Close the poll; validators are kept only if nothing was left undone."""
        if self._pending_validators and complete and not self._incomplete:
            self.state.etag, self.state.last_modified = self._pending_validators
        return self.state


def poll_feed(
    fetcher: Fetcher, state: FeedState, *, every_seconds: float = 900.0, max_seen: int = MAX_SEEN
) -> PollResult:
    """Poll once: documents for new entries and the updated state (the input is not changed)."""
    poll = FeedPoll(fetcher, state, every_seconds=every_seconds, max_seen=max_seen)
    docs = []
    for entry in poll.new_entries():
        doc = poll.document(entry)
        if doc is not None:
            docs.append(doc)
            poll.mark_seen(entry.key or "")
    return PollResult(docs, poll.finish())


@dataclass
class WatchStats:
    polls: int = 0
    documents: int = 0
    failed_polls: int = 0
    sink_errors: int = 0


class Watcher:
    """Poll feeds every ``every_seconds`` and call ``sink(doc)`` per new article, until stopped.

    ``sink`` errors that are DatelineErrors (e.g. no article could be
    extracted) are logged and the entry counts as done; any other exception
    is a bug and propagates. With ``install_signal_handlers=True`` the first
    SIGINT/SIGTERM lets the article in hand finish and then stops; a second
    SIGINT interrupts at once.
    """

    def __init__(
        self,
        feeds: Iterable[str],
        every_seconds: float,
        fetcher: Fetcher,
        state_load: Callable[[str], FeedState | None],
        state_save: Callable[[FeedState], None],
        sink: Callable[[RawDocument], object],
        *,
        stop_event: threading.Event | None = None,
        install_signal_handlers: bool = False,
        max_seen: int = MAX_SEEN,
        known_urls: KnownUrls | None = None,
        after_cycle: Callable[[int], object] | None = None,
    ):
        self.feeds = list(dict.fromkeys(feeds))
        self.known_urls = known_urls
        self.after_cycle = after_cycle  # called with the number of documents handed over in the cycle
        self.every_seconds = float(every_seconds)
        self.fetcher = fetcher
        self.state_load = state_load
        self.state_save = state_save
        self.sink = sink
        self.stop_event = stop_event or threading.Event()
        self.install_signal_handlers = install_signal_handlers
        self.max_seen = max_seen
        self.stats = WatchStats()

    def stop(self) -> None:
        self.stop_event.set()

    def _state(self, url: str) -> FeedState:
        return self.state_load(url) or FeedState(url=url)

    def run_once(self) -> int:
        """Poll every due feed once; returns how many documents went to the sink."""
        handed = 0
        for url in self.feeds:
            if self.stop_event.is_set():
                break
            state = self._state(url)
            if not state.is_due():
                continue
            handed += self._poll(state)
        return handed

    def _poll(self, state: FeedState) -> int:
        poll = FeedPoll(self.fetcher, state, every_seconds=self.every_seconds, max_seen=self.max_seen,
                        known_urls=self.known_urls)
        entries = poll.new_entries()
        self.stats.polls += 1
        if poll.state.failures:
            self.stats.failed_polls += 1
        handed = 0
        complete = True
        for entry in entries:
            if self.stop_event.is_set():
                complete = False  # leftovers stay unseen and are picked up next run
                break
            doc = poll.document(entry)
            if doc is not None:
                try:
                    self.sink(doc)
                except DatelineError as exc:
                    self.stats.sink_errors += 1
                    log.warning("could not ingest %s: %s", doc.url or entry.key, exc.message)
                handed += 1
                poll.mark_seen(entry.key or "")
            # Save after each entry so a crash never re-ingests what was done.
            self.state_save(poll.state)
        self.state_save(poll.finish(complete=complete))
        self.stats.documents += handed
        return handed

    def _seconds_to_next_due(self) -> float:
        now = _now()
        waits = []
        for url in self.feeds:
            state = self._state(url)
            if not state.next_poll_at:
                return 0.0
            waits.append((_parse_iso(state.next_poll_at) - now).total_seconds())
        return max(0.0, min(waits, default=self.every_seconds))

    def run(self, *, max_cycles: int | None = None) -> WatchStats:
        """Loop until the stop event is set (or ``max_cycles`` passes ran)."""
        restore = self._install_signals() if self.install_signal_handlers else None
        try:
            cycles = 0
            while not self.stop_event.is_set():
                handed = self.run_once()
                if self.after_cycle:
                    self.after_cycle(handed)
                cycles += 1
                if max_cycles is not None and cycles >= max_cycles:
                    break
                # Sleep on the event so a stop request wakes us at once.
                self.stop_event.wait(min(self._seconds_to_next_due(), self.every_seconds) or 0.01)
        finally:
            if restore:
                restore()
        return self.stats

    def _install_signals(self) -> Callable[[], None] | None:
        if threading.current_thread() is not threading.main_thread():
            log.warning("signal handlers can only be installed from the main thread; not installing")
            return None
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

        def handler(signum: int, frame: object) -> None:
            if self.stop_event.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            log.info("stopping after the current article (signal %d)", signum)
            self.stop_event.set()

        for sig in previous:
            signal.signal(sig, handler)

        def restore() -> None:
            for sig, old in previous.items():
                signal.signal(sig, old)

        return restore

