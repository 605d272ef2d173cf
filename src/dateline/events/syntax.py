"""Dependency-tree helpers over spaCy tokens (English, ClearNLP-style labels)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

SUBJ = {"nsubj", "nsubjpass", "csubj", "expl"}
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "parataxis", "csubj"}
OBJ_CONTROL = {"urge", "ask", "order", "tell", "press", "force", "invite", "encourage", "call", "persuade",
               "instruct", "allow", "permit", "help", "advise", "challenge", "direct", "beg", "implore"}


# Children and subtrees of the doc being coded, built once per token: ``tok.children`` and
# ``tok.subtree`` make new Token objects on every call, and the coder asks the same tokens
# over and over. The cache holds one doc per thread (the last one asked about; its Tokens keep
# it alive) and starts afresh when another doc comes, so memory stays bounded.
_local = threading.local()


def _tree_cache(doc) -> tuple[dict, dict]:
    slot = getattr(_local, "slot", None)
    if slot is None or slot[0] is not doc:
        slot = (doc, {}, {})
        _local.slot = slot
    return slot[1], slot[2]


def kids(tok) -> tuple:
    """``tuple(tok.children)``, cached per doc."""
    cache = _tree_cache(tok.doc)[0]
    got = cache.get(tok.i)
    if got is None:
        got = cache[tok.i] = tuple(tok.children)
    return got


def subtree(tok) -> tuple:
    """``tuple(tok.subtree)``, cached per doc."""
    cache = _tree_cache(tok.doc)[1]
    got = cache.get(tok.i)
    if got is None:
        got = cache[tok.i] = tuple(tok.subtree)
    return got


def lemma(tok) -> str:
    return tok.lemma_.lower()


def head_lemma(tok) -> str:
    """Lemma of a noun phrase's head, joining hyphen splits ('cease-fire')."""
    return lemma(tok)


def children(tok, *deps: str) -> list:
    return [c for c in kids(tok) if c.dep_ in deps]


def child(tok, *deps: str):
    for c in kids(tok):
        if c.dep_ in deps:
            return c
    return None


def is_passive(tok) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in kids(tok))


def agent(tok):
    """The 'by' object of a passive verb."""
    for c in kids(tok):
        if c.dep_ == "agent":
            p = child(c, "pobj")
            if p is not None:
                return p
    return None


def relative_antecedent(tok, role: str):
    """For a relative clause verb whose relative pronoun fills ``role``, the noun it refers to."""
    if tok.dep_ != "relcl":
        return None
    for c in kids(tok):
        if c.dep_ == role and c.lower_ in ("that", "which", "who", "whom"):
            return tok.head
    return None


def subject(tok, depth: int = 0):
    """The (logical) subject of a verb, following conj, xcomp control and relative clauses."""
    if depth > 6:
        return None
    if is_passive(tok):
        a = agent(tok)
        if a is not None:
            return a
        return None
    subs = children(tok, "nsubj", "csubj")
    # a misparsed fronted phrase can add a second subject: the one nearest the verb is the real one
    s = min(subs, key=lambda c: (c.i > tok.i, abs(tok.i - c.i))) if subs else None
    if s is not None:
        if s.lower_ in ("that", "which", "who") and tok.dep_ == "relcl":
            return tok.head
        return s
    if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
        return subject(tok.head, depth + 1)
    if tok.dep_ == "xcomp":
        gov = tok.head
        if is_passive(gov):
            # "Blinken was expected to meet ...", "troops were ordered to withdraw": the passive
            # subject is who does the infinitive's act (an agent, if any, is who expects or orders)
            s = child(gov, "nsubjpass")
            if s is not None:
                return s
        if lemma(gov) in OBJ_CONTROL:
            o = child(gov, "dobj")
            if o is not None:
                return o
        return subject(gov, depth + 1)
    if tok.dep_ in ("advcl", "acl", "pcomp") and tok.tag_ in ("VBG", "VBN", "VB"):
        h = tok.head
        if h.pos_ in ("NOUN", "PROPN") and tok.dep_ == "acl":
            return h
        while h.dep_ == "prep" or h.pos_ == "ADP":
            h = h.head
        if h.pos_ in ("VERB", "AUX"):
            return subject(h, depth + 1)
    if tok.dep_ == "relcl":
        return tok.head
    return None


def misattached_report(tok, saying: frozenset[str] | set[str]):
    """The subject of a verb of saying the parser coordinated into the clause it follows.

    "Police said she had suffered a heart attack and denied that she had been mistreated": the parse
    makes 'denied' a conjunct of 'suffered' (inside what police said), so its subject would be 'she'.
    A verb of saying with its own complement clause, no subject of its own, coordinated inside a
    reported clause, is the speaker's second statement: its subject is the speaker. None otherwise.
    """
    if tok.dep_ != "conj" or lemma(tok) not in saying or child(tok, "nsubj", "nsubjpass") is not None:
        return None
    if child(tok, "ccomp") is None:
        return None
    h = tok.head
    if h.dep_ != "ccomp" or h.head.i == h.i or lemma(h.head) not in saying:
        return None
    return subject(h.head)


