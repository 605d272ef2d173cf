"""GDELT 2.0 Events (61 columns) and Mentions (16 columns) rows from stored events.

Column decisions:
- GLOBALEVENTID is the lowest dateline event id of the event's world event (or the
  event's own id when stories have not grouped it), so the events and mentions files
  join on it and ids never collide.
- One events row per world event: copies in other articles add to NumMentions,
  NumSources (distinct domains) and NumArticles instead of making new rows.
- Actor codes are CAMEO: country code (ISO alpha-3, except where CAMEO differs) + role.
- Geo columns use FIPS 10-4 country codes (GDELT's convention) and GeoNames ids as
  FeatureID (GDELT uses GNS ids; ours are GeoNames). Actor geo is the actor's country.
- AvgTone, MentionDocTone, ethnic and religion codes are blank: dateline does not code them.
"""

from __future__ import annotations

import functools
from typing import Any

from .. import __version__
from . import codes
from .context import ExportContext, stamp14

GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
                 "Type1Code", "Type2Code", "Type3Code")

EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{f}" for f in GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in GEO_FIELDS),
    "DATEADDED", "SOURCEURL",
)

MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName", "MentionIdentifier",
    "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset", "InRawText", "Confidence",
    "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)

# Place features that stand for a sub-national area rather than a point (GDELT geo type 5).
_AREA_FEATURES = {"region", "province", "state", "admin1", "district", "disputed", "island", "islands", "peninsula"}


def num(value: float | None, places: int = 4) -> str:
    """A number without trailing zeros ("1.9", "-10", "39.9075"); blank for None."""
    if value is None:
        return ""
    text = f"{float(value):.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def cameo_parts(cameo: str | None) -> tuple[str, str, str] | None:
    """EventCode, EventBaseCode, EventRootCode as strings that keep their leading zeros."""
    if not cameo:
        return None
    code = str(cameo).strip()
    if not code.isdigit() or len(code) < 2:
        return None
    if len(code) == 2:  # a root-level code: CAMEO writes it as "040"
        code += "0"
    return code, code[:3], code[:2]


def _date_parts(value: str) -> tuple[str, str, str, str]:
    y, m, d = value[:4], value[5:7] or "01", value[8:10] or "01"
    fraction = int(y) + (int(m) * 30 + int(d)) / 365
    return f"{y}{m}{d}", f"{y}{m}", y, f"{fraction:.4f}"


def _actor(ev: dict[str, Any], prefix: str) -> list[str]:
    iso, sector = ev.get(f"{prefix}_country"), ev.get(f"{prefix}_sector")
    name = ev.get(f"{prefix}_name") or ev.get(f"{prefix}_text") or ""
    if not (iso or sector or name):
        return [""] * len(_ACTOR_FIELDS)
    return [
        codes.actor_code(iso, sector, ev.get(f"{prefix}_name")),
        name.upper(),
        codes.cameo_country(iso),
        codes.known_group(ev.get(f"{prefix}_name")),
        "", "", "",
        codes.cameo_sector(sector),
        "", "",
    ]


def _blank_geo() -> list[str]:
    return ["0", "", "", "", "", "", "", ""]


@functools.lru_cache(maxsize=512)
def _country_geo(iso: str) -> tuple[str, ...]:
    lat, lon, gid = codes.country_point(iso)
    fips = codes.fips(iso)
    return ("1", codes.country_name(iso), fips, fips, "", num(lat), num(lon), str(gid) if gid else fips)


def _geo_type(feature: str | None, iso: str | None) -> str:
    if feature == "country":
        return "1"
    us = (iso or "").upper() == "USA"
    if feature in _AREA_FEATURES:
        return "2" if us and feature == "state" else "5"
    return "3" if us else "4"


