"""Event status from the clause: occurred, planned, negated or hypothetical — with the reason."""

from __future__ import annotations

from datetime import date

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


def status_of(tok, times_in_clause, reference: date | None, report_verb=None) -> tuple[str, str]:
    """(status, reason) for the predicate ``tok``."""
    g = grammar()
    chain = [tok]
    t = tok
    # an infinitive inherits its governor's modality: "plans to visit", "is set to travel"
    while t.dep_ in ("xcomp", "conj") and t.head.i != t.i and len(chain) < 4:
        t = t.head
        chain.append(t)
    for v in chain:
        if sx.negated(v):
            return "negated", f"negation on '{v.text}'"
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
