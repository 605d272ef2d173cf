"""The fine-tuned MiniLM event classifier run with onnxruntime (models/event-minilm/), and how
load_classifier chooses between it and the TF-IDF model."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from dateline.classify import model as model_mod
from dateline.classify.model import DEFAULT_MODEL, DEFAULT_ONNX_MODEL, EventClassifier, load_classifier
from dateline.classify.onnx_model import LABELS_FILE, MODEL_FILE, TOKENIZER_FILE, OnnxEventClassifier
from dateline.errors import DatelineError

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("onnxruntime")


@pytest.fixture(scope="module")
def onnx_model() -> OnnxEventClassifier:
    assert (DEFAULT_ONNX_MODEL / MODEL_FILE).is_file(), "models/event-minilm missing: see tools/minilm/README.md"
    return OnnxEventClassifier.load(DEFAULT_ONNX_MODEL)


# Sentences written for this test (not from any gold set or the training corpus), one clear reading each.
CLEAR = [
    ("Artillery units shelled rebel positions outside the northern town overnight, killing four fighters.",
     "ASSAULT"),
    ("The Bolivian foreign minister flew to Asuncion on Tuesday for talks with his Paraguayan counterpart.",
     "CONSULT"),
    ("Thousands of nurses marched through the streets of Lagos demanding unpaid wages.", "PROTEST"),
    ("Police in Dhaka arrested seven opposition organisers before dawn on Friday.", "COERCE"),
    ("The visiting side's opening batsman struck three sixes before lunch on the second day.", "NONE"),
]


def test_shipped_model_reads_clear_sentences(onnx_model):
    preds = onnx_model.predict_texts([t for t, _ in CLEAR])
    got = [p.type for p in preds]
    assert got == [ty for _, ty in CLEAR], got
    for p in preds:
        assert abs(sum(p.probabilities.values()) - 1.0) < 1e-4
        assert 0.0 < p.probability <= 1.0 and p.probability == max(p.probabilities.values())
        # a mode always belongs to the predicted type
        if p.mode is not None:
            assert f"{p.type}:{p.mode}" in onnx_model.modes
    assert preds[0].mode is not None  # ASSAULT always has a mode in the corpus


def test_a_sentence_reads_the_same_whatever_its_neighbours(onnx_model):
    texts = [t for t, _ in CLEAR]
    together = onnx_model.predict_texts(texts[::-1])
    alone = [onnx_model.predict_texts([t])[0] for t in texts[::-1]]
    # int8 quantises activations per input tensor: batch-mates would move a sentence's answer, so none share one
    assert [(p.type, p.mode, p.probability) for p in together] == [(p.type, p.mode, p.probability) for p in alone]
    mixed = onnx_model.predict_texts([texts[0], "The weather was mild.", "x " * 200])
    assert (mixed[0].type, mixed[0].probability) == (alone[-1].type, alone[-1].probability)
    assert onnx_model.predict_texts([]) == []
    assert len(onnx_model.predict_texts(["", "   "])) == 2  # blank input is read, not a crash


def test_predict_spans_reads_parsed_sentences(onnx_model):
    from dateline import nlp

    doc = next(nlp.parse([CLEAR[3][0]]))
    assert onnx_model.predict_spans(list(doc.sents))[0].type == "COERCE"


def test_card_names_its_training_data_and_file():
    card = json.loads((DEFAULT_ONNX_MODEL / "card.json").read_text(encoding="utf-8"))
    h = hashlib.sha256()
    for name in card["training_data"]:
        h.update((ROOT / name).read_bytes())
    assert card["training_data_sha256"] == h.hexdigest(), "model card does not match the training data: retrain"
    model_file = DEFAULT_ONNX_MODEL / MODEL_FILE
    assert card["file_sha256"] == hashlib.sha256(model_file.read_bytes()).hexdigest()
    size = sum(p.stat().st_size for p in DEFAULT_ONNX_MODEL.iterdir() if p.is_file())
    assert size <= 50 * 1024 * 1024
    labels = json.loads((DEFAULT_ONNX_MODEL / LABELS_FILE).read_text(encoding="utf-8"))
    assert len(labels["types"]) == 17 and "NONE" in labels["types"]
    assert set(card["types"]) == set(labels["types"])
    for key in ("trained", "examples", "max_len", "training"):
        assert card.get(key), key


def test_missing_folder_or_files_are_clear_errors(tmp_path):
    with pytest.raises(DatelineError, match="not found"):
        OnnxEventClassifier.load(tmp_path / "nowhere")
    with pytest.raises(DatelineError, match=f"missing {MODEL_FILE}"):
        OnnxEventClassifier.load(tmp_path)


def _copy_model(tmp_path: Path) -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    for name in (TOKENIZER_FILE, LABELS_FILE):
        shutil.copyfile(DEFAULT_ONNX_MODEL / name, folder / name)
    return folder


def test_corrupt_model_or_labels_are_clear_errors(tmp_path):
    folder = _copy_model(tmp_path)
    (folder / MODEL_FILE).write_bytes(b"this is not an onnx graph")
    with pytest.raises(DatelineError, match="not a usable ONNX model"):
        OnnxEventClassifier.load(folder)
    shutil.copyfile(DEFAULT_ONNX_MODEL / MODEL_FILE, folder / MODEL_FILE)
    (folder / LABELS_FILE).write_text(json.dumps({"types": ["ASSAULT", "NONE"], "modes": []}), encoding="utf-8")
    with pytest.raises(DatelineError, match="do not match"):
        OnnxEventClassifier.load(folder)
    (folder / LABELS_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(DatelineError, match="not a labels file"):
        OnnxEventClassifier.load(folder)


def test_load_classifier_chooses_by_path_and_env(monkeypatch, tmp_path):
    assert isinstance(load_classifier(DEFAULT_MODEL), EventClassifier)
    assert isinstance(load_classifier(DEFAULT_ONNX_MODEL), OnnxEventClassifier)
    assert isinstance(load_classifier(DEFAULT_ONNX_MODEL / MODEL_FILE), OnnxEventClassifier)
    monkeypatch.setenv(model_mod.MODEL_ENV, str(DEFAULT_MODEL))
    assert isinstance(load_classifier(), EventClassifier)
    # an explicit model that cannot load is an error, never a silent switch to another model
    monkeypatch.setenv(model_mod.MODEL_ENV, str(tmp_path / "missing-model"))
    with pytest.raises(DatelineError):
        load_classifier()


def test_default_falls_back_to_tfidf_when_the_shipped_onnx_cannot_load(monkeypatch, tmp_path, caplog):
    monkeypatch.delenv(model_mod.MODEL_ENV, raising=False)
    monkeypatch.setattr(model_mod, "SHIPPED", "onnx")
    monkeypatch.setattr(model_mod, "DEFAULT_ONNX_MODEL", tmp_path / "gone")
    model_mod._load_cached.cache_clear()
    try:
        with caplog.at_level("WARNING", logger="dateline.classify.model"):
            assert isinstance(load_classifier(), EventClassifier)
        assert any("TF-IDF" in r.message for r in caplog.records)
    finally:
        model_mod._load_cached.cache_clear()


def test_thread_setting_is_validated(monkeypatch):
    from dateline.classify import onnx_model as om

    monkeypatch.setenv(om.THREADS_ENV, "3")
    assert om._threads() == 3
    monkeypatch.setenv(om.THREADS_ENV, "many")
    with pytest.raises(DatelineError, match="whole number"):
        om._threads()
