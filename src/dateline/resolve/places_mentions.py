"""Finding place mentions in text: spaCy entities, the gazetteer's own scan, relative phrases.

Each finder returns :class:`Mention` records (a span and its gazetteer candidates);
:mod:`dateline.resolve.places` chooses among candidates and builds ``Place`` records.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .places_index import Candidate, Gazetteer, acronym_key, load_yaml, place_key

log = logging.getLogger(__name__)

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Spans under these labels are not places; a gazetteer hit inside one is dropped
# ("Atlantic Council", "Black Sea Fleet", "Amazon").
NON_PLACE_LABELS = frozenset({"ORG", "PERSON", "NORP", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE"})
MAX_NAME_CHARS = 200  # a longer "name" is a tagging error, not a place

# ---------------------------------------------------------------------------- phrases


@dataclass(frozen=True)
class Phrases:
    prepositions: frozenset[str]
    relative: frozenset[str]
    edges: dict[str, str]
    edge_not_before: frozenset[str]
    scan_skip_single: frozenset[str]
    edge_adj: re.Pattern
    edge_of: re.Pattern
    direction: re.Pattern
    name_run: re.Pattern


def _alternation(words: Iterable[str]) -> str:
    # Longest first so that "coastal waters" is tried before "waters".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def phrases() -> Phrases:
    data = load_yaml("places", "phrases.yaml")
    rel = [w.lower() for w in data["relative_prepositions"]]
    edges = {str(k).lower(): str(v) for k, v in data["edge_words"].items()}
    word = r"[A-Z][\w'\u2019.]*"
    name = rf"{word}(?:[ \-](?:(?:of|and|el|al|de|du|la)[ \-])?{word}){{0,4}}"
    prep = rf"(?:(?P<prep>{_alternation(rel)})\s+)?"
    return Phrases(
        prepositions=frozenset(w.lower() for w in data["prepositions"]),
        relative=frozenset(rel),
        edges=edges,
        edge_not_before=frozenset(w.lower() for w in data["edge_not_before"]),
        scan_skip_single=frozenset(w.lower() for w in data.get("scan_skip_single") or []),
        edge_adj=re.compile(
            rf"\b{prep}the\s+(?P<adj>{word}(?:\s{word})?)\s+(?P<edge>{_alternation(edges)})\b(?!-)"
        ),
        edge_of=re.compile(rf"\b{prep}the\s+(?P<edge>{_alternation(edges)})\s+of\s+(?P<name>(?:the\s+)?{name})"),
        direction=re.compile(rf"\b(?P<dir>{_alternation(data['directions'])})\s+(?P<name>{name})"),
        name_run=re.compile(rf"\b{name}"),
    )


# ---------------------------------------------------------------------------- mentions


@dataclass
class Frame:
    """How a relative phrase wraps the place it names: "coast of X", "northern X"."""

    template: str  # with {name}
    feature: str


@dataclass
class Mention:
    start: int
    end: int
    text: str
    key: str  # which mentions share a decision (the same name)
    cands: list[Candidate]
    frame: Frame | None = None
    fixed: bool = False  # candidates come from an adjective (one country): no choice to make


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the " and a trailing possessive from an entity span."""
    span = text[start:end]
    if span[:4].lower() == "the ":
        start += 4
    span = text[start:end]
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if span.endswith(suffix) and end - len(suffix) > start:
            end -= len(suffix)
            break
    return start, end


def country_candidate(gaz: Gazetteer, alpha3: str | None) -> list[Candidate]:
    if not alpha3:
        return []
    idx = gaz.country_by_alpha3.get(alpha3)
    return [Candidate(gaz.entries[idx], idx, False)] if idx is not None else []


def longest_name(gaz: Gazetteer, name: str) -> tuple[str, list[Candidate]]:
    """The longest leading run of words in ``name`` that the gazetteer knows."""
    words = name.split(" ")
    for n in range(len(words), 0, -1):
        part = " ".join(words[:n]).rstrip(".,'\u2019")
        cands = gaz.candidates(part)
        if cands:
            return part, cands
    return "", []


