"""Finding time-expression candidates in text: one regex per rule, longest match wins.

Every pattern is a sequence of literal-word alternations joined by bounded
whitespace, with no nested repetition, so scanning stays linear in the text
length (1 MB in one paragraph is fine). Names of months and weekdays are matched
case-sensitively (the verb "may" is not the month); function words are not.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .time_lexicon import TimeLexicon, alternation, lexicon

WS = r"[ \t\u00a0]{1,3}"
_UNITS = r"(?i:days?|weeks?|months?|years?|decades?|hours?)"


@dataclass(frozen=True)
class Rule:
    name: str
    regex: re.Pattern
    priority: int  # lower wins when two candidates have the same length


@dataclass
class Candidate:
    rule: str
    start: int
    end: int
    groups: dict[str, str | None]
    priority: int = 0

    @property
    def length(self) -> int:
        return self.end - self.start


def _ci(words) -> str:
    return f"(?i:{alternation(words)})"


def _time(suffix: str = "") -> str:
    """A clock time: "16:04", "4:04 p.m", "4 pm", "16 Uhr". ``suffix`` keeps group names unique."""
    ap = r"(?i:[ap]\.?[ ]?m\b\.?)"
    return (
        rf"(?:(?P<h{suffix}>[01]?\d|2[0-3]):(?P<mi{suffix}>[0-5]\d)(?::[0-5]\d)?"
        rf"(?:[ ]?(?P<ap{suffix}>{ap})|[ ]?Uhr\b)?"
        rf"|(?P<hh{suffix}>1[0-2]|0?[1-9])[ ]?(?P<ap2{suffix}>{ap})"
        rf"|(?P<hu{suffix}>[01]?\d|2[0-3])[ ]?Uhr\b)"
    )


def _time_suffix() -> str:
    # ", 4:04 p.m.", " at 3 p.m.", " um 16:04 Uhr", " 16:04"
    return rf"(?:,?{WS}(?:(?i:at|um|around|-|–){WS})?{_time()})?"


def _count(lex: TimeLexicon) -> str:
    words = [w for w in lex.vague_counts if w and w != "recent"] + list(lex.number_words)
    return rf"(?:{_ci(words)}|\d{{1,3}})"


def _build(lex: TimeLexicon) -> list[Rule]:
    prep = rf"(?:(?P<prep>{_ci(lex.prepositions)}){WS})?"
    month_full = alternation(lex.full_month_names)
    month_any = rf"(?:{month_full}|(?:{alternation(lex.month_abbreviations)})\b\.?)"
    weekday = alternation(lex.weekdays)
    parts = _ci(lex.parts_of_day)
    month_mod = (
        r"(?i:the (?:beginning|start|end|middle) of|the (?:first|second) half of|early|mid|late)"
        rf"|{alternation(lex.german_segments)}"
    )
    year = r"(?:1[89]\d{2}|2[01]\d{2})"
    time_sfx = _time_suffix()
    count = _count(lex)
    no_word_before = r"(?<![\w/.:-])"

    specs: list[tuple[str, str]] = [
        (
            "iso_date",
            (rf"{no_word_before}{prep}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})"
            r"(?:[T ](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w-])"),
        ),
        (
            "numeric_us_date",
            rf"{no_word_before}{prep}(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}}|\d{{2}})(?![\w/]){time_sfx}",
        ),
        (
            "numeric_dotted_date",
            rf"{no_word_before}{prep}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}})(?![\d]){time_sfx}",
        ),
        (
            "day_month",
            (rf"{no_word_before}{prep}(?:(?P<wd>{weekday}),?{WS})?(?:(?i:the){WS})?(?P<d>[0-3]?\d)"
            rf"(?:st|nd|rd|th|\.)?(?:{WS}(?i:of))?{WS}(?P<mon>{month_any})(?![\w])"
            rf"(?:,?{WS}(?P<y>{year})(?![\w]))?{time_sfx}"),
        ),
        (
            "month_day",
            (rf"{no_word_before}{prep}(?:(?P<wd>{weekday}),?{WS})?(?P<mon>{month_any}){WS}"
            rf"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?![\w:])(?:,?{WS}(?P<y>{year})(?![\w]))?{time_sfx}"),
        ),
        (
            "month",
            (rf"{no_word_before}{prep}(?:(?P<mod>{month_mod})(?:{WS}|-))?(?P<mon>{month_full})(?![\w])"
            rf"(?:,?{WS}(?P<y>{year})(?![\w])|{WS}(?:(?i:of){WS})?(?P<yrel>(?i:last|this|next)){WS}(?i:year)\b)?"),
        ),
        (
            "year",
            rf"{no_word_before}{prep}(?:(?P<mod>{month_mod})(?:{WS}|-))?(?P<y>{year})(?![\w-]|[.,]\d|{WS}(?:%|(?i:percent)))",
        ),
        ("decade", rf"{no_word_before}{prep}(?i:the){WS}(?P<decade>1[89]\d0|20\d0)s\b"),
        (
            "span",
            (rf"{no_word_before}(?:(?P<prep>(?i:in|over|during|within|for)){WS})?(?:(?P<det>(?i:the)){WS})?"
            rf"(?P<dir>(?i:past|last|previous|coming|next|following|recent|upcoming)){WS}(?:(?P<n>{count}){WS})?"
            rf"(?P<unit>{_UNITS})\b"),
        ),
        (
            "within",
            rf"{no_word_before}(?i:within){WS}(?:(?i:the next){WS})?(?P<n>{count}){WS}(?P<unit>{_UNITS})\b",
        ),
        ("in_n_units", rf"{no_word_before}(?i:in){WS}(?P<n>{count}){WS}(?P<unit>{_UNITS})\b(?!{WS}(?i:ago))"),
        (
            "ago",
            rf"{no_word_before}(?:(?P<n>{count}){WS})?(?P<unit>{_UNITS}){WS}(?i:ago)\b",
        ),
        (
            "weekday",
            (rf"{no_word_before}{prep}(?:(?P<rel>(?i:next|last|this|coming|past|previous)){WS})?(?P<wd>{weekday})\b"
            rf"(?:{WS}(?P<pod>{parts})\b)?{time_sfx}"),
        ),
        (
            "deictic_day",
            (rf"{no_word_before}(?P<deictic>(?i:the day before yesterday|the day after tomorrow|(?:earlier|later) today"
            rf"|today|yesterday|tomorrow|tonight|this (?:morning|afternoon|evening)|last night|heute|gestern))\b"
            rf"(?:{WS}(?P<pod>{parts})\b)?{time_sfx}"),
        ),
        (
            "relative_period",
            (rf"{no_word_before}{prep}(?:(?P<mod>(?i:the (?:beginning|start|end|middle) of|the (?:first|second) half of"
            rf"|early|mid|late|(?:earlier|later)(?: in)?))(?:{WS}|-))?(?:(?P<det>(?i:the)){WS})?"
            rf"(?:(?P<rel>(?i:last|this|next|past|previous|coming|current|following)){WS})?"
            rf"(?P<unit>(?i:week|month|year|weekend))\b(?!-)"),
        ),
        (
            "season",
            (rf"{no_word_before}{prep}(?:(?P<det>(?i:the)){WS})?(?:(?P<mod>(?i:early|mid|late))(?:{WS}|-))?"
            rf"(?:(?P<rel>(?i:last|this|next|coming|past)){WS})?(?P<season>{_ci(lex.seasons)})\b"
            rf"(?:(?:{WS}(?i:of))?{WS}(?P<y>{year})(?![\w]))?"),
        ),
        ("clock_time", rf"(?<![\w:./-])(?:(?P<prep>(?i:at|um|around|by)){WS})?{_time()}(?![\w:])"),
        ("unresolved", rf"{no_word_before}(?P<vague>{_ci(lex.unresolved)})\b"),
    ]
    # Fixed phrases that say "don't resolve me" win ties; then the more specific rules.
    order = ["unresolved", "span", "within", "iso_date", "numeric_us_date", "numeric_dotted_date", "day_month",
             "month_day", "month", "year", "decade", "ago", "in_n_units", "weekday", "deictic_day",
             "relative_period", "season", "clock_time"]
    return [Rule(name, re.compile(rx), order.index(name)) for name, rx in specs]


@functools.lru_cache(maxsize=1)
def rules() -> list[Rule]:
    return _build(lexicon())


# Every expression contains one of these anchors; the rule regexes only run near one.
# Prefixes ("since the beginning of the") reach at most this far before an anchor,
# suffixes (", 2023 at 4:04 p.m.") at most this far after it.
_REACH_BEFORE, _REACH_AFTER = 70, 90


@functools.lru_cache(maxsize=1)
def _anchor_words() -> frozenset[str]:
    lex = lexicon()
    words = set(lex.months) | set(lex.weekdays) | set(lex.seasons) | {
        w for phrase in lex.unresolved for w in phrase.split()[-1:]
    } | {
        "day", "days", "week", "weeks", "weekend", "month", "months", "year", "years", "decade", "decades",
        "hour", "hours", "today", "yesterday", "tomorrow", "tonight", "morning", "afternoon", "evening", "night",
        "heute", "gestern", "anfang", "mitte", "ende",
    }
    return frozenset(w.lower() for w in words)


# Words and digit runs; a set look-up per word is much cheaper than a big case-insensitive alternation.
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def _windows(text: str) -> list[tuple[int, int]]:
    anchors = _anchor_words()
    spans: list[tuple[int, int]] = []
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if not (tok[0].isdigit() or tok.lower() in anchors):
            continue
        lo, hi = max(0, m.start() - _REACH_BEFORE), min(len(text), m.end() + _REACH_AFTER)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


def _plausible(rule: str, g: dict[str, str | None], lex: TimeLexicon) -> bool:
    """Reject matches that are shaped like a time expression but usually are not one."""
    prep, mod = g.get("prep"), g.get("mod")
    if rule == "month":
        mon = g["mon"] or ""
        return bool(prep or mod or g.get("y") or g.get("yrel")) or mon not in lex.ambiguous_months
    if rule == "year":
        return bool(prep or mod)
    if rule == "span":
        d = (g["dir"] or "").lower()
        return d in ("recent", "upcoming") or bool(g.get("det"))
    if rule == "relative_period":
        if g.get("rel"):
            return True
        # Without last/this/next, "the week/month/year" needs a part ("the end of the week");
        # "the weekend" needs a preposition ("over the weekend").
        if (g["unit"] or "").lower() == "weekend":
            return bool(g.get("det") and (prep or mod))
        return bool(g.get("det") and mod)
    if rule == "season":
        if g.get("y") or g.get("rel"):
            return True
        if (g["season"] or "").lower() == "fall":
            return bool(prep and (g.get("det") or mod))
        return bool(prep or mod)
    if rule == "clock_time":
        return bool(prep or g.get("ap") or g.get("ap2") or g.get("hu") or g.get("mi"))
    return True


def find_candidates(text: str) -> list[Candidate]:
    """All non-overlapping candidates in ``text``, in order; longest first, then rule priority."""
    lex = lexicon()
    found: list[Candidate] = []
    for lo, hi in _windows(text):
        # pos/endpos rather than slicing: look-behinds still see the text before the window.
        for rule in rules():
            for m in rule.regex.finditer(text, lo, hi):
                if m.end() == m.start():
                    continue
                groups = m.groupdict()
                if _plausible(rule.name, groups, lex):
                    found.append(Candidate(rule.name, m.start(), m.end(), groups, rule.priority))
    found.sort(key=lambda c: (-c.length, c.priority, c.start))
    taken: set[int] = set()  # character positions already covered; candidates are short
    kept: list[Candidate] = []
    for cand in found:
        if any(i in taken for i in range(cand.start, cand.end)):
            continue
        taken.update(range(cand.start, cand.end))
        kept.append(cand)
    kept.sort(key=lambda c: c.start)
    return kept
