"""``dateline watch``: feeds polled on a schedule into the store, state in the ``feeds`` table."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from storewait import count_articles, wait_for

from dateline.cli import main
from dateline.errors import InputError
from dateline.sources.ingest import ingest_inputs, parse_duration, read_feed_list, watch_feeds
from dateline.store import Store
from dateline.store.feeds import load_feed_state

SRC = Path(__file__).resolve().parents[2] / "src"


class LiveFeed:
    """An RSS feed on the test server that a test can add items to; ETag changes with each version."""

    def __init__(self, site, tools, path: str = "/feed.xml"):
        self.site, self.tools, self.path = site, tools, path
        self.items: list[tuple[str, str]] = []
        site.route(path, self.serve)

    def add(self, slug: str, title: str) -> None:
        self.items.append((slug, title))
        body = " ".join([f"{title}: the delegations met in the capital and agreed to continue the talks."] * 3)
        self.site.page(f"/news/{slug}", f"<html lang='en'><head><title>{title}</title></head><body><article>"
                                        f"<h1>{title}</h1><p>{body}</p></article></body></html>")

    def serve(self, h) -> None:
        version = f'"v{len(self.items)}"'
        if h.headers.get("If-None-Match") == version:
            h.send_response(304)
            h.end_headers()
            return
        items = "".join(
            f"<item><title>{t}</title><link>{self.site.url('/news/' + s)}</link><guid isPermaLink='false'>urn:{s}</guid>"
            f"</item>" for s, t in reversed(self.items))
        body = (f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local Wire</title><language>en-gb</language>"
                f"{items}</channel></rss>")
        self.tools.send(h, 200, body.encode(), "application/rss+xml", {"ETag": version})


@pytest.fixture
def feed(site, tools):
    f = LiveFeed(site, tools)
    f.add("one", "First story")
    f.add("two", "Second story")
    return f


def test_parse_duration():
    assert [parse_duration(t) for t in ("30s", "15m", "1h", "1h30m", "2.5", "1d")] == [30, 900, 3600, 5400, 2.5, 86400]
    for bad in ("", "soon", "15x", "-5", "0s", "15m later"):
        with pytest.raises(InputError, match="duration"):
            parse_duration(bad)


def test_read_feed_list(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# wires\nhttps://a.example/rss\n\n  https://b.example/feed#top   # fragment kept\n"
                    "https://a.example/rss\n")
    assert read_feed_list(path) == ["https://a.example/rss", "https://b.example/feed#top"]
    path.write_text("https://a.example/rss\nftp://c.example/feed\n")
    with pytest.raises(InputError, match=r"feeds.txt:2: not an http\(s\) feed URL: 'ftp://c.example/feed'"):
        read_feed_list(path)
    path.write_text("# nothing yet\n")
    with pytest.raises(InputError, match="no feed URLs"):
        read_feed_list(path)


def test_watcher_thread_picks_up_new_entry_and_keeps_state(tmp_path, site, feed):
    cycles = []
    stop = threading.Event()
    with Store(tmp_path / "w.db") as store:
        runner = threading.Thread(target=watch_feeds, args=([site.url("/feed.xml")], store), daemon=True, kwargs=dict(
            every=0.2, allow_private=True, delay=0.0, analyze=False, stop_event=stop, on_cycle=cycles.append))
        runner.start()
        assert wait_for(lambda: cycles and cycles[-1].report.added >= 2)
        feed.add("three", "Third story")
        assert wait_for(lambda: cycles[-1].report.added >= 3)
        n = len(cycles)
        assert wait_for(lambda: len(cycles) >= n + 2)  # more polls: nothing new may come
        stop.set()
        runner.join(3)
        assert not runner.is_alive()
        report = cycles[-1].report
        assert (report.added, report.duplicates, report.failed) == (3, 0, 0)
        assert site.count("/news/one") == 1 and site.count("/news/three") == 1
        state = load_feed_state(store.conn, site.url("/feed.xml"))
        assert state["seen"] == ["urn:one", "urn:two", "urn:three"] and state["etag"] == '"v3"'
        assert state["failures"] == 0 and state["title"] == "Local Wire" and state["language"] == "en-gb"
        src = store.conn.execute("SELECT name, kind, url, language FROM sources").fetchall()
        assert [tuple(r) for r in src] == [("Local Wire", "feed", site.url("/feed.xml"), "en-gb")]
        last_new = store.conn.execute("SELECT last_new_at FROM feeds").fetchone()[0]
        assert last_new is not None


def test_watch_skips_entries_already_ingested(tmp_path, site, feed):
    with Store(tmp_path / "w.db") as store:
        ingest_inputs([site.url("/news/one")], store, allow_private=True, delay=0.0, analyze=False)
        result = watch_feeds([site.url("/feed.xml")], store, every=60, once=True, allow_private=True, delay=0.0,
                             analyze=False)
    assert result.report.added == 1 and result.report.already_stored == 1
    assert site.count("/news/one") == 1


def test_watch_once_cli_then_backoff_for_a_failing_feed(tmp_path, site, feed, capsys):
    site.page("/broken.xml", "oops", status=404)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# test feeds\n{site.url('/feed.xml')}\n{site.url('/broken.xml')}\n")
    db = tmp_path / "w.db"
    args = ["watch", str(feeds), "--once", "--db", str(db), "--allow-private", "--delay", "0", "--no-analyze"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "cycle 1: 2 new entries, 2 stored, 0 failed, 0 analysed; 1 feeds failing" in out
    with Store(db) as store:
        broken = load_feed_state(store.conn, site.url("/broken.xml"))
    assert broken["failures"] == 1 and broken["last_error"].startswith("HTTP 404")
    assert datetime.fromisoformat(broken["next_poll_at"]) > datetime.now(timezone.utc)
    polled = site.count("/broken.xml")
    feed.add("three", "Third story")
    assert main(args + ["--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["cycle"] == 1 and lines[0]["stored"] == 1
    assert lines[-1]["summary"]["report"]["added"] == 1
    assert site.count("/broken.xml") == polled  # still backing off: not polled again
    assert main(["feeds", "--db", str(db)]) == 0
    listing = capsys.readouterr().out
    assert "Local Wire" in listing and "failing (1x: HTTP 404" in listing


def test_watch_cli_rejects_bad_arguments(tmp_path, capsys):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("not a url\n")
    assert main(["watch", str(feeds), "--once", "--db", str(tmp_path / "x.db")]) == 2
    assert "feeds.txt:1: not an http(s) feed URL" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["watch", str(feeds), "--every", "soon"])
    assert "not a duration: 'soon'" in capsys.readouterr().err


def test_watch_command_picks_up_new_entry_and_stops_on_sigterm(tmp_path, site, feed, capsys):
    """The real command in this process: a helper thread adds an entry, then sends SIGTERM to the process."""
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/feed.xml") + "\n")
    db = tmp_path / "w.db"
    before = signal.getsignal(signal.SIGTERM)
    seen: dict[str, bool] = {}

    def drive() -> None:
        seen["first"] = wait_for(lambda: count_articles(db) >= 2)
        feed.add("three", "Third story")
        seen["second"] = wait_for(lambda: count_articles(db) >= 3)
        os.kill(os.getpid(), signal.SIGTERM)  # also when something failed, so the test cannot hang

    helper = threading.Thread(target=drive, daemon=True)
    helper.start()
    start = time.monotonic()
    code = main(["watch", str(feeds), "--every", "0.2s", "--db", str(db), "--allow-private", "--delay", "0",
                 "--no-analyze"])
    helper.join(2)
    assert code == 0 and seen == {"first": True, "second": True}
    assert time.monotonic() - start < 10
    out = capsys.readouterr().out
    assert out.startswith("watching 1 feeds every 0.2 s until stopped")
    assert "stopped after" in out and "3 articles stored, 0 failed" in out
    assert count_articles(db) == 3
    assert signal.getsignal(signal.SIGTERM) == before


def test_ingest_options_for_the_main_cli():
    import argparse

    from dateline.sources.cli import add_ingest_options, ingest_kwargs

    p = argparse.ArgumentParser()
    add_ingest_options(p)
    args = p.parse_args(["--allow-private", "--user-agent", "bot/1", "--delay", "0.5", "--max-pages", "20"])
    assert ingest_kwargs(args) == {"allow_private": True, "user_agent": "bot/1", "delay": 0.5, "max_pages": 20}
    assert ingest_kwargs(p.parse_args([])) == {"allow_private": False, "user_agent": None, "delay": None,
                                               "max_pages": None}
    with pytest.raises(SystemExit):
        p.parse_args(["--delay", "-1"])
