"""Turning one matched candidate into a calendar period, given the reference date and tense.

Each rule returns a ``Resolved`` (a ``Period`` and the rule name that produced it)
or an ``Unresolved`` with the reason. Relative rules need a reference date;
absolute ones (a full date, a month with its year, a year) do not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import time_calendar as cal
from .time_calendar import Period
from .time_lexicon import TimeLexicon, lexicon
from .time_patterns import Candidate

PAST, PRESENT, FUTURE = "past", "present", "future"
NO_REFERENCE = "no reference date"


@dataclass(frozen=True)
class Resolved:
    period: Period
    rule: str


@dataclass(frozen=True)
class Unresolved:
    reason: str


Outcome = Resolved | Unresolved


class _NeedsReference(Exception):
    """Raised inside a rule that cannot go on without a reference date."""


@dataclass(frozen=True)
class Context:
    reference: datetime | None
    tense: str
    lex: TimeLexicon

    @property
    def today(self) -> date:
        if self.reference is None:
            raise _NeedsReference
        return self.reference.date()


# --- small helpers -------------------------------------------------------------------------------------


def _lower(value: str | None) -> str:
    return (value or "").lower().strip()


def _clock(g: dict[str, str | None]) -> tuple[int, int | None] | None:
    """Hour and minute from the time groups of a match (None when there is no valid time)."""
    if g.get("h") is not None:
        hour, minute, ap = int(g["h"]), int(g["mi"] or 0), g.get("ap")
    elif g.get("hh") is not None:
        hour, minute, ap = int(g["hh"]), None, g.get("ap2")
    elif g.get("hu") is not None:
        hour, minute, ap = int(g["hu"]), None, None
    else:
        return None
    if ap:
        if hour > 12 or hour == 0:
            return None
        pm = ap.lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
    if hour > 23:
        return None
    return hour, minute


def _with_clock(period: Period, g: dict[str, str | None]) -> Period:
    clock = _clock(g)
    if clock is None or period.start != period.end:
        return period
    return period.with_time(*clock)


def _count_range(n: str | None, unit_plural: bool, lex: TimeLexicon) -> tuple[int, int]:
    word = _lower(n)
    if not word:
        return (1, 1) if not unit_plural else lex.vague_counts[""]
    if word in lex.vague_counts:
        return lex.vague_counts[word]
    if word in lex.number_words:
        k = lex.number_words[word]
        return k, k
    k = int(word)
    return k, k


def _unit(raw: str | None) -> tuple[str, bool]:
    u = _lower(raw)
    plural = u.endswith("s")
    return (u[:-1] if plural else u), plural


def _pick_year(month: int, dom: int | None, ctx: Context) -> int:
    """Which year a month (or a day of it) given without a year means, by tense."""
    ref = ctx.today
    key = (month, dom or 1) if dom else (month, 0)
    ref_key = (ref.month, ref.day) if dom else (ref.month, 0)
    if ctx.tense == PAST:
        return ref.year if key <= ref_key else ref.year - 1
    if ctx.tense == FUTURE:
        return ref.year if key >= ref_key else ref.year + 1
    # Present: the nearest occurrence, this year on a tie.
    def distance(year: int) -> int:
        if dom:
            d = cal.valid_date(year, month, min(dom, 28 if month == 2 else dom))
            return abs(((d or date(year, month, 1)) - ref).days)
        return abs((year * 12 + month) - (ref.year * 12 + ref.month))

    return min((ref.year, ref.year - 1, ref.year + 1), key=distance)


def _segment(unit: str, base: Period, name: str, lex: TimeLexicon) -> Period:
    first, last = lex.segments[unit][name]
    if unit == "week":
        return cal.week_segment(base, first, last)
    if unit == "month":
        return cal.month_segment(base.start.year, base.start.month, first, last)
    return cal.year_segment(base.start.year, first, last)


def _mod_name(mod: str | None, lex: TimeLexicon) -> str | None:
    """Normalise "the end of", "Ende", "mid" ... to a segment name of the lexicon."""
    if not mod:
        return None
    if mod in lex.german_segments:
        return lex.german_segments[mod]
    m = _lower(mod)
    for prefix in ("the ",):
        m = m.removeprefix(prefix)
    m = m.removesuffix(" of")
    m = m.removesuffix(" in")
    return m


# --- rules ---------------------------------------------------------------------------------------------


def _absolute_day(y: int, m: int, d: int, g, rule: str) -> Outcome:
    day = cal.valid_date(y, m, d)
    if day is None:
        return Unresolved(f"not a calendar date ({y:04d}-{m:02d}-{d:02d})")
    return Resolved(_with_clock(cal.day(day), g), rule)


def iso_date(g, ctx: Context) -> Outcome:
    return _absolute_day(int(g["y"]), int(g["m"]), int(g["d"]), g, "iso_date")


def numeric_us_date(g, ctx: Context) -> Outcome:
    a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
    if y < 100:
        y += 2000
    # US order (month/day) unless the first number cannot be a month.
    month, dom = (b, a) if a > 12 >= b else (a, b)
    return _absolute_day(y, month, dom, g, "numeric_us_date")


def numeric_dotted_date(g, ctx: Context) -> Outcome:
    return _absolute_day(int(g["y"]), int(g["m"]), int(g["d"]), g, "numeric_dotted_date")


def _month_number(name: str | None, lex: TimeLexicon) -> int:
    return lex.months[(name or "").rstrip(".")]


def day_month(g, ctx: Context, rule: str = "day_month") -> Outcome:
    month, dom = _month_number(g["mon"], ctx.lex), int(g["d"])
    if not 1 <= dom <= 31:
        return Unresolved("day of month out of range")
    if g.get("y"):
        return _absolute_day(int(g["y"]), month, dom, g, rule)
    ref = ctx.today
    if g.get("wd"):
        # A weekday next to the date picks the year: the nearest one where they agree.
        wd = ctx.lex.weekdays[g["wd"]]
        for year in sorted((ref.year, ref.year - 1, ref.year + 1), key=lambda yy: abs(yy - ref.year)):
            d = cal.valid_date(year, month, dom)
            if d and d.isoweekday() == wd:
                return Resolved(_with_clock(cal.day(d), g), rule + "+weekday")
    return _absolute_day(_pick_year(month, dom, ctx), month, dom, g, rule + "+" + ctx.tense)


def month_day(g, ctx: Context) -> Outcome:
    return day_month(g, ctx, "month_day")


def month(g, ctx: Context) -> Outcome:
    lex = ctx.lex
    mon = _month_number(g["mon"], lex)
    rel = _lower(g.get("yrel"))
    if g.get("y"):
        year, how = int(g["y"]), "month_year"
    elif rel:
        year = ctx.today.year + {"last": -1, "this": 0, "next": 1}[rel]
        how = "month_relative_year"
    else:
        year, how = _pick_year(mon, None, ctx), "month+" + ctx.tense
    seg = _mod_name(g.get("mod"), lex)
    if seg:
        return Resolved(_segment("month", cal.whole_month(year, mon), seg, lex), f"{seg}_{how}")
    return Resolved(cal.whole_month(year, mon), how)


def year(g, ctx: Context) -> Outcome:
    y = int(g["y"])
    seg = _mod_name(g.get("mod"), ctx.lex)
    if seg:
        return Resolved(_segment("year", cal.whole_year(y), seg, ctx.lex), f"{seg}_year")
    return Resolved(cal.whole_year(y), "year")


def decade(g, ctx: Context) -> Outcome:
    start = int(g["decade"])
    return Resolved(Period(date(start, 1, 1), date(start + 9, 12, 31), "year"), "decade")


def weekday(g, ctx: Context) -> Outcome:
    wd = ctx.lex.weekdays[g["wd"]]
    ref = ctx.today
    rel = _lower(g.get("rel"))
    if rel in ("next", "coming"):
        d, how = cal.weekday_on_or_after(ref + timedelta(days=1), wd), "weekday_next"
    elif rel in ("last", "past", "previous"):
        d, how = cal.weekday_on_or_before(ref - timedelta(days=1), wd), "weekday_last"
    elif rel == "this":
        d, how = cal.week_of(ref).start + timedelta(days=wd - 1), "weekday_this_week"
    elif ctx.tense == PAST:
        # News style names today's weekday for things that happened today ("said on Wednesday").
        d, how = cal.weekday_on_or_before(ref, wd), "weekday+past"
    else:
        d, how = cal.weekday_on_or_after(ref, wd), "weekday+" + ctx.tense
    return Resolved(_with_clock(cal.day(d), g), how)


_DEICTIC_OFFSETS = {
    "today": 0, "tonight": 0, "earlier today": 0, "later today": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "heute": 0, "yesterday": -1, "last night": -1, "gestern": -1, "tomorrow": 1,
    "the day before yesterday": -2, "the day after tomorrow": 2,
}


def deictic_day(g, ctx: Context) -> Outcome:
    word = " ".join(_lower(g["deictic"]).split())
    d = ctx.today + timedelta(days=_DEICTIC_OFFSETS[word])
    return Resolved(_with_clock(cal.day(d), g), "deictic_" + word.replace(" ", "_"))


def _current(unit: str, ref: date) -> Period:
    if unit in ("week", "weekend"):
        return cal.week_of(ref)
    if unit == "month":
        return cal.whole_month(ref.year, ref.month)
    return cal.whole_year(ref.year)


def _neighbour(unit: str, base: Period, step: int) -> Period:
    if unit in ("week", "weekend"):
        return cal.week_of(base.start + timedelta(weeks=step))
    if unit == "month":
        y, m = cal.add_months(base.start.year, base.start.month, step)
        return cal.whole_month(y, m)
    return cal.whole_year(base.start.year + step)


def _weekend(week: Period) -> Period:
    return Period(week.start + timedelta(days=5), week.end, "day")


def relative_period(g, ctx: Context) -> Outcome:
    lex, ref = ctx.lex, ctx.today
    unit = _lower(g["unit"])
    step_unit = "week" if unit == "weekend" else unit
    rel, det = _lower(g.get("rel")), bool(g.get("det"))
    seg = _mod_name(g.get("mod"), lex)
    current = _current(unit, ref)
    if det and rel and not seg and unit != "weekend":
        # "the past week", "the coming month": a rolling stretch next to the reference day.
        if rel in ("past", "previous", "last"):
            return Resolved(Period(cal.shift(ref, step_unit, -1), ref - timedelta(days=1), "day"), "rolling_past_" + unit)
        if rel in ("coming", "following", "next"):
            return Resolved(Period(ref + timedelta(days=1), cal.shift(ref, step_unit, 1), "day"), "rolling_next_" + unit)
    if rel in ("last", "previous", "past"):
        base, how = _neighbour(unit, current, -1), "last_" + unit
    elif rel in ("next", "coming", "following"):
        base, how = _neighbour(unit, current, 1), "next_" + unit
    elif rel in ("this", "current"):
        base, how = current, "this_" + unit
    else:
        base, how = _tense_choice(unit, current, seg, ctx), f"the_{unit}+{ctx.tense}"
    if unit == "weekend":
        return Resolved(_weekend(base), how)
    if seg in ("earlier", "later"):
        if base != current:
            # "earlier last year" is the early part of last year.
            seg = "early" if seg == "earlier" else "late"
        else:
            part = (Period(base.start, ref - timedelta(days=1), "day") if seg == "earlier"
                    else Period(ref + timedelta(days=1), base.end, "day"))
            if part.end < part.start:
                return Unresolved(f"empty range ({seg} this {unit}, on its first or last day)")
            return Resolved(part, f"{seg}_{how}")
    if seg:
        joiner = "_of_" if seg in ("beginning", "start", "end", "middle") else "_"
        return Resolved(_segment(unit, base, seg, lex), f"{seg.replace(' ', '_')}{joiner}{how}")
    return Resolved(base, how)


def _tense_choice(unit: str, current: Period, seg: str | None, ctx: Context) -> Period:
    """"the end of the week" / "over the weekend" without last/this/next: this one or a neighbour, by tense."""
    ref = ctx.today
    if unit == "weekend":
        part = _weekend(current)
        if ctx.tense == PAST and part.start > ref:
            return _neighbour(unit, current, -1)
        return current
    if not seg or seg in ("earlier", "later"):
        return current
    part = _segment(unit, current, seg, ctx.lex)
    if ctx.tense == PAST and part.start > ref:
        return _neighbour(unit, current, -1)
    if ctx.tense == FUTURE and part.end < ref:
        return _neighbour(unit, current, 1)
    return current


def _shift_range(ref: date, unit: str, lo: int, hi: int, sign: int) -> Period:
    if unit == "day":
        a, b = ref + timedelta(days=sign * lo), ref + timedelta(days=sign * hi)
        return cal.day(a) if lo == hi else Period(min(a, b), max(a, b), "day")
    if unit == "week":
        if lo == hi:
            return cal.week_of(ref + timedelta(weeks=sign * lo))
        a, b = ref + timedelta(weeks=sign * lo), ref + timedelta(weeks=sign * hi)
        return Period(min(a, b), max(a, b), "day")
    if unit == "month":
        ma, mb = cal.shift_months(ref, sign * lo), cal.shift_months(ref, sign * hi)
        first, last = min(ma, mb), max(ma, mb)
        return Period(date(first.year, first.month, 1), cal.month_end(last.year, last.month), "month")
    ya, yb = ref.year + sign * lo, ref.year + sign * hi
    return Period(date(min(ya, yb), 1, 1), date(max(ya, yb), 12, 31), "year")


def ago(g, ctx: Context) -> Outcome:
    unit, plural = _unit(g["unit"])
    if unit in ("decade", "hour"):
        return Unresolved("vague (decades)" if unit == "decade" else "hours ago: below day precision")
    lo, hi = _count_range(g.get("n"), plural, ctx.lex)
    return Resolved(_shift_range(ctx.today, unit, lo, hi, -1), f"{unit}s_ago")


def span(g, ctx: Context) -> Outcome:
    unit, plural = _unit(g["unit"])
    if unit == "decade":
        return Unresolved("vague (decades)")
    direction = _lower(g["dir"])
    word = _lower(g.get("n")) or ("recent" if direction == "recent" else "")
    if word:
        hi = _count_range(word, plural, ctx.lex)[1]
    else:
        hi = ctx.lex.vague_counts[""][1] if plural else 1
    ref = ctx.reference
    if ref is None:
        raise _NeedsReference
    today = ref.date()
    backwards = direction in ("past", "last", "previous", "recent")
    if unit == "hour":
        far = ref - timedelta(hours=hi) if backwards else ref + timedelta(hours=hi)
        p = Period(min(far.date(), today), max(far.date(), today), "day")
    elif backwards:
        p = Period(cal.shift(today, unit, -hi), today - timedelta(days=1), "day")
    else:
        p = Period(today + timedelta(days=1), cal.shift(today, unit, hi), "day")
    return Resolved(p, ("past_" if backwards else "coming_") + unit + "s")


def within(g, ctx: Context) -> Outcome:
    unit, plural = _unit(g["unit"])
    if unit in ("decade", "hour"):
        return Unresolved("vague (decades)" if unit == "decade" else "below day precision")
    hi = _count_range(g.get("n"), plural, ctx.lex)[1]
    today = ctx.today
    return Resolved(Period(today, cal.shift(today, unit, hi), "day"), "within_" + unit + "s")


def in_n_units(g, ctx: Context) -> Outcome:
    unit, plural = _unit(g["unit"])
    if ctx.tense != FUTURE or unit in ("decade", "hour"):
        return Unresolved("duration, not a date (\"in N units\" outside a future clause)")
    lo, hi = _count_range(g.get("n"), plural, ctx.lex)
    if unit == "week" and lo == hi:
        # "in two weeks" points at a day, give or take; the week around it would overstate the doubt.
        return Resolved(cal.day(ctx.today + timedelta(weeks=lo)), "in_n_weeks")
    return Resolved(_shift_range(ctx.today, unit, lo, hi, +1), "in_n_" + unit + "s")


def _season_at(name: str, year: int, lex: TimeLexicon) -> Period:
    start_month, months = lex.seasons[name]
    return cal.season(year, start_month, months)


def season(g, ctx: Context) -> Outcome:
    lex = ctx.lex
    name = _lower(g["season"])
    rel = _lower(g.get("rel"))
    if g.get("y"):
        p, how = _season_at(name, int(g["y"]), lex), "season_year"
    else:
        ref = ctx.today
        around = [_season_at(name, y, lex) for y in (ref.year - 2, ref.year - 1, ref.year, ref.year + 1)]
        containing = [p for p in around if p.start <= ref <= p.end]
        if rel in ("last", "past"):
            p, how = [p for p in around if p.end < ref][-1], "last_season"
        elif rel in ("next", "coming"):
            p, how = next(p for p in around if p.start > ref), "next_season"
        elif rel == "this" or ctx.tense == PRESENT:
            # The season we are in, else the one of this calendar year still to come or just gone.
            if containing:
                p = containing[0]
            else:
                upcoming = next(p for p in around if p.start > ref)
                p = upcoming if upcoming.start.year == ref.year else [p for p in around if p.end < ref][-1]
            how = "this_season" if rel == "this" else "season+present"
        elif ctx.tense == PAST:
            p, how = [p for p in around if p.start <= ref][-1], "season+past"
        else:
            p, how = (containing or [p for p in around if p.start > ref])[0], "season+future"
    mod = _lower(g.get("mod"))
    if mod:
        _, months = lex.seasons[name]
        idx = {"early": 0, "mid": months // 2, "late": months - 1}[mod]
        y, m = cal.add_months(p.start.year, p.start.month, idx)
        return Resolved(Period(date(y, m, 1), cal.month_end(y, m), "month"), f"{mod}_{how}")
    return Resolved(p, how)


def clock_time(g, ctx: Context) -> Outcome:
    """A time on its own: on the reference day (find_times first tries a date in the same sentence)."""
    clock = _clock(g)
    if clock is None:
        return Unresolved("not a valid clock time")
    return Resolved(cal.day(ctx.today).with_time(*clock), "clock_time_on_reference_day")


def unresolved(g, ctx: Context) -> Outcome:
    return Unresolved(ctx.lex.unresolved[" ".join(_lower(g["vague"]).split())])


RESOLVERS = {
    "iso_date": iso_date, "numeric_us_date": numeric_us_date, "numeric_dotted_date": numeric_dotted_date,
    "day_month": day_month, "month_day": month_day, "month": month, "year": year, "decade": decade,
    "weekday": weekday, "deictic_day": deictic_day, "relative_period": relative_period, "ago": ago,
    "span": span, "within": within, "in_n_units": in_n_units, "season": season, "clock_time": clock_time,
    "unresolved": unresolved,
}


def _since(outcome: Outcome, ctx: Context) -> Outcome:
    """"since <anchor>": from the anchor's first day up to the reference day."""
    if not isinstance(outcome, Resolved):
        return outcome
    today = ctx.today
    if outcome.period.start > today:
        return Unresolved("since a date after the reference date")
    return Resolved(Period(outcome.period.start, today, "day"), "since_" + outcome.rule)


def resolve_candidate(cand: Candidate, reference: datetime | None, tense: str, lex: TimeLexicon | None = None) -> Outcome:
    lex = lex or lexicon()
    is_since = _lower(cand.groups.get("prep")) in lex.since_words
    ctx = Context(reference, PAST if is_since else tense, lex)
    try:
        outcome = RESOLVERS[cand.rule](cand.groups, ctx)
        return _since(outcome, ctx) if is_since else outcome
    except _NeedsReference:
        return Unresolved(NO_REFERENCE)
