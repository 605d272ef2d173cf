"""The TF-IDF event classifier: TF-IDF features and two logistic-regression layers, run with numpy.

The model file is a plain ``.npz`` (no pickle): the feature vocabulary, idf weights and the
coefficients of a *type* layer (16 PLOVER types + NONE) and a *mode* layer (``TYPE:mode``
labels). Prediction needs numpy only, so neither scikit-learn nor torch is a run-time need.
The fine-tuned MiniLM model (onnx_model.py) is the other kind; ``load_classifier`` picks by path.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DatelineError
from .features import FeatureConfig, sentence_features

log = logging.getLogger(__name__)

MODEL_ENV = "DATELINE_EVENT_MODEL"
DEFAULT_MODEL = Path(__file__).resolve().parents[3] / "models" / "event-classifier.npz"
DEFAULT_ONNX_MODEL = Path(__file__).resolve().parents[3] / "models" / "event-minilm"
# Which model load_classifier() uses by default ("onnx" or "npz"), chosen by bench/classifier.py:
# better PLOVER dev macro-F1 alone, at a coding rate still above the spaCy parse rate.
SHIPPED = "onnx"
FORMAT_VERSION = 1


@dataclass
class Layer:
    """One multinomial logistic regression over the shared feature space."""

    classes: list[str]
    coef: np.ndarray  # (n_classes, n_features)
    intercept: np.ndarray  # (n_classes,)

    def __post_init__(self) -> None:
        # rows per feature: a sentence touches a few hundred features, so gather rows, never build dense input
        self._by_feature = np.ascontiguousarray(self.coef.T, dtype=np.float32)

    def probabilities(self, rows: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        z = np.empty((len(rows), len(self.classes)), dtype=np.float32)
        for i, (cols, vals) in enumerate(rows):
            z[i] = vals @ self._by_feature[cols] + self.intercept if len(cols) else self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Prediction:
    """The classifier's reading of one sentence."""

    type: str  # a PLOVER type or NONE
    probability: float
    mode: str | None
    probabilities: dict[str, float] = field(repr=False)

    def p(self, type_: str) -> float:
        return self.probabilities.get(type_, 0.0)


