"""POLECAT-style rows (40 columns with a header) from stored events.

One row per dateline event (not per world event: POLECAT codes each report); the
``world_event_id`` column of the jsonl/csv/parquet exports groups copies.
Lists inside a cell (contexts, sectors, story people...) are joined with "; ".
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from . import codes
from .context import ExportContext, contexts_list

COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type",
    "Source", "Publication Date", "Story People", "Story Organizations", "Story Locations", "Language", "Version",
)

_PROVINCE_FEATURES = {"state", "region", "province", "admin1"}
SEP = "; "


def _num(value: Any) -> str:
    if value is None:
        return ""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _party(ev: dict[str, Any], prefix: str) -> list[str]:
    iso = ev.get(f"{prefix}_country")
    sector = codes.sector_name(ev.get(f"{prefix}_sector"))
    cow = codes.cow(iso)
    return [
        ev.get(f"{prefix}_name") or ev.get(f"{prefix}_text") or "",
        iso or "",
        str(cow) if cow is not None else "",
        sector,
        sector,
        ev.get(f"{prefix}_role") or "",
        ev.get(f"{prefix}_text") or "",
        ev.get(f"{prefix}_id") or "",
    ]


def _place(ev: dict[str, Any], ctx: ExportContext) -> list[str]:
    name, iso = ev.get("location_name"), ev.get("location_country")
    if not (name or iso):
        return [""] * 10
    feature = ctx.place_feature(ev["article_id"], name, ev.get("geonames_id")) or ""
    if not feature and iso and name and codes.country_name(iso).casefold() == name.casefold():
        feature = "country"
    return [
        name or "",
        name if feature in ("city", "place") else "",
        "",
        name if feature in _PROVINCE_FEATURES else "",
        codes.country_name(iso) if iso else "",
        _num(ev.get("lat")), _num(ev.get("lon")),
        str(ev["geonames_id"]) if ev.get("geonames_id") else "",
        ev.get("location_text") or "",
        feature,
    ]


def row(ev: dict[str, Any], ctx: ExportContext) -> list[str]:
    article = ctx.article(ev["article_id"])
    story = ctx.story_lists(ev["article_id"])
    return [
        str(ev["id"]),
        (ev.get("event_date") or "")[:10],
        ev.get("type") or "",
        ev.get("mode") or "",
        _num(ev.get("score")),
        str(ev["quad_class"]) if ev.get("quad_class") is not None else "",
        SEP.join(contexts_list(ev.get("contexts"))),
        *_party(ev, "actor"),
        *_party(ev, "recipient"),
        *_place(ev, ctx),
        article.source,
        (article.published or "")[:10],
        SEP.join(story.people),
        SEP.join(story.organizations),
        SEP.join(story.locations),
        article.language or "",
        f"dateline {__version__}",
    ]
