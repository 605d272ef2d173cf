"""Every actor data file loads, is well-formed, has no duplicate keys and valid ISO codes."""

from __future__ import annotations

import csv
from datetime import date

import pycountry
import pytest
import yaml

from dateline.resolve.actors_data import (
    base_lexicon,
    cameo_actor_code,
    cameo_to_iso,
    import_petrarch_dictionary,
    load_actor_file,
)
from dateline.resources import data_path
from dateline.errors import InputError

SECTORS = {
    "GOV", "MIL", "LEG", "JUD", "POL", "OPP", "REB", "CVL", "BUS", "MED", "IGO", "NGO", "REL", "EDU",
    "COP", "SPY", "REF", "AGR", "LAB", "CRM", "ELI", "UAF", "PTY", "HLH",
}


class _UniqueKeyLoader(yaml.SafeLoader):
    pass


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise AssertionError(f"duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def _load(*parts):
    with data_path(*parts).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_UniqueKeyLoader)


def _iso(code):
    return pycountry.countries.get(alpha_3=code) is not None


def test_countries_yaml_valid():
    data = _load("countries.yaml")
    countries = data["countries"]
    assert len(countries) >= 190
    surfaces: dict[str, str] = {}
    for iso, row in countries.items():
        assert _iso(iso), iso
        assert row["name"]
        for field in ("aliases", "demonyms", "capitals"):
            assert isinstance(row.get(field, []) or [], list), (iso, field)
        for s in [row["name"], *(row.get("aliases") or [])]:
            key = s.lower()
            assert surfaces.get(key, iso) == iso, f"{s} names both {surfaces.get(key)} and {iso}"
            surfaces[key] = iso
    for seat, row in data["seats"].items():
        assert _iso(row["country"]) and row["sector"] in SECTORS, seat
    for region, iso in data["regions"].items():
        assert _iso(iso), region
    for people, iso in data["peoples"].items():
        assert _iso(iso), people
    for cameo, iso in data["cameo_to_iso"].items():
        assert _iso(iso), cameo
    assert data["open_water"]


def test_actor_yaml_files_valid():
    orgs = _load("actors", "organisations.yaml")
    for name, row in orgs["organisations"].items():
        assert row["sector"] in SECTORS, name
        assert row.get("country") is None or _iso(row["country"]), name
        assert isinstance(row.get("aliases") or [], list), name
    assert set(orgs["org_keywords"].values()) <= SECTORS
    titles = _load("actors", "titles.yaml")
    for key, row in titles["titles"].items():
        assert row["sector"] in SECTORS and row["role"], key
    groups = _load("actors", "groups.yaml")
    for key, row in groups["groups"].items():
        assert row["sector"] in SECTORS and row["kind"] in ("organisation", "group"), key
    assert all(isinstance(v, list) and v for v in groups["coref_nouns"].values())


def test_people_csv_valid():
    with data_path("actors", "people.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert len(rows) >= 150
    seen = set()
    for row in rows:
        assert row["name"] and row["role"], row
        assert row["sector"] in SECTORS, row
        assert not row["country"] or _iso(row["country"]), row
        start = date.fromisoformat(row["start"])
        end = date.fromisoformat(row["end"]) if row["end"] else None
        assert end is None or start <= end, row
        key = (row["name"], row["role"], row["start"])
        assert key not in seen, key
        seen.add(key)


def test_lexicon_compiles_and_cameo_mapping():
    lex = base_lexicon()
    assert lex.lookup("the united states") or lex.lookup("United States")
    assert cameo_to_iso("JAP") == "JPN"
    assert cameo_to_iso("USA") == "USA"
    assert cameo_to_iso("IGO") is None
    assert cameo_actor_code("USAGOV") == ("USA", "GOV")
    assert cameo_actor_code("IGO") == (None, "IGO")


PETRARCH_SAMPLE = """\
# a small PETRARCH/Phoenix-style actor dictionary written for this test
<!-- multi-line
     comment -->
JOHN_KERRY_   ; Secretary of State 2013-2017
+KERRY_JOHN
\t[USAELI 841101-130131]
\t[USAGOV 130201-170120]
ACME_WIDGETS_ [USABUS]
+ACME_CORP
"""


def test_import_petrarch_dictionary(tmp_path):
    path = tmp_path / "sample.actors"
    path.write_text(PETRARCH_SAMPLE, encoding="utf-8")
    actors = import_petrarch_dictionary(path)
    surfaces = {s for s, _ in actors.entries}
    assert {"JOHN KERRY", "KERRY JOHN", "ACME WIDGETS", "ACME CORP"} <= surfaces
    kerry = next(e for s, e in actors.entries if s == "JOHN KERRY")
    assert kerry.name == "John Kerry"
    assert [(t.country, t.sector, t.start, t.end) for t in kerry.terms][1] == (
        "USA", "GOV", date(2013, 2, 1), date(2017, 1, 20))
    acme = next(e for s, e in actors.entries if s == "ACME CORP")
    assert (acme.country, acme.sector) == ("USA", "BUS")


def test_import_petrarch_rejects_garbage(tmp_path):
    path = tmp_path / "bad.actors"
    path.write_text("\t[USAGOV]\n", encoding="utf-8")
    with pytest.raises(InputError):
        import_petrarch_dictionary(path)
    with pytest.raises(InputError):
        import_petrarch_dictionary(tmp_path / "missing.actors")


def test_load_actor_file_csv_and_yaml(tmp_path):
    csv_path = tmp_path / "mine.csv"
    csv_path.write_text(
        "name,aliases,country,sector,role,start,end,id\n"
        "Jane Roe,Roe,NOR,GOV,Foreign Minister,2024-01-01,,\n", encoding="utf-8")
    lst = load_actor_file(csv_path)
    assert len(lst) == 2
    yaml_path = tmp_path / "mine.yaml"
    yaml_path.write_text(
        "actors:\n  - {name: Acme Rebels, kind: organisation, country: COL, sector: REB, aliases: [ACR]}\n",
        encoding="utf-8")
    lst = load_actor_file(yaml_path)
    assert {s for s, _ in lst.entries} == {"Acme Rebels", "ACR"}
    bad = tmp_path / "mine.csv"
    bad.write_text("name,country,start\nX,USA,not-a-date\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_actor_file(bad)
    with pytest.raises(InputError):
        load_actor_file(tmp_path / "list.txt")
