"""Places named in an article, resolved against the gazetteer.

``resolve_places(doc)`` reads a parsed article; ``lookup_place(name)`` reads one
phrase for the event coder ("to Beijing", "over the South China Sea", "off the
American coast"). Both return :class:`dateline.models.Place` records.

How a name is decided (see ``_score``):
- hand-written features (seas, regions) beat countries, which beat states and cities;
- among cities, a national capital and a larger population win; a name that only
  matches a city's alternate name counts a little less;
- the article decides ambiguous names: a candidate in the same US state as other
  places (Paris with Dallas -> Paris, Texas), in the country most places are in, or
  a US state when several other US states and cities are named (Georgia).
"""

from __future__ import annotations

from ..nlp import doc_text, is_doc, sentence_starts

import bisect
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from ..errors import InputError
from ..models import Place
from .places_index import (
    SOURCE_CITY,
    SOURCE_COUNTRY,
    SOURCE_FEATURE,
    SOURCE_STATE,
    Candidate,
    GazEntry,
    Gazetteer,
    get_gazetteer,
    place_key,
    population_score,
)
from .places_mentions import (
    MAX_NAME_CHARS,
    Mention,
    entity_mentions,
    longest_name,
    non_place_mask,
    phrases,
    relative_mentions,
    scan_mentions,
    select_mentions,
    trim_span,
)

log = logging.getLogger(__name__)

# Scores (see the module docstring). Only differences matter.
BASE_FEATURE = 100.0
BASE_COUNTRY = 60.0
BASE_STATE = 26.0
BASE_CITY = 20.0
CAPITAL_BONUS = 10.0
MAJOR_CITY_BONUS = 5.0  # >= 1M inhabitants: "New York" is the city before the state
MAJOR_CITY_POPULATION = 1_000_000
ALTERNATE_PENALTY = 3.0
CONTEXT_COUNTRY_WEIGHT = 8.0
CONTEXT_ADMIN1_BONUS = 25.0
CONTEXT_STATE_BONUS = 40.0

# ---------------------------------------------------------------------------- context


@dataclass
class _Context:
    """What the other places of an article say: which countries and US states it is about."""

    countries: Counter = field(default_factory=Counter)
    sub: Counter = field(default_factory=Counter)  # sub-national places per country (no capitals)
    admin1: Counter = field(default_factory=Counter)  # (country, US state code)
    total: int = 0

    def add(self, entry: GazEntry, sign: int = 1) -> None:
        if not entry.country:
            return
        self.countries[entry.country] += sign
        self.total += sign
        if entry.source in (SOURCE_CITY, SOURCE_STATE) and not entry.capital:
            self.sub[entry.country] += sign
        if entry.admin1:
            self.admin1[(entry.country, entry.admin1)] += sign

    def share(self, country: str | None) -> float:
        if not country or self.total <= 0:
            return 0.0
        return self.countries[country] / self.total


def _base_score(c: Candidate) -> float:
    e = c.entry
    if e.source == SOURCE_FEATURE:
        return BASE_FEATURE
    if e.source == SOURCE_COUNTRY:
        return BASE_COUNTRY + 0.1 * population_score(e.population)
    if e.source == SOURCE_STATE:
        return BASE_STATE
    score = BASE_CITY + population_score(e.population)
    if e.capital:
        score += CAPITAL_BONUS
    if e.population >= MAJOR_CITY_POPULATION:
        score += MAJOR_CITY_BONUS
    if c.alternate:
        score -= ALTERNATE_PENALTY
    return score


def _score(c: Candidate, cands: list[Candidate], ctx: _Context | None) -> float:
    score = _base_score(c)
    if ctx is None or ctx.total <= 0:
        return score
    e = c.entry
    share = ctx.share(e.country)
    score += CONTEXT_COUNTRY_WEIGHT * share
    if e.admin1 and ctx.admin1[(e.country, e.admin1)] > 0:
        score += CONTEXT_ADMIN1_BONUS
    if (
        e.source == SOURCE_STATE
        and ctx.sub[e.country] >= 2
        and share >= 0.5
        and not any(o.entry.country == e.country for o in cands if o is not c)
    ):
        # Georgia among Atlanta and Florida: other places of that country dominate.
        score += CONTEXT_STATE_BONUS
    return score


def _best(cands: list[Candidate], ctx: _Context | None = None) -> Candidate | None:
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    return max(cands, key=lambda c: (_score(c, cands, ctx), c.entry.population, -c.index))


def _context_from_list(context: list[str] | None, gaz: Gazetteer) -> _Context | None:
    """Context for ``lookup_place``: ISO alpha-3 codes and/or other place names of the article."""
    if not context:
        return None
    ctx = _Context()
    for item in context:
        if not isinstance(item, str) or not item.strip() or len(item) > MAX_NAME_CHARS:
            continue
        item = item.strip()
        if len(item) == 3 and item.isupper() and gaz.country(item):
            ctx.add(gaz.country(item))
            continue
        best = _best(gaz.candidates(item))
        if best:
            ctx.add(best.entry)
    return ctx if ctx.total else None


