"""``dateline batch`` (inputs -> Parquet lake) and ``dateline load`` (lake -> SQLite store)."""

from __future__ import annotations

import argparse
import json
import sys


def cmd_batch(args) -> int:
    from ..cli import _options
    from .runner import run_batch

    report = run_batch(args.inputs, args.out, engine=args.engine, workers=args.workers, address=args.address,
                       batch_size=args.batch_size, options=_options(args), progress=not args.quiet)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print(f"batch ({report.engine}, {report.workers} workers): {report.articles} articles,"
              f" {report.events} events from {report.documents} documents in {report.units} new batches;"
              f" {report.failed} failed; {report.articles_per_second:.2f} articles/s")
        if report.inputs_already_done:
            print(f"{report.inputs_already_done} inputs were already in the lake and were skipped")
        for f in report.failures[:10]:
            print(f"  {f[0]}: {f[1]}")
        print(f"lake: {args.out}")
    return 0 if report.articles or not report.failed else 1


def cmd_load(args) -> int:
    from ..store import Store
    from .load import load_lake

    with Store(args.db) as store:
        report = load_lake(args.lake, store, stories=not args.no_stories)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        print(f"loaded {report.added} articles ({report.duplicates} already in the store), {report.events} events"
              f" into {args.db}" + (f"; stories: {report.stories}" if report.stories else ""))
    return 0


def register(subparsers, add_db_option, add_analysis_options) -> None:
    from .runner import DEFAULT_BATCH_SIZE

    p: argparse.ArgumentParser = subparsers.add_parser(
        "batch", help="analyse WARC files, folders and JSONL into a Parquet lake (process pool or Ray Data)")
    add_analysis_options(p)
    p.add_argument("inputs", nargs="+", help="WARC (.warc, .warc.gz), JSONL, folders or files")
    p.add_argument("--out", required=True, help="lake folder (created; rerunning resumes it)")
    p.add_argument("--engine", choices=("local", "ray"), default="local")
    p.add_argument("--address", help="Ray cluster address (ray://host:10001); default: a local Ray")
    p.add_argument("--workers", type=int, default=1, help="worker processes / Ray actors (default 1; 0 = in this process, local engine)")
    p.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                   help=f"documents per batch (default {DEFAULT_BATCH_SIZE}; fixed for a lake once written)")
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_batch)

    p = subparsers.add_parser("load", help="bring a Parquet lake into the SQLite store (then update stories)")
    add_db_option(p)
    p.add_argument("lake", help="lake folder written by 'dateline batch'")
    p.add_argument("--no-stories", action="store_true", help="do not update stories and world events afterwards")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_load)
