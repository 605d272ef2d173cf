"""``dateline events`` (list coded events) and ``dateline relations A B`` (a dyad's timeline).

The main CLI loads this module's ``register``; it also registers ``dateline export``
when the main CLI has not loaded ``dateline.export.cli`` itself.
"""

from __future__ import annotations

import json
import shutil
import sys
from typing import Any

from ..export.cli import add_filter_arguments, filters_from_args

QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
# One shade per quad class so a stacked bar reads without colour.
QUAD_BLOCKS = {1: "█", 2: "▓", 3: "▒", 4: "░"}
BAR_WIDTH = 40


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_event_line(ev: dict[str, Any], width: int = 120) -> str:
    kind = f"{ev['type']}:{ev.get('mode') or '-'}"
    dyad = f"{ev.get('actor_country') or '?'}->{ev.get('recipient_country') or '-'}"
    head = f"{ev['id']:>6}  {(ev.get('event_date') or '')[:10]:<10}  {kind:<22} {dyad:<9} {ev['status']:<12}"
    return head + " " + _short(ev.get("sentence") or ev.get("trigger"), max(20, width - len(head) - 1))


def cmd_events(args) -> int:
    from ..store import Store
    from ..store.events import count_events, query_events

    filters = filters_from_args(args)
    with Store(args.db, readonly=True) as store:
        if args.format in ("jsonl", "csv"):
            from ..export.writer import ExportReport, iter_export

            report = ExportReport(args.format)
            for chunk in iter_export(store.conn, args.format, filters, report):
                sys.stdout.write(chunk)
            if report.message:
                sys.stderr.write(report.message + "\n")
            return 0
        rows = query_events(store.conn, filters, limit=args.limit)
        total = count_events(store.conn, filters)
    if not rows:
        print("no events match the filters")
        return 0
    width = shutil.get_terminal_size((120, 20)).columns
    print(f"{'id':>6}  {'date':<10}  {'type:mode':<22} {'dyad':<9} {'status':<12} sentence")
    for ev in rows:
        print(format_event_line(ev, width))
    shown = len(rows)
    print(f"\n{shown} of {total['events']} events ({total['world_events']} world events)"
          + ("; use --limit to see more" if shown < total["events"] else ""))
    return 0


def render_relations(result: dict[str, Any], width: int = BAR_WIDTH) -> str:
    """A terminal chart: one stacked bar per period (a shade per quad class) and the mean score."""
    a, b = result["actor"], result["recipient"]
    arrow = "->" if result.get("directed") else "<->"
    if not result["points"]:
        return f"no events between {a} and {b}"
    by_period: dict[str, dict[int, int]] = {}
    for p in result["points"]:
        by_period.setdefault(p["period"], {})[p["quad_class"] or 0] = p["events"]
    means = {s["period"]: s["mean_score"] for s in result["series"]}
    biggest = max(sum(q.values()) for q in by_period.values())
    label_w = max(len(p) for p in by_period)
    lines = [f"{a} {arrow} {b}, events per {result['by']} by quad class; mean PLOVER score at the right", ""]
    for period in sorted(by_period):
        counts = by_period[period]
        total = sum(counts.values())
        bar = ""
        for quad in (1, 2, 3, 4, 0):
            n = counts.get(quad, 0)
            if n:
                # every non-zero class stays visible, however small next to the biggest period
                bar += QUAD_BLOCKS.get(quad, "·") * max(1, round(n / biggest * width))
        detail = " ".join(f"q{q}:{counts[q]}" for q in (1, 2, 3, 4) if counts.get(q))
        mean = means.get(period)
        mean_text = f"{mean:+.1f}" if mean is not None else "  -"
        lines.append(f"{period:<{label_w}} {bar:<{width + 4}} {total:>4}  {mean_text:>5}  {detail}")
    lines.append("")
    lines.append("  ".join(f"{QUAD_BLOCKS[q]} {QUAD_NAMES[q]}" for q in (1, 2, 3, 4)))
    return "\n".join(lines)


def cmd_relations(args) -> int:
    from ..store import Store
    from ..store.events import EventFilters, relation_series

    filters = EventFilters(type=args.type, status=args.status, since=args.since, until=args.until).validate()
    with Store(args.db, readonly=True) as store:
        result = relation_series(store.conn, args.a, args.b, by=args.by, directed=args.directed, filters=filters)
    if args.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return 0
    print(render_relations(result))
    return 0


def register(subparsers, add_db_option, add_analysis_options) -> None:
    if "events" not in subparsers.choices:
        p = subparsers.add_parser("events", help="list coded events (filters; a table, JSONL or CSV)")
        add_db_option(p)
        add_filter_arguments(p)
        p.add_argument("--format", choices=("table", "jsonl", "csv"), default="table")
        p.add_argument("--limit", type=int, default=50, help="rows in the table (jsonl/csv give all matches)")
        p.set_defaults(func=cmd_events)

    if "relations" not in subparsers.choices:
        p = subparsers.add_parser("relations", help="cooperation and conflict between two countries over time")
        add_db_option(p)
        p.add_argument("a", help="country (ISO alpha-3), e.g. USA")
        p.add_argument("b", help="country (ISO alpha-3), e.g. CHN")
        p.add_argument("--by", choices=("day", "week", "month", "year"), default="month")
        p.add_argument("--directed", action="store_true", help="only A acting on B")
        p.add_argument("--type", help="PLOVER event type")
        p.add_argument("--status", help="occurred, planned, negated or hypothetical")
        p.add_argument("--since")
        p.add_argument("--until")
        p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_relations)

    from ..export import cli as export_cli

    export_cli.register(subparsers, add_db_option, add_analysis_options)
