"""LakeRepository over a lake, against the SQLite store loaded from the same lake, and the web app over it."""

from __future__ import annotations

import pytest

from dateline.errors import InputError, NotFound
from dateline.scale.lake import LakeRepository
from dateline.scale.lake_sql import query_patterns, translate
from dateline.store.events import EventFilters
from dateline.store.web_queries import ArticleFilters
from dateline.web.repository import Repository, SqliteRepository


def same(rows_a, rows_b) -> bool:
    """Equal up to the order of ties and float summation order."""
    norm = lambda rows: sorted(
        tuple(sorted((k, round(v, 6) if isinstance(v, float) else v) for k, v in r.items())) for r in rows)
    return norm(rows_a) == norm(rows_b)


@pytest.fixture(scope="module")
def lake(small_lake):
    return LakeRepository(small_lake)


@pytest.fixture(scope="module")
def store(lake_db):
    return SqliteRepository(lake_db)


def test_it_is_a_repository(lake):
    assert isinstance(lake, Repository)


def test_event_queries_agree_with_the_store(lake, store):
    """The same queries over the lake (DuckDB) and over the loaded store (SQLite) give the same answers."""
    assert lake.count_events(EventFilters()) == store.count_events(EventFilters())
    for f in (EventFilters(), EventFilters(type="CONSULT"), EventFilters(actor="USA", since="2023-02"),
              EventFilters(quad_class=4, until="2023-03")):
        assert lake.count_events(f)["events"] == store.count_events(f)["events"], f
        assert same(lake.top_actors(100, f), store.top_actors(100, f))
        assert same(lake.top_dyads(100, f), store.top_dyads(100, f))
    for by in ("month", "week", "year"):
        assert same(lake.volume_by_quad(by), store.volume_by_quad(by))
    dyad = lake.top_dyads(1)[0]
    ours = lake.relation_series(dyad["a"], dyad["b"], "month", False)
    theirs = store.relation_series(dyad["a"], dyad["b"], "month", False)
    assert same(ours["series"], theirs["series"]) and ours["series"]
    assert [p["events"] for p in ours["points"]] == [p["events"] for p in theirs["points"]]
    assert lake.actor("USA", "month")["as_actor"] == store.actor("USA", "month")["as_actor"]
    assert len(lake.events_by_place(EventFilters(), 50)) == len(store.events_by_place(EventFilters(), 50))
    assert len(lake.network(EventFilters(), 50)["edges"]) == len(store.network(EventFilters(), 50)["edges"])


def test_events_and_one_event_carry_their_sentences(lake):
    rows = lake.events(EventFilters(type="CONSULT"), 5, 0)
    assert rows and all(r["type"] == "CONSULT" and r["mentions"] for r in rows)
    one = lake.event(rows[0]["id"])
    assert one["id"] == rows[0]["id"] and one["mentions"][0]["sentence"]
    with pytest.raises(NotFound):
        lake.event(1)


def test_search_finds_words_not_substrings(lake):
    res = lake.search("Blinken", ArticleFilters(), 5, 0)
    assert res["total"] > 0 and all("[Blinken]" in h["snippet"] for h in res["hits"] if h["snippet"])
    assert lake.search("Blinke", ArticleFilters(), 5, 0)["total"] == 0  # whole words, as FTS would
    assert lake.search("Blinke*", ArticleFilters(), 5, 0)["total"] == res["total"]
    narrowed = lake.search("Blinken", ArticleFilters(actor="CHN"), 50, 0)["total"]
    assert 0 < narrowed <= res["total"]
    assert lake.search(None, ArticleFilters(), 3, 0)["total"] == lake.stats()["articles"]
    facets = lake.search_facets("Blinken", ArticleFilters())
    assert facets["type"] and facets["language"][0]["value"] == "en"
    assert sum(p["count"] for p in lake.search_timeline("Blinken", ArticleFilters(), "month")) == res["total"]
    with pytest.raises(InputError):
        lake.search('"" AND', ArticleFilters(), 5, 0)


def test_event_filters_with_a_text_query(lake, store):
    f = EventFilters(query="Blinken")
    assert 0 < lake.count_events(f)["events"] <= lake.count_events(EventFilters())["events"]
    with pytest.raises(NotFound):
        lake.events(EventFilters(story_id=3), 5, 0)


def test_article_matches_the_store(lake, store, small_lake):
    hit = lake.search("Blinken", ArticleFilters(), 1, 0)["hits"][0]
    ours = lake.article(hit["id"])
    stored_id = store.search(ours["title"].split("(report")[0].split()[0], ArticleFilters(), 50, 0)
    assert ours["text"] and ours["entities"] and ours["events"]
    theirs = next(store.article(h["id"]) for h in stored_id["hits"] if h["url"] == ours["url"])
    assert ours["text"] == theirs["text"] and ours["title"] == theirs["title"]
    assert [e["text"] for e in ours["entities"]] == [e["text"] for e in theirs["entities"]]
    assert [(e["type"], e["actor_country"], e["trigger"]) for e in ours["events"]] == \
        [(e["type"], e["actor_country"], e["trigger"]) for e in theirs["events"]]
    with pytest.raises(NotFound):
        lake.article(12345)


def test_stats_and_what_a_lake_does_not_have(lake):
    st = lake.stats()
    assert st["articles"] == 16 and st["events"] > 0 and st["published_range"][0]
    assert lake.latest_stories(5) is None and lake.article_relations(1) is None
    with pytest.raises(NotFound):
        lake.story(1)
    assert lake.export_formats() == []


def test_sqlite_dialect_translation():
    assert translate("SELECT min(e.a, e.b) AS a, max(e.a, e.b) AS b, min(x)") == \
        "SELECT least(e.a, e.b) AS a, greatest(e.a, e.b) AS b, min(x)"
    assert "date_trunc('week'" in translate("date(substr(coalesce(e.date_start, a.published_day), 1, 10),"
                                            " '-6 days', 'weekday 1')")
    assert query_patterns('"talks in" Beij* AND') == [r"\btalks\W+in\b", r"\bBeij"]


def test_not_a_lake(tmp_path):
    with pytest.raises(InputError, match="not a dateline lake"):
        LakeRepository(tmp_path)


def test_web_pages_over_the_lake(small_lake, lake):
    from fastapi.testclient import TestClient

    from dateline.web.app import create_app

    with TestClient(create_app(lake, warm_charts=False)) as client:
        dyad = lake.top_dyads(1)[0]
        for url in ("/", "/index.json", "/search?q=Blinken", "/search.json?q=Blinken", "/events",
                    "/events.json?type=CONSULT", f"/relations/{dyad['a']}/{dyad['b']}",
                    f"/relations/{dyad['a']}/{dyad['b']}.json", "/actor/USA.json", "/map.json", "/network.json"):
            r = client.get(url)
            assert r.status_code == 200, (url, r.text[:300])
        data = client.get("/search.json?q=Blinken").json()
        assert data["total"] > 0
        art = client.get(f"/article/{data['hits'][0]['id']}.json").json()
        assert art["events"] and art["entities"]
        assert client.get(f"/article/{data['hits'][0]['id']}").status_code == 200
        ev = client.get("/events.json?type=CONSULT").json()["events"][0]
        assert client.get(f"/event/{ev['id']}.json").json()["mentions"]
