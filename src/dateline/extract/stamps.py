"""Time-stamp paragraphs inside article text ("As of: 06/14/2023 4:04 p.m", "Stand: 14.06.2023 16:04 Uhr").

They are page furniture, not prose: they leave the body and may become the article's date.
"""

from __future__ import annotations

from dataclasses import dataclass

from .dates import DateValue, parse_date_text
from .patterns import stamp_patterns


@dataclass(frozen=True)
class Stamp:
    kind: str  # published | updated | as_of | bare
    value: DateValue
    text: str


def parse_stamp(paragraph: str, *, allow_bare: bool = False) -> Stamp | None:
    """The stamp a short paragraph states, or None when it is anything else.

    ``allow_bare`` also accepts a paragraph that is only a date (no "Published" word); callers
    allow that near the top of a body only, where a lone date is a dateline, not content.
    """
    pats = stamp_patterns()
    if len(paragraph) > 2 * pats.max_chars:  # cheap exit for prose before any normalising
        return None
    text = " ".join(paragraph.split())
    if not text or len(text) > pats.max_chars or not any(ch.isdigit() for ch in text):
        return None
    m = pats.prefix.match(text)
    if m:
        kind = pats.prefix_kind.get(m["prefix"].lower(), "as_of")
        rest = text[m.end() :]
    elif allow_bare:
        kind, rest = "bare", text
    else:
        return None
    value = parse_date_text(rest, strict=True, pats=pats)
    if value is None:
        return None
    return Stamp(kind, value, paragraph)


def pick_stamp(stamps: list[Stamp]) -> tuple[Stamp | None, Stamp | None]:
    """(publication stamp, update stamp) from the stamps a body held.

    A "Published" stamp is the publication time. "As of"/"Stand" and a lone dateline say when the
    text was last put out, which is the best publication time a copy offers when nothing else does;
    an "Updated" stamp counts as one only when it is all there is.
    """
    by_kind: dict[str, Stamp] = {}
    for st in stamps:
        by_kind.setdefault(st.kind, st)
    published = by_kind.get("published") or by_kind.get("as_of") or by_kind.get("bare") or by_kind.get("updated")
    updated = by_kind.get("updated")
    if updated is published:
        updated = None
    return published, updated
