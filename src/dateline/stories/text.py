"""Text features for copies and stories: normalised words, shingles, term counts, cross-language anchors.

Everything here is a pure function of a string, so the same features are computed for stored
articles, for the synthetic stress corpus and in tests.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from ..resources import load_yaml

_COMBINING = re.compile(r"[\u0300-\u036f]")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d.,]*$")
# A capitalised word that is not the first of its sentence: names survive translation far better
# than ordinary words do, and so do numbers.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;»«\"“”]\s+|\n)([^\W\d_][\w'’-]*)", re.UNICODE)
_CAPITALISED = re.compile(r"\b([A-ZÄÖÜÀ-ÞĀ-Ž][\w'’-]+)", re.UNICODE)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English and German function words (data/stories/stopwords.yaml)."""
    data = load_yaml("stories", "stopwords.yaml") or {}
    return frozenset(w.lower() for words_ in data.values() for w in str(words_).split())


def fold(text: str) -> str:
    """Lower-case and strip accents so light orthographic edits do not break shingles."""
    text = text.lower()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return _COMBINING.sub("", text)


def words(text: str) -> list[str]:
    """Normalised word tokens (apostrophes kept inside words, punctuation dropped)."""
    return [w.replace("’", "'") for w in _WORD.findall(fold(text))]


def shingles(text: str, size: int = 4) -> set[str]:
    """Overlapping word n-grams of the body text; used for near-duplicate detection."""
    toks = words(text)
    if len(toks) < size:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i:i + size]) for i in range(len(toks) - size + 1)}


def stem(word: str) -> str:
    """A deliberately light suffix stripper: merges plurals and -ing/-ed forms of content words."""
    if len(word) <= 4 or _NUMBER.match(word):
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + keep
    return word


def terms(title: str | None, text: str, *, title_weight: int = 2) -> Counter[str]:
    """Content-word counts over title and body; the headline counts ``title_weight`` times."""
    stops = stop_words()
    out: Counter[str] = Counter()
    for w in words(text):
        if len(w) > 2 and w not in stops and not w.isdigit():
            out[stem(w)] += 1
    for w in words(title or ""):
        if len(w) > 2 and w not in stops and not w.isdigit():
            out[stem(w)] += title_weight
    return out


def anchors(title: str | None, text: str) -> Counter[str]:
    """Language-independent tokens: capitalised words not opening a sentence, and numbers of 2+ digits.

    A translation keeps names and figures while every ordinary word changes, so these carry a
    translated copy to its original and a foreign-language article to its story.
    """
    body = f"{title or ''}\n{text}"
    starters = {m.start(1) for m in _SENTENCE_START.finditer(body)}
    out: Counter[str] = Counter()
    stops = stop_words()
    for m in _CAPITALISED.finditer(body):
        if m.start(1) in starters:
            continue
        w = fold(m.group(1))
        if w not in stops and len(w) > 2:
            out[w] += 1
    for tok in re.findall(r"\b\d[\d.,]*\d\b|\b\d{2,}\b", body):
        digits = re.sub(r"[.,]", "", tok)
        if len(digits) >= 2:
            out["#" + digits] += 1
    return out
