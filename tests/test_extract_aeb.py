"""AEB floor: dateline's body F1 must stay >= 0.960 and >= plain trafilatura's in the same run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "extraction.py"


def _bench():
    spec = importlib.util.spec_from_file_location("dateline_bench_extraction", BENCH)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_metric_on_toy_pairs():
    bench = _bench()
    f1, p, r = bench.score_pairs([("one two three four five", "one two three four five")])
    assert (f1, p, r) == (1.0, 1.0, 1.0)
    f1, p, r = bench.score_pairs([("a b c d e f", "a b c d")])  # predicted 1 shingle of truth's 3
    assert p == 1.0 and abs(r - 1 / 3) < 1e-9
    assert bench.score_pairs([("short", "")]) == (0.0, 0.0, 0.0)


@pytest.mark.slow
def test_aeb_f1_floor():
    bench = _bench()
    if not (bench.DEFAULT_AEB / "ground-truth.json").exists():
        pytest.skip(f"AEB data not at {bench.DEFAULT_AEB}")
    pages = bench.load_aeb(bench.DEFAULT_AEB)
    ours = bench.aeb_scores(bench.dateline_fn, pages=pages)
    base = bench.aeb_scores(bench.trafilatura_fn, pages=pages)
    assert ours.failures == 0
    assert ours.f1 >= 0.960, ours
    assert ours.f1 >= base.f1, (ours, base)


def test_cli_json_shape_on_tiny_corpus(tmp_path, capsys):
    import gzip
    import json

    bench = _bench()
    body = (
        "The foreign ministers of both countries met on Tuesday to discuss a ceasefire along the disputed border, "
        "officials said after the talks ended late in the evening."
    )
    more = "Both delegations agreed to meet again next month and to open a hotline between their military commanders."
    article = f"<article><h1>Talks</h1><p>{body}</p><p>{more}</p></article>"
    html = f"<html><head><title>Talks</title></head><body>{article}</body></html>"
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "p1.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"p1": {"articleBody": f"{body}\n{more}", "url": None}}))
    assert bench.main(["--data", str(tmp_path), "--examples", str(tmp_path / "missing"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"aeb", "examples"} <= set(out)  # the shape; "ingest" adds the store throughput comparison
    assert set(out["ingest"]) == {"pages", "stored", "ingest_pages_per_s", "trafilatura_pages_per_s", "ratio"}
    assert out["ingest"]["stored"] == 1
    for name in ("dateline", "trafilatura"):
        assert set(out["aeb"][name]) == {"f1", "precision", "recall", "pages_per_s"}
    assert out["aeb"]["dateline"]["f1"] > 0.9
    assert out["examples"]["pages"] == 0 and out["examples"]["title_accuracy"] is None
