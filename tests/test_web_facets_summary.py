"""The per-article summaries (migration 0007) give faceted search exactly what the plain queries give.

A small store is filled through the real write paths (``add_article``, ``save_analyses``) with
hand-made analyses (no spaCy); every search, facet count and timeline is run twice, once over the
summaries and once over articles/events directly, and must agree, also after reanalysis, after an
article loses its events, after a newer version of an article arrives, and for a backfilled store.
"""

from __future__ import annotations

import itertools
import json
import random

import pytest

from dateline.errors import InputError
from dateline.models import Analysis, Article, Event, EventArgument, RawDocument
from dateline.store import Store
from dateline.store import web_queries as wq
from dateline.store.db import migrate

WORDS = ["talks", "balloon", "summit", "border", "sanctions", "minister", "trade", "protest", "aid", "visit"]
COUNTRIES = ["USA", "CHN", "RUS", "UKR", "DEU", None]
NAMES = ["Antony Blinken", "Xi Jinping", "the ministry", None]
TYPES = [("CONSULT", 1), ("AGREE", 1), ("AID", 2), ("ACCUSE", 3), ("THREATEN", 3), ("ASSAULT", 4)]
SOURCES = ["wire-a", "wire-b", "paper-c"]


def _article(rng: random.Random, i: int, version: int = 1) -> tuple[RawDocument, Article, str]:
    words = rng.choices(WORDS, k=12)
    text = f"Report {i} version {version}: " + " ".join(words) + "."
    url = f"https://news.example/{i}"
    day = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    art = Article(text=text, title=" ".join(words[:4]), url=url, language=rng.choice(["en", "en", "de"]),
                  site_name="example", published=day + "T09:00:00+00:00")
    raw = RawDocument(content=text.encode(), url=url, kind="text")
    return raw, art, rng.choice(SOURCES)


def _argument(rng: random.Random) -> EventArgument | None:
    country, name = rng.choice(COUNTRIES), rng.choice(NAMES)
    if country is None and name is None:
        return None
    return EventArgument(text=name or country or "", name=name, country=country)


def _events(rng: random.Random, n: int) -> list[Event]:
    out = []
    for _ in range(n):
        kind, quad = rng.choice(TYPES)
        out.append(Event(type=kind, mode=None, status="occurred", sentence="s.", start=0, end=1, trigger="t",
                         actor=_argument(rng), recipient=_argument(rng),
                         quad_class=None if rng.random() < 0.1 else quad))
    return out


def _analysis(art: Article, events: list[Event]) -> Analysis:
    return Analysis(article=art, events=events, analysed=True)


@pytest.fixture()
def store(tmp_path):
    rng = random.Random(5)
    st = Store(str(tmp_path / "facets.db"))
    articles: dict[int, Article] = {}
    for i in range(40):
        raw, art, source = _article(rng, i)
        stored = st.add_article(raw, art, st.check_document(raw), source=source)
        articles[stored.article_id] = art
    st.save_analyses([(aid, _analysis(art, _events(rng, rng.randint(0, 6)))) for aid, art in articles.items()])
    st.articles = articles  # type: ignore[attr-defined]  # for the tests that rewrite analyses
    yield st
    st.close()


QUERIES = [None, "talks", "balloon OR summit", "border AND trade", '"sanctions minister"']
FILTERS = [
    wq.ArticleFilters(**kw) for kw in (
        {}, {"actor": "USA"}, {"actor": "chn"}, {"actor": "Antony Blinken"}, {"type": "aid"}, {"quad_class": 3},
        {"actor": "RUS", "type": "ASSAULT"}, {"actor": "USA", "quad_class": 1}, {"type": "ACCUSE", "quad_class": 3},
        {"actor": "DEU", "type": "AGREE", "quad_class": 1}, {"language": "de"}, {"source": "wire-b"},
        {"since": "2023-04", "until": "2023-09"}, {"since": "2023-06-15", "actor": "UKR", "language": "en"},
        {"source": "paper-c", "type": "THREATEN"}, {"actor": "ZZZ"},
        # Actor names (migration 0009): any case and outer spaces, with type / quad class, unknown.
        {"actor": " antony BLINKEN "}, {"actor": "Xi Jinping", "type": "CONSULT"},
        {"actor": "the ministry", "quad_class": 3, "language": "en"}, {"actor": "Xi Jinping", "source": "wire-a"},
        {"actor": "Nobody Known"},
    )
]


