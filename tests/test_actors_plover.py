"""PLOVER dev: the country of gold actors and recipients (CAMEO codes mapped to ISO)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from dateline import nlp

ROOT = Path(__file__).resolve().parents[1]
DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "plover-gsr" / "dev.jsonl"
pytestmark = pytest.mark.skipif(not DEV.exists(), reason="PLOVER dev set not present")

MIN_ACCURACY = 0.90  # measured 0.940 (284/302) when pinned


def _bench():
    spec = importlib.util.spec_from_file_location("understanding_bench", ROOT / "bench" / "understanding.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_plover_dev_actor_country_accuracy():
    bench = _bench()
    records = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = list(nlp.parse([r["text"] for r in records]))
    result = bench.plover_eval(docs, records)
    assert result["total"] >= 250
    assert result["accuracy"] >= MIN_ACCURACY, result["misses"][:20]
