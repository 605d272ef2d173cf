"""The fine-tuned MiniLM event classifier, run with onnxruntime and tokenizers (no torch).

A model folder (``models/event-minilm/``, written by tools/minilm/finetune.py) holds:

  ``model.int8.onnx``  MiniLM + two heads, int8 weights; inputs ``input_ids``, ``attention_mask``,
                       outputs ``type_logits`` (PLOVER types + NONE) and ``mode_logits`` (``TYPE:mode``)
  ``tokenizer.json``   the MiniLM word-piece tokenizer
  ``labels.json``      ``{"types": [...], "modes": [...]}`` in output order
  ``card.json``        provenance: training data sha256, max_len, validation figures

Same interface as the TF-IDF ``EventClassifier``: ``predict_spans`` and ``predict_texts`` return
``Prediction`` objects, so events/combine.py does not care which model it holds.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import DatelineError
from .model import Prediction

log = logging.getLogger(__name__)

MODEL_FILE = "model.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
LABELS_FILE = "labels.json"
CARD_FILE = "card.json"
THREADS_ENV = "DATELINE_ONNX_THREADS"
DEFAULT_MAX_LEN = 64
FIX = "fix: make train-minilm (tools/minilm/README.md), or point DATELINE_EVENT_MODEL at a .npz model"


def _threads() -> int:
    """Intra-op threads: $DATELINE_ONNX_THREADS, else 1.

    combine_events asks about a few sentences of one article at a time; on such small batches
    extra threads mostly wait for each other, and on a busy machine (or beside parallel ingest
    workers) one thread measured faster than two (bench/classifier.py: 41 vs 21-42 sentences/s)."""
    raw = os.environ.get(THREADS_ENV)
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            raise DatelineError(f"{THREADS_ENV}={raw!r} is not a whole number of threads") from None
    return 1


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class OnnxEventClassifier:
    """A loaded model folder; build it with ``OnnxEventClassifier.load(folder)``."""

    folder: Path
    types: list[str]
    modes: list[str]
    max_len: int
    session: object = field(repr=False)
    tokenizer: object = field(repr=False)
    card: dict = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | str) -> "OnnxEventClassifier":
        folder = Path(folder)
        if folder.suffix == ".onnx":  # a path to the model file itself names its folder
            folder = folder.parent
        if not folder.is_dir():
            raise DatelineError(f"ONNX event classifier folder not found at {folder}; {FIX}")
        for name in (MODEL_FILE, TOKENIZER_FILE, LABELS_FILE):
            if not (folder / name).is_file():
                raise DatelineError(f"{folder} is missing {name}; {FIX}")
        try:
            import onnxruntime as ort
        except ImportError:
            raise DatelineError("onnxruntime is not installed, so the MiniLM event classifier cannot run; "
                                "fix: pip install onnxruntime") from None
        try:
            from tokenizers import Tokenizer
        except ImportError:
            raise DatelineError("tokenizers is not installed; fix: pip install tokenizers") from None
        try:
            labels = json.loads((folder / LABELS_FILE).read_text(encoding="utf-8"))
            types, modes = list(labels["types"]), list(labels["modes"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DatelineError(f"{folder / LABELS_FILE} is not a labels file ({exc}); {FIX}") from exc
        card = {}
        if (folder / CARD_FILE).is_file():
            try:
                card = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
            except ValueError as exc:
                raise DatelineError(f"{folder / CARD_FILE} is not JSON ({exc})") from exc
        max_len = int(card.get("max_len") or DEFAULT_MAX_LEN)
        try:
            tok = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        except Exception as exc:  # the Rust side raises plain Exception subclasses
            raise DatelineError(f"{folder / TOKENIZER_FILE} is not a tokenizer ({exc}); {FIX}") from exc
        tok.enable_truncation(max_length=max_len)
        tok.no_padding()  # tokenizer.json may carry fixed-length padding; single runs need none
        so = ort.SessionOptions()
        so.intra_op_num_threads = _threads()
        so.inter_op_num_threads = 1
        # spinning threads burn cores that spaCy or other workers could use
        so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            session = ort.InferenceSession(str(folder / MODEL_FILE), so, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf types
            raise DatelineError(f"{folder / MODEL_FILE} is not a usable ONNX model ({exc}); {FIX}") from exc
        outputs = {o.name: o.shape for o in session.get_outputs()}
        if outputs.get("type_logits", [None, None])[-1] != len(types) or \
                outputs.get("mode_logits", [None, None])[-1] != len(modes):
            raise DatelineError(f"{folder}: model outputs {outputs} do not match {LABELS_FILE} "
                                f"({len(types)} types, {len(modes)} modes); {FIX}")
        return cls(folder, types, modes, max_len, session, tok, card)

    # -- prediction -------------------------------------------------------------
    def _logits(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        # One sentence per run, never a batch: the int8 graph quantises activations with one scale per
        # input tensor, so in a batch a sentence's answer would depend on its neighbours (13 of 270
        # validation sentences changed type between batches of 32 and single runs). Single runs pad
        # nothing and measured no slower on this CPU.
        pt = np.empty((len(texts), len(self.types)), dtype=np.float32)
        pm = np.empty((len(texts), len(self.modes)), dtype=np.float32)
        for i, enc in enumerate(self.tokenizer.encode_batch(texts)):
            feeds = {"input_ids": np.asarray([enc.ids], dtype=np.int64),
                     "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64)}
            t, m = self.session.run(["type_logits", "mode_logits"], feeds)
            pt[i], pm[i] = t[0], m[0]
        return pt, pm

    def predict_texts(self, texts: list[str]) -> list[Prediction]:
        """Predict for raw sentences (no parse needed)."""
        if not texts:
            return []
        texts = [t if t.strip() else "." for t in texts]  # an empty input would be all special tokens anyway
        lt, lm = self._logits(texts)
        pt, pm = _softmax(lt), _softmax(lm)
        out = []
        for i in range(len(texts)):
            k = int(pt[i].argmax())
            type_ = self.types[k]
            out.append(Prediction(type_, float(pt[i, k]), self._mode(type_, pm[i]),
                                  {c: float(pt[i, j]) for j, c in enumerate(self.types)}))
        return out

    def predict_spans(self, spans) -> list[Prediction]:
        """Predict for parsed sentences (spaCy Spans or Docs); only their text is read."""
        return self.predict_texts([s.text for s in spans])

    def _mode(self, type_: str, pm: np.ndarray) -> str | None:
        prefix = type_ + ":"
        best, best_p = None, -1.0
        for j, label in enumerate(self.modes):
            if label.startswith(prefix) and pm[j] > best_p:
                best, best_p = label[len(prefix):], float(pm[j])
        return best
