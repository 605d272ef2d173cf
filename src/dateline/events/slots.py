"""Where an entry's recipient slots look in the parse (the ``recipient`` lists of the lexicon).

A slot names a place in the trigger's clause (``dobj``, ``prep:with``, ``ccomp_subj`` ...). Slots
prefixed ``act:`` are for statements about an act rather than about a party ("condemned the coup",
"praised the attack", "called for an end to the fighting"): the recipient is whoever did the act,
found by ``act_party`` (data/events/lexicon/arguments/act_nouns.yaml).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DatelineError
from ..models import Event, EventArgument
from ..resources import load_yaml
from . import syntax as sx
from .arguments import ArgMatch, DocIndex
from .lexicon import PLOVER_TYPES, grammar

if TYPE_CHECKING:
    from .match import Candidate

log = logging.getLogger(__name__)

# how far back "the attack" may look for the attack it refers to (events, not sentences)
ACT_LOOKBACK = 25
UNSCORED_STATUS = ("negated", "hypothetical")
# how far back (tokens) "the attack" looks for an earlier "attack by X" it repeats
ECHO_WINDOW = 400


@dataclass(frozen=True)
class ActNouns:
    """act_nouns.yaml: nouns that name an act, and what type of act."""

    types: dict[str, str]  # noun lemma -> PLOVER type
    framing: frozenset[str]  # "an end to X": the act is X
    generic: frozenset[str]  # "the decision": an act of no particular type


@functools.cache
def act_nouns() -> ActNouns:
    raw = load_yaml("events", "lexicon", "arguments", "act_nouns.yaml")
    try:
        types: dict[str, str] = {}
        for type_, nouns in raw["acts"].items():
            if type_ not in PLOVER_TYPES:
                raise DatelineError(f"act_nouns.yaml: {type_!r} is not a PLOVER type")
            for n in nouns:
                types.setdefault(str(n).lower(), type_)
        framing = frozenset(str(w).lower() for w in raw["framing_nouns"])
        generic = frozenset(str(w).lower() for w in raw["generic_acts"])
    except (KeyError, AttributeError, TypeError) as exc:
        raise DatelineError(f"act_nouns.yaml: missing or malformed section ({exc})") from exc
    both = sorted((framing | generic) & set(types)) + sorted(framing & generic)
    if both:
        raise DatelineError(f"act_nouns.yaml: nouns listed in more than one section: {both}")
    return ActNouns(types, framing, generic)


def _named_party(tok, idx: DocIndex, how: str) -> ArgMatch | None:
    """The doer an act phrase names itself: "Russia's invasion", "the attack by Hamas", "the Russian invasion"."""
    poss = sx.child(tok, "poss")
    if poss is not None:
        a = idx.actor_for(poss, f"{how}: owner of '{tok.text}'")
        if a is not None:
            return a
    for p, _, obj in sx.preps(tok):
        if p == "by":
            a = idx.actor_for(obj, f"{how}: 'by' object of '{tok.text}'")
            if a is not None:
                return a
    for c in sx.kids(tok):
        if c.dep_ in ("compound", "amod", "nmod") and c.ent_type_ in ("GPE", "NORP", "ORG"):
            a = idx.actor_for(c, f"{how}: '{c.text} {tok.text}'")
            if a is not None:
                return a
    return None


def _earlier_act(events: list[Event], types: set[str] | None, actor: EventArgument | None,
                 generic: bool) -> Event | None:
    for prev in reversed(events[-ACT_LOOKBACK:]):
        if prev.status in UNSCORED_STATUS or prev.actor is None or not prev.actor.country:
            continue
        if types is not None and prev.type not in types:
            continue
        if actor is not None and prev.actor.country == actor.country and (generic or prev.actor.name == actor.name):
            continue
        return prev
    return None


def _earlier_mention(tok, idx: DocIndex, how: str) -> ArgMatch | None:
    """'the attack' after 'the attack by Hamas on Israel': a definite act noun repeats the latest earlier
    phrase with the same noun that named its doer (nearer than any later act of the same family)."""
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in sx.kids(tok)):
        return None
    lem = sx.lemma(tok)
    doc = tok.doc
    lo = max(0, tok.i - ECHO_WINDOW)
    for i in range(tok.i - 1, lo - 1, -1):
        t = doc[i]
        if t.pos_ not in ("NOUN", "PROPN") or sx.lemma(t) != lem:
            continue
        named = _named_party(t, idx, f"{how}: '{tok.text}' repeats the earlier '{t.text}'")
        if named is not None:
            return named
    return None


def act_party(tok, idx: DocIndex, events: list[Event], actor: EventArgument | None, how: str,
              depth: int = 0) -> ArgMatch | None:
    """The party who did the act a noun phrase names, or None when ``tok`` names no act."""
    if tok is None or tok.pos_ not in ("NOUN", "PROPN") or depth > 2:
        return None
    an = act_nouns()
    lem = sx.lemma(tok)
    if lem in an.framing:
        for p, _, obj in sx.preps(tok):
            if p in ("to", "of", "on"):
                return act_party(obj, idx, events, actor, how, depth + 1)
        return None
    type_ = an.types.get(lem)
    if type_ is None and lem not in an.generic:
        return None
    named = _named_party(tok, idx, how)
    if named is not None:
        return named
    echoed = _earlier_mention(tok, idx, how)
    if echoed is not None:
        return echoed
    # "the attack": the latest act of that type reported earlier, by someone other than the speaker;
    # failing that, of the same family ("the maneuver" after a jet "forced" a plane away)
    conflict = grammar()["conflict_types"]
    families = [{type_}, set(conflict)] if type_ in conflict else [{type_}] if type_ else [None]
    for family in families:
        prev = _earlier_act(events, family, actor, generic=type_ is None)
        if prev is not None:
            return ArgMatch(prev.actor, f"{how}: '{tok.text}' -> doer of the earlier '{prev.trigger}'", tok.i)
    if type_ is None:
        return None  # "the decision" with nothing before it: nobody to name
    country = _scene(tok, idx, actor)
    if country is None:
        return None
    arg = EventArgument(text=tok.text, name=f"({lem} in {country})", country=country,
                        start=tok.idx, end=tok.idx + len(tok.text))
    return ArgMatch(arg, f"{how}: '{tok.text}' names no doer: the story's country {country}", tok.i)


def _scene(tok, idx: DocIndex, actor: EventArgument | None) -> str | None:
    """Where an act with no named doer happened: a place in the sentence that is not the speaker's own
    country ("France condemned the coup" says nothing of where the coup was), else the article's scene."""
    own = actor.country if actor is not None else None
    sent = tok.sent
    scenes = _scene_places(idx)
    for p in scenes:
        if p.country != own and sent.start_char <= p.start < sent.end_char:
            return p.country
    counts = Counter(p.country for p in scenes)
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None  # no single scene
    return top[0][0] if top[0][0] != own else None


