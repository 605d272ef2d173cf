"""Plain-text copies of web pages -> paragraphs, headline and body.

A text copy keeps the page's chrome as lines ("Image default", "Related posts", a comment
form's consent line). Paragraphs are blank-line separated blocks; a block of hard-wrapped
lines is joined, a block of short unrelated lines (a menu) stays one paragraph per line.
"""

from __future__ import annotations

import re

from .cleanup import CleanResult, clean_paragraphs, normalize_for_compare

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_WRAP_MIN_CHARS = 40
_TITLE_MAX_WORDS = 20
_TITLE_MAX_CHARS = 200


def split_paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n")
    if not _BLANK_LINE.search(text):
        return [line.strip() for line in text.split("\n") if line.strip()]
    out: list[str] = []
    for block in _BLANK_LINE.split(text):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        hard_wrapped = len(lines) > 1 and all(len(line) >= _WRAP_MIN_CHARS for line in lines[:-1])
        if hard_wrapped:
            out.append(" ".join(lines))
        else:
            out.extend(lines)
    return out


def _headline_like(para: str) -> bool:
    words = para.split()
    return (
        0 < len(words) <= _TITLE_MAX_WORDS
        and len(para) <= _TITLE_MAX_CHARS
        and not para.rstrip().endswith((".", ",", ";", ":"))
    )


def clean_text_document(text: str, title_hint: str | None = None) -> tuple[str | None, CleanResult]:
    """(title, cleaned body) of a plain-text page: the headline is the first short non-chrome line."""
    result = clean_paragraphs(split_paragraphs(text), title=title_hint)
    title = title_hint
    if result.paragraphs:
        first = result.paragraphs[0]
        if title is None and _headline_like(first) and len(result.paragraphs) > 1:
            title = first
            result.removed.append(result.paragraphs.pop(0))
        elif title is not None and normalize_for_compare(first) == normalize_for_compare(title):
            result.removed.append(result.paragraphs.pop(0))
    return title, result
