"""Cleanup and stamp patterns, loaded once from data/extract/*.yaml and compiled."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import DatelineError
from ..resources import load_yaml


@dataclass(frozen=True)
class CleanupPatterns:
    chrome: re.Pattern[str]
    teaser: re.Pattern[str]
    block_heading: re.Pattern[str]
    share_words: frozenset[str]
    prose_min_words: int
    sentence_end: re.Pattern[str]
    min_article_words: int
    byline: re.Pattern[str]
    byline_max_index: int
    strip_suffix: re.Pattern[str]  # searched at the end of a paragraph
    credit: re.Pattern[str]
    credit_tail: int


@dataclass(frozen=True)
class StampPatterns:
    prefix: re.Pattern[str]  # group "prefix" at the start of a paragraph
    prefix_kind: dict[str, str]  # lower-cased prefix -> published | updated | as_of
    months: dict[str, int]
    filler: frozenset[str]
    max_chars: int
    bare_max_index: int
    timezones: dict[str, str]


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _full(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(rf"(?:{_alternation(patterns)})", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def cleanup_patterns() -> CleanupPatterns:
    raw = load_yaml("extract", "cleanup.yaml")
    try:
        return CleanupPatterns(
            chrome=_full(raw["chrome_lines"]),
            teaser=_full(raw["teaser_lines"]),
            block_heading=_full(raw["block_headings"]),
            share_words=frozenset(str(w).lower() for w in raw["share_words"]),
            prose_min_words=int(raw["prose_min_words"]),
            sentence_end=re.compile(raw["sentence_end"]),
            min_article_words=int(raw["min_article_words"]),
            byline=re.compile(raw["byline"], re.IGNORECASE),
            byline_max_index=int(raw["byline_max_index"]),
            strip_suffix=re.compile(rf"(?:{_alternation(raw['strip_suffixes'])})$", re.IGNORECASE),
            credit=_full(raw["credit_lines"]),
            credit_tail=int(raw["credit_tail"]),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise DatelineError(f"data/extract/cleanup.yaml is malformed: {exc}") from exc


@functools.lru_cache(maxsize=1)
def stamp_patterns() -> StampPatterns:
    raw = load_yaml("extract", "stamps.yaml")
    try:
        kinds: dict[str, str] = {}
        for kind, words in raw["prefixes"].items():
            for word in words:
                kinds[str(word).lower()] = kind
        # Longest first so "last updated" wins over "updated".
        alts = sorted(kinds, key=len, reverse=True)
        prefix = re.compile(
            r"(?P<prefix>" + "|".join(re.escape(a) for a in alts) + r")\b\s*(?:on|at|am|le)?\s*:?\s*",
            re.IGNORECASE,
        )
        months = {str(name).lower(): int(num) for num, names in raw["months"].items() for name in names}
        return StampPatterns(
            prefix=prefix,
            prefix_kind=kinds,
            months=months,
            filler=frozenset(str(w).lower() for w in raw["filler"]),
            max_chars=int(raw["max_chars"]),
            bare_max_index=int(raw["bare_max_index"]),
            timezones={str(k).lower(): str(v) for k, v in raw["timezones"].items()},
        )
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise DatelineError(f"data/extract/stamps.yaml is malformed: {exc}") from exc