def _scene_places(idx: DocIndex) -> list:
    """The article's places that are scenes, not parties named by a place ("France condemned ...")."""
    key = ("scene_places",)
    got = idx.memo.get(key)
    if got is None:
        got = []
        for p in idx.places:
            span = idx.doc.char_span(p.start, p.end, alignment_mode="expand") if p.country else None
            if span is not None and len(span) and not _names_a_party(span.root):
                got.append(p)
        idx.memo[key] = got
    return got


def _names_a_party(tok) -> bool:
    """Is a place word a party of the clause ("The EU and France condemned ...") rather than a scene?"""
    t = tok
    while t is not None and t.dep_ in ("conj", "compound", "appos") and t.head.i != t.i:
        t = t.head
    return t is not None and t.dep_ in ("nsubj", "nsubjpass", "poss", "dobj", "agent")


def _slot_tokens(cand: Candidate, where: str) -> list:
    """Tokens a plain slot name points at (``dobj``, ``prep:X``, ``obj_prep:X``)."""
    tok = cand.tok
    obj = sx.direct_object(tok) if cand.entry.kind != "noun" else None
    if where == "dobj":
        return sx.conjuncts(obj) if obj is not None else []
    if where == "subj":
        s = sx.subject(tok)
        return [s] if s is not None else []
    if where.startswith("prep:"):
        return sx.prep_objects(tok, {where[5:]})
    if where.startswith("obj_prep:"):
        return sx.prep_objects(obj, {where[9:]}) if obj is not None else []
    return []


def _act_slot(cand: Candidate, where: str, idx: DocIndex, events: list[Event],
              actor: EventArgument | None) -> ArgMatch | None:
    for t in _slot_tokens(cand, where):
        a = act_party(t, idx, events, actor, f"doer of the act in '{where}'")
        if a is not None:
            return a
    return None