def _assert_same(conn, label: str = "") -> int:
    """Every query x filter agrees between the two forms; returns how many cases had hits."""
    nonempty = 0
    for query, f in itertools.product(QUERIES, FILTERS):
        case = f"{label} q={query!r} {f}"
        fast = wq.search_articles(conn, query, f, limit=50, summary=True)
        slow = wq.search_articles(conn, query, f, limit=50, summary=False)
        assert fast == slow, case
        assert wq.search_facets(conn, query, f, summary=True) == wq.search_facets(conn, query, f, summary=False), case
        for by in ("month", "week"):
            assert (wq.search_timeline(conn, query, f, by=by, summary=True)
                    == wq.search_timeline(conn, query, f, by=by, summary=False)), case
        nonempty += bool(fast["hits"])
    return nonempty


def _expected_summary(conn) -> tuple[set, set]:
    """The summaries recomputed from scratch out of articles and events."""
    arts = {tuple(r) for r in conn.execute(
        "SELECT a.id, a.document_id, a.is_current, a.published_day, a.language, d.source_id,"
        " coalesce(a.published, a.created_at) FROM articles a JOIN documents d ON d.id = a.document_id")}
    facets = set()
    for r in conn.execute("SELECT article_id, actor_country, recipient_country, type, quad_class FROM events"):
        for country in ("", r[1], r[2]):
            if country is not None:
                facets.add((r[0], country, r[3], r[4] or 0))
    return arts, facets


def _expected_names(conn) -> set:
    """The actor-name table recomputed in Python (ASCII folding, as SQLite's lower())."""
    names = set()
    for r in conn.execute("SELECT article_id, actor_name, recipient_name, actor_text, recipient_text FROM events"):
        for value in r[1:]:
            key = value.strip().translate(_ASCII_LOWER) if value else ""
            if key:
                names.add((key, r[0]))
    return names


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _assert_summary_exact(conn) -> None:
    arts, facets = _expected_summary(conn)
    assert {tuple(r) for r in conn.execute("SELECT * FROM article_summary")} == arts
    assert {tuple(r) for r in conn.execute("SELECT * FROM article_event_facets")} == facets
    assert {tuple(r) for r in conn.execute(f"SELECT name, article_id FROM {wq.NAMES_TABLE}")} == _expected_names(conn)


def test_summary_tables_match_articles_and_events(store):
    _assert_summary_exact(store.conn)
    assert store.conn.execute("SELECT count(*) FROM article_event_facets").fetchone()[0] > 0


def test_search_facets_and_timeline_agree_with_plain_queries(store):
    conn = store.conn
    assert wq.has_summary(conn)
    # The fixture must exercise the filters, not agree on empty results only.
    assert _assert_same(conn) > 30
    hits = wq.search_articles(conn, None, wq.ArticleFilters(actor="USA", type="CONSULT"), limit=100)["hits"]
    for h in hits:  # and what both forms return is right: some one event has both
        assert conn.execute("SELECT 1 FROM events WHERE article_id = ? AND type = 'CONSULT' AND"
                            " 'USA' IN (actor_country, recipient_country)", (h["id"],)).fetchone()


def test_both_summary_strategies_agree(store, monkeypatch):
    # RARE_ROWS decides between an id set (rare values) and a probe per hit (common ones).
    conn = store.conn
    monkeypatch.setattr(wq, "RARE_ROWS", 10**9)
    as_sets = [wq.search_articles(conn, q, f, limit=50) for q, f in itertools.product(QUERIES, FILTERS)]
    monkeypatch.setattr(wq, "RARE_ROWS", 0)
    as_probes = [wq.search_articles(conn, q, f, limit=50) for q, f in itertools.product(QUERIES, FILTERS)]
    assert as_sets == as_probes
    sf = wq.ArticleFilters(actor="USA").to_search_filters(summary=True, conn=conn)
    assert "EXISTS" in sf.extra_where[0]
    monkeypatch.setattr(wq, "RARE_ROWS", 10**9)
    sf = wq.ArticleFilters(actor="USA").to_search_filters(summary=True, conn=conn)
    assert "IN (SELECT" in sf.extra_where[0]


