"""Stories: copy detection, clustering, scores and world events on small hand-made inputs (no NLP)."""

from __future__ import annotations

from collections import Counter

import pytest

from dateline.models import Article, RawDocument
from dateline.store import Store
from dateline.store.events import count_events, relation_series
from dateline.stories import list_stories, related_articles, update_stories
from dateline.stories.cluster import DAY, ClusterConfig, StoryClusterer, StoryFeatures
from dateline.stories.dedup import CopyDetector, anchor_sequence, copy_score, translation_score
from dateline.stories.evaluate import bcubed, copy_pairs, pair_scores
from dateline.stories.text import shingles, terms

WIRE = (
    "Ministers from the twelve coastal states agreed on Tuesday to share fishing data for the first time, "
    "ending a dispute that had kept patrol boats on alert for most of the summer. The accord, signed in the "
    "harbour town of Port Elwyn after two days of talks, sets up a joint office that will publish catch figures "
    "every month. Officials said the office would open in March with a staff of forty and a budget of 3.2 million. "
    "Fishing crews welcomed the deal but said quotas, which were left for a later round, mattered more to them. "
    "Environmental groups called the agreement a modest first step and urged the states to protect spawning grounds. "
    "The next round of talks is due to start in the autumn, the host government said in a statement."
)
EDITED = (WIRE.replace("agreed on Tuesday", "agreed Tuesday").replace("for most of the summer", "all summer")
          .replace("Fishing crews welcomed", "Crews welcomed"))
EDITED = EDITED[: EDITED.index("The next round")]  # last paragraph dropped
OTHER = (
    "Fishing crews in Port Elwyn said on Wednesday that the new data-sharing office would do little for them "
    "unless quotas were settled soon. Several skippers told reporters that fuel costs had doubled since spring "
    "and that the patrols of the summer had cost them weeks at sea. A union leader said members would watch the "
    "autumn talks closely and might protest if quotas were cut. Harbour traders expect a quiet winter."
)


def test_copy_detection_catches_exact_edited_and_reheadlined_copies():
    det = CopyDetector()
    assert det.check(1, WIRE) is None
    assert det.check(2, OTHER) is None  # same story, independent report: not a copy
    exact = det.check(3, WIRE)
    assert exact is not None and exact.original_id == 1 and exact.similarity == 1.0
    edited = det.check(4, EDITED)  # a re-headlined copy: the headline is not part of the shingles
    assert edited is not None and edited.original_id in (1, 3) and edited.similarity >= 0.8


def test_copy_score_needs_enough_text():
    assert copy_score(shingles("too short"), shingles("too short")) == 1.0
    assert copy_score(shingles("too short"), shingles("also short")) is None
    assert copy_score(shingles(WIRE), shingles(OTHER)) is None


def test_translation_score_follows_names_and_figures_in_order():
    german = ("Die Minister der zwölf Küstenstaaten einigten sich am Dienstag in Port Elwyn darauf, Fangdaten zu "
              "teilen. Das Büro soll im März mit vierzig Mitarbeitern und einem Budget von 3,2 Millionen öffnen. "
              "Umweltgruppen in Port Elwyn sprachen von einem ersten Schritt.")
    en = anchor_sequence(None, WIRE)
    de = anchor_sequence(None, german)
    other = anchor_sequence(None, OTHER)
    same = translation_score(de, en, len(german.split()), len(WIRE.split()))
    unrelated = translation_score(de, other, len(german.split()), len(OTHER.split()))
    assert same >= unrelated


def _features(i: int, day: float, words: str, ents=()) -> StoryFeatures:
    return StoryFeatures(i, day * DAY, terms(None, words), Counter(ents), Counter(), f"title {i}")


def test_clusterer_joins_same_story_and_separates_by_time():
    cl = StoryClusterer(ClusterConfig())
    a = cl.add(_features(1, 0, WIRE, ["port elwyn"]))
    b = cl.add(_features(2, 1, OTHER, ["port elwyn"]))
    c = cl.add(_features(3, 1.5, "Striking rail workers shut the capital's main station as talks over pay collapsed "
                                 "and unions promised further walkouts next week."))
    assert a.created and not b.created and b.story_id == a.story_id
    assert c.created and c.story_id != a.story_id
    # the same news a year later is a new story: the old one is outside the active window
    d = cl.add(_features(4, 365, WIRE, ["port elwyn"]))
    assert d.created and d.story_id != a.story_id


def test_clusterer_eviction_keeps_memory_bounded():
    cl = StoryClusterer(ClusterConfig(window_days=5))
    for i in range(30):
        cl.add(_features(i + 1, i * 2.0, f"topic{i} subject{i} matter{i} " * 5))
        cl.evict(cl.watermark - 5 * DAY)
    assert len(cl.stories) <= 4
    assert all(sid in cl.stories for post in cl._postings.values() for sid in post)


def test_bcubed_and_pairs():
    gold = {1: "a", 2: "a", 3: "b"}
    assert bcubed({1: 1, 2: 1, 3: 2}, gold).f1 == 1.0
    merged = bcubed({1: 1, 2: 1, 3: 1}, gold)
    assert merged.recall == 1.0 and merged.precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)
    assert copy_pairs({2: 1, 3: 2}) == {frozenset((1, 2)), frozenset((1, 3)), frozenset((2, 3))}
    assert pair_scores(set(), set()).precision == 1.0


