"""Offline language identification (py3langid) -> ISO 639-1 code."""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

_SAMPLE_CHARS = 1000  # plenty for a confident guess; py3langid cost grows with length
_MIN_CHARS = 40
_LANG_ATTR = re.compile(r"^([a-z]{2})(?:[-_].*)?$", re.IGNORECASE)


def _from_attr(declared: str | None) -> str | None:
    m = _LANG_ATTR.match((declared or "").strip())
    return m.group(1).lower() if m else None


def detect_language(text: str, declared: str | None = None) -> str | None:
    """Language of ``text``; the page's declared ``lang`` decides only when the text is too short."""
    sample = text[:_SAMPLE_CHARS]
    if len(sample.strip()) < _MIN_CHARS:
        return _from_attr(declared)
    try:
        import py3langid
    except ImportError:  # pragma: no cover - declared dependency
        logger.warning("py3langid missing; language from the page's declaration only")
        return _from_attr(declared)
    code, _score = py3langid.classify(sample)
    return code or _from_attr(declared)