def _action_geo(ev: dict[str, Any], ctx: ExportContext) -> list[str]:
    name, iso = ev.get("location_name"), ev.get("location_country")
    if not (name or iso):
        return _blank_geo()
    feature = ctx.place_feature(ev["article_id"], name, ev.get("geonames_id"))
    if feature is None and iso and name and codes.country_name(iso).casefold() == name.casefold():
        feature = "country"
    if feature == "country" and iso:
        geo = list(_country_geo(iso.upper()))
        if ev.get("lat") is not None:
            geo[5], geo[6] = num(ev["lat"]), num(ev["lon"])
        if ev.get("geonames_id"):
            geo[7] = str(ev["geonames_id"])
        return geo
    fips = codes.fips(iso)
    full = ", ".join(p for p in (name, codes.country_name(iso) if iso else "") if p)
    return [_geo_type(feature, iso), full, fips, fips, "", num(ev.get("lat")), num(ev.get("lon")),
            str(ev["geonames_id"]) if ev.get("geonames_id") else ""]


def _actor_geo(iso: str | None) -> list[str]:
    return list(_country_geo(iso.upper())) if iso else _blank_geo()


def event_row(ev: dict[str, Any], ctx: ExportContext) -> list[str] | str:
    """The 61 GDELT fields of one (world) event, or the reason it cannot be exported."""
    parts = cameo_parts(ev.get("cameo"))
    if parts is None:
        return "no CAMEO code"
    article = ctx.article(ev["article_id"])
    date = ev.get("event_date") or (article.created_at or "")[:10]
    if len(date) < 4 or not date[:4].isdigit():
        return "no event or article date"
    sqldate, month_year, year, fraction = _date_parts(date)
    counts = ctx.world_counts(ev)
    row = [
        str(ctx.global_id(ev)), sqldate, month_year, year, fraction,
        *_actor(ev, "actor"), *_actor(ev, "recipient"),
        "1" if (ev.get("sentence_index") or 0) == 0 else "0",
        *parts,
        str(ev["quad_class"]) if ev.get("quad_class") is not None else "",
        num(ev.get("goldstein"), 1),
        str(counts.mentions), str(counts.sources), str(counts.articles),
        "",  # AvgTone: not coded
        *_actor_geo(ev.get("actor_country")),
        *_actor_geo(ev.get("recipient_country")),
        *_action_geo(ev, ctx),
        stamp14(article.created_at) or stamp14(article.published),
        article.identifier,
    ]
    return row


@functools.lru_cache(maxsize=64)
def _iso639_3(code: str) -> str:
    try:
        import pycountry

        lang = pycountry.languages.get(alpha_2=code[:2].lower())
    except (ImportError, KeyError, LookupError):
        lang = None
    return getattr(lang, "alpha_3", None) or code


def translation_info(language: str | None) -> str:
    """Blank for English (and unknown) sources; "srclc:deu; eng:dateline 0.1.0" otherwise."""
    if not language or language.lower().startswith("en"):
        return ""
    return f"srclc:{_iso639_3(language)}; eng:dateline {__version__}"


def mention_rows(ev: dict[str, Any], ctx: ExportContext) -> list[list[str]]:
    """One 16-field row per stored mention (sentence) of the event."""
    gid = ctx.global_id(ev)
    rep_article = ctx.article(ctx.representative_article(ev))
    event_time = stamp14(rep_article.created_at) or stamp14(rep_article.published)
    article = ctx.article(ev["article_id"])
    mention_time = stamp14(article.published) or stamp14(article.created_at)
    rows = []
    for m in ctx.event_mentions(ev):
        a1 = ctx.actor_offset(ev["article_id"], m["sentence_index"], ev.get("actor_text"))
        a2 = ctx.actor_offset(ev["article_id"], m["sentence_index"], ev.get("recipient_text"))
        sentence = m["sentence"] or ""
        in_raw = all(not t or t in sentence for t in (ev.get("actor_text"), ev.get("recipient_text")))
        confidence = (100 if in_raw else 50) - (20 if ev.get("decided_by") == "classifier" else 0)
        rows.append([
            str(gid), event_time, mention_time, "1" if article.url else "2", article.source, article.identifier,
            str(int(m["sentence_index"]) + 1), str(a1), str(a2), str(int(m["start"])),
            "1" if in_raw else "0", str(confidence), str(article.length), "",
            translation_info(article.language), "",
        ])
    return rows
