"""Event status from the clause: occurred, planned, negated or hypothetical — with the reason."""

from __future__ import annotations

import functools
from datetime import date

from ..resources import load_yaml
from . import syntax as sx
from .lexicon import grammar


def _conditional(tok) -> str | None:
    g = grammar()
    for c in sx.kids(tok):
        if c.dep_ == "advcl":
            for m in sx.kids(c):
                if m.dep_ == "mark" and m.lower_ in g["conditional_marks"]:
                    return m.lower_
    return None


def conditional(tok) -> str | None:
    """The condition word an act is tied to ('unless Baghdad accepts', 'if Hamas runs'), or None."""
    t = tok
    for _ in range(3):
        mark = _conditional(t)
        if mark:
            return mark
        if t.dep_ not in ("xcomp", "ccomp", "conj"):
            break
        t = t.head
    return None


FINITE_TAGS = ("VBD", "VBZ", "VBP")


def status_of(tok, times_in_clause, reference: date | None, report_verb=None) -> tuple[str, str]:
    """(status, reason) for the predicate ``tok``."""
    g = grammar()
    # an infinitive inherits its governor's modality: "plans to visit", "is set to travel"
    chain = _clause_chain(tok)
    for v in chain:
        if sx.negated(v) and not _litotes(v):
            return "negated", f"negation on '{v.text}'"
    denier = _denied_by(chain[-1])
    if denier is not None:
        return "negated", f"denied by '{denier.text}'"
    for v in chain:
        aux = sx.aux_words(v)
        if any(a in g["future_aux"] for a in aux):
            return "planned", f"future auxiliary on '{v.text}'"
        if any(a in g["hypothetical_aux"] for a in aux):
            speech = report_verb or next((h for h in sx.governors(v) if sx.lemma(h) in g["speech_verbs"]), None)
            if any(a in ("would", "'d") for a in aux) and speech is not None and speech.tag_ == "VBD":
                return "planned", f"'would' reported by past '{speech.text}' (future in the past)"
            return "hypothetical", f"modal '{'/'.join(aux)}' on '{v.text}'"
    for v in chain[1:]:
        if sx.lemma(v) in g["future_governors"] and sx.lemma(v) not in ("agree", "threaten", "offer", "promise",
                                                                        "vow", "pledge", "decide", "begin", "try"):
            return "planned", f"governed by '{v.text}'"
        if v.lower_ in ("going",) or (sx.lemma(v) == "be" and tok.dep_ == "xcomp"):
            return "planned", f"'{v.text} to' construction"
    if conditional(tok):
        return "hypothetical", f"conditional clause ('{conditional(tok)}')"
    if tok.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in g["conditional_marks"] for m in sx.kids(tok)):
        return "hypothetical", "inside a conditional clause"
    if reference is not None:
        for tm in times_in_clause:
            if tm.start_date and tm.start_date > reference.isoformat():
                return "planned", f"time expression '{tm.text}' lies after the publication date"
    progressive = tok.tag_ == "VBG" and any(c.dep_ == "aux" and sx.lemma(c) == "be" for c in sx.kids(tok))
    if progressive and reference is not None:
        for tm in times_in_clause:
            if tm.end_date and tm.end_date >= reference.isoformat():
                return "planned", f"present progressive with future time '{tm.text}'"
    return "occurred", "past or present indicative"


# -- clauses that name an act without reporting one ------------------------------

@functools.cache
def _not_events() -> dict:
    raw = load_yaml("events", "lexicon", "filters", "not_events.yaml")
    return {
        "habitual": frozenset(str(w).lower() for w in raw.get("habitual_adverbs", [])),
        "reference_marks": frozenset(str(w).lower() for w in raw.get("reference_point_marks", [])),
        "denial_verbs": frozenset(str(w).lower() for w in raw.get("denial_verbs", [])),
        "threat_litotes": frozenset(str(w).lower() for w in raw.get("threat_litotes", [])),
        "abstract_adversaries": frozenset(str(w).lower() for w in raw.get("abstract_adversaries", [])),
        "passive_idioms": {str(k).lower(): frozenset(str(p).lower() for p in v)
                           for k, v in (raw.get("passive_idioms") or {}).items()},
    }


def abstract_adversaries() -> frozenset[str]:
    """Problems one 'fights' without any conflict ("fight hunger"): not_events.yaml abstract_adversaries."""
    return _not_events()["abstract_adversaries"]


