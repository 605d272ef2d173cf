"""Dateline's own cleanup of an article body, paragraph by paragraph.

trafilatura (or a plain-text copy) leaves site chrome behind: image placeholders, comment forms,
consent lines, "Related posts" link lists, share labels, time stamps, bylines. Rules come from
data/extract/cleanup.yaml; everything here is cheap regex work on already-extracted text.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field

from .authors import clean_authors
from .patterns import CleanupPatterns, cleanup_patterns, stamp_patterns
from .stamps import Stamp, parse_stamp

logger = logging.getLogger(__name__)

_WORDS = re.compile(r"[\w'’-]+")
_TEASER_MAX_WORDS = 30
# Chrome is short: longer paragraphs skip the pattern checks (they are most of a body's cost).
_CHROME_MAX_WORDS = 80


@dataclass
class CleanResult:
    paragraphs: list[str]
    stamps: list[Stamp] = field(default_factory=list)
    byline_authors: list[str] = field(default_factory=list)
    credit_lines: list[str] = field(default_factory=list)  # "(Reporting by ...)" lines taken off the end
    removed: list[str] = field(default_factory=list)  # for debugging and tests

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def normalize_for_compare(text: str) -> str:
    return " ".join(_WORDS.findall(unicodedata.normalize("NFKC", text).casefold()))


def _is_share_labels(words: list[str], pats: CleanupPatterns) -> bool:
    return 0 < len(words) <= 12 and all(w.lower() in pats.share_words for w in words)


def _is_prose(text: str, words: list[str], pats: CleanupPatterns) -> bool:
    return len(words) >= pats.prose_min_words or (len(words) >= 6 and bool(pats.sentence_end.search(text)))


_SUFFIX_WINDOW = 40  # share labels glued to a paragraph are short; only its tail is searched


def _strip_suffix(para: str, pats: CleanupPatterns) -> str:
    tail = para[-_SUFFIX_WINDOW:]
    m = pats.strip_suffix.search(tail)
    if not m:
        return para
    return para[: len(para) - len(tail) + m.start()].rstrip()


def is_chrome(text: str, pats: CleanupPatterns | None = None, words: list[str] | None = None) -> bool:
    """True when one paragraph is site chrome on its own (placeholder, form text, share labels...)."""
    pats = pats or cleanup_patterns()
    text = text.strip()
    words = words if words is not None else _WORDS.findall(text)
    if len(words) > _CHROME_MAX_WORDS:
        return False
    if pats.chrome.fullmatch(text.rstrip(" :")):
        return True
    if len(words) <= _TEASER_MAX_WORDS and pats.teaser.fullmatch(text):
        return True
    return _is_share_labels(words, pats)


def clean_paragraphs(paragraphs: list[str], *, title: str | None = None) -> CleanResult:
    """Drop chrome paragraphs; collect time stamps and bylines they held."""
    pats = cleanup_patterns()
    bare_max = stamp_patterns().bare_max_index
    title_key = normalize_for_compare(title) if title else None
    result = CleanResult([])
    in_link_block = False
    for index, para in enumerate(p.strip() for p in paragraphs):
        if para:
            para = _strip_suffix(para, pats)
        if not para:
            continue
        words = _WORDS.findall(para)
        if in_link_block:
            if not _is_prose(para, words, pats):
                result.removed.append(para)
                continue
            in_link_block = False
        stamp = parse_stamp(para, allow_bare=index <= bare_max)
        if stamp:
            result.stamps.append(stamp)
            result.removed.append(para)
            continue
        if is_chrome(para, pats, words):
            result.removed.append(para)
            continue
        if len(words) <= 8 and pats.block_heading.fullmatch(para.rstrip(" :.…»›>")):
            in_link_block = True
            result.removed.append(para)
            continue
        if index <= pats.byline_max_index:
            m = pats.byline.fullmatch(para)
            names = clean_authors(m.group("names")) if m else []
            if names:
                result.byline_authors.extend(n for n in names if n not in result.byline_authors)
                result.removed.append(para)
                continue
        if title_key and not result.paragraphs and normalize_for_compare(para) == title_key:
            result.removed.append(para)  # the headline repeated as the body's first line
            continue
        result.paragraphs.append(para)
    _take_credit_lines(result, pats)
    return result


def _take_credit_lines(result: CleanResult, pats: CleanupPatterns) -> None:
    """Move wire credit lines at the end of the body into ``credit_lines``."""
    tail_start = max(0, len(result.paragraphs) - pats.credit_tail)
    keep: list[str] = []
    for index, para in enumerate(result.paragraphs):
        if index >= tail_start and len(para) <= 500 and pats.credit.fullmatch(para):
            result.credit_lines.append(para)
            result.removed.append(para)
        else:
            keep.append(para)
    result.paragraphs = keep


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))