def slot_argument(cand: Candidate, slot: str, idx: DocIndex, events: list[Event], actor: EventArgument | None):
    """The recipient a slot finds, or None."""
    tok = cand.tok
    if slot.startswith("act:"):
        return _act_slot(cand, slot[4:], idx, events, actor)
    if cand.entry.kind == "report" and slot == "subject_of_trigger":
        s = sx.subject(tok)
        return idx.actor_for(s, f"subject of reported '{tok.text}'") if s is not None else None
    obj = sx.direct_object(tok) if cand.entry.kind != "noun" else None
    if slot == "dobj":
        return idx.actor_for(obj, "object") if obj is not None else None
    if slot == "dative":
        d = sx.dative(tok)
        if d is not None and d.pos_ == "ADP":
            d = sx.child(d, "pobj")
        return idx.actor_for(d, "indirect object") if d is not None else None
    if slot.startswith("matched_prep:"):
        # "in contact with both sides": the party hangs off the matched preposition's object
        if cand.matched_prep is None:
            return None
        for obj2 in sx.prep_objects(cand.matched_prep, {slot.split(":", 1)[1]}):
            a = idx.actor_for(obj2, f"'{slot.split(':', 1)[1]}' object of '{cand.matched_prep.text}'")
            if a:
                return a
        return None
    if slot == "prep":
        return idx.actor_for(cand.matched_prep, "prepositional object") if cand.matched_prep is not None else None
    if slot.startswith("prep:"):
        want = slot[5:]
        for obj2 in sx.prep_objects(tok, {want}):
            a = idx.actor_for(obj2, f"'{want}' object")
            if a:
                return a
        return None
    if slot.startswith("obj_prep:"):
        if obj is None:
            return None
        for obj2 in sx.prep_objects(obj, {slot[9:]}):
            a = idx.actor_for(obj2, f"'{slot[9:]}' object of '{obj.text}'")
            if a:
                return a
        return None
    if slot == "obj_owner":
        return idx.owner_in(obj, f"owner inside object '{obj.text}'") if obj is not None else None
    if slot.startswith("prep_obj_owner:"):
        for obj2 in sx.prep_objects(tok, {slot.split(":", 1)[1]}):
            a = idx.owner_in(obj2, "owner inside prepositional object")
            if a:
                return a
        return None
    if slot == "ccomp_subj":
        c = sx.ccomp(tok)
        s = sx.subject(c) if c is not None else None
        return idx.actor_for(s, "subject of the complement clause") if s is not None else None
    if slot == "ccomp_obj":
        c = sx.ccomp(tok)
        o = sx.direct_object(c) if c is not None else None
        return idx.actor_for(o, "object of the complement clause") if o is not None else None
    if slot == "xcomp_obj":
        x = sx.xcomp(tok)
        o = sx.direct_object(x) if x is not None else None
        return idx.actor_for(o, f"object of '{x.text}'") if o is not None else None
    if slot.startswith("xcomp_prep:"):
        x = sx.xcomp(tok)
        if x is None:
            return None
        for obj2 in sx.prep_objects(x, {slot.split(":", 1)[1]}):
            a = idx.actor_for(obj2, f"object of '{x.text}'")
            if a:
                return a
        return None
    if slot == "scene_government":
        # a protest that names no target is against the government where it happens
        country = idx.scene_country(tok)
        if country is None:
            return None
        arg = EventArgument(text=tok.text, name=f"(government of {country})", country=country, sector="GOV",
                            start=tok.idx, end=tok.idx + len(tok.text))
        return ArgMatch(arg, f"no target named: the government of the story's country {country}", tok.i)
    if slot == "antecedent_actor":
        for prev in reversed(events[-6:]):
            if prev.actor is not None and actor is not None and prev.actor.country != actor.country:
                return ArgMatch(prev.actor, f"actor of the earlier '{prev.trigger}' this answers", tok.i)
        return None
    return None


def recipient_of(cand: Candidate, idx: DocIndex, events: list[Event], actor: EventArgument | None) -> ArgMatch | None:
    """The first slot of the entry's ``recipient`` list that finds a party other than the actor."""
    if cand.actor_verb is not None:
        # the one ordered to act is the one the act falls on ("ordered La Prensa to suspend publication")
        o = sx.direct_object(cand.actor_verb)
        r = idx.actor_for(o, f"object of '{cand.actor_verb.text}'") if o is not None else None
        if r is not None:
            return r
    for slot in cand.entry.recipient:
        r = slot_argument(cand, slot, idx, events, actor)
        if r is None:
            continue
        if actor is not None and r.arg.name == actor.name and r.arg.country == actor.country:
            continue
        return r
    return None
