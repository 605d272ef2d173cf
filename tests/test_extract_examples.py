"""Metadata accuracy floors on the example corpus (examples/corpus/*.html with .gold.json).

The corpus is hand-written for dateline; these floors keep extraction from regressing on it.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
FLOOR = 0.9


def _bench():
    spec = importlib.util.spec_from_file_location("dateline_bench_extraction", REPO / "bench" / "extraction.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores():
    if not any(CORPUS.glob("*.gold.json")):
        pytest.skip("example corpus not present")
    return _bench().example_scores(CORPUS)


@pytest.mark.parametrize("key", ["title", "date", "author", "language", "body"])
def test_example_corpus_accuracy(scores, key):
    value = scores[f"{key}_accuracy"]
    if value is None:
        pytest.skip(f"no gold {key} in the corpus")
    misses = [m for m in scores["mismatches"] if key in m.get("failed", [])]
    assert value >= FLOOR, misses[:5]


def test_example_corpus_has_no_extraction_errors(scores):
    assert scores["errors"] == 0
