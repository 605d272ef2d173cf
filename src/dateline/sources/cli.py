"""``dateline watch`` and ``dateline feeds``, and the fetch options ``dateline ingest`` shares.

Loaded by ``dateline.cli`` through ``register(subparsers, add_db_option, add_analysis_options)``.
"""

from __future__ import annotations

import argparse
import json
import sys

from dateline.errors import InputError


def _duration(text: str) -> float:
    from dateline.sources.ingest import parse_duration

    try:
        return parse_duration(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _delay(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the delay cannot be negative")
    return value


def add_fetch_options(p: argparse.ArgumentParser) -> None:
    """Flags for commands that fetch from the web (``ingest``, ``watch``)."""
    p.add_argument("--allow-private", action="store_true",
                   help="allow fetching from private, loopback and link-local addresses (off by default: SSRF guard)")
    p.add_argument("--user-agent", help="User-Agent header (default: dateline/VERSION with a project URL)")
    p.add_argument("--delay", type=_delay, default=None, metavar="SECONDS",
                   help="minimum seconds between two requests to the same host (default 1; robots.txt may ask more)")


def fetch_kwargs(args: argparse.Namespace) -> dict:
    """The keyword arguments of ``ingest_inputs`` / ``watch_feeds`` that the fetch flags set."""
    return {"allow_private": getattr(args, "allow_private", False), "user_agent": getattr(args, "user_agent", None),
            "delay": getattr(args, "delay", None)}


def add_ingest_options(p: argparse.ArgumentParser) -> None:
    """What ``dateline ingest`` needs beyond files: the fetch flags and a cap on pages per listing."""
    add_fetch_options(p)
    p.add_argument("--max-pages", type=int, default=None, metavar="N",
                   help="fetch at most N new pages per feed or sitemap (the rest come on the next run)")


def ingest_kwargs(args: argparse.Namespace) -> dict:
    """The keyword arguments of ``ingest_inputs`` that ``add_ingest_options`` flags set."""
    return {**fetch_kwargs(args), "max_pages": getattr(args, "max_pages", None)}


def _options(args):
    from dateline import cli as main_cli

    return main_cli.analysis_options(args)


def _cycle_printer(json_lines: bool):
    last = {"ok": 0, "failed": 0, "analysed": 0}

    def show(cycle) -> None:
        rep = cycle.report
        new = {"ok": rep.ok, "failed": rep.failed, "analysed": rep.analysed}
        delta = {k: new[k] - last[k] for k in new}
        last.update(new)
        if json_lines:
            sys.stdout.write(json.dumps({"cycle": cycle.cycle, "new_documents": cycle.new_documents,
                                         "stored": delta["ok"], "failed": delta["failed"],
                                         "analysed": delta["analysed"], "feeds_failing": cycle.feeds_failing}) + "\n")
        else:
            print(f"cycle {cycle.cycle}: {cycle.new_documents} new entries, {delta['ok']} stored,"
                  f" {delta['failed']} failed, {delta['analysed']} analysed"
                  + (f"; {cycle.feeds_failing} feeds failing" if cycle.feeds_failing else ""))
        sys.stdout.flush()

    return show


def cmd_watch(args) -> int:
    from dateline.sources.ingest import read_feed_list, watch_feeds
    from dateline.store import Store

    feeds = read_feed_list(args.feeds_file)
    options = None if args.no_analyze else _options(args)
    if not args.json:
        mode = "once" if args.once else f"every {args.every:g} s until stopped (Ctrl-C or SIGTERM)"
        print(f"watching {len(feeds)} feeds {mode}")
    with Store(args.db) as store:
        result = watch_feeds(feeds, store, every=args.every, once=args.once, analyze=not args.no_analyze,
                             options=options, install_signal_handlers=True,
                             on_cycle=_cycle_printer(args.json), **fetch_kwargs(args))
    rep = result.report
    if args.json:
        sys.stdout.write(json.dumps({"summary": result.to_dict()}, ensure_ascii=False) + "\n")
    else:
        print(f"stopped after {result.cycles} cycles: {result.polls} polls ({result.failed_polls} failed),"
              f" {rep.ok} articles stored, {rep.failed} failed, {rep.analysed} analysed")
        for item, reason in rep.failures[-20:]:
            print(f"  {item}: {reason}")
    return 0


def cmd_feeds(args) -> int:
    from dateline.store import Store
    from dateline.store.feeds import list_feed_states

    with Store(args.db) as store:
        rows = list_feed_states(store.conn)
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        print("no feeds yet (dateline watch FEEDS_FILE, or dateline ingest FEED_URL)")
    for row in rows:
        status = f"failing ({row['failures']}x: {row['last_error']})" if row["failures"] else "ok"
        print(f"{row['url']}\n    {row['title'] or '(no title)'}  language {row['language'] or '?'}  {status}")
        print(f"    polled {row['last_polled'] or 'never'}  new entries {row['last_new_at'] or 'never'}"
              f"  next {row['next_poll_at'] or 'now'}  entries seen {row['seen']}")
    return 0


def register(subparsers, add_db_option, add_analysis_options) -> None:
    p = subparsers.add_parser("watch", help="poll a list of feeds on a schedule and ingest new articles",
                              description="Poll the feeds listed in FEEDS_FILE (one URL per line, # comments) "
                                          "every --every, store and analyse new articles, until SIGINT/SIGTERM.")
    add_db_option(p)
    add_analysis_options(p)
    p.add_argument("feeds_file", metavar="FEEDS_FILE")
    p.add_argument("--every", type=_duration, default=_duration("15m"), metavar="DURATION",
                   help="time between polls of a feed: 30s, 15m, 1h ... (default 15m)")
    p.add_argument("--once", action="store_true", help="poll every feed once and exit")
    p.add_argument("--no-analyze", action="store_true", help="store only; analyse later with dateline reanalyze")
    p.add_argument("--json", action="store_true", help="one JSON line per cycle, then a summary line")
    add_fetch_options(p)
    p.set_defaults(func=cmd_watch)

    p = subparsers.add_parser("feeds", help="feeds known to the store and their polling state")
    add_db_option(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_feeds)
