"""Ingest of bad input: each bad item is skipped with its own reason, the run goes on,
and what the store already held is still there afterwards."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from dateline.cli import main
from dateline.pipeline import ingest
from dateline.store import Store

PROSE = (
    "<p>Le ministre a déclaré que la coopération économique reste très importante pour les deux pays,"
    " selon un communiqué publié à Genève. Les négociations continueront la semaine prochaine à Zürich.</p>"
)


def _page(title: str, body: str, head: str = "") -> str:
    return (f"<html><head>{head}<title>{title}</title></head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>")


def _good_page(n: int) -> str:
    return _page(
        f"Trade talks round {n} end in Geneva",
        "".join(
            f"<p>Negotiators from both countries met for round {n} of talks on tariffs for steel and"
            f" aluminium on Tuesday, and agreed to meet again next month in Geneva, officials said. {i}</p>"
            for i in range(4)
        ),
        head='<meta property="article:published_time" content="2023-05-02T10:00:00Z">',
    )


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("bad")
    (d / "empty.html").write_bytes(b"")
    (d / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16)
    para = ("<p>The delegation discussed trade, security and climate policy at length during the"
            " meeting in the capital, officials said.</p>\n")
    with open(d / "huge.html", "w", encoding="utf-8") as fh:  # 50 MB, written in pieces
        fh.write("<html><head><title>Huge</title></head><body><article><h1>Huge page</h1>")
        chunk = para * 1000
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
        fh.write("</article></body></html>")
    (d / "cp1252-declared-utf8.html").write_bytes(
        _page("Café talks résumé", PROSE * 3, '<meta charset="utf-8">').encode("cp1252"))
    (d / "utf8-declared-cp1252.html").write_bytes(
        _page("Naïve déjà vu in Zürich", PROSE * 3, '<meta charset="windows-1252">').encode("utf-8"))
    (d / "undeclared-cp1252.html").write_bytes(_page("Señor Peña visits Düsseldorf", PROSE * 3).encode("cp1252"))
    full = gzip.compress(_good_page(99).encode("utf-8") * 20)
    (d / "truncated.html.gz").write_bytes(full[: len(full) // 2])
    (d / "login.html").write_text(
        "<html><head><title>Sign in</title></head><body><form><label>Email</label><input name=email>"
        "<label>Password</label><input type=password name=pw><button>Sign in</button></form>"
        '<a href="/forgot">Forgot password?</a></body></html>', encoding="utf-8")
    (d / "nodate.html").write_text(_page(
        "Talks resume on trade",
        "<p>Negotiators from both countries met again to discuss tariffs on steel and aluminium, and"
        " agreed to meet again soon for another round of talks.</p>" * 4), encoding="utf-8")
    with open(d / "lines.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "a", "url": "https://example.org/a", "html": _good_page(1)}) + "\n")
        fh.write("{not json at all\n")
        fh.write(json.dumps({"id": "c", "url": "https://example.org/c", "html": _good_page(3)}) + "\n")
    return d


@pytest.fixture(scope="module")
def outcome(bad_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "bad.db"
    first = bad_dir.parent / "first.html"
    first.write_text(_good_page(0), encoding="utf-8")
    with Store(str(db)) as store:
        before = ingest([str(first)], store, analyze=False)
        assert before.added == 1
        report = ingest([str(bad_dir)], store, analyze=False)
        rows = {r["path"] or r["url"]: dict(r) for r in store.conn.execute(
            "SELECT d.path, d.url, a.title, a.published, a.text, a.is_current FROM articles a"
            " JOIN documents d ON d.id = a.document_id")}
        stored_failures = store.conn.execute("SELECT item, reason FROM ingest_failures").fetchall()
    return report, rows, stored_failures, str(first), db


def _reason(report, name: str) -> str:
    hits = [r for item, r in report.failures if item.endswith(name)]
    assert len(hits) == 1, f"expected one failure for {name}, got {report.failures}"
    return hits[0]


@pytest.mark.parametrize("name, words", [
    ("empty.html", ["empty"]),
    ("image.html", ["png"]),
    ("huge.html", ["larger than"]),
    ("truncated.html.gz", ["truncated"]),
    ("lines.jsonl:2", ["invalid json"]),
    ("login.html", ["no article text", "login|password|sign"]),
])
def test_each_bad_item_has_its_own_reason(outcome, name, words):
    reason = _reason(outcome[0], name).lower()
    for w in words:  # "a|b": either word
        assert any(alt in reason for alt in w.split("|")), f"{name}: {reason!r} does not mention {w!r}"


def test_run_continues_and_keeps_earlier_articles(outcome):
    report, rows, stored_failures, first, _ = outcome
    assert report.failed == 6
    # 3 encoding pages + the undated page + 2 good JSONL lines
    assert report.added == 6
    assert rows[first]["is_current"] == 1 and rows[first]["title"] == "Trade talks round 0 end in Geneva"
    assert "https://example.org/a" in rows and "https://example.org/c" in rows
    assert len(stored_failures) == 6  # a summary can be rebuilt from the store


@pytest.mark.parametrize("name, title", [
    ("cp1252-declared-utf8.html", "Café talks résumé"),
    ("utf8-declared-cp1252.html", "Naïve déjà vu in Zürich"),
    ("undeclared-cp1252.html", "Señor Peña visits Düsseldorf"),
])
def test_wrong_or_missing_encodings_decode_cleanly(outcome, bad_dir, name, title):
    row = outcome[1][str(bad_dir / name)]
    assert row["title"] == title
    assert "déclaré" in row["text"] and "Zürich" in row["text"]
    assert "Ã" not in row["text"] and "\ufffd" not in row["text"]


def test_page_without_date_is_stored_with_null_published(outcome, bad_dir):
    row = outcome[1][str(bad_dir / "nodate.html")]
    assert row["title"] == "Talks resume on trade"
    assert row["published"] is None


def test_cli_summary_lists_every_failure(bad_dir, tmp_path, capsys):
    small = [p for p in sorted(bad_dir.iterdir()) if p.name != "huge.html"]
    code = main(["ingest", "--db", str(tmp_path / "cli.db"), "--no-analyze", *map(str, small)])
    out = capsys.readouterr().out
    assert code == 0
    assert "5 failed" in out and "6 added" in out
    failures = out.split("failures:", 1)[1]
    for name in ("empty.html", "image.html", "truncated.html.gz", "lines.jsonl:2", "login.html"):
        line = next(ln for ln in failures.splitlines() if name in ln)
        assert ": " in line.split(name, 1)[1], line  # item: reason


def test_cli_json_summary(bad_dir, tmp_path, capsys):
    code = main(["ingest", "--db", str(tmp_path / "j.db"), "--no-analyze", "--json",
                 str(bad_dir / "empty.html"), str(bad_dir / "nodate.html")])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["report"]["added"] == 1 and data["report"]["failed"] == 1
    assert data["report"]["failures"][0]["item"].endswith("empty.html")
    assert data["stats"]["articles"] == 1

