"""The store: idempotent and versioned ingest, WAL with readers beside a writer,
and the stats / search / show commands over it (--json)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from dateline.cli import main
from dateline.errors import NotFound, StoreError
from dateline.pipeline import ingest
from dateline.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
PAGES = ["a-spy-balloon-capitolherald.html", "a-grain-deal-globalwire.html", "a-pelosi-taiwan-dailycourier.html"]


def _line(url: str, text: str, published: str = "2023-03-01") -> str:
    return json.dumps({"id": url.rsplit("/", 1)[-1], "url": url, "text": text, "published": published}) + "\n"


STORY_V1 = ("Ceasefire talks open in Doha\n\nMediators from Qatar and Egypt opened a new round of ceasefire talks"
            " in Doha on Wednesday, bringing delegations from both sides to the same hotel for the first time in"
            " months, officials familiar with the process said.")
STORY_V2 = STORY_V1 + ("\n\nUpdate: the first session ended after four hours without agreement, and the"
                       " mediators said the talks would resume on Thursday morning.")


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "s.db")) as s:
        yield s


@pytest.fixture
def pages(tmp_path) -> list[str]:
    out = []
    for name in PAGES:
        shutil.copy(CORPUS / name, tmp_path / name)
        out.append(str(tmp_path / name))
    return out


def _counts(store) -> tuple[int, int, int]:
    one = lambda sql: store.conn.execute(sql).fetchone()[0]  # noqa: E731
    return one("SELECT count(*) FROM documents"), one("SELECT count(*) FROM articles"), \
        one("SELECT count(*) FROM articles WHERE is_current = 1")


def test_same_files_twice_add_nothing(store, pages):
    first = ingest(pages, store, analyze=False)
    assert first.added == 3 and first.failed == 0
    again = ingest(pages + [pages[0]], store, analyze=False)
    assert again.added == 0 and again.duplicates == 4 and again.failed == 0
    assert _counts(store) == (3, 3, 3)


def test_same_content_under_another_name_is_a_duplicate(store, pages, tmp_path):
    ingest(pages[:1], store, analyze=False)
    copy = tmp_path / "copy-of-page.html"
    shutil.copy(pages[0], copy)
    assert ingest([str(copy)], store, analyze=False).duplicates == 1
    assert _counts(store)[0] == 1


def test_changed_content_at_same_url_becomes_new_version(store, tmp_path):
    url = "https://news.example.org/doha-talks"
    v1, v2 = tmp_path / "v1.jsonl", tmp_path / "v2.jsonl"
    v1.write_text(_line(url, STORY_V1), encoding="utf-8")
    v2.write_text(_line(url, STORY_V2), encoding="utf-8")
    assert ingest([str(v1)], store, analyze=False).added == 1
    report = ingest([str(v2)], store, analyze=False)
    assert report.new_versions == 1 and report.added == 0
    rows = store.conn.execute(
        "SELECT d.version, d.supersedes, a.is_current, a.text FROM documents d JOIN articles a"
        " ON a.document_id = d.id WHERE d.url = ? ORDER BY d.version", (url,)).fetchall()
    assert [(r["version"], r["is_current"]) for r in rows] == [(1, 0), (2, 1)]
    assert rows[1]["supersedes"] is not None
    assert "resume on Thursday" in rows[1]["text"] and "resume on Thursday" not in rows[0]["text"]
    st = store.stats()
    assert st["articles"] == 1 and st["article_versions"] == 2 and st["documents"] == 2
    # the same new version once more is a duplicate, not a third version
    assert ingest([str(v2)], store, analyze=False).duplicates == 1
    # searches see only the current version
    hits = store.search("Thursday")["hits"]
    assert [h["id"] for h in hits] == [store.conn.execute(
        "SELECT id FROM articles WHERE is_current = 1").fetchone()[0]]


def test_wal_mode_and_migrations_recorded(store):
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    names = [r[0] for r in store.conn.execute("SELECT name FROM schema_migrations ORDER BY version")]
    assert names and names[0].startswith("0001_")
    # reopening migrates nothing twice
    with Store(store.path) as again:
        assert [r[0] for r in again.conn.execute("SELECT name FROM schema_migrations ORDER BY version")] == names


def test_reader_works_while_writer_holds_a_transaction(store, pages):
    ingest(pages[:1], store, analyze=False)
    with store.transaction() as conn:
        conn.execute("UPDATE articles SET title = 'changed, not committed'")
        with Store(store.path, readonly=True) as reader:  # must neither block nor see the change
            assert reader.stats()["articles"] == 1
            title = reader.conn.execute("SELECT title FROM articles").fetchone()[0]
            assert title != "changed, not committed"
            assert reader.search("balloon")["total"] == 1
        # a second writer waits for the lock instead of failing
        done = threading.Event()

        def second_writer():
            with Store(store.path) as other:
                other.record_failure("x", "queued behind the first writer")
            done.set()

        t = threading.Thread(target=second_writer)
        t.start()
        assert not done.wait(0.3)
    t.join(10)
    assert done.is_set()


def test_readonly_store_cannot_write_and_needs_a_database(store, tmp_path):
    with Store(store.path, readonly=True) as reader:
        with pytest.raises(sqlite3.OperationalError):
            reader.conn.execute("INSERT INTO ingest_failures(item, reason, at) VALUES ('a', 'b', 'c')")
    with pytest.raises(StoreError, match="not found"):
        Store(str(tmp_path / "missing.db"), readonly=True)


def test_show_unknown_id_is_not_found(store):
    with pytest.raises(NotFound):
        store.article(12345)


# -- the commands, with --json -------------------------------------------------

@pytest.fixture
def cli_db(tmp_path, pages) -> str:
    db = str(tmp_path / "cli.db")
    assert main(["ingest", "--db", db, "--no-analyze", *pages]) == 0
    return db


def _json(capsys, argv: list[str]):
    code = main(argv)
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_stats_json(cli_db, capsys):
    capsys.readouterr()
    st = _json(capsys, ["stats", "--db", cli_db, "--json"])
    assert {"articles", "documents", "sources"} <= set(st)
    assert st["articles"] == 3 and st["documents"] == 3 and st["sources"] >= 1


def test_search_json(cli_db, capsys):
    capsys.readouterr()
    res = _json(capsys, ["search", "balloon", "--db", cli_db, "--json"])
    assert res["total"] >= 1
    hit = res["hits"][0]
    assert {"id", "title", "published", "snippet", "url"} <= set(hit)
    assert "balloon" in (hit["title"] + hit["snippet"]).lower()
    none = _json(capsys, ["search", "zzzyzzx", "--db", cli_db, "--json"])
    assert none == {"query": "zzzyzzx", "total": 0, "hits": []}


def test_search_bad_query_and_bad_date_are_clear_errors(cli_db, capsys):
    capsys.readouterr()
    assert main(["search", '"unbalanced', "--db", cli_db, "--json"]) == 2
    assert "invalid search query" in capsys.readouterr().err
    assert main(["search", "balloon", "--since", "yesterday", "--db", cli_db]) == 2
    assert "since must be a date" in capsys.readouterr().err


def test_show_json(cli_db, capsys):
    capsys.readouterr()
    hit = _json(capsys, ["search", "balloon", "--db", cli_db, "--json"])["hits"][0]
    art = _json(capsys, ["show", str(hit["id"]), "--db", cli_db, "--json"])
    assert art["id"] == hit["id"] and art["title"] == hit["title"]
    assert art["text"] and isinstance(art["authors"], list)
    assert {"entities", "times", "events", "places"} <= set(art)
    assert art["analysis_status"] == "pending"  # ingested with --no-analyze
    assert main(["show", "999999", "--db", cli_db, "--json"]) == 2
    assert "no article with id 999999" in capsys.readouterr().err


def test_commands_on_missing_database_say_so(tmp_path, capsys):
    assert main(["stats", "--db", str(tmp_path / "nope.db")]) == 2
    assert "database not found" in capsys.readouterr().err
