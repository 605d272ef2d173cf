"""Does a lexicon entry fire on a token? Each constraint is checked against the parse."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..errors import DatelineError
from ..resources import load_yaml
from . import syntax as sx
from .arguments import DocIndex
from .lexicon import Entry, Lexicon, grammar, word_classes
from .status import abstract_adversaries

CIVILIAN_SECTORS = {"CVL", "OPP", "LAB", "EDU", "REL", "NGO", "MED"}
STATE_SECTORS = {"GOV", "MIL", "POL", "JUD", "LEG"}
ARMED_SECTORS = {"MIL", "REB", "POL", "INS"}


@dataclass
class Candidate:
    tok: object  # the trigger token
    entry: Entry
    trigger_toks: list  # tokens that make up the trigger text ("leave for", "shot down")
    matched_prep: object | None = None  # the preposition object a required `prep` found
    report_verb: object | None = None  # for report entries: the speech verb
    actor_verb: object | None = None  # "X ordered Y to ...": the verb whose subject is the actor

    @property
    def i(self) -> int:
        return self.tok.i


# Heads that only measure or frame what follows them: "tons of food aid", "part of a program",
# "a state of emergency", "a mediation effort" — the real object is the 'of' object or the modifier.
MEASURE_HEADS = {"ton", "tonne", "million", "billion", "thousand", "hundred", "dozen", "dollar", "kind", "lot",
                 "number", "package", "shipment", "batch", "consignment", "part", "amount", "series", "day", "week",
                 "month", "state", "round", "wave", "string", "set", "host", "range", "bulk", "portion", "type"}
FRAME_HEADS = {"effort", "bid", "attempt", "mission", "process", "operation", "campaign", "initiative", "plan",
               "program", "programme", "drive", "package", "project", "force", "team"}


# verbs whose complement (dep attr) stands where other verbs have their object
LINKING_VERBS = frozenset({"become"})


def _obj_lemmas(obj) -> set[str]:
    if obj is None:
        return set()
    out = _np_lemmas(obj)
    for c in sx.kids(obj):
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN"):
            out |= _np_lemmas(c)
    return out


def _np_lemmas(obj) -> set[str]:
    out = {sx.lemma(obj), obj.lower_}
    if sx.lemma(obj) in MEASURE_HEADS:
        for p, _, pobj in sx.preps(obj):
            if p == "of":
                out |= {sx.lemma(pobj), pobj.lower_}
                out |= {sx.lemma(c) for c in sx.kids(pobj) if c.dep_ in ("compound",)}
    if sx.lemma(obj) in FRAME_HEADS:
        out |= {sx.lemma(c) for c in sx.kids(obj) if c.dep_ in ("compound", "amod")}
    # "war games", "hunger strike": the compound modifier joined with the head
    for c in sx.kids(obj):
        if c.dep_ in ("compound", "amod") and c.i == obj.i - 1:
            out.add(f"{sx.lemma(c)} {sx.lemma(obj)}")
    return out


@functools.cache
def _class(name: str) -> frozenset[str]:
    return frozenset(word_classes().get(name, []))


@functools.cache
def conflict_lemmas() -> frozenset[str]:
    from .lexicon import load_lexicon

    out = set()
    for entries in load_lexicon().verbs.values():
        for e in entries:
            if e.type in ("ASSAULT", "COERCE", "SANCTION", "MOBILIZE"):
                out |= e.lemmas
    out |= {"war", "fight", "retaliate", "retaliation", "attack", "blow", "violence", "bomb", "destroy", "crush",
            "invade", "kill", "shell", "strike", "offensive"}
    out -= {"hold", "take", "put", "place", "make", "give", "send", "move", "call", "open", "end", "set", "keep",
            "launch", "begin", "start", "order", "declare", "announce", "impose", "stop", "cut"}
    return frozenset(out)


def is_civilian(tok, idx: DocIndex) -> bool:
    if tok is None:
        return False
    a = idx.actor_for(tok, "subject")
    if a is not None and a.arg.sector in STATE_SECTORS:
        return False
    if sx.lemma(tok) in _class("civilians") or (a is not None and a.arg.sector in CIVILIAN_SECTORS):
        return True
    # "ethnic Albanians", "Palestinians": a plural nationality noun is people, not a state
    return tok.tag_ in ("NNPS", "NNS") and tok.ent_type_ == "NORP"


def is_armed(tok, idx: DocIndex) -> bool:
    if tok is None:
        return False
    if sx.lemma(tok) in _class("armed"):
        return True
    a = idx.actor_for(tok, "subject")
    return a is not None and a.arg.sector in ARMED_SECTORS


def complement(tok):
    return sx.xcomp(tok) or sx.ccomp(tok) or next(
        (obj for p, _, obj in sx.preps(tok) if p in ("to", "of", "on") and obj.pos_ in ("VERB", "AUX")), None
    )


def conflict_in(comp) -> bool:
    """Does a complement clause name a conflict act? Fighting a problem ("to fight hunger and
    poverty", "a war on drugs") is not one (not_events.yaml abstract_adversaries)."""
    abstract = abstract_adversaries()
    conflict = conflict_lemmas()
    for t in sx.subtree(comp):
        if sx.lemma(t) not in conflict:
            continue
        targets = [o for c in sx.kids(t) if c.dep_ in ("dobj", "obj") for o in sx.conjuncts(c)]
        targets += [o for p, _, obj in sx.preps(t) if p in ("on", "against") for o in sx.conjuncts(obj)]
        if targets and all(sx.lemma(o) in abstract for o in targets):
            continue
        return True
    return False


def subtree_lemmas(tok) -> set[str]:
    return {sx.lemma(t) for t in sx.subtree(tok)} if tok is not None else set()


def verb_matches(tok, e: Entry, idx: DocIndex) -> Candidate | None:
    spec = e.spec
    trig = [tok]
    obj = sx.direct_object(tok)
    if obj is None and sx.lemma(tok) in LINKING_VERBS:
        # "became the 31st member of NATO": a linking verb's complement is what an entry's objects name
        obj = sx.child(tok, "attr")
    parts = sx.particles(tok)
    if "particle" in spec:
        found = parts & e.words("particle")
        if not found:
            return None
        trig += [c for c in sx.kids(tok) if c.dep_ == "prt" and c.lower_ in found]
    elif parts and "particle_optional" not in spec and parts & {"up", "down", "off", "out"}:
        # "blow up", "shoot down" are their own entries; a bare verb entry must not take them
        if e.type not in ("ASSAULT", "COERCE", "PROTEST", "RETREAT") or sx.lemma(tok) in ("call", "hand", "give"):
            return None
    if spec.get("intransitive") and obj is not None:
        return None
    if spec.get("object_required") and obj is None:
        return None
    if "objects" in spec:
        if obj is None or not (_obj_lemmas(obj) & e.words("objects")):
            return None
        if not sx.is_passive(tok):
            trig.append(obj)
    if "objects_not" in spec and obj is not None and _obj_lemmas(obj) & e.words("objects_not"):
        return None
    if "object_modifiers" in spec:
        mods = {sx.lemma(c) for c in sx.kids(obj)} if obj is not None else set()
        if not mods & e.words("object_modifiers"):
            return None
    if "object_kinds" in spec:
        a = idx.actor_for(obj, "object") if obj is not None else None
        kinds = e.words("object_kinds")
        if a is None or a.mention is None:
            return None
        actor = idx.resolved_actor(a.mention)
        if actor is None or actor.kind not in kinds:
            return None
    if "object_sectors" in spec:
        # "joined NATO": the object must be a party of one of these sectors (an alliance is IGO, not a firm)
        a = idx.actor_for(obj, "object") if obj is not None else None
        if a is None or a.arg.sector not in set(spec["object_sectors"]):
            return None
    matched_prep = None
    if "prep" in spec:
        wanted = e.words("prep")
        found = None
        for p, ptok, pobj in list(sx.preps(tok)) + (list(sx.preps(obj)) if obj is not None else []):
            if p not in wanted:
                continue
            if pobj.ent_type_ in ("DATE", "TIME") and "prep_objects" not in spec:
                # "called the invasion a mistake on Monday": a date is when, never whom or where
                continue
            if "prep_objects" in spec and not (_obj_lemmas(pobj) & e.words("prep_objects")):
                continue
            if "prep_places" in spec and idx.place_for(pobj) is None and idx.actor_for(pobj, "place") is None:
                continue
            found = (ptok, pobj)
            break
        if found is None:
            return None
        matched_prep = found[1]
        trig.append(found[0])
    if spec.get("xcomp") and sx.xcomp(tok) is None:
        return None
    if "xcomp_lemmas" in spec:
        x = sx.xcomp(tok)
        if x is None or sx.lemma(x) not in e.words("xcomp_lemmas"):
            return None
    subj = sx.subject(tok)
    if spec.get("requires_civilian_subject") and not is_civilian(subj, idx):
        return None
    if spec.get("requires_armed_subject") and not is_armed(subj, idx):
        return None
    if spec.get("requires_court"):
        if subj is None or not (sx.lemma(subj) in _class("courts") or
                                (idx.actor_for(subj, "s") and idx.actor_for(subj, "s").arg.sector == "JUD")):
            return None
    if spec.get("requires_partner"):
        has_conj = subj is not None and len(sx.conjuncts(subj)) > 1
        has_with = any(p == "with" for p, _, _ in sx.preps(tok)) or (
            obj is not None and any(p == "with" for p, _, _ in sx.preps(obj)))
        joint = obj is not None and any(sx.lemma(c) in ("joint", "bilateral", "combined", "trilateral")
                                        for c in sx.kids(obj))
        if not (has_conj or has_with or joint):
            return None
    if spec.get("conflict_complement") or spec.get("requires_conflict_complement"):
        comp = complement(tok)
        if comp is None or not conflict_in(comp):
            return None
    if spec.get("ccomp_wrongdoing"):
        c = sx.ccomp(tok)
        if c is None or not _wrongdoing(c):
            return None
    if "requires_words" in spec or "forbids_words" in spec:
        scope = {sx.lemma(t) for t in sx.clause_tokens(tok)}
        if subj is not None:
            scope |= {sx.lemma(t) for t in sx.subtree(subj)}
        if "requires_words" in spec and not scope & set(spec["requires_words"]):
            return None
        if "forbids_words" in spec and scope & set(spec["forbids_words"]):
            return None
    if spec.get("requires_future") and not announced_as_future(tok):
        return None
    has_target = any(p in ("at", "on", "into", "toward", "towards", "against") for p, _, _ in sx.preps(tok))
    if spec.get("requires_target") and not has_target:
        return None
    if spec.get("without_target") and has_target:
        return None
    return Candidate(tok, e, sorted(trig, key=lambda t: t.i), matched_prep)


FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would", "'d"})


def announced_as_future(tok) -> bool:
    """Is the act announced as still to come ("will respond", "would take countermeasures", "is going to
    retaliate")? Said of a deed, that is a threat; done in the past it is the deed itself."""
    if any(a in FUTURE_AUX for a in sx.aux_words(tok)):
        return True
    # "is going to retaliate", "is ready to respond": the governing verb carries the future
    gov = tok.head if tok.dep_ == "xcomp" else None
    return gov is not None and (sx.lemma(gov) == "go" and gov.tag_ == "VBG" or
                                any(a in FUTURE_AUX for a in sx.aux_words(gov)))


def adjective_matches(tok, e: Entry, idx: DocIndex) -> Candidate | None:
    if tok.pos_ != "ADJ" or sx.xcomp(tok) is None:
        return None
    return Candidate(tok, e, [tok])


def noun_matches(tok, e: Entry, idx: DocIndex) -> Candidate | None:
    spec = e.spec
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    if "requires_compound" in spec:
        if not {sx.lemma(c) for c in sx.kids(tok) if c.dep_ in ("compound", "amod")} & e.words("requires_compound"):
            return None
    if spec.get("requires_civilian_context"):
        if not {sx.lemma(t) for t in tok.sent} & _class("civilians"):
            return None
    if spec.get("requires_harm_verb"):
        harm = {"kill", "wound", "injure", "destroy", "damage", "hit", "target", "claim", "leave"}
        h = tok.head
        while h.pos_ == "ADP" and h.head.i != h.i:
            h = h.head
        if sx.lemma(h) not in harm:
            return None
    return Candidate(tok, e, [tok])


@dataclass(frozen=True)
class BlameLabels:
    """statements/labels.yaml: blame words a reported clause pins on its subject."""

    copulas: frozenset[str]
    labelling_verbs: frozenset[str]
    labels: frozenset[str]
    burden_verbs: frozenset[str]
    burdens: frozenset[str]
    dismissals: frozenset[str]


@functools.cache
def blame_labels() -> BlameLabels:
    raw = load_yaml("events", "lexicon", "statements", "labels.yaml")
    keys = ("copulas", "labelling_verbs", "labels", "burden_verbs", "burdens", "dismissals")
    try:
        lists = {k: frozenset(str(w).lower() for w in raw[k]) for k in keys}
    except (KeyError, TypeError) as exc:
        raise DatelineError(f"statements/labels.yaml: missing or malformed list ({exc})") from exc
    return BlameLabels(**lists)


def _label_words(tok) -> set[str]:
    """The label a complement carries: its head and the words modifying it ("a deliberate provocation")."""
    return {sx.lemma(tok), tok.lower_} | {sx.lemma(c) for c in sx.kids(tok) if c.dep_ in ("amod", "advmod", "compound")}


def pins_blame(verb) -> bool:
    """Does a clause pin a blame word on its subject ("the transit was a provocation", "Israel bore sole
    responsibility")? A negated one ("was not illegal") pins nothing."""
    bl = blame_labels()
    if sx.subject(verb) is None or any(c.dep_ == "neg" for c in sx.kids(verb)):
        return False
    lem = sx.lemma(verb)
    if lem in bl.copulas:
        comps = [c for c in sx.kids(verb) if c.dep_ in ("attr", "acomp")]
        return any(_label_words(c) & bl.labels for c in comps)
    if lem in bl.labelling_verbs:
        comps = [c for c in sx.kids(verb) if c.dep_ in ("dobj", "obj")] + sx.prep_objects(verb, {"to"})
        return any(_label_words(c) & bl.labels for c in comps)
    if lem in bl.burden_verbs:
        obj = sx.direct_object(verb)
        return obj is not None and sx.lemma(obj) in bl.burdens
    return False


def dismisses(verb) -> bool:
    """Does a clause declare its subject void or baseless ("the decision was legally void", "the claims are
    groundless")? Said by a party, that rejects the thing (statements/labels.yaml dismissals)."""
    bl = blame_labels()
    if sx.lemma(verb) not in bl.copulas or sx.subject(verb) is None or any(c.dep_ == "neg" for c in sx.kids(verb)):
        return False
    comps = [c for c in sx.kids(verb) if c.dep_ in ("attr", "acomp")]
    return any(_label_words(c) & bl.dismissals for c in comps)


def _wrongdoing(verb) -> bool:
    if pins_blame(verb):
        return True
    g = grammar()
    strong = {"spy", "hack", "interfere", "meddle", "steal", "smuggle", "launder", "bribe", "rig", "violate",
              "breach", "torture", "infiltrate", "sabotage", "persecute", "cheat", "plot", "infringe",
              "encroach"}
    lemmas = {sx.lemma(t) for t in sx.subtree(verb)}
    if sx.lemma(verb) in strong or lemmas & strong:
        return True
    return sx.lemma(verb) in g["wrongdoing"] and bool(lemmas & g["wrongdoing_objects"])


def report_matches(tok, e: Entry, idx: DocIndex) -> Candidate | None:
    """Report entries fire on the verb of a clause reported by a speech verb."""
    g = grammar()
    if tok.dep_ != "ccomp" or sx.lemma(tok.head) not in g["speech_verbs"]:
        return None
    speech = tok.head
    if e.spec.get("obligation_in_report"):
        aux = {c.lower_ for c in sx.kids(tok) if c.dep_ == "aux"}
        needs = aux & {"must", "should"} or (
            sx.lemma(tok) in ("have", "need") and sx.xcomp(tok) is not None)
        if not needs:
            return None
    elif e.spec.get("wrongdoing_in_report"):
        if not _wrongdoing(tok):
            return None
    elif e.spec.get("dismissal_in_report"):
        if not dismisses(tok):
            return None
    return Candidate(tok, e, [tok], report_verb=speech)


def _lemma_for(tok, table: dict) -> str:
    """The token's lemma, or a plain-suffix guess when spaCy's lemmatizer slips ('staged' -> 'stag')."""
    return lemma_guess(sx.lemma(tok), tok.lower_, table)


def lemma_guess(lem: str, low: str, table: dict) -> str:
    """``_lemma_for`` on plain strings (lower-cased lemma and word), for the per-doc pre-filter."""
    if lem in table:
        return lem
    if not low.endswith(("ed", "ing", "s", "d")):
        return lem
    for cand in (low, low[:-1], low[:-2], low[:-3], low[:-3] + "e", low[:-3] + "y"):
        if len(cand) > 2 and cand in table:
            return cand
    return lem


def may_trigger(pos: str, tag: str, dep: str, lem: str, low: str, head_lem: str, lex: Lexicon,
                speech_verbs: frozenset[str]) -> bool:
    """Could ``candidates`` find anything for a token with these attributes? (strings only)

    A necessary condition, checked over the whole doc from its arrays so that only the few
    tokens that can trigger become spaCy Tokens and go through the full constraint checks.
    It mirrors the look-ups at the top of ``candidates`` and the first test of ``report_matches``.
    """
    verbish = pos in ("VERB", "AUX") or tag.startswith("VB")
    key = lemma_guess(lem, low, lex.verbs if verbish else lex.nouns)
    if verbish:
        if lex.verbs.get(key):
            return True
        if lex.reports and dep == "ccomp" and head_lem in speech_verbs:
            return True
    elif pos == "ADJ" and lex.adjectives.get(key):
        return True
    return pos in ("NOUN", "PROPN") and bool(lex.nouns.get(key))


def candidates(tok, lex: Lexicon, idx: DocIndex) -> list[Candidate]:
    out = []
    lem = _lemma_for(tok, lex.verbs if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") else lex.nouns)
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        for e in lex.verbs.get(lem, ()):
            c = verb_matches(tok, e, idx)
            if c:
                out.append(c)
        for e in lex.reports:
            c = report_matches(tok, e, idx)
            if c:
                out.append(c)
    elif tok.pos_ == "ADJ":
        for e in lex.adjectives.get(lem, ()):
            c = adjective_matches(tok, e, idx)
            if c:
                out.append(c)
    if tok.pos_ in ("NOUN", "PROPN"):
        for e in lex.nouns.get(lem, ()):
            c = noun_matches(tok, e, idx)
            if c:
                out.append(c)
    return out


def best(cands: list[Candidate]) -> Candidate:
    """Most specific wins: priority, then the number of constraints that held."""
    return max(cands, key=lambda c: (c.entry.priority, len(c.entry.spec), len(c.trigger_toks)))
