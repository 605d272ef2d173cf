"""Stories on the example corpus: accuracy floors, one story per article, CLI shapes.

The corpus is ingested without NLP analysis (fast); clustering then runs on title/body terms and
name/figure anchors only. Entities from analysis are an extra feature measured in bench/stories.py.
"""

from __future__ import annotations

import argparse
import io
import json
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from dateline.pipeline import ingest
from dateline.store import Store
from dateline.stories import cli as stories_cli
from dateline.stories import get_story, list_stories, related_articles, update_stories
from dateline.stories.evaluate import corpus_gold, score_corpus

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
BCUBED_F1_FLOOR = 0.90
DUPLICATE_FLOOR = 0.95


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("stories") / "corpus.db")
    with Store(path) as store:
        ingest_report = ingest([str(CORPUS)], store, analyze=False)  # ingest places articles in stories itself
        report = ingest_report.stories
        assert update_stories(store).articles == 0  # nothing left to place: the update is incremental
    return path, report


@pytest.fixture()
def store(corpus_db):
    with Store(corpus_db[0], readonly=True) as s:
        yield s


def test_corpus_floors(store):
    scores = score_corpus(store, CORPUS)
    assert scores["articles"] >= 64 and scores["articles_without_story"] == 0
    assert scores["bcubed"]["f1"] >= BCUBED_F1_FLOOR, scores
    assert scores["duplicates"]["gold_pairs"] >= 4
    assert scores["duplicates"]["precision"] >= DUPLICATE_FLOOR, scores
    assert scores["duplicates"]["recall"] >= DUPLICATE_FLOOR, scores
    assert scores["translations"]["recall"] == 1.0, scores


def test_every_article_in_exactly_one_story(store, corpus_db):
    stories = list_stories(store)
    ids = [a["id"] for s in stories for a in s["articles"]]
    current = [r[0] for r in store.conn.execute("SELECT id FROM articles WHERE is_current = 1")]
    assert sorted(ids) == sorted(current) and len(ids) == len(set(ids))
    assert corpus_db[1].articles == len(current)


def test_translation_and_german_original_share_a_story(store):
    gold = corpus_gold(store, CORPUS)
    page = {g["_page"]: aid for aid, g in gold.items()}
    german = page["a-blinken-visit-tagesblick.html"]
    english = page["a-blinken-visit-worldaffairsdigest.html"]
    story = next(s for s in list_stories(store) if any(a["id"] == german for a in s["articles"]))
    members = {a["id"]: a for a in story["articles"]}
    assert english in members and members[english]["translation_of"] == german
    assert page["a-blinken-visit-globalwire.html"] in members


def test_story_and_related(store):
    gold = corpus_gold(store, CORPUS)
    page = {g["_page"]: aid for aid, g in gold.items()}
    copy = page["a-blinken-visit-newsnowdaily.html"]
    rel = related_articles(store, copy)
    assert [a["id"] for a in rel["copies"]] == [page["a-blinken-visit-capitolherald.html"]]
    assert len(rel["same_story"]) >= 3
    assert rel["other_stories"] and all(o["story_id"] != rel["story_id"] for o in rel["other_stories"])
    story = get_story(store, rel["story_id"])
    assert story["independent_reports"] == story["article_count"] - 2  # one duplicate, one translation


def _run(argv: list[str]) -> str:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    stories_cli.register(sub, lambda p: p.add_argument("--db"), lambda p: None)
    args = parser.parse_args(argv)
    out = io.StringIO()
    with redirect_stdout(out):
        assert args.func(args) == 0
    return out.getvalue()


def test_cli_stories_json_shape(corpus_db):
    data = json.loads(_run(["stories", "--json", "--no-update", "--db", corpus_db[0]]))
    assert isinstance(data, list) and data
    for s in data:
        assert {"id", "title", "articles"} <= set(s)
        for a in s["articles"]:
            assert {"id", "url", "canonical_url", "title", "published", "duplicate_of"} <= set(a)
    story = json.loads(_run(["story", str(data[0]["id"]), "--json", "--db", corpus_db[0]]))
    assert story["id"] == data[0]["id"]
    text = _run(["related", str(data[0]["articles"][0]["id"]), "--db", corpus_db[0]])
    assert "other stories" in text
