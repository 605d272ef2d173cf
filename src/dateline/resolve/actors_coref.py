"""In-document coreference for actor mentions.

Deliberately simple and explainable: a later mention links back to the most
recent compatible full mention.

- the same listed person again ("Blinken" after "Antony Blinken");
- a single name that spaCy mislabelled GPE/ORG but that is a word of an earlier
  PERSON's name ("Blinken" tagged GPE, "Qin" after "Qin Gang");
- "the minister", "the ministry", "the secretary": a definite noun whose word is
  in an earlier actor's role or name (data/actors/groups.yaml: coref_nouns);
- "the group", "the country": the latest actor of that kind (groups.yaml: coref_classes);
- a bare surname spaCy did not tag, after the full name ("Bolsonaro" after "Jair Bolsonaro").

Pronouns are linked in ``actors_pronouns``.
"""

from __future__ import annotations

import dataclasses

from ..nlp import span_text, token_attrs
from ..models import Actor
from .actors_data import CorefClass, Lexicon, norm
from .actors_rules import Work



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


_CLASS_WINDOW = 3  # sentences back for 'the group', 'the country'


def _is_named_country(w: Work) -> bool:
    # "the country" stands for a country named as such, not for an adjective ("Chinese jets")
    return w.actor.kind == "country" and w.label == "GPE"


def _class_fits(w: Work, cls: CorefClass) -> bool:
    a = w.actor
    if a.kind not in cls.kinds:
        return False
    if a.kind == "country" and not _is_named_country(w):
        return False
    return not cls.sectors or a.sector in cls.sectors


def _body_from_role(person: Work, noun: str, lex: Lexicon) -> Actor | None:
    """'the ministry' after 'Foreign Ministry spokesman Wang Wenbin': the body the role names."""
    a = person.actor
    words = (a.role or "").split()
    lowered = [w.lower() for w in words]
    if noun not in lowered or a.country is None:
        return None
    body = " ".join(words[: lowered.index(noun) + 1])
    country = lex.country_names.get(a.country, a.country)
    return Actor(name=f"{country} {body}", kind="organisation", country=a.country, sector=a.sector or "GOV")


def link_definites(works: list[Work], doc, lex: Lexicon, taken: list[bool], sent_of=None) -> list[Work]:
    """'the ministry', 'the minister', 'the group', 'the country' -> an earlier actor.

    A noun of coref_nouns links to the latest earlier actor whose role or name has one of its words;
    a noun naming a body (not a title) never links to a person, except that a person's role may
    name the body ('the ministry' after a foreign ministry spokesman). A noun of coref_classes links
    to the latest actor of its kind (and sector) within a few sentences.
    """
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
        cls = lex.coref_classes.get(noun_lower)
        if not (words or cls) or pos[i + 1] not in ("NOUN", "PROPN"):
            continue
        if i + 2 < n and (lower[i + 2] == "of" or pos[i + 2] in ("NOUN", "PROPN")):
            continue  # "the ministry of finance", "the secretary general": a new name, not a link
        person_noun = noun_lower in lex.titles
        antecedent = None
        actor = None
        how = ""
        for w in reversed(ordered):
            if w.start >= i or w.actor is None or w.coref is not None:
                continue
            is_person = w.actor.kind == "person"
            if words:
                if is_person and not person_noun:
                    body = _body_from_role(w, noun_lower, lex)
                    if body is not None:
                        antecedent, actor, how = w, body, "the body named in the role of"
                        break
                elif not is_person and person_noun:
                    pass
                else:
                    hay = " ".join(x for x in (w.actor.role, w.actor.name, span_text(doc, w.start, w.end)) if x).lower()
                    if any(word in hay for word in words):
                        antecedent, how = w, "refers back to"
                        break
            if cls is not None and _class_fits(w, cls):
                if sent_of is not None and sent_of(i) - sent_of(w.start) > _CLASS_WINDOW:
                    if not words:
                        break
                    continue
                antecedent, how = w, "the latest fitting actor (coref_classes):"
                break
        if antecedent is None:
            continue
        if actor is not None:
            # a body derived from a person's role: a new actor, not the person
            link = Work(i + 1, i + 2, "ORG", actor,
                        f"'the {noun_lower}': {how} '{span_text(doc, antecedent.start, antecedent.end)}'",
                        "organisation")
            ordered.append(link)
            ordered.sort(key=lambda w: w.start)
        else:
            label = {"person": "PERSON", "country": "GPE", "group": "NORP"}.get(antecedent.actor.kind, "ORG")
            link = Work(
                i + 1,
                i + 2,
                label,
                dataclasses.replace(antecedent.actor),
                f"'the {noun_lower}' {how} '{span_text(doc, antecedent.start, antecedent.end)}'",
                antecedent.entry_kind,
                coref=antecedent,
            )
        out.append(link)
    return out


