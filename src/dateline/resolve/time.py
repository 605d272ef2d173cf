"""Time expressions in an article, resolved to calendar dates.

``find_times`` finds expressions ("on Friday", "in early February", "a few days
ago", "06/14/2023 4:04 p.m") and resolves each against the article's publication
date and the tense of its clause. ``resolve_expression`` does one expression.

Values: "YYYY-MM-DD" (a day), "YYYY-MM" (a month), "YYYY" (a year),
"YYYY-MM-DDTHH:MM" (a clock time), "YYYY-MM-DD/YYYY-MM-DD" (any other range).
``reason`` names the rule that resolved an expression, or says why it stayed
unresolved (value None): "no reference date", "vague (no bounded period)", ...
"""

from __future__ import annotations

from ..nlp import doc_text, sentence_starts

import bisect
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from ..errors import InputError
from ..models import TimeExpression
from .time_calendar import Period
from .time_patterns import Candidate, find_candidates
from .time_rules import FUTURE, PAST, PRESENT, Resolved, Unresolved, resolve_candidate
from .time_tense import Marker, nearest_tense, tense_from_doc, text_markers

log = logging.getLogger(__name__)

TENSES = (PAST, PRESENT, FUTURE)

# Rules whose value never depends on tense: skip the tense look-up for them.
_TENSE_FREE = {"iso_date", "numeric_us_date", "numeric_dotted_date", "year", "decade", "ago", "span", "within",
               "deictic_day", "unresolved"}

# How far around an expression the cheap tense guess looks (keeps long run-on text linear).
_WINDOW_BEFORE, _WINDOW_AFTER = 200, 120

_SENTENCE_BREAK = re.compile(r"[.!?]+[\"'”’)\]]*[ \t]+(?=[A-Z\"“‘(])|\n")
_ADJACENT_GAP = re.compile(r"[ \t,]{0,3}(?:(?:on|am|at)[ \t]{1,3})?")


@dataclass
class _Found:
    cand: Candidate
    sentence: int
    outcome: Resolved | Unresolved


def parse_reference(published: str | datetime | date | None) -> datetime | None:
    """The reference moment from a publication date; None (with a warning) when it cannot be read."""
    if published is None:
        return None
    if isinstance(published, datetime):
        return published
    if isinstance(published, date):
        return datetime(published.year, published.month, published.day)
    if not isinstance(published, str):
        raise InputError(f"published must be an ISO-8601 string or a datetime, not {type(published).__name__}")
    raw = published.strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        pass
    # Stamp lines like "06/14/2023 4:04 p.m" or "14.06.2023 16:04 Uhr": read them with our own rules.
    for cand in find_candidates(raw):
        out = resolve_candidate(cand, None, PRESENT)
        if isinstance(out, Resolved) and out.period.start == out.period.end:
            p = out.period
            return datetime(p.start.year, p.start.month, p.start.day, p.hour or 0, p.minute or 0)
    log.warning("could not read publication date %r; relative times stay unresolved", published)
    return None


def _sentence_starts_from_text(text: str) -> list[int]:
    starts = [0]
    for m in _SENTENCE_BREAK.finditer(text):
        starts.append(m.end())
    return starts


def _to_expression(text: str, start: int, end: int, sentence: int, outcome) -> TimeExpression:
    expr = TimeExpression(text=text[start:end], start=start, end=end, sentence=sentence)
    if isinstance(outcome, Resolved):
        p = outcome.period
        expr.value, expr.precision = p.value, p.precision
        expr.start_date, expr.end_date = p.start.isoformat(), p.end.isoformat()
        expr.reason = outcome.rule
    else:
        expr.reason = outcome.reason
    return expr


