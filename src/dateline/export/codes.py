"""Code tables the exporters translate dateline's values through.

dateline stores ISO alpha-3 countries and PLOVER sectors; GDELT wants CAMEO actor codes
and FIPS 10-4 geo codes, POLECAT wants Correlates of War numbers and sector names.
The tables are reviewable files in ``data/export/`` (countries.csv, sectors.yaml).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from ..resources import load_csv, load_yaml

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CountryCodes:
    iso3: str
    fips: str | None
    cow: int | None
    cameo: str
    name: str
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None


@dataclass(frozen=True)
class SectorCodes:
    code: str
    cameo: str
    name: str | None


def _float(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, CountryCodes]:
    out: dict[str, CountryCodes] = {}
    for row in load_csv("export", "countries.csv"):
        iso = row["iso3"].strip().upper()
        out[iso] = CountryCodes(
            iso3=iso,
            fips=(row.get("fips") or "").strip() or None,
            cow=int(row["cow"]) if (row.get("cow") or "").strip() else None,
            cameo=(row.get("cameo") or "").strip() or iso,
            name=(row.get("name") or "").strip() or iso,
            lat=_float(row.get("lat")),
            lon=_float(row.get("lon")),
            geonames_id=int(row["geonames_id"]) if (row.get("geonames_id") or "").strip() else None,
        )
    return out


@functools.lru_cache(maxsize=1)
def _sector_file() -> dict:
    return load_yaml("export", "sectors.yaml") or {}


@functools.lru_cache(maxsize=1)
def sectors() -> dict[str, SectorCodes]:
    raw = _sector_file().get("sectors") or {}
    return {code.upper(): SectorCodes(code.upper(), str(v.get("cameo") or code).upper(), v.get("name"))
            for code, v in raw.items()}


@functools.lru_cache(maxsize=1)
def known_groups() -> dict[str, str]:
    return {name.casefold(): code for name, code in (_sector_file().get("known_groups") or {}).items()}


def country(iso3: str | None) -> CountryCodes | None:
    if not iso3:
        return None
    return countries().get(iso3.upper())


def cameo_country(iso3: str | None) -> str:
    """CAMEO country code; an ISO code we have no row for passes through unchanged."""
    if not iso3:
        return ""
    c = country(iso3)
    return c.cameo if c else iso3.upper()


def fips(iso3: str | None) -> str:
    c = country(iso3)
    return (c.fips or "") if c else ""


def cow(iso3: str | None) -> int | None:
    c = country(iso3)
    return c.cow if c else None


def country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    c = country(iso3)
    return c.name if c else iso3.upper()


def cameo_sector(sector: str | None) -> str:
    if not sector:
        return ""
    s = sectors().get(sector.upper())
    return s.cameo if s else sector.upper()


def sector_name(sector: str | None) -> str:
    if not sector:
        return ""
    s = sectors().get(sector.upper())
    return (s.name or s.code) if s else sector.upper()


def known_group(name: str | None) -> str:
    return known_groups().get(name.casefold(), "") if name else ""


def actor_code(iso3: str | None, sector: str | None, name: str | None = None) -> str:
    """CAMEO actor code: country then role ("CHNGOV"); a known group stands alone ("UNO")."""
    group = known_group(name)
    if group and not iso3:
        return group
    return cameo_country(iso3) + cameo_sector(sector)


def country_point(iso3: str) -> tuple[float | None, float | None, int | None]:
    """A representative point and GeoNames id for a country (country-level geo columns)."""
    c = country(iso3)
    return (c.lat, c.lon, c.geonames_id) if c else (None, None, None)
