"""Event precision/recall on whole example articles (bench/events_articles.py) and its gold."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import events_articles as bench
from eventutil import code as _code

from dateline.errors import InputError
from dateline.models import Event, EventArgument, EventMention

# Measured P 0.900 / R 0.823 (type match) and F1 0.630 with countries (MiniLM classifier combined, default
# conventions) when the floors were last raised (earlier: 0.860 / 0.752 / 0.507); a little under, so noise in
# the classifier fallback does not fail the suite but a real regression does.
# The article gold is ours and rules were tuned while reading its errors: these are optimistic.
# They apply to the tuning split only (gold files without "events_split").
PRECISION_FLOOR = 0.87
RECALL_FLOOR = 0.79
COUNTRIES_F1_FLOOR = 0.59
# Held-out split (15 articles, gold written before looking at dateline's output, never used for tuning):
# measured P 0.676 / R 0.600 (type) and F1 0.351 with countries; floors a little under.
HELDOUT_PRECISION_FLOOR = 0.63
HELDOUT_RECALL_FLOOR = 0.56
HELDOUT_COUNTRIES_F1_FLOOR = 0.31


def _event(type_: str, sentence: str, actor: str | None = None, recipient: str | None = None) -> Event:
    return Event(type=type_, mode=None, status="occurred", sentence=sentence, start=0, end=1, trigger="x",
                 actor=EventArgument(text=actor, country=actor) if actor else None,
                 recipient=EventArgument(text=recipient, country=recipient) if recipient else None)


def _gold(**kw) -> bench.GoldEvent:
    d = {"type": "CONSULT", "sentence": "Blinken met Qin in Beijing", **kw}
    return bench._gold_event(d, "test")


def test_gold_files_are_complete_and_quotes_are_on_the_page():
    from dateline.extract import extract
    from dateline.models import RawDocument

    golds = bench.load_gold()
    assert len(golds) >= 15
    stories = {json.loads((bench.CORPUS / f"{g.name}.gold.json").read_text(encoding="utf-8"))["story"]
               for g in golds}
    assert len(stories) == len(golds), "one article per story"
    for g in golds:
        text = bench._norm(extract(RawDocument(content=g.path.read_bytes(), path=str(g.path))).text)
        assert any(not e.optional for e in g.events), g.name
        for e in g.events:
            assert e.sentence in text, (g.name, e.sentence)


def test_match_needs_sentence_and_type_and_countries_for_strict():
    g = _gold(actor={"country": "USA"}, recipient={"country": "CHN"})
    ev = _event("CONSULT", "Earlier, Blinken met Qin in Beijing on Sunday.", "USA", "CHN")
    assert bench.matches(g, ev) and bench.matches(g, ev, with_countries=True)
    assert not bench.matches(g, _event("ACCUSE", ev.sentence, "USA", "CHN"))
    assert not bench.matches(g, _event("CONSULT", "Blinken flew home.", "USA", "CHN"))
    swapped = _event("CONSULT", ev.sentence, "CHN", "USA")
    assert bench.matches(g, swapped) and not bench.matches(g, swapped, with_countries=True)
    recip = _gold(actor={"country": "USA"}, recipient={"country": "CHN"}, reciprocal=True)
    assert bench.matches(recip, swapped, with_countries=True)


def test_merged_event_matches_through_any_mention_and_alt_types_count():
    g = _gold(type="THREATEN", alt_types=["ACCUSE"], sentence="Qin warned Washington")
    ev = _event("ACCUSE", "Blinken met Qin.")
    ev.mentions = [EventMention(0, "Blinken met Qin.", 0, 1, "met"),
                   EventMention(1, "Qin warned Washington on Monday.", 0, 1, "warned")]
    assert bench.matches(g, ev)


def test_optional_gold_counts_neither_way():
    g = bench.ArticleGold(name="t", path=Path("t.html"), events=[
        _gold(type="ASSAULT", sentence="Two people were killed", optional=True),
        _gold(type="CONSULT", sentence="Blinken met Qin")])
    from dateline.models import Analysis, Article

    a = Analysis(article=Article(text="", published="2023-06-18"), events=[
        _event("ASSAULT", "Two people were killed in the blast."),
        _event("CONSULT", "Blinken met Qin in Beijing on Sunday."),
        _event("SANCTION", "Blinken met Qin in Beijing on Sunday.")])
    s = bench.score_article(g, a)
    assert (s.coded, s.optional_only, s.tp, s.found, s.gold) == (3, 1, 1, 1, 1)
    assert [fp["reason"] for fp in s.false_positives] == ["neither actor nor recipient"]


def test_bad_gold_is_a_clear_error():
    with pytest.raises(InputError, match="unknown event type"):
        bench._gold_event({"type": "MEET", "sentence": "x"}, "f.gold.json event 0")
    with pytest.raises(InputError, match="sentence"):
        bench._gold_event({"type": "AGREE"}, "f.gold.json event 0")


def test_filter_word_lists_load():
    from dateline.events.status import _not_events

    nv = _not_events()
    assert "regularly" in nv["habitual"] and "since" in nv["reference_marks"]
    assert "deny" in nv["denial_verbs"] and "with" in nv["passive_idioms"]["meet"]
    assert "hunger" in nv["abstract_adversaries"] and "unanswered" in nv["threat_litotes"]


def test_articles_precision_recall_floor():
    r = bench.run(split="tuning")
    assert r["articles"] >= 15 and r["gold_events"] >= 100
    assert r["type"]["precision"] >= PRECISION_FLOOR, r["false_positive_reasons"]
    assert r["type"]["recall"] >= RECALL_FLOOR
    assert r["type_and_countries"]["f1"] >= COUNTRIES_F1_FLOOR, r["country_mismatches"]


def test_heldout_split_precision_recall_floor():
    r = bench.run(split="heldout")
    assert r["articles"] >= 15 and r["gold_events"] >= 100
    assert r["type"]["precision"] >= HELDOUT_PRECISION_FLOOR, r["false_positive_reasons"]
    assert r["type"]["recall"] >= HELDOUT_RECALL_FLOOR
    assert r["type_and_countries"]["f1"] >= HELDOUT_COUNTRIES_F1_FLOOR, r["country_mismatches"]


def test_splits_partition_the_gold_and_bad_split_is_a_clear_error(tmp_path):
    every = {g.name for g in bench.load_gold()}
    tuning = {g.name for g in bench.load_gold(split="tuning")}
    heldout = {g.name for g in bench.load_gold(split="heldout")}
    heldout2 = {g.name for g in bench.load_gold(split="heldout2")}
    assert tuning and heldout and heldout2 and not tuning & heldout and not (tuning | heldout) & heldout2
    assert tuning | heldout | heldout2 == every
    with pytest.raises(InputError, match="unknown split"):
        bench.load_gold(split="dev")
    (tmp_path / "x.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "x.gold.json").write_text(json.dumps({"events": [], "events_split": "test"}), encoding="utf-8")
    with pytest.raises(InputError, match="events_split"):
        bench.load_gold(tmp_path)


def test_unnamed_actor_lists_load():
    from dateline.events.arguments import unnamed_actors

    ua = unnamed_actors()
    assert ua.local_groups["police"] == "COP" and ua.local_groups["protester"] == "CVL"
    assert ua.pair_heads["leader"] == "person" and "two" in ua.pair_words
    assert ua.implied_actors["protest"] in ua.local_groups and "erupt" in ua.occurrence_verbs


def test_unnamed_actors_take_the_scene_and_pairs_take_the_two_parties():
    text = ("Police in Tehran arrested a student on Monday.\n\nThe protests erupted in Tehran on Tuesday.\n\n"
            "President Joe Biden and President Xi Jinping spoke by phone. The two leaders met in Bali on Monday.")
    evs = _code(text)
    arrest = next(e for e in evs if e.type == "COERCE")
    assert arrest.actor is not None and arrest.actor.country == "IRN"
    protest = next(e for e in evs if e.type == "PROTEST")
    assert protest.actor is not None and protest.actor.country == "IRN" and protest.actor.sector == "CVL"
    met = [e for e in evs if e.type == "CONSULT" and e.trigger == "met"]
    assert met and {met[0].actor.country, met[0].recipient.country} == {"USA", "CHN"}