def _place(m: Mention, entry: GazEntry, sentence: int) -> Place:
    if m.frame:
        return Place(
            text=m.text,
            start=m.start,
            end=m.end,
            name=m.frame.template.format(name=entry.name),
            country=entry.country,
            lat=entry.lat,
            lon=entry.lon,
            geonames_id=None,
            feature=m.frame.feature,
            sentence=sentence,
        )
    return Place(
        text=m.text,
        start=m.start,
        end=m.end,
        name=entry.name,
        country=entry.country,
        lat=entry.lat,
        lon=entry.lon,
        geonames_id=entry.geonames_id,
        feature=entry.feature,
        sentence=sentence,
    )


_QUALIFIER_GAP = re.compile(r",\s{0,3}")
_LIST_GOES_ON = re.compile(r"['\u2019]s\b|\s*(?:,\s*)?(?:and|or)\s")


def _can_qualify(e: GazEntry) -> bool:
    return e.source in (SOURCE_STATE, SOURCE_COUNTRY) or (e.source == SOURCE_FEATURE and e.feature == "region")


def _qualifiers(cands: list[Candidate]) -> list[Candidate]:
    """What a name like "California", "France" or "Scotland" may stand for as a qualifier, best first."""
    out = [c for c in cands if c.entry.country and _can_qualify(c.entry)]
    return sorted(out, key=lambda c: -_score(c, cands, None))


def _narrow(cands: list[Candidate], qual_cands: list[Candidate]) -> tuple[list[Candidate], Candidate] | None:
    """The first reading of the qualifier that some candidate fits ("Columbus, Georgia" -> the
    state); else the best reading when it is a state or region (a town the gazetteer lacks)."""
    quals = _qualifiers(qual_cands)
    for q in quals:
        narrowed = _qualified(cands, q.entry)
        if narrowed:
            return narrowed, q
    if quals and quals[0].entry.source != SOURCE_COUNTRY:
        return [], quals[0]
    return None


def _qualified(cands: list[Candidate], q: GazEntry) -> list[Candidate]:
    if q.source == SOURCE_STATE:
        return [c for c in cands if c.entry.country == q.country and c.entry.admin1 == q.admin1]
    return [c for c in cands if c.entry.country == q.country]


def _unknown_place(text: str, q: GazEntry, index: int) -> Candidate:
    """A town the gazetteer lacks, placed only by its qualifier ("Woodside, California")."""
    entry = GazEntry(name=text, source=SOURCE_CITY, feature="place", country=q.country, lat=None, lon=None)
    entry.admin1 = q.admin1
    return Candidate(entry, index, False)


def _apply_qualifiers(mentions: list[Mention], text: str) -> None:
    """In "Paris, Texas" or "Wilmington, North Carolina" the second name narrows the first."""
    for m, nxt in pairwise(mentions):
        if m.frame or m.fixed or not _QUALIFIER_GAP.fullmatch(text, m.end, nxt.start):
            continue
        if all(c.entry.source != SOURCE_CITY for c in m.cands):
            continue
        if _LIST_GOES_ON.match(text, nxt.end):
            continue  # "Washington, Georgia's capital" or "Washington, China and Russia": a list
        found = _narrow(m.cands, nxt.cands)
        if found is None:
            continue  # e.g. a city of that name not in that country: more likely a list
        narrowed, q = found
        nxt.cands = [q]  # "Georgia" in "Columbus, Georgia" is the state
        m.cands = narrowed or [_unknown_place(m.text, q.entry, -1)]
        m.key = f"{m.key}\0{q.entry.country}:{q.entry.admin1 or ''}"
        nxt.key = f"{nxt.key}\0qualifier:{q.index}"
        m.fixed = not narrowed


def _decide(mentions: list[Mention]) -> dict[str, GazEntry]:
    """One entry per name: first without context, then again with the article's other places."""
    by_key: dict[str, list[Candidate]] = {}
    for m in mentions:
        by_key.setdefault(m.key, m.cands)
    first = {k: _best(c) for k, c in by_key.items()}
    ctx = _Context()
    for best in first.values():
        if best:
            ctx.add(best.entry)
    out: dict[str, GazEntry] = {}
    for key, cands in by_key.items():
        own = first[key]
        if own is None:
            continue
        if len(cands) > 1:
            ctx.add(own.entry, -1)  # a name is no evidence for itself
            own = _best(cands, ctx) or own
            ctx.add(first[key].entry, +1)
        out[key] = own.entry
    return out


def _sentence_starts(doc) -> list[int]:
    """Character offsets where sentences start; [0] when the doc has no sentence boundaries.

    Read through ``to_array`` because ``doc.sents`` builds a Token per word, which is
    slow on long documents.
    """
    return list(sentence_starts(doc)[1])