# -- store: incremental updates and world events ------------------------------------------------------

def _add(store: Store, n: int, text: str, published: str, title: str) -> int:
    raw = RawDocument(content=f"<html>{n}{text}</html>".encode(), url=f"https://site{n}.example/a", path=None)
    art = Article(text=text, title=title, url=raw.url, published=published, language="en")
    return store.add_article(raw, art, store.check_document(raw)).article_id


def _event(store: Store, article_id: int, day: str) -> None:
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO events(article_id, idx, type, status, actor_country, recipient_country, date_start, quad_class,"
            " score, sentence, sentence_index, start, end, trigger, explain) VALUES (?,0,'AGREE','occurred','AAA',"
            "'BBB',?,1,1.0,'Ministers agreed.',0,0,10,'agreed','test')", (article_id, day))
        conn.execute("INSERT INTO event_mentions(event_id, article_id, sentence_index, sentence, start, end, trigger)"
                     " VALUES (?,?,0,'Ministers agreed.',0,10,'agreed')", (cur.lastrowid, article_id))


@pytest.fixture()
def store(tmp_path):
    with Store(str(tmp_path / "s.db")) as s:
        yield s


def test_world_event_counted_once_across_copies(store):
    orig = _add(store, 1, WIRE, "2024-05-07T09:00+00:00", "States agree to share fishing data")
    copy = _add(store, 2, WIRE, "2024-05-07T15:00+00:00", "Fishing data accord signed")  # re-headlined copy
    _event(store, orig, "2024-05-07")
    _event(store, copy, "2024-05-07")
    before = relation_series(store.conn, "AAA", "BBB", by="day")
    assert before["series"][0]["events"] == 2  # not grouped yet: each report counts
    report = update_stories(store)
    assert report.duplicates == 1
    series = relation_series(store.conn, "AAA", "BBB", by="day")
    assert series["series"] == [{"period": "2024-05-07", "events": 1, "mean_score": 1.0}]
    assert count_events(store.conn) == {"events": 2, "world_events": 1}
    row = store.conn.execute("SELECT event_count, mention_count, article_count, source_count FROM world_events").fetchone()
    assert tuple(row) == (2, 2, 2, 1)  # two reports, one independent source
    # an independent report of the same event, a day later, is a second source of the same world event
    third = _add(store, 3, OTHER, "2024-05-08T08:00+00:00", "Crews wary of fishing accord")
    _event(store, third, "2024-05-07")
    update_stories(store)
    row = store.conn.execute("SELECT count(*), sum(article_count), sum(source_count) FROM world_events").fetchone()
    assert tuple(row) == (1, 3, 2)
    assert relation_series(store.conn, "AAA", "BBB", by="day")["series"][0]["events"] == 1


def test_update_is_incremental_and_reroots_to_earliest_copy(store):
    first = _add(store, 1, WIRE, "2024-05-07T12:00+00:00", "States agree to share fishing data")
    other = _add(store, 2, OTHER, "2024-05-08T08:00+00:00", "Crews wary of fishing accord")
    r1 = update_stories(store)
    assert r1.articles == 2
    assert update_stories(store).articles == 0  # nothing new: nothing read
    # a copy published *earlier* than the stored one arrives later: it becomes the original
    earlier = _add(store, 3, EDITED, "2024-05-07T06:00+00:00", "Coastal states in fishing data deal")
    r3 = update_stories(store)
    assert r3.articles == 1 and r3.duplicates == 1
    links = dict(store.conn.execute("SELECT article_id, original_id FROM article_copies").fetchall())
    assert links == {first: earlier}
    stories = list_stories(store)
    placed = [a["id"] for s in stories for a in s["articles"]]
    assert sorted(placed) == sorted([first, other, earlier])  # every article exactly once
    story_of = {a["id"]: s["id"] for s in stories for a in s["articles"]}
    assert story_of[first] == story_of[earlier] == story_of[other]
    dup = {a["id"]: a["duplicate_of"] for s in stories for a in s["articles"]}
    assert dup == {first: earlier, other: None, earlier: None}
    rel = related_articles(store, first)
    assert [a["id"] for a in rel["copies"]] == [earlier]
    assert [a["id"] for a in rel["same_story"]] == [other]


def test_new_version_replaces_old_in_its_story(store):
    raw = RawDocument(content=b"<html>v1</html>", url="https://site.example/story", path=None)
    art = Article(text=WIRE, title="v1", url=raw.url, published="2024-05-07T09:00+00:00", language="en")
    old = store.add_article(raw, art, store.check_document(raw)).article_id
    update_stories(store)
    raw2 = RawDocument(content=b"<html>v2</html>", url="https://site.example/story", path=None)
    art2 = Article(text=EDITED, title="v2", url=raw2.url, published="2024-05-07T09:00+00:00", language="en")
    new = store.add_article(raw2, art2, store.check_document(raw2)).article_id
    report = update_stories(store)
    assert report.stale_dropped == 1 and report.articles == 1
    placed = [a["id"] for s in list_stories(store) for a in s["articles"]]
    assert placed == [new] and old != new


def test_stopword_data_file_loads():
    from dateline.stories.text import stop_words

    words = stop_words()
    assert {"the", "said", "und", "nicht"} <= words
    assert all(w == w.lower() and " " not in w for w in words)
    assert "blinken" not in words and "china" not in words
