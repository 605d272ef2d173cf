from __future__ import annotations

import os
import signal
import threading
import time
from datetime import datetime, timezone

import pytest

from dateline.sources.watch import FeedState, MAX_BACKOFF_SECONDS, Watcher, backoff_seconds, poll_feed


class LiveFeed:
    """An RSS feed on the test server whose items a test can add to, with an ETag per version."""

    def __init__(self, site, tools, *, etag: bool = True):
        self.site = site
        self.items: list[tuple[str, str]] = []
        self.etag = etag
        self.tools = tools
        site.route("/feed.xml", self.serve)

    def add(self, slug: str, title: str) -> None:
        self.items.append((slug, title))
        self.site.page(f"/news/{slug}", f"<html><head><title>{title}</title></head><body><p>{title}.</p></body></html>")

    def serve(self, h) -> None:
        version = f'"v{len(self.items)}"'
        if self.etag and h.headers.get("If-None-Match") == version:
            h.send_response(304)
            h.end_headers()
            return
        items = "".join(
            f"<item><title>{t}</title><link>{self.site.url('/news/' + s)}</link><guid isPermaLink='false'>urn:wire:{s}</guid>"
            f"<pubDate>Tue, 13 Jun 2023 1{i}:00:00 +0000</pubDate></item>"
            for i, (s, t) in reversed(list(enumerate(self.items)))  # newest first, as feeds do
        )
        body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local Wire</title>{items}</channel></rss>"
        self.tools.send(h, 200, body.encode(), "application/rss+xml", {"ETag": version} if self.etag else {})


@pytest.fixture
def feed(site, tools):
    f = LiveFeed(site, tools)
    f.add("one", "First story")
    f.add("two", "Second story")
    return f


def test_first_poll_returns_every_entry_oldest_first(site, fetcher, feed):
    docs, state = poll_feed(fetcher, FeedState(url=site.url("/feed.xml")), every_seconds=60)
    assert [d.title_hint for d in docs] == ["First story", "Second story"]
    assert docs[0].url == site.url("/news/one") and docs[0].source == "Local Wire"
    assert docs[0].published_hint == "2023-06-13T10:00:00+00:00"
    assert state.seen == ["urn:wire:one", "urn:wire:two"] and state.etag == '"v2"' and state.failures == 0
    assert state.title == "Local Wire" and state.last_polled and state.next_poll_at


def test_same_feed_twice_adds_nothing(site, fetcher, feed):
    _, state = poll_feed(fetcher, FeedState(url=site.url("/feed.xml")))
    docs, again = poll_feed(fetcher, state)
    assert docs == [] and again.seen == state.seen
    # Without an ETag the feed is downloaded again, and the seen ids still keep it empty.
    feed.etag = False
    docs, _ = poll_feed(fetcher, FeedState(url=state.url, seen=list(state.seen)))
    assert docs == []
    assert site.count("/news/one") == 1


def test_new_entry_between_polls(site, fetcher, feed):
    _, state = poll_feed(fetcher, FeedState(url=site.url("/feed.xml")))
    feed.add("three", "Third story")
    docs, state = poll_feed(fetcher, state)
    assert [d.title_hint for d in docs] == ["Third story"]
    assert state.seen == ["urn:wire:one", "urn:wire:two", "urn:wire:three"]


def test_failed_poll_backs_off(site, fetcher):
    site.page("/feed.xml", "boom", status=404)
    state = FeedState(url=site.url("/feed.xml"), failures=2)
    before = datetime.now(timezone.utc)
    docs, after = poll_feed(fetcher, state, every_seconds=100)
    assert docs == [] and after.failures == 3 and "HTTP 404" in after.last_error
    wait = (datetime.fromisoformat(after.next_poll_at) - before).total_seconds()
    assert 790 <= wait <= 802  # 100 * 2**3
    assert state.failures == 2  # the caller's state is not changed in place
    assert backoff_seconds(900, 30) == MAX_BACKOFF_SECONDS == 24 * 3600


def test_dead_article_link_is_skipped_once(site, fetcher, feed):
    feed.items.append(("ghost", "Vanished"))  # listed but never served: 404
    docs, state = poll_feed(fetcher, FeedState(url=site.url("/feed.xml")))
    assert [d.title_hint for d in docs] == ["First story", "Second story"]
    assert "urn:wire:ghost" in state.seen  # a 404 will not come back: do not retry it each poll


def test_state_round_trips_through_dict():
    state = FeedState(url="https://x.example/f", etag='"a"', seen=["1", "2"], failures=1, attempts={"3": 1})
    assert FeedState.from_dict(state.to_dict()) == state
    assert FeedState.from_dict({"url": "u", "future_field": 1}).url == "u"


class MemoryStore:
    def __init__(self) -> None:
        self.states: dict[str, dict] = {}

    def load(self, url: str) -> FeedState | None:
        data = self.states.get(url)
        return FeedState.from_dict(data) if data else None

    def save(self, state: FeedState) -> None:
        self.states[state.url] = state.to_dict()


def test_watcher_picks_up_a_new_entry(site, fetcher, feed):
    store, got = MemoryStore(), []
    stop = threading.Event()
    watcher = Watcher([site.url("/feed.xml")], 0.2, fetcher, store.load, store.save, got.append, stop_event=stop)
    runner = threading.Thread(target=watcher.run, daemon=True)
    runner.start()
    deadline = time.monotonic() + 5
    while len(got) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    feed.add("three", "Third story")
    while len(got) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # a few more polls: nothing new may come
    stop.set()
    runner.join(2)
    assert not runner.is_alive()
    assert [d.title_hint for d in got] == ["First story", "Second story", "Third story"]
    assert watcher.stats.polls >= 3 and watcher.stats.documents == 3
    assert store.load(site.url("/feed.xml")).seen == ["urn:wire:one", "urn:wire:two", "urn:wire:three"]


def test_stop_mid_feed_keeps_the_rest_for_next_time(site, fetcher, feed):
    store, got = MemoryStore(), []
    stop = threading.Event()

    def sink(doc):
        got.append(doc)
        stop.set()  # as if SIGTERM arrived while this article was being ingested

    Watcher([site.url("/feed.xml")], 60, fetcher, store.load, store.save, sink, stop_event=stop).run()
    state = store.load(site.url("/feed.xml"))
    assert len(got) == 1 and state.seen == ["urn:wire:one"]
    assert state.etag is None  # otherwise the next 304 would hide "two"
    state.next_poll_at = None
    store.save(state)
    rest = []
    Watcher([site.url("/feed.xml")], 60, fetcher, store.load, store.save, rest.append).run(max_cycles=1)
    assert [d.title_hint for d in rest] == ["Second story"]


def test_sigterm_stops_the_loop_and_restores_handlers(site, fetcher, feed):
    store = MemoryStore()
    before = signal.getsignal(signal.SIGTERM)
    watcher = Watcher([site.url("/feed.xml")], 30, fetcher, store.load, store.save, lambda d: None,
                      install_signal_handlers=True)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    start = time.monotonic()
    watcher.run()
    assert time.monotonic() - start < 3  # woke up from its 30 s sleep
    assert watcher.stop_event.is_set()
    assert signal.getsignal(signal.SIGTERM) == before
