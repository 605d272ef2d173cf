"""``dateline load``: a lake into the SQLite store, once."""

from __future__ import annotations

import sqlite3
import zlib

from dateline.scale.load import load_lake
from dateline.store import Store


def test_load_brings_every_row(lake_db, lake_tables, small_lake):
    tables = lake_tables(small_lake)
    conn = sqlite3.connect(lake_db)
    count = lambda t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
    assert count("articles") == tables["articles"].num_rows
    assert count("events") == tables["events"].num_rows
    assert count("event_mentions") == tables["mentions"].num_rows
    assert count("mentions") == tables["entities"].num_rows
    assert count("time_expressions") == tables["times"].num_rows
    assert count("places") == tables["places"].num_rows
    assert conn.execute("SELECT count(*) FROM articles WHERE analysis_status = 'done'").fetchone()[0] == \
        tables["articles"].num_rows
    # The raw blob is the extracted text; the hash is the original page's.
    hashes = set(tables["articles"].column("content_hash").to_pylist())
    for h, raw, kind in conn.execute("SELECT content_hash, raw, kind FROM documents"):
        assert h in hashes and kind == "text" and zlib.decompress(raw).decode()
    lake_events = sorted((e["type"], e["trigger"], e["sentence"]) for e in tables["events"].to_pylist())
    stored = sorted(tuple(r) for r in conn.execute("SELECT type, trigger, sentence FROM events"))
    assert lake_events == stored


def test_load_twice_adds_nothing(lake_db, small_lake):
    with Store(lake_db) as store:
        report = load_lake(small_lake, store, stories=False)
    assert report.added == 0 and report.duplicates == report.articles > 0


def test_cli_batch_and_load(small_lake, tmp_path, capsys):
    import json

    from dateline.cli import main

    db = tmp_path / "cli.db"
    assert main(["load", str(small_lake), "--db", str(db), "--no-stories", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["added"] == 16 and out["events"] > 0
    # batch over a lake that already holds this input: nothing to do, said plainly
    warc_input = json.loads((small_lake / "_manifest.jsonl").read_text().splitlines()[-1])["input"]
    assert main(["batch", warc_input, "--out", str(small_lake), "--workers", "0", "--batch-size", "4",
                 "--quiet"]) == 0
    assert "already in the lake" in capsys.readouterr().out
    assert main(["batch", warc_input, "--out", str(small_lake), "--batch-size", "5"]) == 2  # refused, with reason
    assert "batch size 4" in capsys.readouterr().err