def test_reanalysis_and_lost_events_keep_summary_exact(store):
    conn = store.conn
    rng = random.Random(9)
    ids = sorted(store.articles)
    with_events = [i for i in ids if conn.execute("SELECT 1 FROM events WHERE article_id = ?", (i,)).fetchone()]
    lost = with_events[:5]
    redo = ids[10:25]
    store.save_analyses([(i, _analysis(store.articles[i], [])) for i in lost])
    store.save_analyses([(i, _analysis(store.articles[i], _events(rng, rng.randint(1, 5)))) for i in redo
                         if i not in lost])
    _assert_summary_exact(conn)
    for i in lost:
        assert not conn.execute("SELECT 1 FROM article_event_facets WHERE article_id = ?", (i,)).fetchone()
    found = {h["id"] for q in (None, "talks") for f in FILTERS[1:10]
             for h in wq.search_articles(conn, q, f, limit=200)["hits"]}
    assert not found & set(lost)  # an article without events matches no event filter
    assert _assert_same(conn, "after reanalysis") > 30


def test_single_event_deletes_and_updates_keep_summary_exact(store):
    conn = store.conn
    rows = conn.execute("SELECT id FROM events ORDER BY id").fetchall()
    with store.transaction():
        for (eid,) in rows[::3]:
            conn.execute("DELETE FROM events WHERE id = ?", (eid,))
        for (eid,) in rows[1::5]:
            conn.execute("UPDATE events SET type = 'PROTEST', quad_class = 4, actor_country = 'FRA' WHERE id = ?",
                         (eid,))
    _assert_summary_exact(conn)
    assert _assert_same(conn, "after event edits") > 20


def test_new_article_version_and_deleted_article(store):
    conn = store.conn
    rng = random.Random(3)
    old = min(store.articles)
    url = conn.execute("SELECT url FROM articles WHERE id = ?", (old,)).fetchone()[0]
    raw = RawDocument(content=b"a newer text about talks and trade", url=url, kind="text")
    art = Article(text="A newer text about talks and trade.", title="talks", url=url, language="en",
                  published="2024-02-02T00:00:00+00:00")
    new = store.add_article(raw, art, store.check_document(raw), source="wire-a").article_id
    store.save_analyses([(new, _analysis(art, _events(rng, 3)))])
    assert conn.execute("SELECT is_current FROM article_summary WHERE id = ?", (old,)).fetchone()[0] == 0
    gone = sorted(store.articles)[1]
    with store.transaction():
        # Deleting an article takes its analysis rows along (foreign keys cascade).
        for table in ("story_articles", "article_copies", "minhash_bands"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (gone,))
        conn.execute("DELETE FROM articles WHERE id = ?", (gone,))
    _assert_summary_exact(conn)
    assert _assert_same(conn, "after versions") > 30


SUMMARY_TRIGGERS = ("article_summary_ai", "article_summary_au", "article_summary_ad", "article_summary_document_au",
                    "article_event_facets_ai", "article_event_facets_ad", "article_event_facets_au")


def _drop_summaries(conn) -> None:
    """Back to a store from before migrations 0007 and 0008."""
    for trigger in SUMMARY_TRIGGERS:
        conn.execute(f"DROP TRIGGER {trigger}")
    for table in wq.SUMMARY_TABLES:
        conn.execute(f"DROP TABLE {table}")  # takes its indexes along
    conn.execute("DELETE FROM schema_migrations WHERE version IN (7, 8)")


def _summary_rows(conn) -> dict[str, set]:
    return {t: {tuple(r) for r in conn.execute(f"SELECT * FROM {t}")} for t in wq.SUMMARY_TABLES}


def test_backfill_of_a_store_from_before_the_migration(store):
    conn = store.conn
    before = _summary_rows(conn)
    with store.transaction():
        _drop_summaries(conn)
    assert not wq.has_summary(conn)
    # An old store still searches (the plain form), and migrating it fills the summaries.
    plain = wq.search_articles(conn, "talks", wq.ArticleFilters(actor="USA"))
    browse = wq.search_articles(conn, None, wq.ArticleFilters(source="wire-a"))
    assert migrate(conn) == ["0007_article_summary.sql", "0008_summary_source_order.sql"]
    assert _summary_rows(conn) == before
    assert wq.search_articles(conn, "talks", wq.ArticleFilters(actor="USA")) == plain
    assert wq.search_articles(conn, None, wq.ArticleFilters(source="wire-a")) == browse


