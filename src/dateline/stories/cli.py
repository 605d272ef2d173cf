"""``dateline stories``, ``dateline story ID``, ``dateline related ARTICLE_ID``: thin shells over ``dateline.stories``."""

from __future__ import annotations

import json
import sys
from typing import Any


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def _open(args, *, readonly: bool):
    from ..store import Store

    return Store(args.db, readonly=readonly)


def _copy_note(a: dict) -> str:
    if a.get("duplicate_of"):
        return f"  [copy of {a['duplicate_of']}]"
    if a.get("translation_of"):
        return f"  [translation of {a['translation_of']}]"
    return ""


def cmd_stories(args) -> int:
    from . import list_stories, update_stories

    with _open(args, readonly=args.no_update) as store:
        if not args.no_update:
            update_stories(store)
        stories = list_stories(store, since=args.since, limit=args.limit, min_articles=args.min_articles)
    if args.json:
        _print_json([{"id": s["id"], "title": s["title"],
                      "articles": [{k: a[k] for k in ("id", "url", "canonical_url", "title", "published",
                                                      "duplicate_of", "translation_of")} for a in s["articles"]]}
                     for s in stories])
        return 0
    for s in stories:
        print(f"{s['id']:>6}  {(s['last_published'] or '')[:10]:<10}  {s['article_count']:>3} art.  {s['title'] or ''}")
    return 0


def cmd_story(args) -> int:
    from . import get_story

    with _open(args, readonly=True) as store:
        story = get_story(store, args.id)
    if args.json:
        _print_json(story)
        return 0
    print(f"story {story['id']}: {story['title'] or '(no title)'}")
    print(f"{story['first_published']} .. {story['last_published']}  {story['article_count']} articles,"
          f" {story['independent_reports']} independent")
    for a in story["articles"]:
        print(f"  {a['id']:>6}  {(a['published'] or '')[:16]:<16}  {a['title'] or ''}{_copy_note(a)}")
    if story["world_events"]:
        print("world events:")
        for w in story["world_events"]:
            print(f"  {w['id']:>6}  {w['type']:<10} {w['actor_country'] or '?'}->{w['recipient_country'] or '-':<4}"
                  f" {w['date_start']}  {w['source_count']} sources, {w['mention_count']} mentions")
    if story["related_stories"]:
        print("related stories:")
        for r in story["related_stories"]:
            print(f"  {r['id']:>6}  {r['title'] or ''}")
    return 0


def cmd_related(args) -> int:
    from . import related_articles

    with _open(args, readonly=True) as store:
        rel = related_articles(store, args.id, limit=args.limit)
    if args.json:
        _print_json(rel)
        return 0
    for label, key in (("copies", "copies"), ("same story", "same_story"), ("other stories", "other_stories")):
        if rel[key]:
            print(f"{label}:")
            for a in rel[key]:
                print(f"  {a['id']:>6}  {(a['published'] or '')[:10]:<10}  {a['title'] or ''}")
    return 0


def register(sub, add_db_option, add_analysis_options) -> None:
    p = sub.add_parser("stories", help="stories: articles grouped by the news story they tell")
    add_db_option(p)
    p.add_argument("--since", help="only stories active on or after this date (YYYY-MM-DD)")
    p.add_argument("--limit", type=int)
    p.add_argument("--min-articles", type=int, default=1)
    p.add_argument("--no-update", action="store_true",
                   help="read only: do not first place articles that have no story yet")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser("story", help="one story: its articles, copies, world events, related stories")
    add_db_option(p)
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_story)

    p = sub.add_parser("related", help="articles related to one article (copies, same story, other stories)")
    add_db_option(p)
    p.add_argument("id", type=int)
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_related)
