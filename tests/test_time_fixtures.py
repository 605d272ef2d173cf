"""Value accuracy of the time normaliser on the hand-written fixture set (pinned floor)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FLOOR = 0.95


def _bench():
    spec = importlib.util.spec_from_file_location("bench_understanding_time", REPO / "bench" / "understanding_time.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the file runs
    spec.loader.exec_module(mod)
    return mod


def test_fixture_set_is_big_and_well_formed():
    rows = _bench().load_fixtures()
    assert len(rows) >= 150
    assert len({(r["sentence"], r["expression"]) for r in rows}) == len(rows)
    refs = {r["reference"] for r in rows}
    assert None in refs and len(refs) >= 10


def test_fixture_accuracy_without_doc():
    res = _bench().run(with_doc=False)
    misses = [(m["expression"], m["expected"], m["got"]) for m in res["fixtures"]["misses"]]
    assert res["fixtures"]["accuracy"] >= FLOOR, misses
    if res["seed"] is not None:
        assert res["seed"]["accuracy"] == 1.0, res["seed"]["misses"]


def test_fixture_accuracy_with_doc():
    from dateline.errors import ModelMissing

    try:
        from dateline import nlp

        nlp.load()
    except ModelMissing as exc:  # pragma: no cover - the model is a core dependency
        pytest.skip(str(exc))
    res = _bench().run(with_doc=True)
    misses = [(m["expression"], m["expected"], m["got"]) for m in res["fixtures"]["misses"]]
    assert res["fixtures"]["accuracy"] >= FLOOR, misses
    assert res["expressions_per_second"] > 0