def test_store_at_0007_is_searched_plainly_then_upgraded(store):
    from importlib import resources

    conn = store.conn
    before = _summary_rows(conn)
    with store.transaction():
        _drop_summaries(conn)
    sql = (resources.files("dateline.store") / "migrations" / "0007_article_summary.sql").read_text()
    conn.executescript("BEGIN;\n" + sql + "\nCOMMIT;")
    conn.execute("INSERT INTO schema_migrations(version, name, applied_at) VALUES (7, '0007_article_summary.sql', '')")
    conn.commit()
    # 0007's summary has no source id nor order key: the summary form would fail, so it is not used.
    assert not wq.has_summary(conn)
    plain = wq.search_articles(conn, None, wq.ArticleFilters(source="wire-b", type="AID"))
    assert migrate(conn) == ["0008_summary_source_order.sql"]
    assert wq.has_summary(conn)
    assert _summary_rows(conn) == before
    assert wq.search_articles(conn, None, wq.ArticleFilters(source="wire-b", type="AID")) == plain


def test_source_filter_reads_the_summary_source_id(store):
    conn = store.conn
    sf = wq.ArticleFilters(source="wire-b", language="en").to_search_filters(summary=True, conn=conn)
    assert sf.source is None and "a.source_id" in sf.extra_where[0]
    assert not sf.extra_where[0].startswith("+")  # a small source drives through its index
    # The plain form keeps the document list; both agree (also for an unknown source).
    assert wq.ArticleFilters(source="wire-b").to_search_filters().source == "wire-b"
    for source in SOURCES + ["no-such-source"]:
        for query in (None, "talks"):
            f = wq.ArticleFilters(source=source)
            fast = wq.search_articles(conn, query, f, limit=100, summary=True)
            assert fast == wq.search_articles(conn, query, f, limit=100, summary=False)
            assert bool(fast["hits"]) == (source != "no-such-source")
            names = {r[0] for r in conn.execute(
                "SELECT s.name FROM articles a JOIN documents d ON d.id = a.document_id JOIN sources s"
                " ON s.id = d.source_id WHERE a.id IN (SELECT value FROM json_each(?))",
                (json.dumps([h["id"] for h in fast["hits"]]),))}
            assert names <= {source}


def test_large_and_small_sources_agree(store, monkeypatch):
    conn = store.conn
    cases = [(q, wq.ArticleFilters(source=src, **kw)) for q in (None, "talks") for src in SOURCES
             for kw in ({}, {"language": "en"}, {"actor": "USA"})]
    monkeypatch.setattr(wq, "RARE_ROWS", 0)  # every source counts as large
    assert wq.ArticleFilters(source="wire-a").to_search_filters(summary=True, conn=conn).extra_where[0].startswith("+")
    large = [wq.search_articles(conn, q, f, limit=50) for q, f in cases]
    monkeypatch.setattr(wq, "RARE_ROWS", 10**9)
    assert large == [wq.search_articles(conn, q, f, limit=50) for q, f in cases]
    assert large == [wq.search_articles(conn, q, f, limit=50, summary=False) for q, f in cases]


def test_document_moved_to_another_source_moves_its_summary(store):
    conn = store.conn
    wire_c = conn.execute("SELECT id FROM sources WHERE name = 'paper-c'").fetchone()[0]
    docs = [r[0] for r in conn.execute("SELECT document_id FROM articles ORDER BY id LIMIT 6")]
    with store.transaction():
        conn.executemany("UPDATE documents SET source_id = ? WHERE id = ?", [(wire_c, d) for d in docs])
    _assert_summary_exact(conn)
    assert _assert_same(conn, "after source moves") > 30


def test_browse_pages_follow_list_articles_order(store):
    conn = store.conn
    rng = random.Random(21)
    # Undated articles sort by their creation time, and many share a publication time: both orders
    # (sort key, then id) must be the plain ones, page after page.
    for i in range(100, 108):
        raw, art, source = _article(rng, i)
        art.published = None
        store.add_article(raw, art, store.check_document(raw), source=source)
    _assert_summary_exact(conn)
    for f in (wq.ArticleFilters(), wq.ArticleFilters(language="en"), wq.ArticleFilters(source="wire-a"),
              wq.ArticleFilters(actor="USA", source="wire-b"), wq.ArticleFilters(since="2023-03", until="2023-10")):
        pages = [wq.search_articles(conn, None, f, limit=7, offset=o, summary=True)["hits"] for o in range(0, 56, 7)]
        plain = wq.search_articles(conn, None, f, limit=56, summary=False)["hits"]
        assert [h for p in pages for h in p] == plain, f
    # Created now, they sort before every 2023 publication, newest (highest id) first.
    first = wq.search_articles(conn, None, wq.ArticleFilters(), limit=8)["hits"]
    assert [h["published"] for h in first] == [None] * 8
    assert [h["id"] for h in first] == sorted((h["id"] for h in first), reverse=True)


