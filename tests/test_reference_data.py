"""Internal consistency of the hand-written reference tables that were reviewed against public sources.

data/export/countries.csv (FIPS 10-4 / COW / CAMEO crosswalk) and data/actors/people.csv (dated
office holders). These checks catch the mistakes a hand edit makes: duplicated keys, unknown
country codes, reversed dates, two people in one single-holder office at once, and gaps where a
G20 or UNSC permanent member has nobody in office.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import pycountry
import pytest
import yaml

from dateline.export import codes
from dateline.resolve.actors_data import base_lexicon
from dateline.resolve.actors_rules import choose_term
from dateline.resources import data_path

PEOPLE_COLUMNS = ["name", "aliases", "country", "sector", "role", "start", "end", "id"]
COUNTRY_COLUMNS = ["iso3", "fips", "cow", "cameo", "lat", "lon", "geonames_id", "name"]

G20 = ("ARG", "AUS", "BRA", "CAN", "CHN", "DEU", "FRA", "GBR", "IDN", "IND", "ITA", "JPN", "KOR",
       "MEX", "RUS", "SAU", "TUR", "USA", "ZAF")  # the P5 are all G20 members too
LEADER_ROLES = {"President", "Acting President", "Prime Minister", "Chancellor", "Premier", "King",
                "Queen", "Emperor"}
FOREIGN_ROLES = {"Foreign Minister", "Foreign Secretary", "Secretary of State",
                 "External Affairs Minister", "Prime Minister and Foreign Minister"}
# An interregnum (resignation to swearing-in of the successor) is real, but a longer hole in
# 2015-2026 means a missing office holder.
MAX_GAP_DAYS = 31
REVIEW_START, REVIEW_END = date(2015, 1, 1), date(2026, 1, 31)

# Disputed offices where two claimants are both recorded on purpose: Côte d'Ivoire 2010-11, after
# the election Gbagbo refused to concede while Ouattara was recognised internationally.
DISPUTED = {("CIV", "President", frozenset({"Laurent Gbagbo", "Alassane Ouattara"}))}


def _rows(*parts: str) -> tuple[list[str], list[dict[str, str]]]:
    with data_path(*parts).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(line for line in fh if not line.lstrip().startswith("#"))
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def _known_iso3() -> set[str]:
    ours = yaml.safe_load(data_path("countries.yaml").read_text(encoding="utf-8"))["countries"]
    return set(ours) | {c.alpha_3 for c in pycountry.countries}


# --- countries.csv ----------------------------------------------------------------------------


def test_countries_csv_keys_and_code_shapes():
    header, rows = _rows("export", "countries.csv")
    assert header == COUNTRY_COLUMNS
    known = _known_iso3()
    for column in ("iso3", "fips", "cow", "geonames_id"):
        values = [r[column] for r in rows if r[column]]
        dupes = {v for v in values if values.count(v) > 1}
        assert not dupes, f"duplicate {column}: {sorted(dupes)}"
    for r in rows:
        assert r["iso3"] in known, r
        assert re.fullmatch(r"[A-Z]{2}", r["fips"]), r
        assert not r["cow"] or 2 <= int(r["cow"]) <= 999, r
        assert not r["cameo"] or (re.fullmatch(r"[A-Z]{3}", r["cameo"]) and r["cameo"] != r["iso3"]), r
        assert not r["geonames_id"] or int(r["geonames_id"]) > 0, r
        assert r["name"].strip(), r
    # The loader sees every row (nothing silently collapsed by a duplicate key).
    assert len(codes.countries()) == len(rows)


def test_countries_csv_matches_reviewed_facts():
    # A sample of the codes checked against the public FIPS 10-4 and COW lists, chosen where
    # FIPS differs from ISO alpha-2 or COW kept a predecessor state's number.
    expected = {
        "DEU": ("GM", 255), "GBR": ("UK", 200), "SRB": ("RI", 345), "MNE": ("MJ", 341),
        "SSD": ("OD", 626), "BFA": ("UV", 439), "KOR": ("KS", 732), "PRK": ("KN", 731),
        "CHE": ("SZ", 225), "SWZ": ("WZ", 572), "TLS": ("TT", 860), "VNM": ("VM", 816),
        "ESH": ("WI", None), "PSE": ("WE", None),
    }
    table = codes.countries()
    for iso, (fips, cow) in expected.items():
        assert (table[iso].fips, table[iso].cow) == (fips, cow), iso
    assert table["ESH"].geonames_id == 2461445
    assert data_path("export", "README.md").is_file()  # where the sources are recorded


# --- people.csv -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spell:
    name: str
    country: str
    role: str
    start: date
    end: date | None


def _spells() -> list[Spell]:
    header, rows = _rows("actors", "people.csv")
    assert header == PEOPLE_COLUMNS
    out = []
    for r in rows:
        out.append(Spell(r["name"], r["country"], r["role"], date.fromisoformat(r["start"]),
                         date.fromisoformat(r["end"]) if r["end"] else None))
    return out


def test_people_csv_rows_are_well_formed():
    _, rows = _rows("actors", "people.csv")
    known = _known_iso3()
    sectors = set(codes.sectors())
    seen: set[tuple[str, str, str, str]] = set()
    for r in rows:
        assert r["name"].strip() == r["name"] and r["name"], r
        assert r["role"].strip(), r
        assert r["sector"] in sectors, r  # every sector must be exportable
        assert not r["country"] or r["country"] in known, r
        start = date.fromisoformat(r["start"])
        if r["end"]:
            assert date.fromisoformat(r["end"]) > start, r
        aliases = [a for a in r["aliases"].split("|") if a] if r["aliases"] else []
        assert all(a.strip() == a and a != r["name"] for a in aliases), r
        key = (r["name"], r["country"], r["role"], r["start"])
        assert key not in seen, key
        seen.add(key)
        assert not r["id"] or re.fullmatch(r"Q\d+", r["id"]), r


def test_people_csv_single_holder_offices_do_not_overlap():
    by_office: dict[tuple[str, str], list[Spell]] = defaultdict(list)
    for s in _spells():
        by_office[(s.country, s.role)].append(s)
    clashes = []
    for (country, role), spells in by_office.items():
        spells.sort(key=lambda s: s.start)
        for i, a in enumerate(spells):
            for b in spells[i + 1:]:
                # Handover day counts for both holders: an end equal to the next start is fine.
                if a.end is None or b.start < a.end:
                    if (country, role, frozenset({a.name, b.name})) not in DISPUTED:
                        clashes.append(f"{country} {role}: {a.name} {a.start}..{a.end} / {b.name} {b.start}..")
    assert not clashes, "\n".join(clashes)


def _uncovered(spells: list[Spell]) -> list[tuple[date, date]]:
    gaps, day, run = [], REVIEW_START, None
    while day <= REVIEW_END:
        covered = any(s.start <= day and (s.end is None or day <= s.end) for s in spells)
        if not covered and run is None:
            run = day
        elif covered and run is not None:
            gaps.append((run, day - timedelta(days=1)))
            run = None
        day += timedelta(days=1)
    if run is not None:
        gaps.append((run, REVIEW_END))
    return gaps


@pytest.mark.parametrize("label, roles", [("leader", LEADER_ROLES), ("foreign minister", FOREIGN_ROLES)])
def test_people_csv_covers_g20_offices_2015_2026(label, roles):
    spells = _spells()
    holes = []
    for country in G20:
        mine = [s for s in spells if s.country == country and s.role in roles]
        for a, b in _uncovered(mine):
            if (b - a).days + 1 > MAX_GAP_DAYS:
                holes.append(f"{country}: no {label} in office {a}..{b}")
    assert not holes, "\n".join(holes)


@pytest.mark.parametrize(
    "surface, day, role, country",
    [
        ("Antony Blinken", date(2023, 6, 18), "Secretary of State", "USA"),
        ("Qin Gang", date(2023, 6, 18), "Foreign Minister", "CHN"),
        ("Wang Yi", date(2024, 3, 1), "Foreign Minister", "CHN"),
        ("Xi Jinping", date(2023, 6, 18), "President", "CHN"),
        ("Olaf Scholz", date(2023, 1, 1), "Chancellor", "DEU"),
        ("Joe Biden", date(2015, 6, 1), "Vice President", "USA"),
        ("Ursula von der Leyen", date(2021, 1, 1), "President of the European Commission", None),
        ("Ursula von der Leyen", date(2018, 1, 1), "Defence Minister", "DEU"),
        ("Rex Tillerson", date(2017, 6, 1), "Secretary of State", "USA"),
        ("Cho Tae-yul", date(2025, 6, 20), "Foreign Minister", "KOR"),
        ("Mohammed bin Salman", date(2023, 1, 1), "Prime Minister", "SAU"),
    ],
)
def test_people_named_in_tests_and_reports_resolve_with_dated_roles(surface, day, role, country):
    entries = [e for e in base_lexicon().lookup(surface) if e.kind == "person"]
    assert len(entries) == 1, surface
    term, in_office = choose_term(entries[0].terms, day)
    assert in_office and term is not None
    assert (term.role, term.country) == (role, country)


def test_people_left_office_are_not_in_office_after_their_end():
    entry = next(e for e in base_lexicon().lookup("John Kerry") if e.kind == "person")
    assert choose_term(entry.terms, date(2017, 1, 25))[1] is False  # Tillerson's era began 1 Feb
    maduro = next(e for e in base_lexicon().lookup("Nicolás Maduro") if e.kind == "person")
    assert choose_term(maduro.terms, date(2026, 1, 10))[1] is False
