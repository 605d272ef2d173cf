"""The batch runner: lake layout, deterministic ids, manifest and rerun behaviour, inputs and failures."""

from __future__ import annotations

import json
import shutil

import pyarrow.parquet as pq
import pytest

from dateline.errors import InputError
from dateline.scale import schema
from dateline.scale.manifest import MANIFEST, Manifest
from dateline.scale.runner import run_batch
from dateline.scale.work import read_units


def test_lake_has_every_table_partitioned_by_month(small_lake, lake_tables, sizes):
    tables = lake_tables(small_lake)
    assert tables["articles"].num_rows == sizes['pages']
    assert tables["events"].num_rows > sizes['pages']  # the example articles are full of events
    for name in ("entities", "places", "times", "mentions"):
        assert tables[name].num_rows > 0, name
    months = set(tables["articles"].column("month").to_pylist())
    assert len(months) >= 2 and all(m == "unknown" or len(m) == 7 for m in months)
    # Every row of every table sits in its article's month folder.
    month_of = dict(zip(tables["articles"].column("id").to_pylist(), tables["articles"].column("month").to_pylist()))
    for name in ("entities", "times", "events", "mentions"):
        t = tables[name]
        for aid, month in zip(t.column("article_id").to_pylist(), t.column("month").to_pylist()):
            assert month_of[aid] == month
    # Hive layout, and no partition column inside the files.
    some = next((small_lake / "events").glob("month=*/part-*.parquet"))
    assert "month" not in pq.read_schema(some).names


def test_ids_are_deterministic_and_unique(small_lake, lake_tables):
    arts = lake_tables(small_lake)["articles"].to_pylist()
    ids = [a["id"] for a in arts]
    assert len(set(ids)) == len(ids)
    for a in arts:
        assert a["id"] == schema.article_id(schema.doc_key(a["url"], a["content_hash"]))
        assert 0 < a["id"] < 2 ** 53  # exact in JavaScript
    events = lake_tables(small_lake)["events"].to_pylist()
    assert all(e["id"] == schema.event_id(e["article_id"], e["idx"]) for e in events)
    mentions = lake_tables(small_lake)["mentions"].to_pylist()
    assert {m["event_id"] for m in mentions} == {e["id"] for e in events}  # every event keeps its sentence


def test_manifest_records_units_and_the_finished_input(small_lake, sizes):
    m = Manifest.open(small_lake)
    assert m.batch_size == sizes['batch']
    assert len(m.units) == sizes['pages'] // sizes['batch']
    assert len(m.inputs) == 1
    (entry,) = m.inputs.values()
    assert entry["units"] == sizes['pages'] // sizes['batch'] and entry["skipped_records"] > 0  # request records
    assert m.totals()["articles"] == sizes['pages']


def test_rerun_skips_finished_inputs_without_duplicates(small_lake, small_warc, tmp_path, lake_tables, sizes):
    lake = tmp_path / "copy"
    shutil.copytree(small_lake, lake)
    before = lake_tables(lake)
    report = run_batch([str(small_warc)], lake, workers=0, batch_size=sizes['batch'], progress=False)
    assert report.inputs_already_done == 1 and report.units == 0
    after = lake_tables(lake)
    assert all(before[t].equals(after[t]) for t in before)


def test_a_lost_manifest_line_rewrites_the_same_files(small_lake, small_warc, tmp_path, lake_tables, sizes):
    """A kill between writing a unit's files and its manifest line: the rerun replaces, never adds."""
    lake = tmp_path / "copy"
    shutil.copytree(small_lake, lake)
    lines = (lake / MANIFEST).read_text().splitlines()
    kept = [ln for ln in lines if json.loads(ln).get("kind") == "lake"]
    kept += [ln for ln in lines if json.loads(ln).get("kind") == "unit" and json.loads(ln)["index"] != 1]
    (lake / MANIFEST).write_text("\n".join(kept) + "\n" + '{"kind": "unit", "unit": "cut sh')  # a torn last line
    report = run_batch([str(small_warc)], lake, workers=0, batch_size=sizes['batch'], progress=False)
    assert report.units == 1 and report.articles == sizes['batch']
    before, after = lake_tables(small_lake), lake_tables(lake)
    assert all(before[t].equals(after[t]) for t in before)
    assert len(Manifest.open(lake).inputs) == 1


def test_another_batch_size_is_refused(small_lake, small_warc, sizes):
    with pytest.raises(InputError, match="batch size"):
        run_batch([str(small_warc)], small_lake, workers=0, batch_size=sizes['batch'] + 1, progress=False)


def test_units_cut_inputs_the_same_way_and_skip_done_ones(small_warc, sizes):
    units = list(read_units(str(small_warc), sizes['batch']))
    again = list(read_units(str(small_warc), sizes['batch'], done={0, 2}))
    assert [u.index for u in units[:-1]] == [0, 1, 2, 3]  # 16 pages, 4 per unit
    assert [u.index for u in again[:-1]] == [1, 3]
    assert [d.url for d in again[0].items] == [d.url for d in units[1].items]
    assert units[-1].units == again[-1].units == sizes['pages'] // sizes['batch']


def test_jsonl_folder_and_bad_inputs(tmp_path, lake_tables):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text("PARIS, June 2 (Wire) - France and Germany signed a trade agreement on Friday,"
                                  " officials said.", encoding="utf-8")
    jl = tmp_path / "docs.jsonl"
    text = ("MOSCOW, May 2 (Wire) - Russia condemned the sanctions imposed by the European Union on Monday."
            "\n\nThe foreign ministry said Moscow would respond to the measures, which target banks and energy"
            " exporters.\n\nEuropean officials said the sanctions would stay in place until the war ends.")
    jl.write_text(json.dumps({"id": "x1", "text": text, "published": "2023-05-02"}) + "\n"
                  + "not json\n", encoding="utf-8")
    lake = tmp_path / "lake"
    report = run_batch([str(folder), str(jl), str(tmp_path / "missing.warc")], lake, workers=0, batch_size=4,
                       progress=False)
    assert report.articles == 2
    assert report.failed == 2  # the bad JSON line and the missing file, each with its reason
    reasons = " ".join(r for _, r in report.failures)
    assert "invalid JSON" in reasons and "missing.warc" in " ".join(i for i, _ in report.failures)
    arts = {a["source_kind"]: a for a in lake_tables(lake)["articles"].to_pylist()}
    assert set(arts) == {"file", "jsonl"}
    assert arts["jsonl"]["month"] == "2023-05"


def test_bad_options_are_clear_errors(tmp_path):
    with pytest.raises(InputError, match="engine"):
        run_batch(["x"], tmp_path / "l", engine="spark")
    with pytest.raises(InputError, match="workers"):
        run_batch(["x"], tmp_path / "l", engine="ray", workers=0)
    with pytest.raises(InputError, match="not a dateline lake"):
        Manifest.open(tmp_path / "nothing")