def test_sampled_facets_agree_past_the_sample_size(store, monkeypatch):
    # With more matches than the sample, both forms must count the same articles.
    monkeypatch.setattr(wq, "FACET_SAMPLE", 9)
    for f in FILTERS:
        for query in (None, "talks"):
            assert wq.search_facets(store.conn, query, f, summary=True) == wq.search_facets(store.conn, query, f,
                                                                                           summary=False), f


def test_browse_reads_the_order_index(store):
    conn = store.conn
    plan = " ".join(r[3] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT a.id FROM article_summary a WHERE a.is_current = 1 AND a.language = 'en'"
        " ORDER BY a.sort_key DESC, a.id DESC LIMIT 20"))
    assert "article_summary_order" in plan and "TEMP B-TREE" not in plan


def test_bad_filters_are_input_errors(store):
    conn = store.conn
    for f in (wq.ArticleFilters(type="DANCE"), wq.ArticleFilters(quad_class=7), wq.ArticleFilters(since="June"),
              wq.ArticleFilters(language="english!")):
        for summary in (True, False):
            with pytest.raises(InputError):
                wq.search_facets(conn, "talks", f, summary=summary)
    with pytest.raises(InputError):
        wq.search_articles(conn, '"unterminated', wq.ArticleFilters(actor="USA"))


# -- actor names (migration 0009) ----------------------------------------------------------------

def _steps(conn, fn) -> int:
    """SQLite virtual-machine steps (in thousands) a call costs: a machine-independent 'how fast'."""
    n = [0]

    def tick() -> int:
        n[0] += 1
        return 0

    conn.set_progress_handler(tick, 1000)
    try:
        fn()
    finally:
        conn.set_progress_handler(None, 0)
    return n[0]


def _bulk_store(tmp_path, n: int = 400):
    """A store where an actor-name filter has a lot to read: many articles with several events."""
    rng = random.Random(17)
    st = Store(str(tmp_path / "names.db"))
    arts = {}
    for i in range(n):
        raw, art, source = _article(rng, i)
        arts[st.add_article(raw, art, st.check_document(raw), source=source).article_id] = art
    st.save_analyses([(aid, _analysis(art, _events(rng, 5))) for aid, art in arts.items()])
    return st


def test_unknown_actor_name_is_empty_and_reads_nothing(tmp_path):
    st = _bulk_store(tmp_path)
    conn = st.conn
    try:
        f = wq.ArticleFilters(actor="Nobody Known")
        assert f.to_search_filters(summary=True, conn=conn).extra_where == ["0"]
        for query in (None, "talks"):
            fast = wq.search_articles(conn, query, f, summary=True)
            assert fast == wq.search_articles(conn, query, f, summary=False)
            assert fast["hits"] == [] and fast["total"] == 0
            assert all(v == [] for v in wq.search_facets(conn, query, f, summary=True).values())
            assert wq.search_timeline(conn, query, f, summary=True) == []
        # The plain form reads every event of every article; the name table answers from one probe.
        fast_steps = _steps(conn, lambda: wq.search_articles(conn, None, f, summary=True))
        plain_steps = _steps(conn, lambda: wq.search_articles(conn, None, f, summary=False))
        assert fast_steps * 20 < plain_steps, (fast_steps, plain_steps)
    finally:
        st.close()


