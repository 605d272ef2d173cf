"""``dateline export``: stored events as GDELT 2.0, POLECAT-style TSV, JSONL, CSV or Parquet.

Also home of the event filter options shared with ``dateline events``.
"""

from __future__ import annotations

import argparse
import sys

from ..store.events import EventFilters


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--actor", help="actor country (ISO alpha-3, e.g. USA) or name")
    g.add_argument("--recipient", help="recipient country (ISO alpha-3) or name")
    g.add_argument("--dyad", nargs=2, metavar=("A", "B"), help="events between two countries, either direction")
    g.add_argument("--type", help="PLOVER event type, e.g. CONSULT")
    g.add_argument("--mode", help="PLOVER mode, e.g. visit")
    g.add_argument("--quad-class", type=int, choices=(1, 2, 3, 4),
                   help="1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict")
    g.add_argument("--status", help="occurred, planned, negated or hypothetical")
    g.add_argument("--since", help="first event date (YYYY-MM-DD)")
    g.add_argument("--until", help="last event date (YYYY-MM-DD, YYYY-MM or YYYY)")
    g.add_argument("--place", help="country (ISO alpha-3) where the event happened")
    g.add_argument("--query", help="full-text query over the articles")
    g.add_argument("--article", type=int, help="events of one article id")


def filters_from_args(args) -> EventFilters:
    return EventFilters(
        actor=args.actor, recipient=args.recipient, dyad=tuple(args.dyad) if args.dyad else None,
        type=args.type, mode=args.mode, quad_class=args.quad_class, status=args.status, since=args.since,
        until=args.until, place=args.place, query=args.query, article_id=args.article,
    ).validate()


def cmd_export(args) -> int:
    from ..store import Store
    from .writer import export_events

    filters = filters_from_args(args)
    with Store(args.db, readonly=True) as store:
        if args.out == "-":
            report = export_events(store.conn, args.format, sys.stdout.buffer, filters)
            sys.stdout.buffer.flush()
        else:
            report = export_events(store.conn, args.format, args.out, filters)
    if args.json:
        import json

        stream = sys.stderr if args.out == "-" else sys.stdout
        stream.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        return 0
    stream = sys.stderr if args.out == "-" else sys.stdout
    where = "stdout" if args.out == "-" else report.path
    stream.write(f"{report.format}: {report.rows} rows from {report.events} events -> {where}\n")
    if report.skipped:
        reasons = ", ".join(f"{n} {r}" for r, n in sorted(report.skip_reasons.items()))
        stream.write(f"skipped {report.skipped} events ({reasons})\n")
    if report.message:
        stream.write(report.message + "\n")
    return 0


def register(subparsers, add_db_option, add_analysis_options) -> None:
    if "export" in subparsers.choices:  # registered already (events.cli registers it too)
        return
    from .writer import FORMATS

    p = subparsers.add_parser(
        "export", help="export stored events (GDELT 2.0 events/mentions, POLECAT TSV, JSONL, CSV, Parquet)",
        description="GDELT events have one row per world event (copies counted in NumMentions/NumArticles) and "
                    "GLOBALEVENTID = the lowest dateline event id of the world event; mentions join on it.")
    add_db_option(p)
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, help="output file, or - for stdout")
    p.add_argument("--json", action="store_true", help="print the export report as JSON")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_export)
