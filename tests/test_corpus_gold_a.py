"""Consistency checks for part A of the example news corpus (examples/corpus/a-*.html).

The corpus feeds the demo and the extraction / event / clustering benchmarks, so a broken gold file
would silently skew every figure measured on it. These tests only check the corpus against itself:
gold files are complete, gold sentences really are on the page, cross-references and feed links resolve.
"""
from __future__ import annotations

import email.utils
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
PAGES = sorted(CORPUS.glob("a-*.html"))

REQUIRED_KEYS = {
    "title": str,
    "published": (str, type(None)),
    "authors": list,
    "language": str,
    "story": str,
    "duplicate_of": (str, type(None)),
    "translation_of": (str, type(None)),
    "body_must_contain": list,
    "body_must_not_contain": list,
}
PUBLISHED_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}([+-]\d{2}:\d{2})?)?$")
# Stories part A promises to cover, with the number of pages each must have.
EXPECTED_STORY_SIZES = {
    "a-blinken-visit": 6,
    "a-spy-balloon": 5,
    "a-ukraine-invasion": 4,
    "a-grain-deal": 3,
    "a-grain-deal-exit": 2,
}


class _VisibleText(HTMLParser):
    """Collects text a reader would see in <body>; script/style/template/noscript contents are not text."""

    _HIDDEN = {"script", "style", "noscript", "template", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        # block boundaries must not glue words of neighbouring elements together
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def load_gold(page: Path) -> dict:
    gold_path = page.with_name(page.name[: -len(".html")] + ".gold.json")
    assert gold_path.exists(), f"missing gold file for {page.name}"
    return json.loads(gold_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def golds() -> dict[str, dict]:
    return {p.name: load_gold(p) for p in PAGES}


def test_corpus_has_enough_pages():
    assert len(PAGES) >= 32


def test_every_gold_file_has_a_page():
    for gold_path in CORPUS.glob("a-*.gold.json"):
        assert gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".html").exists(), gold_path.name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_gold_schema(page: Path):
    gold = load_gold(page)
    for key, typ in REQUIRED_KEYS.items():
        assert key in gold, f"{page.name}: gold lacks {key!r}"
        assert isinstance(gold[key], typ), f"{page.name}: {key} has type {type(gold[key]).__name__}"
    assert gold["title"].strip()
    assert gold["language"] in {"en", "de"}
    assert gold["story"].startswith("a-")
    assert all(isinstance(a, str) and a.strip() for a in gold["authors"])
    if gold["published"] is not None:
        assert PUBLISHED_RE.match(gold["published"]), gold["published"]
    assert 2 <= len(gold["body_must_contain"]) <= 3
    assert all(isinstance(s, str) and s.strip() for s in gold["body_must_contain"] + gold["body_must_not_contain"])


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_gold_strings_match_page(page: Path):
    gold = load_gold(page)
    text = visible_text(page.read_text(encoding="utf-8"))
    for sentence in gold["body_must_contain"]:
        assert norm(sentence) in text, f"{page.name}: body sentence not on page: {sentence[:60]}"
    # chrome strings are only a meaningful negative test if the page really shows them
    for chrome in gold["body_must_not_contain"]:
        assert norm(chrome) in text, f"{page.name}: chrome string not on page: {chrome[:60]}"
        assert all(norm(chrome) not in norm(s) for s in gold["body_must_contain"])
    assert norm(gold["title"]) in text, f"{page.name}: gold title is not the visible headline"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_html_lang_matches_gold(page: Path):
    gold = load_gold(page)
    m = re.search(r"<html[^>]*\blang=\"([a-zA-Z]+)", page.read_text(encoding="utf-8"))
    assert m and m.group(1).lower() == gold["language"]


def test_cross_references_resolve(golds):
    for name, gold in golds.items():
        for key in ("duplicate_of", "translation_of"):
            target = gold[key]
            if target is None:
                continue
            assert target != name
            assert target in golds, f"{name}: {key} points to missing {target}"
            assert golds[target]["story"] == gold["story"], f"{name}: {key} crosses stories"
            assert golds[target][key] is None, f"{name}: {key} must point at an original"
        if gold["translation_of"]:
            assert golds[gold["translation_of"]]["language"] != gold["language"]
        if gold["duplicate_of"]:
            assert golds[gold["duplicate_of"]]["language"] == gold["language"]
            assert golds[gold["duplicate_of"]]["title"] != gold["title"], "republication needs its own headline"


def test_required_test_cases_present(golds):
    values = list(golds.values())
    assert any(g["published"] is None for g in values), "need a page with no date"
    assert any(g["language"] == "de" for g in values)
    assert any(g["translation_of"] for g in values)
    assert any(g["duplicate_of"] for g in values)
    sizes: dict[str, int] = {}
    for g in values:
        sizes[g["story"]] = sizes.get(g["story"], 0) + 1
    for story, n in EXPECTED_STORY_SIZES.items():
        assert sizes.get(story) == n, f"{story}: {sizes.get(story)} pages, expected {n}"
    singletons = [s for s, n in sizes.items() if n == 1]
    assert len(singletons) >= 10


def test_no_date_page_has_no_date(golds):
    # a date anywhere on the page would make the "no date" test case meaningless
    date_like = re.compile(
        r"\b(19|20)\d{2}-\d{2}-\d{2}|\b\d{1,2}[./]\d{1,2}[./](19|20)?\d{2}\b|"
        r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}\b", re.I)
    for name, gold in golds.items():
        if gold["published"] is None:
            html = (CORPUS / name).read_text(encoding="utf-8")
            assert not date_like.search(html), f"{name} has a date: {date_like.search(html).group(0)}"


def test_feed_parses_and_links_exist(golds):
    feed = CORPUS / "feed.xml"
    root = ET.parse(feed).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for tag in ("title", "link", "language", "description"):
        assert (channel.findtext(tag) or "").strip(), f"channel lacks {tag}"
    items = [i for i in channel.findall("item") if (i.findtext("link") or "").startswith("a-")]
    assert len(items) >= 10
    for item in items:
        link = item.findtext("link").strip()
        assert (CORPUS / link).exists(), f"feed links to missing {link}"
        assert item.findtext("title").strip() == golds[link]["title"]
        pub = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        gold_pub = golds[link]["published"]
        assert gold_pub is not None, f"{link}: undated pages cannot carry a feed date"
        assert _same_time(pub, gold_pub), f"{link}: feed says {pub}, gold says {gold_pub}"


def _same_time(pub: datetime, gold: str) -> bool:
    """A feed date agrees with gold at the precision gold states (day, wall time, or instant)."""
    if len(gold) == 10:
        return pub.date() == date.fromisoformat(gold)
    gold_dt = datetime.fromisoformat(gold)
    if gold_dt.tzinfo is None:
        return pub.replace(tzinfo=None) == gold_dt
    return pub == gold_dt
