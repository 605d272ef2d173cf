"""``dateline watch`` as a real process, stopped with SIGTERM (slow: a fresh interpreter imports everything)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from storewait import count_articles, wait_for

SRC = Path(__file__).resolve().parents[2] / "src"
FEED = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Local Wire</title>{items}</channel></rss>"
)


class Wire:
    def __init__(self, site):
        self.site = site
        self.slugs: list[str] = []
        self.serve()

    def add(self, slug: str) -> None:
        self.slugs.append(slug)
        body = " ".join([f"Story {slug}: the delegations met in the capital and agreed to continue the talks."] * 3)
        self.site.page(f"/news/{slug}", f"<html><head><title>{slug}</title></head><body><article><p>{body}</p>"
                                        "</article></body></html>")
        self.serve()

    def serve(self) -> None:
        items = "".join(f"<item><title>{s}</title><link>{self.site.url('/news/' + s)}</link></item>"
                        for s in reversed(self.slugs))
        self.site.page("/feed.xml", FEED.format(items=items), ctype="application/rss+xml")


@pytest.mark.slow
def test_watch_process_picks_up_new_entry_and_stops_on_sigterm(tmp_path, site):
    feed = Wire(site)
    feed.add("one")
    feed.add("two")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/feed.xml") + "\n")
    db = tmp_path / "w.db"
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dateline.cli", "watch", str(feeds), "--every", "0.3s", "--db", str(db),
         "--allow-private", "--delay", "0", "--no-analyze", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        if not wait_for(lambda: count_articles(db) >= 2, timeout=40):
            proc.kill()
            pytest.fail(f"watch did not store the feed's articles: {proc.communicate()}")
        feed.add("three")
        assert wait_for(lambda: count_articles(db) >= 3, timeout=10)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert sum(line.get("stored", 0) for line in lines) == 3
    assert lines[-1]["summary"]["report"]["added"] == 3
    assert count_articles(db) == 3
