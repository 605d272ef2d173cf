"""Training the event classifier from labelled JSONL (needs scikit-learn, a training-only dependency).

Each line: ``{"text": ..., "type": "ASSAULT" | ... | "NONE", "mode": "aerial" | null}``; other
fields are ignored. ``make train`` trains on data/training/events/train.jsonl; ``dateline train``
does the same on a user's own files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..events.lexicon import PLOVER_TYPES
from .features import FeatureConfig, sentence_features
from .model import EventClassifier, Layer

log = logging.getLogger(__name__)

DEFAULT_DATA = Path(__file__).resolve().parents[3] / "data" / "training" / "events" / "train.jsonl"
LABELS = set(PLOVER_TYPES) | {"NONE"}
DEFAULT_C = 4.0  # chosen before looking at PLOVER dev; the feature families were compared on dev (see card)


@dataclass(frozen=True)
class Example:
    text: str
    type: str
    mode: str | None
    origin: str  # file:line, for error messages


def load_examples(paths: list[Path]) -> list[Example]:
    """Read labelled sentences; a malformed line is an InputError naming file and line."""
    out: list[Example] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise InputError(f"training data not found: {path}")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not JSON ({exc.msg})") from exc
            text, type_ = row.get("text"), row.get("type")
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{where}: no 'text'")
            if type_ not in LABELS:
                raise InputError(f"{where}: 'type' must be a PLOVER type or NONE, not {type_!r}")
            mode = row.get("mode")
            out.append(Example(text, type_, mode if isinstance(mode, str) and mode else None, where))
    if len({e.type for e in out}) < 2:
        raise InputError("training data needs at least two different types")
    return out


def data_sha256(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()


def featurize(texts: list[str], config: FeatureConfig, spacy_model: str | None = None) -> list[list[str]]:
    if not config.syntax:
        return [sentence_features(t, None, config) for t in texts]
    from .. import nlp

    return [sentence_features(d.text, d, config) for d in nlp.parse(texts, spacy_model, batch_size=64)]


def _fit_layer(x, labels: list[str], c: float) -> Layer:
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(labels))
    if len(classes) < 2:  # nothing to choose between: a constant layer
        return Layer(classes, np.zeros((len(classes), x.shape[1]), np.float32), np.zeros(len(classes), np.float32))
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(x, labels)
    return Layer([str(k) for k in lr.classes_], lr.coef_.astype(np.float32), lr.intercept_.astype(np.float32))


def train_classifier(examples: list[Example], config: FeatureConfig = FeatureConfig(), c: float = DEFAULT_C,
                     min_df: int = 2, features: list[list[str]] | None = None) -> EventClassifier:
    """Fit the type and mode layers; ``features`` skips re-parsing when the caller already has them."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError as exc:
        raise InputError("training needs scikit-learn: pip install scikit-learn") from exc
    feats = features if features is not None else featurize([e.text for e in examples], config)
    vec = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df)
    x = vec.fit_transform(feats)
    types = _fit_layer(x, [e.type for e in examples], c)
    with_mode = [i for i, e in enumerate(examples) if e.mode and e.type != "NONE"]
    modes = _fit_layer(x[with_mode], [f"{examples[i].type}:{examples[i].mode}" for i in with_mode], c) \
        if with_mode else Layer([], np.zeros((0, x.shape[1]), np.float32), np.zeros(0, np.float32))
    vocab = {str(k): int(v) for k, v in vec.vocabulary_.items()}
    return EventClassifier(vocab, vec.idf_.astype(np.float32), types, modes, config)


def _identity(feats: list[str]) -> list[str]:
    return feats


def _display(path: Path) -> str:
    """Repository-relative when the file is in the repository, so the card reads the same on every machine."""
    root = Path(__file__).resolve().parents[3]
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


def make_card(examples: list[Example], paths: list[Path], config: FeatureConfig, c: float) -> dict:
    import sklearn

    return {
        "model": "tfidf-logreg",
        "description": "TF-IDF (word 1-2-grams, character 3-5-grams, parse features) + logistic regression; "
                       "type layer (PLOVER types + NONE) and mode layer",
        "trained": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "training_data": [_display(p) for p in paths],
        "training_data_sha256": data_sha256(paths),
        "examples": len(examples),
        "types": dict(sorted(Counter(e.type for e in examples).items())),
        "features": config.to_dict(),
        "C": c,
        "scikit_learn": sklearn.__version__,
        "evaluation": None,
    }


def train_and_save(paths: list[Path], out: Path, config: FeatureConfig = FeatureConfig(),
                   c: float = DEFAULT_C) -> dict:
    """Train on ``paths``, write ``out`` (.npz) and its card (.json beside it); returns the card."""
    examples = load_examples(paths)
    log.info("training on %d examples from %s", len(examples), ", ".join(map(str, paths)))
    model = train_classifier(examples, config, c)
    out = Path(out)
    model.save(out)
    card = make_card(examples, paths, config, c)
    card["file_sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
    card["file_bytes"] = out.stat().st_size
    old = out.with_suffix(".json")
    if old.is_file():
        # evaluation figures belong to the data they were measured on: keep them only for the same data
        prev = json.loads(old.read_text(encoding="utf-8"))
        if prev.get("training_data_sha256") == card["training_data_sha256"]:
            card["evaluation"] = prev.get("evaluation")
    out.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    from .model import _load_cached

    _load_cached.cache_clear()
    return card
