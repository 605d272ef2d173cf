"""Floors on the PLOVER gold sentences (dev half), as printed by bench/events.py."""

import pytest

from benchutil import SHARED, load_bench

pytestmark = pytest.mark.skipif(not (SHARED / "data" / "plover-gsr" / "dev.jsonl").exists(),
                                reason="shared/ PLOVER gold data not present")

MACRO_F1_FLOOR = 0.75
ACTOR_COUNTRY_FLOOR = 0.85


@pytest.fixture(scope="module")
def scores():
    from dateline.pipeline import Options

    bench = load_bench("events")
    return bench.plover_scores(SHARED, Options())


def test_macro_f1_floor(scores):
    assert scores["macro_f1"] >= MACRO_F1_FLOOR, scores["confusion"]


def test_actor_country_floor(scores):
    assert scores["actor_country_accuracy"] >= ACTOR_COUNTRY_FLOOR


def test_every_sentence_scored(scores):
    assert scores["sentences"] == 161