def relative_mentions(text: str, gaz: Gazetteer, base: int = 0, whole: bool = False) -> list[Mention]:
    """'off the American coast', 'near the border of Syria', 'in northern Syria'."""
    ph = phrases()
    out: list[Mention] = []
    adjectives: dict[str, str | None] = {}  # long texts repeat the same few adjectives

    def accept(m: re.Match, start: int, end: int) -> bool:
        return not whole or (start == 0 and end == len(text))

    for m in ph.edge_adj.finditer(text):
        follower = text[m.end() : m.end() + 20].split(maxsplit=1)
        if follower and follower[0].lower().strip(".,;:") in ph.edge_not_before:
            continue
        adj = m.group("adj")
        if adj not in adjectives:
            adjectives[adj] = gaz.country_for_word(adj)
        a3 = adjectives[adj]
        start = m.start()  # at the relative preposition when there is one, else at "the"
        if not a3 or not accept(m, start, m.end()):
            continue
        edge = m.group("edge").lower()
        out.append(
            Mention(
                start=base + start,
                end=base + m.end(),
                text=text[start : m.end()],
                key="\0edge:" + a3,
                cands=country_candidate(gaz, a3),
                frame=Frame(edge + " of {name}", ph.edges[edge]),
                fixed=True,
            )
        )
    for m in ph.edge_of.finditer(text):
        part, cands = longest_name(gaz, m.group("name"))
        if not cands:
            continue
        start = m.start()
        end = m.start("name") + len(part)
        if not accept(m, start, end):
            continue
        edge = m.group("edge").lower()
        out.append(
            Mention(
                start=base + start,
                end=base + end,
                text=text[start:end],
                key=place_key(part),
                cands=cands,
                frame=Frame(edge + " of {name}", ph.edges[edge]),
            )
        )
    for m in ph.direction.finditer(text):
        part, cands = longest_name(gaz, m.group("name"))
        if not cands:
            continue
        end = m.start("name") + len(part)
        if not accept(m, m.start(), end):
            continue
        phrase = text[m.start() : end]
        # "western Europe", "south Florida" may be names in their own right.
        own = gaz.candidates(phrase)
        out.append(
            Mention(
                start=base + m.start(),
                end=base + end,
                text=phrase,
                key=place_key(phrase) if own else place_key(part),
                cands=own or cands,
                frame=None if own else Frame(m.group("dir") + " {name}", "region"),
            )
        )
    return out


def entity_mentions(doc, text: str, gaz: Gazetteer) -> list[Mention]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        if ent.end_char - ent.start_char > MAX_NAME_CHARS:
            log.debug("place entity skipped (too long): %d chars", ent.end_char - ent.start_char)
            continue
        start, end = trim_span(text, ent.start_char, ent.end_char)
        span = text[start:end]
        if not any(ch.isupper() for ch in span):
            continue  # "metro", "la s": a name is written with a capital
        cands = gaz.candidates(span)
        if not cands:
            log.debug("place entity %r (%s) not in the gazetteer", span, ent.label_)
            continue
        out.append(Mention(start, end, span, place_key(span), cands))
    return out


_CAP_WORD = re.compile(r"[A-Z][\w'\u2019.\-]*")
_WORD = re.compile(r"\S+")
_TRAILING = ".,;:!?)]}\"'\u2019\u201d"


def _bare(word: str) -> tuple[str, bool]:
    """A word without trailing punctuation or possessive; True when something was cut."""
    bare = word.rstrip(_TRAILING)
    for suffix in ("'s", "\u2019s"):
        if bare.endswith(suffix):
            bare = bare[: -len(suffix)]
            break
    return bare, len(bare) < len(word)


def scan_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Hand-written features that spaCy did not tag (it often misses seas and straits).

    Works on the text, not on tokens: creating a spaCy Token per word costs more than
    the whole scan on long documents.
    """
    out: list[Mention] = []
    firsts = gaz.feature_first_words
    keys = gaz.feature_keys
    skip_single = phrases().scan_skip_single
    resume = 0
    for m in _CAP_WORD.finditer(text):
        if m.start() < resume:
            continue
        first, first_cut = _bare(m.group(0))
        most = firsts.get(first.lower())
        if not most and first.isupper():
            most = firsts.get(acronym_key(first) or "")
        if not most and not (first.isascii() and first.isalpha()):
            most = firsts.get(place_key(first))
        if not most:
            continue
        # Words after the first, as far as the longest feature starting with it could reach
        # ("Bab el-Mandeb" is 2 words here, 3 in its key).
        words = [(m.start(), m.start() + len(first))]
        if not first_cut:
            for w in _WORD.finditer(text, m.end(), min(len(text), m.end() + 40 * most)):
                if len(words) >= most:
                    break
                word, cut = _bare(w.group(0))
                if not word:
                    break
                words.append((w.start(), w.start() + len(word)))
                if cut:
                    break  # punctuation or a possessive ends a name
        for n in range(len(words), 0, -1):
            start, end = words[0][0], words[n - 1][1]
            last = text[words[n - 1][0] : words[n - 1][1]]
            if not last.rsplit("-", 1)[-1][:1].isupper():  # "Mandeb" in "el-Mandeb"
                continue
            span = text[start:end]
            key = acronym_key(span) or place_key(span)
            if n == 1 and key in skip_single:
                continue
            if key in keys:
                out.append(Mention(start, end, span, place_key(span), gaz.candidates(span)))
                resume = end
                break
    return out


class Mask:
    """Which characters are taken: overlap tests in O(span length), not O(mentions)."""

    def __init__(self, size: int) -> None:
        self._bits = bytearray(size)

    def overlaps(self, start: int, end: int) -> bool:
        return self._bits.find(1, start, end) != -1

    def take(self, start: int, end: int) -> None:
        self._bits[start:end] = b"\x01" * (end - start)


def non_place_mask(doc, size: int) -> Mask:
    mask = Mask(size)
    for e in doc.ents:
        if e.label_ in NON_PLACE_LABELS:
            mask.take(e.start_char, e.end_char)
    return mask


def select_mentions(mentions: list[Mention], size: int) -> list[Mention]:
    """Keep non-overlapping mentions, longer first ("South China Sea" over "China")."""
    taken = Mask(size)
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if m.cands and not taken.overlaps(m.start, m.end):
            taken.take(m.start, m.end)
            kept.append(m)
    kept.sort(key=lambda m: m.start)
    return kept


