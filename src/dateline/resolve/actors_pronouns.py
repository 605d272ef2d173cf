"""Pronouns linked to the actors they stand for.

The rules are small and explainable (data/actors/groups.yaml: pronouns says which kinds of
actor each pronoun may stand for):

- "he"/"she" as a subject: the latest person within a few sentences (as before);
- "him"/"her" as an object: the latest person who is not the subject of the same clause
  ("Biden thanked her" never makes "her" Biden);
- "his"/"her" as a possessive: the person who is the subject of the clause when named later in
  the sentence ("In her speech, Merkel said ..."), else the latest person;
- "they"/"them"/"their": the latest group, organisation or named country; "its": the latest
  organisation or named country. Subjects are preferred, since a text keeps talking about
  what its sentences are about ("The Houthis ... have launched attacks. In November they ...").

A pronoun whose gender contradicts an earlier link to the same person is not linked to it.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging

from ..nlp import span_text, token_attrs
from .actors_data import Lexicon, PronounRule
from .actors_rules import Work

log = logging.getLogger(__name__)

_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_OBJECT_DEPS = {"dobj", "pobj", "dative", "iobj", "obj"}
_PERSON_WINDOW = 3  # sentences
_GROUP_WINDOW = 2
# "he"/"she" are linked only as subjects: elsewhere the parse is usually wrong about them.
_SUBJECT_ONLY = {"he", "she"}


def _target(w: Work) -> Work:
    seen = 0
    while w.coref is not None and w.coref is not w and seen < 20:
        w = w.coref
        seen += 1
    return w


def _is_subject(doc, w: Work) -> bool:
    root = doc[w.start : w.end].root
    tok = root
    if tok.dep_ in ("poss", "compound", "amod") and tok.head.i > tok.i:
        tok = tok.head  # "China's ministry said": the phrase the mention opens is the subject
    if tok.dep_ == "conj":
        tok = tok.head
    return tok.dep_ in _SUBJECT_DEPS


def _clause_verb(tok):
    h = tok.head
    hops = 0
    while h.pos_ not in ("VERB", "AUX") and h.head is not h and hops < 6:
        h = h.head
        hops += 1
    return h if h.pos_ in ("VERB", "AUX") else None


def _clause_subjects(tok) -> list:
    verb = _clause_verb(tok)
    if verb is None:
        return []
    return [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]


def _phrase_names_another(tok, pool: "_Pool") -> bool:
    head = tok.head
    if head is tok:
        return False
    nxt = pool.at(head.i + 1) if head.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.absorbed is not None and nxt.absorbed <= head.i < nxt.start:
        return True  # the phrase is the title of the name after it, which the parse hung elsewhere
    for t in head.subtree:
        if t.i > tok.i:
            w = pool.at(t.i)
            if w is not None and w.label != "PRON" and w.actor is not None and w.actor.kind != "place":
                return True
    return False


def _unnamed_plural_subject(tok, pool: "_Pool") -> bool:
    """'Officials said they ...', 'protesters forced their way': the subject of the pronoun's clause
    (or of the clause that governs it) is a plural noun that names no resolved actor, or people
    named together ('Biden and Xi held their first meeting'); the pronoun is theirs, not an
    earlier actor's."""
    verb = _clause_verb(tok)
    hops = 0
    while verb is not None and hops < 2:
        for subj in (c for c in verb.children if c.dep_ in _SUBJECT_DEPS):
            if subj.i == tok.i:
                continue
            w = pool.at(subj.i)
            if w is None:
                if subj.tag_ in ("NNS", "NNPS"):
                    return True
            elif w.actor is not None and w.actor.kind == "person" and _coordinated(w, tok.doc):
                return True
            return False  # the nearest subject decides
        if verb.head is verb:
            return False
        verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else _clause_verb(verb)
        hops += 1
    return False


def _coordinated(w: Work, doc) -> bool:
    root = doc[w.start : w.end].root
    return root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children)


def _fits(w: Work, rule: PronounRule, gender: dict[int, str]) -> bool:
    t = _target(w)
    a = t.actor
    if a is None or a.kind not in rule.kinds:
        return False
    if a.kind == "country" and w.label != "GPE":
        return False  # "its" stands for a country named as such, not for an adjective
    if a.kind == "organisation" and a.country is None and a.sector is None:
        return False  # an ORG spaCy saw but nothing resolved (often a misread dateline)
    if rule.gender and gender.get(id(t), rule.gender) != rule.gender:
        return False
    return True


