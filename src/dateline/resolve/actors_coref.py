"""In-document coreference for actor mentions.

Deliberately simple and explainable: a later mention links back to the most
recent compatible full mention.

- the same listed person again ("Blinken" after "Antony Blinken");
- a single name that spaCy mislabelled GPE/ORG but that is a word of an earlier
  PERSON's name ("Blinken" tagged GPE, "Qin" after "Qin Gang");
- "the minister", "the ministry", "the secretary": a definite noun whose word is
  in an earlier actor's role or name (data/actors/groups.yaml: coref_nouns);
- subject pronouns "he"/"she": the most recent person within a few sentences.
"""

from __future__ import annotations

import dataclasses

from ..nlp import span_text, token_attrs
from .actors_data import Lexicon
from .actors_rules import Work

_PRONOUNS = {"he", "she"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_PRONOUN_WINDOW = 3  # sentences


def _name_words(work: Work, doc) -> set[str]:
    words = {t.lower_ for t in doc[work.start : work.end] if t.is_alpha and len(t) > 1}
    if work.actor:
        words |= {w.lower() for w in work.actor.name.split() if len(w) > 1}
    return words


def link_names(works: list[Work], doc) -> None:
    """Link repeated names to their first full mention; fix spaCy's surname slips."""
    persons: list[Work] = []
    for w in works:
        a = w.actor
        if a is not None and a.kind == "person":
            full = next(
                (p for p in persons if p.actor.name == a.name and (p.end - p.start) > (w.end - w.start)),
                None,
            )
            if full is not None and w.coref is None:
                w.coref = full
                w.explain += f"; same person as '{doc[full.start:full.end].text}'"
            elif full is None and not w.listed and w.end - w.start == 1:
                _link_to_name(w, persons, doc)
            persons.append(w)
            continue
        if w.end - w.start != 1 or w.listed or w.label not in ("GPE", "ORG", "NORP", "PERSON"):
            continue
        if _link_to_name(w, persons, doc):
            persons.append(w)


def _link_to_name(w: Work, persons: list[Work], doc) -> bool:
    word = doc[w.start].lower_
    for p in reversed(persons):
        if p.coref is None and (p.end - p.start) > 1 and word in _name_words(p, doc):
            was = w.label
            w.label = "PERSON"
            w.actor = dataclasses.replace(p.actor)
            w.coref = p
            w.entry_kind = "person"
            w.explain = f"name of earlier '{doc[p.start:p.end].text}' (spaCy said {was})"
            return True
    return False


def link_definites(works: list[Work], doc, lex: Lexicon, taken: list[bool]) -> list[Work]:
    """'the ministry', 'the minister' ... -> the latest earlier actor whose role/name has the word."""
    out: list[Work] = []
    a = token_attrs(doc)  # the doc's arrays: doc[i] would build a Token for every word
    lower, pos = a.lower, a.pos
    n = len(lower)
    ordered = sorted(works, key=lambda w: w.start)
    for i in range(n - 1):
        if lower[i] != "the" or taken[i + 1]:
            continue
        noun_lower = lower[i + 1]
        words = lex.coref_nouns.get(noun_lower)
        if not words or pos[i + 1] not in ("NOUN", "PROPN"):
            continue
        if i + 2 < n and (lower[i + 2] == "of" or pos[i + 2] in ("NOUN", "PROPN")):
            continue  # "the ministry of finance", "the secretary general": a new name, not a link
        antecedent = None
        for w in reversed(ordered):
            if w.start >= i or w.actor is None or w.coref is not None:
                continue
            hay = " ".join(x for x in (w.actor.role, w.actor.name, span_text(doc, w.start, w.end)) if x).lower()
            if any(word in hay for word in words):
                antecedent = w
                break
        if antecedent is None:
            continue
        label = "PERSON" if antecedent.actor.kind == "person" else "ORG"
        link = Work(
            i + 1,
            i + 2,
            label,
            dataclasses.replace(antecedent.actor),
            f"'the {noun_lower}' refers back to '{span_text(doc, antecedent.start, antecedent.end)}' (coref_nouns)",
            antecedent.entry_kind,
            coref=antecedent,
        )
        out.append(link)
    return out


def link_pronouns(works: list[Work], doc, sent_of, taken: list[bool]) -> list[Work]:
    out: list[Work] = []
    persons = sorted((w for w in works if w.actor and w.actor.kind == "person"), key=lambda w: w.start)
    a = token_attrs(doc)
    lower, dep = a.lower, a.dep
    for i in range(len(lower)):
        if lower[i] not in _PRONOUNS or dep[i] not in _SUBJECT_DEPS or taken[i]:
            continue
        before = [p for p in persons if p.end <= i and sent_of(i) - sent_of(p.start) <= _PRONOUN_WINDOW]
        if not before:
            continue
        p = before[-1]
        full = p.coref or p
        out.append(
            Work(
                i,
                i + 1,
                "PRON",
                dataclasses.replace(full.actor),
                f"subject pronoun -> latest person '{span_text(doc, full.start, full.end)}'",
                "person",
                coref=full,
            )
        )
    return out