def direct_object(tok):
    """The patient: direct object, passive subject, or a relative clause's antecedent."""
    if is_passive(tok):
        return child(tok, "nsubjpass")
    o = child(tok, "dobj", "obj")
    if o is not None:
        if o.lower_ in ("that", "which", "whom", "who"):
            return relative_antecedent(tok, o.dep_) or o
        return o
    o = relative_antecedent(tok, "dobj")
    if o is not None:
        return o
    for c in kids(tok):
        # "kidnapped up to 16 advisers": the quantity phrase hides the object under a particle
        if c.dep_ == "prt" and c.lower_ == "up":
            for cc in kids(c):
                if cc.dep_ == "prep" and cc.lower_ == "to":
                    p = child(cc, "pobj")
                    if p is not None:
                        return p
        # "allow X to take part", "urge X to stop": the infinitive's subject is the object
        if c.dep_ in ("ccomp", "xcomp") and any(a.dep_ == "aux" and a.lower_ == "to" for a in kids(c)):
            s = child(c, "nsubj")
            if s is not None:
                return s
    # "X was attacked" handled above; "attack on X" is a prep, not an object.
    return None


def dative(tok):
    return child(tok, "dative", "iobj")


def preps(tok) -> Iterator[tuple[str, object, object]]:
    """(preposition text, preposition token, its object) for a token's prepositional children."""
    for c in kids(tok):
        if c.dep_ in ("prep", "agent", "dative") and c.pos_ == "ADP":
            obj = child(c, "pobj", "pcomp")
            if obj is not None:
                yield c.lower_, c, obj
        elif c.dep_ == "prt" and c.lower_ in ("out", "off", "down"):
            # "pull out of X": the particle carries the preposition
            for cc in kids(c):
                if cc.dep_ == "prep":
                    obj = child(cc, "pobj")
                    if obj is not None:
                        yield cc.lower_, cc, obj


def prep_objects(tok, names: set[str] | frozenset[str]) -> list:
    return [obj for p, _, obj in preps(tok) if p in names]


def particles(tok) -> set[str]:
    return {c.lower_ for c in kids(tok) if c.dep_ == "prt"}


def xcomp(tok):
    """The infinitival complement ('agreed to share'); spaCy sometimes attaches it as advcl."""
    x = child(tok, "xcomp")
    if x is not None:
        return x
    for c in kids(tok):
        if c.dep_ == "advcl" and c.i == tok.i + 2 and any(a.dep_ == "aux" and a.lower_ == "to" for a in kids(c)):
            return c
    return None


def ccomp(tok):
    return child(tok, "ccomp")


def clause_tokens(tok) -> Iterator:
    """Tokens of a predicate's own clause: its subtree minus embedded clauses."""
    stack = [tok]
    while stack:
        t = stack.pop()
        yield t
        for c in kids(t):
            if c.dep_ in ("ccomp", "relcl", "advcl", "parataxis") or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                continue
            stack.append(c)


def np_tokens(tok) -> list:
    """A noun phrase without its relative clauses and embedded predicates."""
    out = []
    stack = [tok]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in kids(t):
            if c.dep_ in ("relcl", "acl", "ccomp", "advcl", "punct", "cc", "appos") and c.i != tok.i:
                if c.dep_ == "appos":
                    out.append(c)
                    stack.extend(x for x in kids(c) if x.dep_ in ("compound", "amod", "poss", "flat"))
                continue
            stack.append(c)
    return sorted(out, key=lambda t: t.i)


def conjuncts(tok) -> list:
    """A noun and its coordinated nouns: 'the US and China' -> [US, China]."""
    out = [tok]
    for c in kids(tok):
        if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "PRON", "ADJ"):
            out.extend(conjuncts(c))
    return out


def governors(tok) -> Iterator:
    """The chain of heads above a token up to the sentence root."""
    t = tok
    seen = 0
    while t.head.i != t.i and seen < 50:
        t = t.head
        seen += 1
        yield t


def aux_words(tok) -> list[str]:
    out = [c.lower_ for c in kids(tok) if c.dep_ in ("aux", "auxpass")]
    if tok.dep_ == "conj" and not out:
        out = [c.lower_ for c in kids(tok.head) if c.dep_ in ("aux", "auxpass")]
    return out


def negated(tok) -> bool:
    return any(c.dep_ == "neg" for c in kids(tok))


# A time reached through one of these links describes a noun of the clause ("the deal, signed in 2022",
# "its 2014 annexation", "Putin, president since 2000"), not when the clause's own act happened.
NOUN_MODIFIER_LINKS = {"appos", "acl", "relcl", "amod", "compound", "nmod", "poss"}


def span_root(tokens):
    """The token of a phrase whose head lies outside it (the first such, for a fragment)."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0] if tokens else None


def dates_predicate(time_root, pred, own=()) -> bool:
    """Does a time phrase (by its root token) attach to ``pred`` itself rather than to a noun inside its
    clause? ``own`` are further tokens of the trigger ("held *talks*") whose modifiers count as the act's."""
    own_ids = {pred.i, *(t.i for t in own)}
    x = time_root
    while x.i not in own_ids:
        if x.dep_ in NOUN_MODIFIER_LINKS:
            return False
        if x.head.i == x.i:
            return False  # the time is not below the predicate at all
        x = x.head
    return True
