"""Author strings as pages give them -> a clean list of personal names.

Sites put anything in author fields: "By Jane Doe and John Roe | Reuters", "Email the author",
"3 hours ago", profile URLs, "Staff". We keep what reads as a name and drop the rest.
"""

from __future__ import annotations

import functools
import re

from ..resources import load_yaml

_SPLIT = re.compile(r"\s*(?:;|\||/|\band\b|&|\bund\b|\bet\b|\n)\s*", re.IGNORECASE)
_LEAD = re.compile(
    r"^(?:(?:written|reported|reporting|words|text|story|posted|photos?|edited)\s+by|by|von|par|por|di|door|"
    r"autor(?:in)?|author|text)\s*:?\s+",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+")
_URL = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|[A-Z]\.)$")


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[str], frozenset[str], int]:
    raw = load_yaml("extract", "authors.yaml")
    return (
        frozenset(w.lower() for w in raw["not_name_words"]),
        frozenset(w.lower() for w in raw["particles"]),
        int(raw["max_words"]),
    )


def _split(raw: str) -> list[str]:
    raw = _URL.sub(" ", _EMAIL.sub(" ", raw))
    parts: list[str] = []
    for chunk in _SPLIT.split(raw):
        chunk = _LEAD.sub("", chunk.strip(" ,.:-–—·•\t"))
        pieces = [p.strip() for p in chunk.split(",") if p.strip()]
        if len(pieces) == 2 and all(len(p.split()) == 1 for p in pieces):
            parts.append(f"{pieces[1]} {pieces[0]}")  # "Doe, Jane"
        else:
            parts.extend(pieces)  # "Jane Doe, John Roe" or "Jane Doe, Reuters"
    return parts


def clean_name(candidate: str) -> str | None:
    """One candidate -> a personal name, or None when it is not one."""
    not_name, particles, max_words = _lexicon()
    name = " ".join(_LEAD.sub("", candidate.strip(" ,.:-–—·•")).split())
    if not name or _DIGIT.search(name) or "@" in name or len(name) > 60:
        return None
    if name.isupper():
        name = name.title()
    words = name.split()
    if not (2 <= len(words) <= max_words):
        return None
    if any(w.lower().strip(".,") in not_name for w in words):
        return None
    for w in words:
        if w.lower() in particles:
            continue
        if not _NAME_WORD.match(w):
            return None
    return name


def clean_authors(raw: str | list[str] | None) -> list[str]:
    """Every personal name in ``raw`` (strings may hold several), deduplicated, in order."""
    if not raw:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            continue
        for part in _split(item):
            name = clean_name(part)
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                out.append(name)
    return out


_BYLINE_LEAD = re.compile(r"^\s*(?:by|von|par|por|door)\b\s*:?\s*", re.IGNORECASE)
_CREDIT = re.compile(
    r"(?:^|[(;]\s*)(?P<role>(?:additional\s+)?reporting|writing|written)\s+by\s+(?P<names>[^;)]+)",
    re.IGNORECASE,
)
_IN_PLACE = re.compile(r"\s+in\s+[^,;&]+?(?=\s+and\s+|\s*,|\s*&|$)")
_CREDIT_TAIL = 3


def byline_authors(texts: list[str]) -> list[str]:
    """Names from byline elements ("By Jane Doe and John Roe | March 7, 2024").

    Only texts that read as a byline count: they start with "By" or are a name on their own.
    """
    for text in texts:
        names = clean_authors(_BYLINE_LEAD.sub("", text)) if _BYLINE_LEAD.match(text) or len(text.split()) <= 6 else []
        if names:
            return names
    return []


def credit_authors(paragraphs: list[str]) -> list[str]:
    """Reporters named in a wire credit line at the end of a body, "(Reporting by A in X; Editing by B)".

    Editors are not authors; "Additional reporting" and "Writing" count only when no one is credited
    with the reporting itself.
    """
    for para in reversed(paragraphs[-_CREDIT_TAIL:]):
        if len(para) > 400:
            continue
        by_role: dict[str, list[str]] = {}
        for m in _CREDIT.finditer(para):
            role = m["role"].lower().split()[0]
            by_role.setdefault(role, []).extend(clean_authors(_IN_PLACE.sub("", m["names"])))
        for role in ("reporting", "writing", "written", "additional"):
            if by_role.get(role):
                return by_role[role]
    return []
