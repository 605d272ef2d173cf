"""Offline language identification (py3langid) -> ISO 639-1 code, or "und" with a reason.

py3langid always names a language, even for a menu, a row of numbers or five
words; reporting such a guess as "language af" would be a made-up fact. So the
guess is kept only when the text has enough letters and the identifier's
normalised probability clears a floor (data/extract/language.yaml); otherwise
the language is "und" (undetermined) and ``LanguageGuess.reason`` says why, in
words the pipeline shows instead of analysing the text.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from dataclasses import dataclass

from ..errors import DatelineError
from ..resources import load_yaml

logger = logging.getLogger(__name__)

UNDETERMINED = "und"  # ISO 639-2 / BCP 47: language not determined
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]*")  # Latin capitals: the recheck is for Latin-script lookalikes
_LANG_ATTR = re.compile(r"^([a-z]{2})(?:[-_].*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class LanguageRules:
    """When a guess is trusted; loaded from data/extract/language.yaml."""

    sample_chars: int
    min_letters: int
    min_letter_share: float
    min_probability: float
    not_languages: frozenset[str]
    recheck_without_names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LanguageGuess:
    """What the text (or, failing it, the page's declaration) says about its language."""

    code: str | None  # ISO 639-1 code, UNDETERMINED, or None when no identifier and no declaration
    source: str  # "text" | "declared" | "none"
    letters: int  # letters in the sample the identifier read
    probability: float | None = None  # identifier's normalised probability of its best label
    best_guess: str | None = None  # the identifier's label, even when it was not trusted
    reason: str | None = None  # why the text alone could not tell (None when it could)


@functools.lru_cache(maxsize=1)
def language_rules() -> LanguageRules:
    raw = load_yaml("extract", "language.yaml")
    try:
        rules = LanguageRules(
            sample_chars=int(raw["sample_chars"]),
            min_letters=int(raw["min_letters"]),
            min_letter_share=float(raw["min_letter_share"]),
            min_probability=float(raw["min_probability"]),
            not_languages=frozenset(str(x).lower() for x in raw["not_languages"]),
            recheck_without_names=frozenset(str(x).lower() for x in raw.get("recheck_without_names") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DatelineError(f"data/extract/language.yaml is malformed: {exc}") from exc
    if rules.sample_chars < 1 or not 0.0 <= rules.min_letter_share <= 1.0 or not 0.0 <= rules.min_probability <= 1.0:
        raise DatelineError("data/extract/language.yaml is malformed: a threshold is out of range")
    return rules


_identifier_lock = threading.Lock()
_identifier: object | None = None
_identifier_missing = False


def _get_identifier():
    """py3langid's identifier with normalised probabilities (0..1), built once; None if unavailable."""
    global _identifier, _identifier_missing
    if _identifier is not None or _identifier_missing:
        return _identifier
    with _identifier_lock:
        if _identifier is None and not _identifier_missing:
            try:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier
            except ImportError:  # pragma: no cover - declared dependency
                logger.warning("py3langid missing; language from the page's declaration only")
                _identifier_missing = True
                return None
            # The constructor's name changed across py3langid releases; both load the bundled model.
            build = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
            _identifier = build(MODEL_FILE, norm_probs=True)
    return _identifier


def _from_attr(declared: str | None) -> str | None:
    m = _LANG_ATTR.match((declared or "").strip())
    return m.group(1).lower() if m else None


def _from_text(text: str, rules: LanguageRules) -> LanguageGuess:
    sample = text[: rules.sample_chars]
    letters = sum(1 for c in sample if c.isalpha())
    if letters < rules.min_letters:
        return LanguageGuess(UNDETERMINED, "text", letters,
                             reason=f"too little text to tell the language ({letters} letters)")
    visible = sum(1 for c in sample if not c.isspace())
    share = letters / visible
    if share < rules.min_letter_share:
        return LanguageGuess(UNDETERMINED, "text", letters,
                             reason=f"too little text to tell the language (only {share:.0%} of it letters)")
    identifier = _get_identifier()
    if identifier is None:
        return LanguageGuess(None, "none", letters, reason="no language identifier installed")
    label, prob = identifier.classify(sample)
    label, prob = str(label or "").lower(), float(prob)
    if label in rules.recheck_without_names:
        # Names (capitalised words) say nothing about the language around them, yet py3langid reads
        # English news full of Nigerian names as Nigerian Pidgin; without the names, the prose decides.
        again, again_p = identifier.classify(_CAPITALISED.sub(" ", sample))
        if str(again).lower() != label:
            label, prob = str(again).lower(), float(again_p)
    if not label or label == UNDETERMINED or label in rules.not_languages:
        return LanguageGuess(UNDETERMINED, "text", letters, prob, label or None,
                             reason=f"no language found in the text (identifier says {label or 'nothing'})")
    if prob < rules.min_probability:
        return LanguageGuess(UNDETERMINED, "text", letters, prob, label,
                             reason=f"language uncertain (p={prob:.2f}, best guess {label})")
    return LanguageGuess(label, "text", letters, prob, label)


def identify_language(text: str, declared: str | None = None) -> LanguageGuess:
    """The language of ``text``; the page's declared ``lang`` decides only when the text cannot tell."""
    guess = _from_text(text or "", language_rules())
    if guess.reason is None:
        return guess
    attr = _from_attr(declared)
    if attr:
        # A page template's lang attribute is often left at a default, so it is second best,
        # but when the text itself is silent it is the only evidence there is.
        return LanguageGuess(attr, "declared", guess.letters, guess.probability, guess.best_guess, guess.reason)
    return guess


def detect_language(text: str, declared: str | None = None) -> str | None:
    """ISO 639-1 code of ``text``, "und" when it cannot be told, None when no identifier is installed."""
    return identify_language(text, declared).code


def undetermined_reason(text: str) -> str:
    """Why ``text`` alone gives no language, for a "not analysed: ..." note."""
    return _from_text(text or "", language_rules()).reason or "language undetermined"