class _Pool:
    """Mentions in text order, growing as pronouns are linked."""

    def __init__(self, works: list[Work]):
        self.works = sorted((w for w in works if w.actor is not None), key=lambda w: w.start)
        self.starts = [w.start for w in self.works]

    def add(self, w: Work) -> None:
        k = bisect.bisect_right(self.starts, w.start)
        self.starts.insert(k, w.start)
        self.works.insert(k, w)

    def before(self, i: int):
        """Mentions ending at or before token ``i``, latest first."""
        k = bisect.bisect_left(self.starts, i)
        for w in reversed(self.works[:k]):
            if w.end <= i:
                yield w

    def at(self, tok_i: int) -> Work | None:
        k = bisect.bisect_right(self.starts, tok_i) - 1
        while k >= 0:
            w = self.works[k]
            if w.start <= tok_i < w.end:
                return w
            if tok_i - w.start > 30:
                break
            k -= 1
        return None


def link_pronouns(works: list[Work], doc, sent_of, taken: list[bool], lex: Lexicon) -> list[Work]:
    """One ``Work`` per pronoun linked to an earlier (or, for a possessive, its clause's) actor."""
    rules = lex.pronouns
    if not rules:
        return []
    a = token_attrs(doc)
    lower, dep = a.lower, a.dep
    pool = _Pool(works)
    gender: dict[int, str] = {}  # id of a full mention -> gender of pronouns already linked to it
    out: list[Work] = []
    for i in range(len(lower)):
        rule = rules.get(lower[i])
        if rule is None or taken[i]:
            continue
        d = dep[i]
        if rule.word in _SUBJECT_ONLY and d not in _SUBJECT_DEPS:
            continue
        tok = doc[i]
        if tok.pos_ != "PRON":
            continue
        if rule.object and d in _SUBJECT_DEPS and tok.head.tag_ == "VBN":
            # "witnesses saw her beaten": the object form heads a passive small clause; it names
            # who suffered the act, and an event coder would read a subject as the one who did it
            continue
        chosen, how = _choose(doc, tok, rule, d, pool, sent_of, gender)
        if chosen is None:
            continue
        full = _target(chosen)
        if rule.gender:
            gender[id(full)] = rule.gender
        link = Work(
            i,
            i + 1,
            "PRON",
            dataclasses.replace(full.actor),
            f"pronoun '{tok.text}' -> {how} '{span_text(doc, full.start, full.end)}'",
            "person" if full.actor.kind == "person" else full.entry_kind,
            coref=full,
        )
        out.append(link)
        pool.add(link)
    return out


def _choose(doc, tok, rule: PronounRule, d: str, pool: _Pool, sent_of, gender) -> tuple[Work | None, str]:
    i = tok.i
    here = sent_of(i)
    person_rule = rule.kinds == {"person"}
    if d == "poss" and _phrase_names_another(tok, pool):
        # "his Chinese counterpart Qin Gang", "its foreign minister Wang Yi": the phrase names its
        # own actor; the owner is a detail, and linking it would offer two actors for one phrase
        return None, ""
    if d == "poss" and person_rule:
        # cataphora: "In her first speech, Merkel said ..." names the owner after the pronoun
        for s in _clause_subjects(tok):
            w = pool.at(s.i)
            if w is not None and w.start > i and sent_of(w.start) == here and _fits(w, rule, gender):
                return w, "the subject of its clause"
    excluded: set[int] = set()
    if rule.object and d in _OBJECT_DEPS:
        for s in _clause_subjects(tok):
            w = pool.at(s.i)
            if w is not None:
                excluded.add(id(_target(w)))
    if not person_rule and _unnamed_plural_subject(tok, pool):
        return None, ""
    window = _PERSON_WINDOW if person_rule else _GROUP_WINDOW
    fitting: list[Work] = []
    for w in pool.before(i):
        if here - sent_of(w.start) > window:
            break
        if id(_target(w)) in excluded or not _fits(w, rule, gender):
            continue
        if "group" in rule.kinds and _target(w).actor.kind == "country" and not _is_subject(doc, w):
            continue  # 'they' is a state only when the state was acting, not where things happened
        if person_rule:
            return w, "latest person"
        fitting.append(w)
    if not fitting:
        return None, ""
    if d == "poss" and sent_of(fitting[0].start) == here:
        # "deprived Palestinians of their rights": an owner named in the same sentence is nearest
        return fitting[0], "nearest actor of its kind in the sentence"
    for w in fitting:
        if _is_subject(doc, w):
            return w, "latest subject of its kind"
    return fitting[0], "latest actor of its kind"