def find_times(text: str, published: str | datetime | None, doc=None) -> list[TimeExpression]:
    """Time expressions in ``text``, resolved against ``published`` and the tense of their clause.

    ``doc`` is an optional spaCy Doc of the same text; with it the tense comes from the
    parse and ``sentence`` is the sentence index, otherwise a cheap heuristic is used.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be a str, not {type(text).__name__}")
    if doc is not None and doc_text(doc) != text:
        raise InputError("the spaCy doc given to find_times is not of the same text")
    reference = parse_reference(published)
    if doc is not None:
        sent_starts = sentence_starts(doc)[1]
    else:
        sent_starts = _sentence_starts_from_text(text)

    markers: list[Marker] = []
    marker_starts: list[int] = []
    if doc is None:
        markers = text_markers(text)
        marker_starts = [m.start for m in markers]

    found: list[_Found] = []
    for cand in find_candidates(text):
        si = max(bisect.bisect_right(sent_starts, cand.start) - 1, 0)
        tense = PRESENT
        if cand.rule not in _TENSE_FREE:
            if doc is not None:
                tense = tense_from_doc(doc, cand.start, cand.end)
            else:
                lo = max(sent_starts[si], cand.start - _WINDOW_BEFORE)
                hi = sent_starts[si + 1] if si + 1 < len(sent_starts) else len(text)
                hi = min(hi, cand.end + _WINDOW_AFTER)
                tense = nearest_tense(markers, marker_starts, lo, hi, cand.start, cand.end)
        found.append(_Found(cand, si, resolve_candidate(cand, reference, tense)))

    out = _attach_clock_times(text, found)
    return [
        _to_expression(text, f.cand.start, f.cand.end, f.sentence if doc is not None else 0, f.outcome)
        for f in out
    ]


def _attach_clock_times(text: str, found: list[_Found]) -> list[_Found]:
    """A clock time on its own ("at 3 p.m.") takes the day of a date in its sentence.

    Right next to the date ("at 3 p.m. on Friday") the two become one expression;
    further away the time keeps its own span and borrows the date.
    """
    # Expressions naming one day, by position, so each clock time finds its neighbours by bisection.
    day_index = [
        j for j, g in enumerate(found)
        if isinstance(g.outcome, Resolved) and g.cand.rule != "clock_time"
        and g.outcome.period.start == g.outcome.period.end
    ]
    day_starts = [found[j].cand.start for j in day_index]
    result: list[_Found] = []
    skip: set[int] = set()
    for i, f in enumerate(found):
        if i in skip:
            continue
        if f.cand.rule != "clock_time" or not isinstance(f.outcome, Resolved):
            result.append(f)
            continue
        j = _nearest_day(found, day_starts, day_index, f)
        if j is None:
            result.append(f)
            continue
        g = found[j]
        p: Period = g.outcome.period
        if p.hour is not None:
            result.append(f)  # the date already has its own time
            continue
        timed = p.with_time(f.outcome.period.hour, f.outcome.period.minute)
        first, second = (f, g) if f.cand.start < g.cand.start else (g, f)
        gap = text[first.cand.end:second.cand.start]
        if _ADJACENT_GAP.fullmatch(gap):
            merged = Candidate(g.cand.rule, first.cand.start, second.cand.end, g.cand.groups, g.cand.priority)
            merged_f = _Found(merged, g.sentence, Resolved(timed, g.outcome.rule + "+clock_time"))
            if j < i:
                result = [r for r in result if r is not g]
            else:
                skip.add(j)
            result.append(merged_f)
        else:
            result.append(_Found(f.cand, f.sentence, Resolved(timed, "clock_time_on_" + g.outcome.rule)))
    result.sort(key=lambda r: r.cand.start)
    return result


def _nearest_day(found: list[_Found], day_starts: list[int], day_index: list[int], f: _Found) -> int | None:
    """Index in ``found`` of the one-day expression nearest to ``f`` in the same sentence."""
    k = bisect.bisect_left(day_starts, f.cand.start)
    options = [day_index[n] for n in (k - 1, k) if 0 <= n < len(day_index)]
    options = [j for j in options if found[j].sentence == f.sentence]
    if not options:
        return None
    return min(options, key=lambda j: abs(found[j].cand.start - f.cand.start))


def resolve_expression(expr: str, reference: datetime | str | None, tense: str = PRESENT) -> TimeExpression:
    """Resolve one expression (e.g. "on Friday") against ``reference`` in a clause of ``tense``.

    ``start``/``end`` of the result are offsets into ``expr`` of the part that was recognised.
    """
    if not isinstance(expr, str):
        raise InputError(f"expression must be a str, not {type(expr).__name__}")
    if tense not in TENSES:
        raise InputError(f"tense must be one of {', '.join(TENSES)}, not {tense!r}")
    ref = parse_reference(reference)
    cands = find_candidates(expr)
    if not cands:
        return TimeExpression(text=expr, start=0, end=len(expr), reason="not a recognised time expression")
    cand = max(cands, key=lambda c: c.length)
    return _to_expression(expr, cand.start, cand.end, 0, resolve_candidate(cand, ref, tense))
