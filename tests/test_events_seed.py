"""The seed's gold events (shared/gold/seed.json) are all found: type (or an alt type), actor and recipient
country, status and date; at most 3 events beyond the gold ones."""

import json

import pytest

from benchutil import SHARED, load_bench

pytestmark = pytest.mark.skipif(not (SHARED / "gold" / "seed.json").exists(), reason="shared/ gold data not present")


@pytest.fixture(scope="module")
def seed():
    bench = load_bench("events")
    from dateline.models import Article
    from dateline.pipeline import Options, analyze_articles

    gold = json.loads((SHARED / "gold" / "seed.json").read_text())
    text = bench.seed_text(SHARED)
    art = Article(text=text, title=gold["title"], published=gold["published"], language="en")
    analysis = analyze_articles([(art, "seed")], Options())[0]
    return bench, gold, analysis


def test_every_gold_event_found(seed):
    bench, gold, analysis = seed
    m = bench.match_seed(analysis.events, gold["events"])
    missed = [gold["events"][i]["sentence_fragment"] for i in m["missed"]]
    assert not missed, f"missed gold events: {missed}"
    assert len(m["extra"]) <= 3, [analysis.events[i].trigger for i in m["extra"]]


def test_events_explain_themselves(seed):
    _, _, analysis = seed
    for ev in analysis.events:
        assert ev.explain and "matched entry" in ev.explain
        assert ev.sentence and ev.trigger
        assert analysis.article.text[ev.start:ev.end].split()[0] in ev.trigger
        assert ev.quad_class in (1, 2, 3, 4) and ev.cameo and ev.cameo.isdigit()


def test_announced_trip_is_one_event_with_two_mentions(seed):
    _, _, analysis = seed
    visits = [e for e in analysis.events if e.type == "CONSULT" and e.mode == "visit"]
    assert len(visits) == 1
    assert len(visits[0].mentions) >= 2
    assert visits[0].status == "planned"


def test_reported_speech_keeps_attribution(seed):
    _, _, analysis = seed
    urged = next(e for e in analysis.events if e.trigger == "urged")
    assert urged.attribution is not None and urged.attribution.country == "CHN"
    assert urged.actor.country == "CHN" and urged.recipient.country == "USA"


def test_future_convention_option_codes_planned_visit_as_agree():
    from dateline.models import Article
    from dateline.pipeline import Options, analyze_articles

    art = Article(text="Blinken will travel to Beijing on Friday.", published="2023-06-14", language="en")
    default = analyze_articles([(art, "a")], Options())[0].events[0]
    plover = analyze_articles([(art, "a")], Options(future_as_agree=True))[0].events[0]
    assert (default.type, default.status) == ("CONSULT", "planned")
    assert plover.type == "AGREE" and "future" in plover.explain
