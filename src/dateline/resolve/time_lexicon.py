"""The time normaliser's word lists (data/time/lexicon.yaml), checked and indexed once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..errors import DatelineError
from ..resources import load_yaml

LEXICON_FILE = ("time", "lexicon.yaml")


@dataclass(frozen=True)
class TimeLexicon:
    months: dict[str, int]  # name or abbreviation -> month number
    full_month_names: tuple[str, ...]
    month_abbreviations: tuple[str, ...]
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]  # name -> ISO weekday
    prepositions: tuple[str, ...]
    since_words: frozenset[str]
    parts_of_day: tuple[str, ...]
    number_words: dict[str, int]
    vague_counts: dict[str, tuple[int, int]]
    segments: dict[str, dict[str, tuple[int, int]]]
    german_segments: dict[str, str]
    seasons: dict[str, tuple[int, int]]  # name -> (start month, months)
    unresolved: dict[str, str]


def alternation(words) -> str:
    """A regex alternation of literal words, longest first so "a few" wins over "a"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _pairs(raw: dict, what: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for number, names in raw.items():
        for name in names:
            out[str(name)] = int(number)
    if not out:
        raise DatelineError(f"time lexicon: section '{what}' is empty")
    return out


def _strings(items, what: str) -> list[str]:
    # YAML reads bare on/off/yes/no as booleans; a word list must hold strings only.
    bad = [i for i in items if not isinstance(i, str)]
    if bad:
        raise DatelineError(f"time lexicon: section '{what}' has non-string entries {bad!r} (quote them)")
    return list(items)


@functools.lru_cache(maxsize=1)
def lexicon() -> TimeLexicon:
    raw = load_yaml(*LEXICON_FILE)
    try:
        full = _pairs(raw["months"], "months")
        abbr = _pairs(raw["month_abbreviations"], "month_abbreviations")
        weekdays = _pairs(raw["weekdays"], "weekdays")
        if sorted(set(full.values())) != list(range(1, 13)) or sorted(set(weekdays.values())) != list(range(1, 8)):
            raise DatelineError("time lexicon: months must cover 1-12 and weekdays 1-7")
        segments = {
            unit: {name: (int(a), int(b)) for name, (a, b) in table.items()}
            for unit, table in raw["segments"].items()
        }
        return TimeLexicon(
            months={**abbr, **full},
            full_month_names=tuple(full),
            month_abbreviations=tuple(abbr),
            ambiguous_months=frozenset(raw.get("ambiguous_months") or ()),
            weekdays=weekdays,
            prepositions=tuple(_strings(raw["prepositions"], "prepositions")),
            since_words=frozenset(w.lower() for w in raw["since_words"]),
            parts_of_day=tuple(_strings(raw["parts_of_day"], "parts_of_day")),
            number_words={str(k).lower(): int(v) for k, v in raw["number_words"].items()},
            vague_counts={str(k).lower(): (int(a), int(b)) for k, (a, b) in raw["vague_counts"].items()},
            segments=segments,
            german_segments=dict(raw["german_segments"]),
            seasons={k: (int(v["start_month"]), int(v["months"])) for k, v in raw["seasons"].items()},
            unresolved={str(k).lower(): str(v) for k, v in raw["unresolved"].items()},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DatelineError(f"time lexicon data/time/lexicon.yaml is malformed: {exc!r}") from exc