@dataclass
class EventClassifier:
    vocabulary: dict[str, int]
    idf: np.ndarray
    types: Layer
    modes: Layer
    config: FeatureConfig
    card: dict = field(default_factory=dict)

    # -- features -------------------------------------------------------------
    def vectorize(self, feature_lists: list[list[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Sparse rows (columns, values): sublinear TF x IDF, L2-normalised, as TfidfVectorizer did in training."""
        out = []
        vocab = self.vocabulary
        for feats in feature_lists:
            counts: dict[int, int] = {}
            for f in feats:
                j = vocab.get(f)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            if not len(cols):
                out.append((cols, np.zeros(0, np.float32)))
                continue
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))
            vals = tf * self.idf[cols]
            out.append((cols, (vals / np.linalg.norm(vals)).astype(np.float32)))
        return out

    # -- prediction -------------------------------------------------------------
    def predict_features(self, feature_lists: list[list[str]]) -> list[Prediction]:
        if not feature_lists:
            return []
        x = self.vectorize(feature_lists)
        pt = self.types.probabilities(x)
        pm = self.modes.probabilities(x)
        out = []
        for i in range(len(feature_lists)):
            k = int(pt[i].argmax())
            type_ = self.types.classes[k]
            out.append(Prediction(type_, float(pt[i, k]), self._mode(type_, pm[i]),
                                  {c: float(pt[i, j]) for j, c in enumerate(self.types.classes)}))
        return out

    def _mode(self, type_: str, pm: np.ndarray) -> str | None:
        best, best_p = None, 0.0
        prefix = type_ + ":"
        for j, label in enumerate(self.modes.classes):
            if label.startswith(prefix) and pm[j] > best_p:
                best, best_p = label[len(prefix):], float(pm[j])
        return best

    def predict_spans(self, spans) -> list[Prediction]:
        """Predict for parsed sentences (spaCy Spans or Docs)."""
        return self.predict_features([sentence_features(s.text, s, self.config) for s in spans])

    def predict_texts(self, texts: list[str]) -> list[Prediction]:
        """Predict for raw sentences; parses them first when the model uses syntax features."""
        if self.config.syntax:
            from .. import nlp

            return self.predict_spans(list(nlp.parse(texts)))
        return self.predict_features([sentence_features(t, None, self.config) for t in texts])

    # -- files ------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        terms = np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__), dtype=str)
        with path.open("wb") as fh:
            np.savez_compressed(
                fh, format_version=np.array(FORMAT_VERSION), terms=terms, idf=self.idf.astype(np.float32),
                type_classes=np.array(self.types.classes, dtype=str),
                type_coef=self.types.coef.astype(np.float32), type_intercept=self.types.intercept.astype(np.float32),
                mode_classes=np.array(self.modes.classes, dtype=str),
                mode_coef=self.modes.coef.astype(np.float32), mode_intercept=self.modes.intercept.astype(np.float32),
                config=np.array(json.dumps(self.config.to_dict())),
            )

    @classmethod
    def load(cls, path: Path) -> "EventClassifier":
        path = Path(path)
        if not path.is_file():
            raise DatelineError(f"event classifier not found at {path}; fix: make train (or dateline train)")
        try:
            with np.load(path, allow_pickle=False) as z:
                if int(z["format_version"]) != FORMAT_VERSION:
                    raise DatelineError(f"{path}: model format {int(z['format_version'])}, expected "
                                        f"{FORMAT_VERSION}; fix: make train")
                terms = [str(t) for t in z["terms"]]
                model = cls(
                    vocabulary={t: i for i, t in enumerate(terms)}, idf=z["idf"],
                    types=Layer([str(c) for c in z["type_classes"]], z["type_coef"], z["type_intercept"]),
                    modes=Layer([str(c) for c in z["mode_classes"]], z["mode_coef"], z["mode_intercept"]),
                    config=FeatureConfig.from_dict(json.loads(str(z["config"]))),
                )
        except (OSError, ValueError, KeyError) as exc:
            raise DatelineError(f"{path} is not a dateline event classifier ({exc}); fix: make train") from exc
        card = path.with_suffix(".json")
        if card.is_file():
            model.card = json.loads(card.read_text(encoding="utf-8"))
        return model


def model_path() -> Path:
    """The model ``load_classifier()`` uses: ``$DATELINE_EVENT_MODEL``, else the shipped default."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    return DEFAULT_ONNX_MODEL if SHIPPED == "onnx" else DEFAULT_MODEL


def _load_any(path: Path):
    """A ``.npz`` file is the TF-IDF model; a folder (or a ``.onnx`` file in one) is the MiniLM model."""
    if path.suffix == ".npz":
        return EventClassifier.load(path)
    from .onnx_model import OnnxEventClassifier

    return OnnxEventClassifier.load(path)


@functools.lru_cache(maxsize=4)
def _load_cached(path: str, default: bool):
    try:
        return _load_any(Path(path))
    except DatelineError as exc:
        if not default or Path(path) == DEFAULT_MODEL:
            raise
        # the shipped MiniLM cannot run here (no onnxruntime, say): the TF-IDF model still can
        log.warning("%s; using the TF-IDF event classifier %s instead", exc.message, DEFAULT_MODEL)
        return EventClassifier.load(DEFAULT_MODEL)


def load_classifier(path: Path | str | None = None):
    """The event classifier at ``path``, cached: an ``EventClassifier`` (``.npz``) or an
    ``OnnxEventClassifier`` (model folder). Default: ``$DATELINE_EVENT_MODEL``, else the shipped winner
    of bench/classifier.py (``SHIPPED``), falling back to the TF-IDF file when that cannot load."""
    default = path is None and not os.environ.get(MODEL_ENV)
    return _load_cached(str(path or model_path()), default)
