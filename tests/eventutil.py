"""Coding one made-up sentence or paragraph, for the event tests."""

from __future__ import annotations

from dateline.models import Article, Event
from dateline.pipeline import Options, analyze_articles

PUBLISHED = "2023-03-10"


def code(text: str, published: str = PUBLISHED, options: Options | None = None) -> list[Event]:
    """The events dateline codes in ``text`` (default options: rules and classifier)."""
    [a] = analyze_articles([(Article(text=text, published=published), "t")], options or Options())
    return a.events


def rule_events(text: str, published: str = PUBLISHED) -> list[Event]:
    """Only the events a lexicon entry coded (the classifier's readings are combine.py's concern)."""
    return [e for e in code(text, published) if "matched entry" in (e.explain or "")]


def one(events: list[Event], type_: str, trigger: str | None = None) -> Event:
    """The first event of ``type_`` (whose trigger contains ``trigger``); fails listing what was coded."""
    hits = [e for e in events if e.type == type_ and (trigger is None or trigger in e.trigger)]
    assert hits, [(e.type, e.trigger) for e in events]
    return hits[0]