def link_surnames(works: list[Work], doc, taken: list[bool]) -> list[Work]:
    """A surname spaCy did not tag as a name ("Bolsonaro, who ..., left for Florida") after the
    full name: the latest earlier person of two or more words whose name ends with it."""
    a = token_attrs(doc)
    out: list[Work] = []
    full_names = sorted(
        (w for w in works if w.actor is not None and w.actor.kind == "person" and w.coref is None and w.end - w.start > 1),
        key=lambda w: w.start,
    )
    if not full_names:
        return out
    n = len(a.lower)
    for i in range(n):
        if taken[i] or a.pos[i] != "PROPN":
            continue
        text = doc[i].text
        if len(text) < 3 or not text[:1].isupper() or not text.isalpha():
            continue
        # part of a longer name the parser left untagged ("Bolsonaro Jr", "Eduardo Bolsonaro")
        if (i > 0 and a.pos[i - 1] == "PROPN" and not taken[i - 1]) or (i + 1 < n and a.pos[i + 1] == "PROPN"):
            continue
        for p in reversed(full_names):
            if p.start >= i:
                continue
            if doc[p.end - 1].text == text or p.actor.name.split()[-1] == text:
                out.append(
                    Work(i, i + 1, "PERSON", dataclasses.replace(p.actor),
                         f"surname of earlier '{span_text(doc, p.start, p.end)}' (untagged by spaCy)",
                         "person", coref=p)
                )
                taken[i] = True
                break
    return out


_TITLE_WINDOW = 10  # sentences


def link_titles(works: list[Work], doc, lex: Lexicon, taken: list[bool], sent_of) -> list[Work]:
    """'the prime minister', 'the House speaker': a title of two or more words after 'the', with no
    name after it, refers back to the latest person holding that office (single words such as
    'the minister' are coref_nouns)."""
    a = token_attrs(doc)
    lower, pos = a.lower, a.pos
    n = len(lower)
    persons = sorted(
        (w for w in works if w.actor is not None and w.actor.kind == "person" and w.coref is None and w.actor.role),
        key=lambda w: w.start,
    )
    out: list[Work] = []
    if not persons:
        return out
    for i in range(n - 2):
        if lower[i] != "the" or taken[i + 1]:
            continue
        for size in range(min(lex.title_max, n - i - 1), 1, -1):
            end = i + 1 + size
            if any(taken[i + 1 : end]):
                continue
            title = lex.titles.get(norm(span_text(doc, i + 1, end)))
            if title is None:
                continue
            if end < n and (pos[end] in ("PROPN", "NOUN") or lower[end] == "of"):
                break  # "the prime minister Ana Brnabic", "the foreign minister level": not a link
            role = title.role.lower()
            for p in reversed(persons):
                if p.start >= i:
                    continue
                if sent_of(i) - sent_of(p.start) > _TITLE_WINDOW:
                    break
                if (p.actor.role or "").lower() == role:
                    out.append(
                        Work(i + 1, end, "PERSON", dataclasses.replace(p.actor),
                             f"'the {title.key}' refers back to '{span_text(doc, p.start, p.end)}' ({p.actor.role})",
                             "person", coref=p)
                    )
                    for k in range(i + 1, end):
                        taken[k] = True
                    break
            break
    return out
