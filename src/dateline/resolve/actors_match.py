"""Finding candidate actor spans: list look-ups merged with spaCy's entities.

One left-to-right pass over the tokens tries, at each token that can start a
list entry, the longest token sequence first (dict look-up on its lower-cased
text). The matches are then merged with spaCy's entities: a list match that
covers an entity wins (fixing spaCy's label slips such as "Sri Lanka" tagged
PERSON), an entity that strictly contains list matches wins and keeps them as
inner hints ("French National Assembly", "South China Sea").
"""

from __future__ import annotations

from ..nlp import doc_text, token_attrs

from dataclasses import dataclass, field

from .actors_data import LexEntry, Lexicon, norm

# spaCy labels that can name an actor or a place.
KEEP_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
_DETS = {"the"}
_POSSESSIVE = {"'s", "\u2019s", "'", "\u2019"}


@dataclass
class Match:
    start: int  # token index
    end: int  # exclusive
    entries: list[LexEntry]


@dataclass
class Candidate:
    start: int
    end: int
    entries: list[LexEntry] = field(default_factory=list)
    ent_label: str | None = None
    inner: list[Match] = field(default_factory=list)


def _accept(entry: LexEntry, surface: str, in_entity: bool) -> bool:
    if entry.case_sensitive:
        return surface.replace("\u2019", "'") == entry.surface
    # Proper names are capitalised; lower-case hits only where spaCy saw an entity
    # (headlines written in lower case).
    return surface[:1].isupper() or in_entity


def scan(doc, lexicons: list[Lexicon]) -> list[Match]:
    """Longest, non-overlapping list matches over the doc's tokens."""
    text = doc_text(doc)
    # the doc's arrays, not Tokens: doc[i] and iterating the doc build a Token per access
    a = token_attrs(doc)
    n = len(a.lower)
    lowers, starts, ends, spaces = a.lower, a.idx, a.end, a.space
    firsts = lexicons[0].first_words if len(lexicons) == 1 else set().union(*(lex.first_words for lex in lexicons))
    out: list[Match] = []
    max_tokens = max(lex.max_tokens for lex in lexicons)
    i = 0
    while i < n:
        if lowers[i] not in firsts:
            i += 1
            continue
        found: Match | None = None
        start_char = starts[i]
        for j in range(min(n, i + max_tokens), i, -1):
            if spaces[j - 1]:
                continue
            surface = text[start_char : ends[j - 1]]
            key = norm(surface)
            entries: list[LexEntry] = []
            for lex in lexicons:
                entries.extend(lex.entries.get(key, ()))
            if not entries:
                continue
            in_entity = bool(a.ent_type[i])
            entries = [e for e in entries if _accept(e, surface, in_entity)]
            if entries:
                found = Match(i, j, entries)
                break
        if found:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


def entity_spans(doc) -> list[tuple[int, int, str]]:
    """spaCy entities worth resolving, without a leading 'the' or a trailing possessive."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in KEEP_LABELS:
            continue
        s, e = ent.start, ent.end
        while s < e - 1 and doc[s].lower_ in _DETS:
            s += 1
        while e > s + 1 and (doc[e - 1].text in _POSSESSIVE or doc[e - 1].is_punct or doc[e - 1].is_space):
            e -= 1
        out.append((s, e, ent.label_))
    return out


def merge(doc, matches: list[Match]) -> list[Candidate]:
    """Combine list matches and spaCy entities into non-overlapping candidates."""
    ents = entity_spans(doc)
    used_match: set[int] = set()
    cands: list[Candidate] = []
    by_start = sorted(range(len(matches)), key=lambda k: matches[k].start)
    for s, e, label in ents:
        overlapping = [k for k in by_start if matches[k].start < e and matches[k].end > s]
        covering = [k for k in overlapping if matches[k].start <= s and matches[k].end >= e]
        if covering:
            k = covering[0]
            m = matches[k]
            if k not in used_match:
                used_match.add(k)
                cands.append(Candidate(m.start, m.end, m.entries, label))
            continue
        inner = [k for k in overlapping if matches[k].start >= s and matches[k].end <= e]
        partial = [k for k in overlapping if k not in inner]
        if partial:
            longest = max(partial, key=lambda k: matches[k].end - matches[k].start)
            if matches[longest].end - matches[longest].start >= e - s:
                continue  # the list match wins; it is added below
            used_match.update(partial)
        used_match.update(inner)
        cands.append(Candidate(s, e, [], label, [matches[k] for k in inner]))
    for k, m in enumerate(matches):
        if k not in used_match:
            ent_label = doc[m.start].ent_type_ or None
            cands.append(Candidate(m.start, m.end, m.entries, ent_label))
    cands.sort(key=lambda c: (c.start, -c.end))
    # Drop anything still overlapping an earlier, longer candidate.
    out: list[Candidate] = []
    last_end = -1
    for c in cands:
        if c.start < last_end:
            continue
        out.append(c)
        last_end = c.end
    return out