def test_known_actor_name_reads_its_articles_only(tmp_path):
    st = _bulk_store(tmp_path)
    conn = st.conn
    try:
        # A rare name: one article's events renamed, so the filter must find exactly that article.
        target = conn.execute("SELECT article_id FROM events ORDER BY id LIMIT 1").fetchone()[0]
        with st.transaction():
            conn.execute("UPDATE events SET actor_text = 'Wang Yi' WHERE id = (SELECT min(id) FROM events)")
        _assert_summary_exact(conn)
        for name in ("Wang Yi", "wang yi", "  WANG YI"):
            f = wq.ArticleFilters(actor=name)
            hits = wq.search_articles(conn, None, f, summary=True)
            assert [h["id"] for h in hits["hits"]] == [target]
            assert hits == wq.search_articles(conn, None, f, summary=False)
        f = wq.ArticleFilters(actor="Wang Yi")
        fast_steps = _steps(conn, lambda: wq.search_articles(conn, None, f, summary=True))
        plain_steps = _steps(conn, lambda: wq.search_articles(conn, None, f, summary=False))
        assert fast_steps * 5 < plain_steps, (fast_steps, plain_steps)
        # Renamed back, the name is gone from the table and from search.
        with st.transaction():
            conn.execute("UPDATE events SET actor_text = 'x' WHERE actor_text = 'Wang Yi'")
        _assert_summary_exact(conn)
        assert wq.search_articles(conn, None, f, summary=True)["hits"] == []
    finally:
        st.close()


def test_actor_name_rows_follow_reanalysis_and_deletes(store):
    conn = store.conn
    blinken = wq.ArticleFilters(actor="Antony Blinken")
    carrying = {h["id"] for h in wq.search_articles(conn, None, blinken, limit=200)["hits"]}
    assert len(carrying) > 5
    # Reanalysed without the name, half of them drop out; one loses its article entirely.
    rng = random.Random(4)
    dropped = sorted(carrying)[::2]
    store.save_analyses([(i, _analysis(store.articles[i], [e for e in _events(rng, 4)
                                                          if "Antony Blinken" not in (e.actor and e.actor.name,
                                                                                      e.recipient and e.recipient.name)]))
                         for i in dropped])
    gone = sorted(carrying)[1]
    with store.transaction():
        for table in ("story_articles", "article_copies", "minhash_bands"):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (gone,))
        conn.execute("DELETE FROM articles WHERE id = ?", (gone,))
    _assert_summary_exact(conn)
    left = {h["id"] for h in wq.search_articles(conn, None, blinken, limit=200)["hits"]}
    assert left == carrying - set(dropped) - {gone}
    assert _assert_same(conn, "after name reanalysis") > 30


def test_store_without_the_name_table_reads_events_then_backfills(store):
    conn = store.conn
    before = {tuple(r) for r in conn.execute(f"SELECT * FROM {wq.NAMES_TABLE}")}
    cases = [(q, wq.ArticleFilters(actor=a, **kw)) for q in (None, "talks") for a in ("Xi Jinping", "the ministry")
             for kw in ({}, {"type": "CONSULT"})]
    fast = [wq.search_articles(conn, q, f, limit=50) for q, f in cases]
    with store.transaction():
        for trigger in ("article_actor_names_ai", "article_actor_names_ad", "article_actor_names_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute(f"DROP TABLE {wq.NAMES_TABLE}")
        conn.execute("DELETE FROM schema_migrations WHERE version = 9")
    assert wq.has_summary(conn)  # countries still come from the summary; names read events
    sf = wq.ArticleFilters(actor="Xi Jinping").to_search_filters(summary=True, conn=conn)
    assert "FROM events" in sf.extra_where[0]
    assert [wq.search_articles(conn, q, f, limit=50) for q, f in cases] == fast
    assert migrate(conn) == ["0009_article_actor_names.sql"]
    assert {tuple(r) for r in conn.execute(f"SELECT * FROM {wq.NAMES_TABLE}")} == before
    assert [wq.search_articles(conn, q, f, limit=50) for q, f in cases] == fast


def test_name_filters_use_the_name_key(store):
    conn = store.conn
    sf = wq.ArticleFilters(actor="Xi Jinping").to_search_filters(summary=True, conn=conn)
    assert wq.NAMES_TABLE in sf.extra_where[0]
    plan = " ".join(r[3] for r in conn.execute(
        f"EXPLAIN QUERY PLAN SELECT article_id FROM {wq.NAMES_TABLE} n WHERE n.name = {wq.NAME_KEY}", ["Xi"]))
    assert "SEARCH" in plan and "PRIMARY KEY" in plan
    # A blank actor field is no filter at all (as an absent one), in both forms.
    for summary in (True, False):
        assert wq.ArticleFilters(actor="   ").to_search_filters(summary=summary, conn=conn).extra_where == []
