"""World events: coded events from different reports that describe the same real-world happening.

Events merge when they share PLOVER type, actor country and recipient country, and the merged
group stays within a short span of days. The span is capped on the whole group (not chained from
member to member) so a daily series of strikes in a long war does not collapse into one event.
An event with no actor country cannot be matched with confidence and stays on its own.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from ..store import stories as sql

log = logging.getLogger(__name__)

MAX_SPAN_DAYS = 3


@dataclass
class WorldEventReport:
    grouped: int = 0
    created: int = 0
    recounted: int = 0


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _span(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def fits(day: str, start: str, end: str, max_span: int = MAX_SPAN_DAYS) -> bool:
    """Would adding an event on ``day`` keep the group within ``max_span`` days?"""
    lo, hi = min(day, start), max(day, end)
    return _span(lo, hi) <= max_span


def _valid_day(value: str | None) -> str | None:
    if not value:
        return None
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return None
    return value[:10]


def group_events(conn: sqlite3.Connection, *, batch: int = 2000,
                 also_recount: set[int] | None = None) -> WorldEventReport:
    """Give every ungrouped event of a current article a world event (in the caller's transaction)."""
    report = WorldEventReport()
    touched: set[int] = set(also_recount or ())
    while True:
        rows = sql.ungrouped_events(conn, batch)
        if not rows:
            break
        for ev in rows:
            day = _valid_day(ev["day"])
            wid = None
            if day and ev["actor_country"]:
                cands = sql.world_event_candidates(conn, ev["type"], ev["actor_country"], ev["recipient_country"],
                                                   _shift(day, -MAX_SPAN_DAYS), _shift(day, MAX_SPAN_DAYS))
                touched.update(c["id"] for c in cands)
                fitting = [c for c in cands if fits(day, c["date_start"], c["date_end"])]
                if fitting:
                    wid = min(fitting, key=lambda c: (_span(day, c["date_start"]), c["id"]))["id"]
            if wid is None:
                # an undated event still needs a row so that it counts once; it never merges
                wid = sql.create_world_event(conn, ev["type"], ev["actor_country"], ev["recipient_country"],
                                             day or "0000-00-00", ev["story_id"])
                report.created += 1
            sql.attach_event(conn, ev["id"], wid, day or "0000-00-00")
            touched.add(wid)
            report.grouped += 1
    sql.recount_world_events(conn, touched)
    report.recounted = len(touched)
    return report
