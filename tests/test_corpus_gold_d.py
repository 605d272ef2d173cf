"""Consistency checks for part D of the example news corpus (examples/corpus/d-*.html).

Part D is the second held-out set for event coding ("events_split": "heldout2"): ten single-page stories
whose gold was written from the text alone. These tests catch drift between a page and its gold file;
they never run the event coder, so nothing here can leak the gold into rule work.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
PAGES = sorted(CORPUS.glob("d-*.html"))
sys.path.insert(0, str(ROOT / "bench"))

import events_articles as bench  # noqa: E402
from test_corpus_gold_b import REQUIRED_KEYS, PUBLISHED_RE, gold_path, load_gold, normalise, visible_text  # noqa: E402

TEMPLATE_MARKERS = {
    "wordpress": "entry-content",
    "news": '"@type": "NewsArticle"',
    "amp": "cdn.ampproject.org",
    "wire": "wire-story",
}
SECTORS = {"GOV", "MIL", "LEG", "JUD", "POL", "COP", "OPP", "REB", "CVL", "BUS", "MED", "IGO", "NGO", "REL", "EDU", "REF", None}


def _template(page: Path) -> str:
    raw = page.read_text(encoding="utf-8")
    for name, marker in TEMPLATE_MARKERS.items():
        if marker in raw and not (name == "news" and "cdn.ampproject.org" in raw):
            return name
    return "minimal"


def test_part_d_has_ten_pages_on_ten_stories_over_three_templates():
    assert len(PAGES) == 10
    stories = Counter(load_gold(p)["story"] for p in PAGES)
    assert len(stories) == 10 and set(stories.values()) == {1}
    assert all(s.startswith("d-") and p.name.startswith(s + "-") for p in PAGES for s in [load_gold(p)["story"]])
    assert len({_template(p) for p in PAGES}) >= 3


def test_part_d_stories_are_new():
    others = {json.loads(g.read_text(encoding="utf-8"))["story"] for g in CORPUS.glob("[abc]-*.gold.json")}
    mine = {load_gold(p)["story"] for p in PAGES}
    assert not mine & others


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_gold_schema(page: Path):
    assert gold_path(page).exists(), f"missing gold file for {page.name}"
    gold = load_gold(page)
    for key, typ in REQUIRED_KEYS.items():
        assert key in gold, f"{page.name}: gold lacks {key!r}"
        assert isinstance(gold[key], typ), key
    assert gold["language"] == "en" and gold["translation_of"] is None and gold["duplicate_of"] is None
    assert PUBLISHED_RE.match(gold["published"]), gold["published"]
    assert 2 <= len(gold["body_must_contain"]) <= 3 and gold["body_must_not_contain"]
    assert gold["events_split"] == "heldout2"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_body_sentences_chrome_and_title_are_visible(page: Path):
    gold = load_gold(page)
    text = visible_text(page)
    assert 250 <= len(text.split()) <= 900
    for sentence in gold["body_must_contain"]:
        assert normalise(sentence) in text, sentence[:60]
    for chrome in gold["body_must_not_contain"]:
        assert normalise(chrome) in text, chrome[:60]
        assert all(chrome not in s for s in gold["body_must_contain"])
    assert normalise(gold["title"]) in text


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_event_gold_is_well_formed(page: Path):
    gold = load_gold(page)
    events = gold["events"]
    assert sum(not e.get("optional") for e in events) >= 5, "each page should carry several required events"
    for i, e in enumerate(events):
        bench._gold_event(e, f"{page.name} event {i}")  # raises InputError on unknown types
        assert e["status"] in {"occurred", "planned"}
        assert not e.get("background") or e.get("optional"), "background events are always optional"
        for side in ("actor", "recipient"):
            if e[side] is not None:
                countries = e[side]["country"] if isinstance(e[side]["country"], list) else [e[side]["country"]]
                assert all(c is None or re.fullmatch(r"[A-Z]{3}", c) for c in countries), countries
                assert e[side]["sector"] in SECTORS, e[side]["sector"]
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", e["date"]), e["date"]


def test_heldout2_split_loads_and_quotes_are_in_the_extracted_text():
    from dateline.extract import extract
    from dateline.models import RawDocument

    golds = bench.load_gold(split="heldout2")
    assert {g.name for g in golds} == {p.name.removesuffix(".html") for p in PAGES}
    for g in golds:
        text = bench._norm(extract(RawDocument(content=g.path.read_bytes(), path=str(g.path))).text)
        for e in g.events:
            assert e.sentence in text, (g.name, e.sentence)