# ---------------------------------------------------------------------------- public API


def resolve_places(doc, published: str | None = None) -> list[Place]:
    """Every place the article names, in text order, with offsets into ``doc.text``.

    ``doc`` is a spaCy ``Doc`` from :func:`dateline.nlp.parse`. Places come from
    GPE/LOC/FAC entities that the gazetteer knows, from hand-written features that
    spaCy missed, and from relative phrases ("off the American coast" -> USA).
    ``published`` is accepted for a uniform stage signature; names are resolved
    against today's gazetteer whatever the date.
    """
    if not is_doc(doc):
        raise InputError(f"resolve_places needs a spaCy Doc, got {type(doc).__name__}")
    text = doc_text(doc)
    if not text.strip():
        return []
    gaz = get_gazetteer()
    non_place = non_place_mask(doc, len(text))
    mentions = entity_mentions(doc, text, gaz)
    mentions += [m for m in scan_mentions(text, gaz) if not non_place.overlaps(m.start, m.end)]
    mentions += relative_mentions(text, gaz)
    chosen = select_mentions(mentions, len(text))
    _apply_qualifiers(chosen, text)
    decided = _decide(chosen)
    starts = _sentence_starts(doc) if chosen else [0]
    places = []
    for m in chosen:
        entry = decided.get(m.key) if not m.fixed else m.cands[0].entry
        if entry is None:
            continue
        places.append(_place(m, entry, bisect.bisect_right(starts, m.start) - 1))
    return places


def lookup_place(name: str, context: list[str] | None = None) -> Place | None:
    """Resolve one place phrase: "Beijing", "to Beijing", "over the South China Sea",
    "off the American coast", "in northern Syria".

    ``context`` holds the article's other place names and/or ISO alpha-3 codes; it
    decides ambiguous names ("Paris" with ["Texas"]). Offsets in the returned Place
    are into ``name``; its text is the part that names the place (with "off"/"near"
    kept for relative phrases). Returns None when nothing in the phrase is a known place.
    """
    if not isinstance(name, str):
        raise InputError(f"lookup_place needs a string, got {type(name).__name__}")
    stripped = name.strip()
    if not stripped or len(stripped) > MAX_NAME_CHARS:
        log.debug("lookup_place: empty or over-long name (%d chars) skipped", len(stripped))
        return None
    gaz = get_gazetteer()
    ph = phrases()
    offset = name.index(stripped)
    text = stripped
    ctx = _context_from_list(context, gaz)

    # Relative phrases keep their preposition; plain ones lose it ("over the", "to").
    def strip_preps(s: str, keep_relative: bool) -> int:
        cut = 0
        while True:
            head, _, rest = s[cut:].partition(" ")
            word = head.lower()
            if rest and word in ph.prepositions and not (keep_relative and word in ph.relative):
                cut += len(head) + 1
                while cut < len(s) and s[cut] == " ":
                    cut += 1
                continue
            return cut

    cut = strip_preps(text, keep_relative=True)
    for m in relative_mentions(text[cut:], gaz, base=offset + cut, whole=True):
        entry = m.cands[0].entry if m.fixed else (_best(m.cands, ctx) or m.cands[0]).entry
        return _place(m, entry, 0)

    cut = strip_preps(text, keep_relative=False)
    rest = text[cut:]
    head, comma, tail = rest.partition(",")
    if comma and tail.strip():
        # "Woodside, California": a name qualified by its state or country.
        head_cands = [c for c in gaz.candidates(head) if c.entry.source == SOURCE_CITY]
        found = _narrow(head_cands, gaz.candidates(tail.strip())) if head_cands else None
        if found is not None:
            narrowed, q = found
            start, end = trim_span(name, offset + cut, offset + cut + len(head.rstrip()))
            mention = Mention(start, end, name[start:end], place_key(head), head_cands)
            best = _best(narrowed, ctx) if narrowed else _unknown_place(mention.text, q.entry, -1)
            return _place(mention, best.entry, 0)
    cands = gaz.candidates(rest)
    if cands:
        start, end = trim_span(name, offset + cut, offset + len(text))
        best = _best(cands, ctx)
        if best:
            return _place(Mention(start, end, name[start:end], place_key(rest), cands), best.entry, 0)
    for m in relative_mentions(rest, gaz, base=offset + cut, whole=True):
        return _place(m, (_best(m.cands, ctx) or m.cands[0]).entry, 0)
    # "in the waters off Taiwan", "the Taiwan Strait and the South China Sea":
    # the first capitalised run of words that starts with a known place.
    for m in phrases().name_run.finditer(rest):
        part, cands = longest_name(gaz, m.group(0))
        best = _best(cands, ctx)
        if best:
            start = offset + cut + m.start()
            mention = Mention(start, start + len(part), part, place_key(part), cands)
            return _place(mention, best.entry, 0)
    return None
