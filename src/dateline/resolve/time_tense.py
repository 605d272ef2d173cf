"""The tense of the clause a time expression belongs to: past, present or future.

With a spaCy ``Doc`` we climb from the expression to the verb that governs it and
read its tag and auxiliaries. Without one, a cheap look at the words nearest the
expression in its sentence does (the closest tense marker wins).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from ..errors import DatelineError
from ..resources import load_yaml

PAST, PRESENT, FUTURE = "past", "present", "future"

_FUTURE_AUX = {"will", "'ll", "shall", "wo", "would", "'d"}
_PAST_AUX = {"had", "'d", "was", "were", "did", "has", "have", "'ve", "hat", "hatte", "war", "wurde"}
_PROGRESSIVE_AUX = {"is", "are", "am", "'s", "'re", "'m"}
_PLAN_LEMMAS = {"plan", "intend", "expect", "schedule", "set", "aim", "hope", "prepare", "go", "be", "due"}


def tense_from_doc(doc, start: int, end: int) -> str:
    """Tense of the clause around the characters ``start:end`` of ``doc``'s text."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return PRESENT
    tok = span.root
    # Climb to the governing verb; stop at the sentence root.
    for _ in range(50):
        if tok.pos_ in ("VERB", "AUX") and tok.i not in range(span.start, span.end):
            break
        if tok.head is tok:
            break
        tok = tok.head
    return _verb_tense(tok)


def _verb_tense(verb) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    aux_words = [a.lower_ for a in auxes]
    if any(a in _FUTURE_AUX for a in aux_words):
        return FUTURE
    if "going" in aux_words or (verb.dep_ == "xcomp" and _plans_future(verb.head)):
        return FUTURE
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return PAST
    if verb.tag_ == "VBN" and any(a in ("has", "have", "'ve", "'s") for a in aux_words):
        return PAST  # present perfect reports something already done
    if verb.tag_ == "VBG" and any(a in _PROGRESSIVE_AUX for a in aux_words):
        return FUTURE  # "is travelling ... on Friday": an arrangement
    if verb.tag_ == "MD" and verb.lower_ in _FUTURE_AUX:
        return FUTURE
    return PRESENT


def _plans_future(head) -> bool:
    """"is to leave", "plans to leave", "is going to leave", "is expected to leave"."""
    if head.tag_ in ("VBD",) or any(c.tag_ == "VBD" for c in head.children if c.dep_ in ("aux", "auxpass")):
        return False
    return head.lemma_.lower() in _PLAN_LEMMAS


# --- without a parse -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TenseWords:
    future_words: frozenset[str]
    future_phrases: tuple[tuple[str, ...], ...]
    progressive_aux: frozenset[str]
    past_words: frozenset[str]
    perfect_aux: frozenset[str]
    not_past_after_ed: frozenset[str]


@functools.lru_cache(maxsize=1)
def _words() -> _TenseWords:
    raw = load_yaml("time", "tense.yaml")
    try:
        return _TenseWords(
            future_words=frozenset(str(w).lower() for w in raw["future_words"]),
            future_phrases=tuple(tuple(str(w).lower() for w in p) for p in raw["future_phrases"]),
            progressive_aux=frozenset(str(w).lower() for w in raw["progressive_auxiliaries"]),
            past_words=frozenset(str(w).lower() for w in raw["past_words"]),
            perfect_aux=frozenset(str(w).lower() for w in raw["perfect_auxiliaries"]),
            not_past_after_ed=frozenset(str(w).lower() for w in raw["not_past_after_ed"]),
        )
    except (KeyError, TypeError) as exc:
        raise DatelineError(f"data/time/tense.yaml is malformed: {exc!r}") from exc


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|'[a-z]+")


@dataclass(frozen=True)
class Marker:
    start: int  # character offsets of the marker words
    end: int
    tense: str


@functools.lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in _words().future_phrases:
        out.setdefault(p[0], []).append(p)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def text_markers(text: str) -> list[Marker]:
    """Every tense marker in ``text``, in order (one pass, so long texts stay linear)."""
    tw, phrases = _words(), _phrases_by_first_word()
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    tokens = [text[a:b].lower() for a, b in spans]
    out: list[Marker] = []
    n = len(tokens)
    for i, w in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else ""
        last, tense = i, None
        if w in tw.future_words or w.endswith("'ll"):
            tense = FUTURE
        elif w in phrases and (p := next((p for p in phrases[w] if tuple(tokens[i:i + len(p)]) == p), None)):
            last, tense = i + len(p) - 1, FUTURE
        elif w in tw.progressive_aux and len(nxt) > 4 and nxt.endswith("ing"):
            last, tense = i + 1, FUTURE
        elif w in tw.perfect_aux and (nxt == "been" or (len(nxt) > 4 and nxt.endswith("ed"))):
            last, tense = i + 1, PAST
        elif w in tw.past_words or len(w) > 4 and w.endswith("ed") and (i == 0 or tokens[i - 1] not in tw.not_past_after_ed):
            tense = PAST
        if tense:
            out.append(Marker(spans[i][0], spans[last][1], tense))
    return out


# Markers after the expression belong to its clause less often than those before it.
_AFTER_PENALTY = 15


def nearest_tense(markers: list[Marker], marker_starts: list[int], lo: int, hi: int, start: int, end: int) -> str:
    """Tense of the marker closest to ``start:end`` among those inside ``lo:hi``."""
    best: tuple[int, str] | None = None
    i = bisect.bisect_left(marker_starts, start)
    # Closest marker ending before the expression (walk back over any that straddle it).
    j = i - 1
    while j >= 0 and markers[j].end > start:
        j -= 1
    if j >= 0 and markers[j].start >= lo:
        best = (start - markers[j].end, markers[j].tense)
    k = bisect.bisect_left(marker_starts, end)
    if k < len(markers) and markers[k].end <= hi:
        dist = markers[k].start - end + _AFTER_PENALTY
        if best is None or dist < best[0]:
            best = (dist, markers[k].tense)
    return best[1] if best else PRESENT


def tense_from_text(sentence: str, start: int, end: int) -> str:
    """Cheap tense guess: the tense marker closest to ``sentence[start:end]`` decides."""
    markers = text_markers(sentence)
    return nearest_tense(markers, [m.start for m in markers], 0, len(sentence), start, end)
