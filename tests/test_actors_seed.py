"""The seed report: every gold entity resolved with its country, sector and role."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from dateline import nlp
from dateline.resolve.actors import actor_for_span, resolve_actors

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "gold" / "seed.json").exists(), reason="shared seed gold not present")


def _bench():
    spec = importlib.util.spec_from_file_location("understanding_bench", ROOT / "bench" / "understanding.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def seed():
    bench = _bench()
    gold = json.loads((SHARED / "gold" / "seed.json").read_text(encoding="utf-8"))
    body = bench.seed_body((SHARED / "seed" / "blinken-travels-to-china.txt").read_text(encoding="utf-8"))
    doc = next(nlp.parse([body]))
    return bench, gold, doc, resolve_actors(doc, gold["published"])


def test_body_is_clean(seed):
    _, gold, doc, _ = seed
    for s in gold["body_must_contain"]:
        assert s in doc.text
    for s in gold["body_must_not_contain"]:
        assert s not in doc.text


@pytest.mark.parametrize("k", range(12))
def test_gold_entity_resolved(seed, k):
    bench, gold, _, mentions = seed
    g = gold["entities"][k]
    hit, got = bench.match_gold_entity(g, mentions)
    assert hit, (g, got.to_dict() if got else None)


def test_seed_links_and_metonymy(seed):
    _, _, doc, ms = seed
    text = doc.text
    # "Qin urged the US ..." -> Qin Gang, Foreign Minister of China
    k = text.index("Qin urged")
    m = actor_for_span(ms, k, k + 3)
    assert m.text == "Qin Gang" and m.actor.role == "Foreign Minister"
    # "Beijing, on the other hand, spoke ..." -> the Chinese government
    k = text.index("Beijing, on the other hand")
    b = actor_for_span(ms, k, k + 7)
    assert (b.actor.country, b.actor.sector) == ("CHN", "GOV")
    # "He was responding ..." -> Blinken
    k = text.index("He was responding")
    he = next(x for x in ms if x.start == k)
    assert ms[he.coref_of].actor.name == "Antony Blinken"
    # every mention's offsets point at its text
    assert all(text[x.start : x.end] == x.text for x in ms)
