"""Place resolution: the gazetteer, lookup_place and resolve_places on parsed articles."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from dateline.errors import InputError
from dateline.resolve import places_cache
from dateline.resolve.places import lookup_place, resolve_places
from dateline.resolve.places_index import Gazetteer, get_gazetteer, place_key

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "blinken-travels-to-china.txt"


@pytest.fixture(scope="module")
def gaz(tmp_path_factory):
    # Keep the index snapshot out of the user's cache while testing.
    saved = os.environ.get("DATELINE_CACHE_DIR")
    os.environ["DATELINE_CACHE_DIR"] = str(tmp_path_factory.mktemp("places-cache"))
    try:
        yield get_gazetteer()
    finally:
        if saved is None:
            os.environ.pop("DATELINE_CACHE_DIR", None)
        else:
            os.environ["DATELINE_CACHE_DIR"] = saved


@pytest.fixture(scope="module")
def nlp():
    from dateline import nlp as dnlp

    return dnlp.load()


def _by_text(places):
    out = {}
    for p in places:
        out.setdefault(p.text, p)
    return out


# ---------------------------------------------------------------------------- keys and index


@pytest.mark.parametrize(
    "raw,key",
    [
        ("the U.S.", "us"),
        ("St. Petersburg", "saint petersburg"),
        ("China\u2019s", "china"),
        ("Bab el-Mandeb", "bab el mandeb"),
        ("São Paulo", "sao paulo"),
        ("Łódź", "lodz"),
        ("  ", ""),
        ("the", ""),
    ],
)
def test_place_key(raw, key):
    assert place_key(raw) == key


def test_index_is_built_once_and_holds_all_sources(gaz):
    assert get_gazetteer() is gaz
    sources = {e.source for e in gaz.entries}
    assert sources == {"feature", "country", "state", "city"}
    assert sum(e.source == "city" for e in gaz.entries) > 30_000
    assert gaz.build_seconds > 0


def test_every_country_has_coordinates(gaz):
    for a3 in ("USA", "CHN", "CUB", "FRA", "UKR", "GEO"):
        entry = gaz.country(a3)
        assert entry.lat is not None and entry.lon is not None, a3
        assert entry.geonames_id


def test_lookups_are_fast(gaz):
    t0 = time.perf_counter()
    for _ in range(2000):
        gaz.candidates("Beijing")
        gaz.candidates("Nowhere Special")
    assert time.perf_counter() - t0 < 1.0


def test_snapshot_round_trip(gaz, tmp_path, monkeypatch):
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(tmp_path))
    path = places_cache.save(gaz)
    assert path is not None and path.exists()
    again = places_cache.load()
    assert isinstance(again, Gazetteer) and again is not gaz
    assert again.size == gaz.size and len(again.entries) == len(gaz.entries)
    for name in ("Beijing", "Paris", "US", "Taiwan Strait", "Kiev"):
        assert [c.entry for c in again.candidates(name)] == [c.entry for c in gaz.candidates(name)]
    assert again.feature_keys == gaz.feature_keys and again.demonyms == gaz.demonyms
    path.write_bytes(b"not a snapshot")
    assert places_cache.load() is None  # unreadable: rebuilt, never a crash
    monkeypatch.setenv("DATELINE_PLACES_CACHE", "0")
    assert places_cache.load() is None and places_cache.save(gaz) is None


def test_snapshot_survives_an_unwritable_folder(gaz, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DATELINE_CACHE_DIR", str(blocker / "sub"))
    assert places_cache.save(gaz) is None
    assert places_cache.load() is None


# ---------------------------------------------------------------------------- lookup_place


def test_lookup_city_with_coordinates_and_geonames_id():
    p = lookup_place("Beijing")
    assert (p.name, p.country, p.feature) == ("Beijing", "CHN", "city")
    assert (p.lat, p.lon) == (39.9075, 116.39723)
    assert p.geonames_id == 1816670


def test_lookup_strips_prepositions_and_reports_offsets():
    name = "over the South China Sea"
    p = lookup_place(name)
    assert (p.name, p.country, p.feature) == ("South China Sea", None, "sea")
    assert name[p.start : p.end] == p.text == "South China Sea"
    p = lookup_place("to Beijing")
    assert (p.text, p.start, p.end, p.name) == ("Beijing", 3, 10, "Beijing")


def test_lookup_relative_adjective_phrase():
    p = lookup_place("off the American coast")
    assert p.text == "off the American coast"
    assert p.country == "USA" and p.feature == "coast"
    assert p.lat is not None


@pytest.mark.parametrize(
    "phrase,country,feature",
    [
        ("near the coast of Somalia", "SOM", "coast"),
        ("in northern Syria", "SYR", "region"),
        ("on the Ukrainian border", "UKR", "border"),
        ("in the waters off Taiwan", "TWN", "country"),
        ("the U.S.", "USA", "country"),
        ("Kiev", "UKR", "city"),
        ("Peking", "CHN", "city"),
        ("the DMZ", None, "disputed"),
        ("in Crimea", "UKR", "peninsula"),
        ("Gaza", "PSE", "region"),
        ("Texas", "USA", "state"),
        ("New York", "USA", "city"),
        ("Bab el-Mandeb", None, "strait"),
        ("in the Taiwan Strait and the South China Sea", None, "strait"),
    ],
)
def test_lookup_phrases(phrase, country, feature):
    p = lookup_place(phrase)
    assert p is not None, phrase
    assert (p.country, p.feature) == (country, feature), p
    assert phrase[p.start : p.end] == p.text


def test_lookup_defaults_for_ambiguous_names():
    assert lookup_place("Washington").feature == "city"
    assert lookup_place("Washington").country == "USA"
    assert lookup_place("Paris").country == "FRA"
    assert lookup_place("Georgia").country == "GEO"
    assert lookup_place("St. Petersburg").country == "RUS"


def test_lookup_context_decides():
    assert lookup_place("Paris", ["Texas"]).country == "USA"
    assert lookup_place("Paris", ["Dallas", "Houston"]).country == "USA"
    assert lookup_place("Paris", ["FRA"]).country == "FRA"
    assert lookup_place("Georgia", ["Atlanta", "Florida", "Alabama"]).feature == "state"
    assert lookup_place("Georgia", ["Tbilisi", "Russia"]).feature == "country"
    assert lookup_place("Washington", ["Seattle", "Spokane"]).feature == "state"
    # A few US places do not make Washington the state, nor Paris a Texas town.
    assert lookup_place("Washington", ["New York", "Chicago"]).feature == "city"
    assert lookup_place("Paris", ["New York", "Chicago"]).country == "FRA"


def test_lookup_junk_and_bad_input():
    assert lookup_place("Blinken") is None
    assert lookup_place("Qin") is None  # an alternate name too short to trust
    assert lookup_place("") is None
    assert lookup_place("x" * 10_000) is None
    assert lookup_place("\U0001f30d\U0001f525") is None
    assert lookup_place("\u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd") is None  # Hebrew: not an English name
    with pytest.raises(InputError):
        lookup_place(None)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- resolve_places


@pytest.mark.skipif(not SEED.exists(), reason="shared seed article not present")
def test_seed_article_places(nlp):
    text = SEED.read_text(encoding="utf-8")
    places = resolve_places(nlp(text), published="2023-06-14")
    by_text = _by_text(places)

    beijing = by_text["Beijing"]
    assert (beijing.name, beijing.country, beijing.feature) == ("Beijing", "CHN", "city")
    assert (beijing.lat, beijing.lon) == (39.9075, 116.39723)
    assert (by_text["Washington"].country, by_text["Washington"].feature) == ("USA", "city")
    assert (by_text["South China Sea"].country, by_text["South China Sea"].feature) == (None, "sea")
    assert (by_text["Taiwan Strait"].country, by_text["Taiwan Strait"].feature) == (None, "strait")
    assert (by_text["Cuba"].country, by_text["Cuba"].feature) == ("CUB", "country")
    assert by_text["China"].country == "CHN"
    assert by_text["US"].country == "USA" and by_text["United States"].country == "USA"
    coast = by_text["off the American coast"]
    assert coast.country == "USA" and coast.feature == "coast"
    # spaCy tags "Blinken" as a GPE: the gazetteer does not know it.
    assert "Blinken" not in by_text
    for p in places:
        assert text[p.start : p.end] == p.text
    sentences = list(nlp(text).sents)
    cuba = by_text["Cuba"]
    assert "Cuba" in sentences[cuba.sentence].text


def test_context_decides_paris_and_georgia_in_articles(nlp):
    doc = nlp("Storms hit Dallas and Houston on Monday. In Paris, the mayor of the Texas town asked for help.")
    paris = _by_text(resolve_places(doc))["Paris"]
    assert paris.country == "USA" and paris.lat < 40

    doc = nlp("Paris and Berlin agreed on a plan. Officials in Paris said France would pay.")
    assert _by_text(resolve_places(doc))["Paris"].country == "FRA"

    doc = nlp(
        "Voters in Atlanta and Savannah lined up early. Florida and Alabama also vote on Tuesday, "
        "and Georgia counts its ballots by hand."
    )
    georgia = _by_text(resolve_places(doc))["Georgia"]
    assert (georgia.country, georgia.feature) == ("USA", "state")

    doc = nlp("Russian troops stayed in Georgia after the war. Tbilisi protested to Moscow.")
    assert _by_text(resolve_places(doc))["Georgia"].country == "GEO"


def test_gazetteer_finds_features_spacy_misses(nlp):
    doc = nlp("tankers were attacked near the Bab el-Mandeb strait and in the Gulf of Aden this week.")
    by_text = _by_text(resolve_places(doc))
    assert by_text["Bab el-Mandeb"].feature == "strait"
    assert by_text["Gulf of Aden"].feature == "gulf"


def test_feature_inside_organisation_name_is_not_a_place(nlp):
    doc = nlp("The Black Sea Fleet and the Atlantic Council issued statements.")
    names = {p.name for p in resolve_places(doc)}
    assert "Black Sea" not in names and "Atlantic Ocean" not in names


def test_empty_and_wrong_input(nlp):
    assert resolve_places(nlp("")) == []
    assert resolve_places(nlp("No places here at all.")) == []
    with pytest.raises(InputError):
        resolve_places("just a string")  # type: ignore[arg-type]


def test_emoji_and_rtl_text_do_not_crash(nlp):
    text = (
        "\U0001f30d\U0001f525 \u0627\u0644\u0642\u062f\u0633 Talks in Cairo \u2014 "
        "\u05e9\u05dc\u05d5\u05dd near the Gaza Strip \U0001f54a\ufe0f"
    )
    places = resolve_places(nlp(text))
    for p in places:
        assert text[p.start : p.end] == p.text
    assert {"Cairo", "Gaza Strip"} <= {p.name for p in places}


def test_one_megabyte_paragraph_without_parser():
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    chunk = "Ships sailed off the Chinese coast toward the Taiwan Strait \U0001f6a2 and back again "
    text = chunk * (1_000_000 // len(chunk) + 1)
    blank.max_length = len(text) + 1
    doc = blank(text)
    t0 = time.perf_counter()
    places = resolve_places(doc)
    elapsed = time.perf_counter() - t0
    repeats = text.count(chunk)
    assert sum(p.name == "Taiwan Strait" for p in places) == repeats
    assert sum(p.country == "CHN" and p.feature == "coast" for p in places) == repeats
    assert elapsed < 20, elapsed


def _doc_with_ents(text: str, ents: list[tuple[str, str]]):
    """A Doc with hand-set entities: tests the filters without depending on spaCy's tagger."""
    import spacy
    from spacy.tokens import Span

    blank = spacy.blank("en")
    doc = blank(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert isinstance(span, Span), surface
        spans.append(span)
    doc.ents = spans
    return doc


def test_junk_entities_are_filtered():
    text = "Blinken took the metro with Chinese officials in Paris while the Atlantic Council met."
    doc = _doc_with_ents(
        text, [("Blinken", "GPE"), ("metro", "GPE"), ("Chinese", "NORP"), ("Paris", "GPE"), ("Atlantic Council", "ORG")]
    )
    places = resolve_places(doc)
    assert [(p.text, p.country) for p in places] == [("Paris", "FRA")]
    assert places[0].sentence == 0  # no sentence boundaries: everything is sentence 0


def test_adjective_like_feature_words_need_an_entity():
    doc = _doc_with_ents("Pacific island nations and Baltic allies met in the Mediterranean.", [])
    assert resolve_places(doc) == []
    doc = _doc_with_ents("Warships sailed into the Pacific.", [("Pacific", "LOC")])
    assert [p.name for p in resolve_places(doc)] == ["Pacific Ocean"]


def test_capital_is_the_city_named_so():
    p = lookup_place("New Delhi")
    assert (p.name, p.country) == ("New Delhi", "IND")
    assert lookup_place("Bali").country == "IDN"


def test_direction_words_keep_names_that_contain_them(nlp):
    assert lookup_place("in western Europe").name == "Western Europe"
    p = lookup_place("in northern Syria")
    assert (p.name, p.country, p.feature) == ("northern Syria", "SYR", "region")
    doc = nlp("Shelling continued in eastern Ukraine. Leaders in western Europe met in Brussels.")
    by_text = _by_text(resolve_places(doc))
    assert by_text["eastern Ukraine"].country == "UKR" and by_text["eastern Ukraine"].feature == "region"
    assert by_text["western Europe"].name == "Western Europe"
    assert by_text["Brussels"].country == "BEL"
    assert [by_text[t].sentence for t in ("eastern Ukraine", "western Europe", "Brussels")] == [0, 1, 1]


def test_scan_handles_punctuation_hyphens_and_possessives():
    text = "Ships near Bab el-Mandeb, the Strait of Hormuz's lanes and the West Bank\u2019s towns; Crimea, Donbas."
    places = resolve_places(_doc_with_ents(text, []))
    assert [p.text for p in places] == ["Bab el-Mandeb", "Strait of Hormuz", "West Bank", "Crimea", "Donbas"]
    assert [p.country for p in places] == [None, None, "PSE", "UKR", "UKR"]
    for p in places:
        assert text[p.start : p.end] == p.text


def test_qualified_names():
    assert lookup_place("Paris, Texas").country == "USA"
    assert lookup_place("Perth, Scotland").country == "GBR"
    p = lookup_place("Wilmington, North Carolina")
    assert (p.country, round(p.lat)) == ("USA", 34)
    # A town too small for the gazetteer keeps its state's country, without invented coordinates.
    p = lookup_place("Woodside, California")
    assert (p.text, p.country, p.feature, p.lat, p.lon) == ("Woodside", "USA", "place", None, None)


def test_qualified_names_in_articles(nlp):
    text = "Biden met Xi in Woodside, California. Flights resumed in Wilmington, North Carolina, and Paris, Texas."
    by_text = _by_text(resolve_places(nlp(text)))
    assert by_text["Woodside"].country == "USA" and by_text["Woodside"].lat is None
    assert by_text["Wilmington"].lat == pytest.approx(34.2, abs=0.2)
    assert by_text["Paris"].country == "USA"
    assert by_text["California"].feature == "state"


def test_lists_are_not_qualified_names(nlp):
    text = "Leaders met in Washington, Georgia's prime minister said. Talks in Paris, China and Russia followed."
    by_text = _by_text(resolve_places(nlp(text)))
    assert (by_text["Washington"].country, by_text["Washington"].lat is not None) == ("USA", True)
    assert by_text["Paris"].country == "FRA"


def test_qualifier_picks_the_reading_that_fits(nlp):
    p = lookup_place("Columbus, Georgia")
    assert (p.country, round(p.lat)) == ("USA", 32)
    by_text = _by_text(resolve_places(nlp("Soldiers trained at a base near Columbus, Georgia, last year.")))
    assert by_text["Columbus"].lat == pytest.approx(32.5, abs=0.5)
    assert (by_text["Georgia"].country, by_text["Georgia"].feature) == ("USA", "state")
