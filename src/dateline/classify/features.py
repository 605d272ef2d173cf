"""Turning a sentence into the feature strings the event classifier weighs.

Training (scikit-learn) and prediction (plain numpy) both call ``sentence_features``,
so the shipped model needs nothing but the vocabulary it was trained with.

Three families of features, each prefixed so they never collide:
  ``w:`` / ``b:``  word unigrams and bigrams (lower case, digits folded to 0)
  ``c:``          character 3-5-grams inside words (spelling variants, morphology)
  ``v:`` ...      what the parse says about the clause: verb lemmas, verb+object pairs,
                  modality and negation. These carry the coding conventions the corpus
                  encodes: "will visit" (future cooperation -> AGREE) and "strike" + "deal"
                  vs "strike" + "target" look alike to bag-of-words but not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
FUTURE_AUX = {"will", "'ll", "shall", "wo"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "can", "ca"}
OBLIGATION_AUX = {"must", "should"}
NEGATIONS = {"not", "n't", "never", "no"}


@dataclass(frozen=True)
class FeatureConfig:
    """Which feature families a model uses (saved with the model, so prediction matches training)."""

    words: bool = True
    chars: bool = True
    syntax: bool = True

    def to_dict(self) -> dict:
        return {"words": self.words, "chars": self.chars, "syntax": self.syntax}

    @classmethod
    def from_dict(cls, d: dict) -> "FeatureConfig":
        return cls(words=bool(d.get("words", True)), chars=bool(d.get("chars", True)),
                   syntax=bool(d.get("syntax", True)))


def _tokens(text: str) -> list[str]:
    return ["0" if t.isdigit() else t for t in WORD.findall(text.lower())]


def word_features(text: str) -> list[str]:
    toks = _tokens(text)
    out = [f"w:{t}" for t in toks]
    out.extend(f"b:{a} {b}" for a, b in zip(toks, toks[1:]))
    return out


def char_features(text: str) -> list[str]:
    out = []
    for t in _tokens(text):
        if t == "0":
            continue
        padded = f" {t} "
        for n in (3, 4, 5):
            out.extend(f"c:{padded[i:i + n]}" for i in range(len(padded) - n + 1))
    return out


def _lemma(tok) -> str:
    return (tok.lemma_ or tok.text).lower()


def syntax_features(span) -> list[str]:
    """Features from a parsed sentence (a spaCy Span or Doc)."""
    out: list[str] = []
    for tok in span:
        if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "aux":
            if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass"):
                out.append(f"s:{_lemma(tok)}>{_lemma(tok.head)}")
            continue
        v = _lemma(tok)
        out.append(f"v:{v}")
        auxes = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        negated = any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in tok.children)
        if auxes & FUTURE_AUX or (tok.dep_ == "xcomp" and _lemma(tok.head) in ("plan", "intend", "expect")):
            out += ["m:future", f"vm:{v}|future"]
        if auxes & HYPOTHETICAL_AUX:
            out += ["m:hyp", f"vm:{v}|hyp"]
        if auxes & OBLIGATION_AUX:
            out += ["m:must", f"vm:{v}|must"]
        if negated:
            out += ["m:neg", f"vm:{v}|neg"]
        if tok.dep_ == "xcomp":
            out.append(f"vx:{_lemma(tok.head)}>{v}")
        for c in tok.children:
            if c.dep_ in ("dobj", "nsubjpass", "attr"):
                out.append(f"vo:{v}>{_lemma(c)}")
            elif c.dep_ == "prt":
                out.append(f"vt:{v}_{c.lower_}")
            elif c.dep_ == "prep":
                out.append(f"vp:{v}>{c.lower_}")
                for g in c.children:
                    if g.dep_ == "pobj":
                        out.append(f"vpo:{v}>{c.lower_}>{_lemma(g)}")
    return out


def sentence_features(text: str, span=None, config: FeatureConfig = FeatureConfig()) -> list[str]:
    """All features of one sentence; ``span`` is its parse (syntax features are skipped without one)."""
    out: list[str] = []
    if config.words:
        out += word_features(text)
    if config.chars:
        out += char_features(text)
    if config.syntax and span is not None:
        out += syntax_features(span)
    return out