@functools.cache
def saying_verbs() -> frozenset[str]:
    """Verbs that report what someone says or denies (grammar.yaml speech_verbs and denial_verbs)."""
    return frozenset(grammar()["speech_verbs"]) | _not_events()["denial_verbs"]


def unrecordable(tok, has_actor: bool, has_recipient: bool, reported: bool = False) -> str | None:
    """Why the verbal trigger ``tok`` names an act but reports none (a habit, a reference point,
    an idiom, a bare detail with no party), or None when the act is to be recorded.

    ``reported``: the clause is what someone says; a habit someone alleges ("soldiers routinely
    beat detainees, a court was told") is the news itself, a habit the writer narrates is background.
    """
    nv = _not_events()
    for v in ([] if reported else _clause_chain(tok)):
        adv = next((c.lower_ for c in sx.kids(v) if c.dep_ == "advmod" and c.lower_ in nv["habitual"]), None)
        if adv:
            return f"habitual ('{adv} {v.text}'), not a dated act"
    for v in _complement_chain(tok):
        if v.dep_ == "relcl" and v.tag_ == "VBN" and "had" in sx.aux_words(v):
            # "an arrangement that had allowed Ukraine to ship grain": the clause describes what the
            # thing had done before, background to the news, not an act the article reports
            return f"past-perfect relative clause ('{v.text}') describes its antecedent's past"
    if tok.dep_ == "advcl":
        mark = next((c.lower_ for c in sx.kids(tok) if c.dep_ == "mark"), None)
        if mark in nv["reference_marks"] and tok.tag_ in ("VBD", "VBN"):
            return f"'{mark}' clause dates the main clause by an earlier episode"
    if sx.is_passive(tok):
        preps = nv["passive_idioms"].get(sx.lemma(tok), frozenset())
        hit = next((p for p, _, _ in sx.preps(tok) if p in preps), None)
        if hit:
            return f"passive '{tok.text} {hit}' is an idiom, not the act"
    if has_actor or has_recipient:
        return None
    # with no party at all, only these shapes are checked: a full clause about an unnamed
    # agent ("Access to Instagram was restricted") is still an act a reader wants recorded
    if sx.is_passive(tok) and sx.agent(tok) is None and tok.tag_ == "VBN" and _subject_is_thing(tok):
        return "agentless passive about a thing, with no party named (a detail of another event)"
    if tok.dep_ in ("amod", "acl", "advcl") and tok.tag_ in ("VBG", "VBN") and not sx.children(tok, "nsubj"):
        return "participle modifying a phrase, with no party named"
    return None


def _clause_chain(tok) -> list:
    chain = [tok]
    t = tok
    while t.dep_ in ("xcomp", "conj") and t.head.i != t.i and len(chain) < 4:
        if t.dep_ == "conj" and t.tag_ in FINITE_TAGS and t.head.tag_ not in FINITE_TAGS:
            # "did not change the policy and accused China": a verb with its own tense is not under the
            # auxiliary of the verb it is coordinated with (that would read "and accuse")
            break
        t = t.head
        chain.append(t)
    return chain


def _litotes(verb) -> bool:
    """'would not go unanswered', 'will not hesitate to': the negation makes the threat."""
    words = _not_events()["threat_litotes"]
    return sx.lemma(verb) in words or any(c.lower_ in words for c in sx.kids(verb) if c.dep_ in ("acomp", "oprd"))


def _complement_chain(tok) -> list:
    """The predicate and the verbs whose complement it is ('ship' in 'had allowed Ukraine to ship').
    Coordination is not followed: a conjunct is a separate act, often a parse slip across clauses."""
    chain = [tok]
    t = tok
    while t.dep_ in ("xcomp", "ccomp") and t.head.i != t.i and len(chain) < 4:
        t = t.head
        chain.append(t)
    return chain


def _subject_is_thing(tok) -> bool:
    """The passive subject is a thing or a count of people, not a named or group actor: "it was hit",
    "the balloon was struck", "three people were killed"."""
    s = sx.child(tok, "nsubjpass")
    if s is None:
        return True
    return s.ent_type_ in ("", "CARDINAL", "QUANTITY") and s.pos_ in ("PRON", "NOUN", "NUM")


def _denied_by(tok):
    """The verb denying the clause ``tok`` heads ("denied that she had been mistreated"), or None."""
    if tok.dep_ != "ccomp" or tok.head.i == tok.i:
        return None
    return tok.head if sx.lemma(tok.head) in _not_events()["denial_verbs"] else None
