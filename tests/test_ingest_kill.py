"""``kill -9`` in the middle of an ingest loses no committed article, and running the
same command again finishes the rest without duplicates."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_PAGES = 300
KILL_AFTER = 25  # committed articles seen by a reader before the kill


def _write_pages(folder: Path) -> None:
    folder.mkdir()
    for n in range(N_PAGES):
        paras = "".join(
            f"<p>Page {n}, paragraph {i}: the delegations of the two governments met in Vienna to discuss"
            f" grain exports, port access and the exchange of prisoners, officials said on Tuesday.</p>"
            for i in range(3)
        )
        (folder / f"page-{n:03d}.html").write_text(
            f"<html><head><title>Talks in Vienna, report {n}</title>"
            f'<meta property="article:published_time" content="2023-07-{1 + n % 28:02d}T09:00:00Z"></head>'
            f"<body><article><h1>Talks in Vienna, report {n}</h1>{paras}</article></body></html>",
            encoding="utf-8",
        )


def _reader(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with _reader(db) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _ingest_cmd(db: Path, folder: Path) -> list[str]:
    return [sys.executable, "-m", "dateline.cli", "ingest", "--no-analyze", "--json", "--db", str(db), str(folder)]


def _env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.mark.slow
def test_kill_9_loses_nothing_and_rerun_finishes(tmp_path):
    folder, db = tmp_path / "pages", tmp_path / "store.db"
    _write_pages(folder)
    proc = subprocess.Popen(_ingest_cmd(db, folder), env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while _count(db) < KILL_AFTER:
            assert proc.poll() is None, "ingest ended before it could be killed: " + proc.stderr.read().decode()
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
    finally:
        proc.kill()  # SIGKILL: no handler, no cleanup
        proc.wait()
    assert proc.returncode == -9

    with _reader(db) as conn:
        before = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT d.path, a.id, a.text_hash FROM articles a JOIN documents d ON d.id = a.document_id")}
    assert KILL_AFTER <= len(before) < N_PAGES, "the kill should land mid-run"

    rerun = subprocess.run(_ingest_cmd(db, folder), env=_env(), capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr.decode()
    report = json.loads(rerun.stdout)["report"]
    assert report["failed"] == 0
    assert report["duplicates"] == len(before)
    assert report["added"] == N_PAGES - len(before)

    with _reader(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        after = {r[0]: (r[1], r[2]) for r in conn.execute(
            "SELECT d.path, a.id, a.text_hash FROM articles a JOIN documents d ON d.id = a.document_id")}
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert one("SELECT count(*) FROM articles") == N_PAGES
        assert one("SELECT count(*) FROM documents") == N_PAGES
        assert one("SELECT count(DISTINCT path) FROM documents") == N_PAGES
        assert one("SELECT count(DISTINCT content_hash) FROM documents") == N_PAGES
        assert one("SELECT count(DISTINCT text_hash) FROM articles") == N_PAGES
        assert one("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Vienna'") == N_PAGES
    # every article committed before the kill is still there, unchanged, under the same id
    assert all(after[path] == kept for path, kept in before.items())
