"""The exporters' code tables in data/export/ load and agree with the rest of dateline's data."""

from __future__ import annotations

import pycountry
import yaml

from dateline.export import codes
from dateline.resources import data_path


def test_every_country_dateline_resolves_has_export_codes():
    ours = set(yaml.safe_load(data_path("countries.yaml").read_text(encoding="utf-8"))["countries"])
    table = codes.countries()
    assert ours <= set(table)
    for iso, c in table.items():
        assert pycountry.countries.get(alpha_3=iso) is not None, iso
        assert c.fips and len(c.fips) == 2 and c.fips.isupper(), iso
        assert len(c.cameo) == 3 and c.cameo.isupper(), iso
        if c.lat is not None:
            assert -90 <= c.lat <= 90 and -180 <= c.lon <= 180, iso
    fips = [c.fips for c in table.values()]
    assert len(fips) == len(set(fips))


def test_cow_numbers_cover_un_members_and_are_unique():
    table = codes.countries()
    numbers = [c.cow for c in table.values() if c.cow is not None]
    assert len(numbers) == len(set(numbers))
    assert len(numbers) >= 193  # the UN members (and Taiwan)
    assert (codes.cow("USA"), codes.cow("GBR"), codes.cow("CHN"), codes.cow("RUS")) == (2, 200, 710, 365)
    assert codes.cow("HKG") is None


def test_fips_and_cameo_differ_where_they_should():
    assert codes.fips("CHN") == "CH" and codes.fips("DEU") == "GM" and codes.fips("GBR") == "UK"
    assert codes.cameo_country("ROU") == "ROM" and codes.cameo_country("USA") == "USA"
    assert codes.cameo_country("XYZ") == "XYZ"  # unknown codes pass through


def test_every_sector_the_actor_lists_use_has_a_cameo_role():
    used = set()
    for name in ("organisations.yaml", "groups.yaml", "titles.yaml"):
        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("sector"), str):
                    used.add(node["sector"].upper())
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(yaml.safe_load(data_path("actors", name).read_text(encoding="utf-8")))
    missing = used - set(codes.sectors())
    assert not missing, missing
    assert codes.cameo_sector("POL") == "COP" and codes.sector_name("MIL") == "Military"
    assert codes.actor_code("CHN", "GOV") == "CHNGOV"
    assert codes.actor_code(None, "IGO", "United Nations") == "UNO"
