"""Consistency checks for part B of the example news corpus (examples/corpus/b-*.html).

The gold files are hand-written; these tests catch drift between a page and its gold file
(a sentence edited on one side only, a renamed duplicate target, a missing key).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
PAGES = sorted(CORPUS.glob("b-*.html"))

REQUIRED_KEYS = {
    "title": str,
    "published": str,
    "authors": list,
    "language": str,
    "story": str,
    "duplicate_of": (str, type(None)),
    "translation_of": (str, type(None)),
    "body_must_contain": list,
    "body_must_not_contain": list,
}
PUBLISHED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}([+-]\d{2}:\d{2})?)?$")

# Multi-page stories and their required page counts, as specified for part B.
STORY_PAGE_COUNTS = {
    "b-wagner-mutiny": 4,
    "b-hamas-attack": 4,
    "b-sweden-nato": 3,
    "b-g20-delhi": 3,
    "b-biden-xi-woodside": 4,
    "b-red-sea": 3,
}


class _VisibleText(HTMLParser):
    """Collects text a reader could see: skips script, style, noscript and template contents."""

    HIDDEN = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden_depth += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if not self._hidden_depth:
            self.parts.append(data)


def decode_tolerant(raw: bytes) -> str:
    # Some pages lie about their charset on purpose; trust the bytes, not the declaration.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def visible_text(path: Path) -> str:
    parser = _VisibleText()
    parser.feed(decode_tolerant(path.read_bytes()))
    parser.close()
    return normalise(" ".join(parser.parts))


def gold_path(page: Path) -> Path:
    return page.with_name(page.name.removesuffix(".html") + ".gold.json")


def load_gold(page: Path) -> dict:
    return json.loads(gold_path(page).read_text(encoding="utf-8"))


def test_corpus_has_enough_pages():
    assert len(PAGES) >= 32


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_gold_file_has_required_keys(page: Path):
    assert gold_path(page).exists(), f"missing gold file for {page.name}"
    gold = load_gold(page)
    for key, typ in REQUIRED_KEYS.items():
        assert key in gold, f"{page.name}: gold lacks {key!r}"
        assert isinstance(gold[key], typ), f"{page.name}: {key!r} has type {type(gold[key]).__name__}"
    assert gold["language"] == "en"
    assert gold["translation_of"] is None
    assert gold["story"].startswith("b-")
    assert PUBLISHED_RE.match(gold["published"]), gold["published"]
    assert 2 <= len(gold["body_must_contain"]) <= 3
    assert gold["body_must_not_contain"], "each page should name some site chrome"
    assert all(isinstance(a, str) and a.strip() for a in gold["authors"])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_body_sentences_and_chrome_are_visible(page: Path):
    gold = load_gold(page)
    text = visible_text(page)
    for sentence in gold["body_must_contain"]:
        assert normalise(sentence) in text, f"{page.name}: body sentence not on page: {sentence[:60]}"
    for chrome in gold["body_must_not_contain"]:
        assert normalise(chrome) in text, f"{page.name}: chrome string not on page: {chrome[:60]}"
    # Chrome must not double as article text, or the gold would contradict itself.
    for chrome in gold["body_must_not_contain"]:
        for sentence in gold["body_must_contain"]:
            assert chrome not in sentence
    assert normalise(gold["title"]) in text


def test_duplicate_targets_exist_and_share_story():
    golds = {p.name: load_gold(p) for p in PAGES}
    duplicates = {name: g["duplicate_of"] for name, g in golds.items() if g["duplicate_of"]}
    assert duplicates, "part B must contain at least one near-verbatim republication"
    for name, target in duplicates.items():
        assert target != name
        assert (CORPUS / target).exists(), f"{name}: duplicate_of target {target} is missing"
        assert target in golds and golds[target]["story"] == golds[name]["story"]
        assert golds[target]["duplicate_of"] is None, "duplicate chains should point at the original"
        # A republication keeps the body: the copy's gold sentences are on the original page too.
        original_text = visible_text(CORPUS / target)
        for sentence in golds[name]["body_must_contain"]:
            assert normalise(sentence) in original_text


def test_story_page_counts():
    counts = Counter(load_gold(p)["story"] for p in PAGES)
    for story, expected in STORY_PAGE_COUNTS.items():
        assert counts[story] == expected, f"{story}: {counts[story]} pages, expected {expected}"
    singletons = [s for s, n in counts.items() if s not in STORY_PAGE_COUNTS]
    assert len(singletons) >= 10
    assert all(counts[s] == 1 for s in singletons)


def test_encoding_traps_present():
    """The corpus deliberately includes pages whose declared charset is wrong."""
    declared_utf8_but_not = []
    declared_latin1_but_utf8 = []
    for page in PAGES:
        raw = page.read_bytes()
        head = raw[:2048].lower()
        try:
            raw.decode("utf-8")
            valid_utf8 = True
        except UnicodeDecodeError:
            valid_utf8 = False
        if b'charset="utf-8"' in head and not valid_utf8:
            declared_utf8_but_not.append(page.name)
        if b"iso-8859-1" in head and valid_utf8 and any(b > 0x7F for b in raw):
            declared_latin1_but_utf8.append(page.name)
    assert declared_utf8_but_not, "expected one page labelled UTF-8 whose bytes are cp1252"
    assert declared_latin1_but_utf8, "expected one page labelled ISO-8859-1 whose bytes are UTF-8"
