"""The event classifier: features, training, the model file, and how it is combined with the rules."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from dateline.classify.features import FeatureConfig, char_features, sentence_features, word_features
from dateline.classify.model import DEFAULT_MODEL, EventClassifier, load_classifier
from dateline.classify.train import Example, load_examples, train_classifier
from dateline.errors import DatelineError, InputError

ROOT = Path(__file__).resolve().parents[1]
CARD = DEFAULT_MODEL.with_suffix(".json")

# Tiny hand-made examples: two event types and NONE, enough for the training code to run.
TINY = [
    ("Kenyan troops shelled rebel positions near the border.", "ASSAULT", "heavy-weapons"),
    ("Gunmen shot three police officers in the market.", "ASSAULT", "firearms"),
    ("Militants fired rockets at an army base overnight.", "ASSAULT", "heavy-weapons"),
    ("Soldiers opened fire on a convoy of fighters.", "ASSAULT", "firearms"),
    ("The foreign minister visited Lima for talks.", "CONSULT", "visit"),
    ("The two presidents met in Nairobi on Monday.", "CONSULT", None),
    ("Officials held talks with their Chilean counterparts.", "CONSULT", None),
    ("The envoy travelled to Hanoi to meet the premier.", "CONSULT", "visit"),
    ("The home side won the match by two goals.", "NONE", None),
    ("Heavy rain flooded several streets in the capital.", "NONE", None),
    ("Shares fell sharply after the results were released.", "NONE", None),
    ("The striker scored twice in the second half.", "NONE", None),
]


def _tiny_examples() -> list[Example]:
    return [Example(t, ty, m, f"tiny:{i}") for i, (t, ty, m) in enumerate(TINY)]


def test_word_and_char_features_fold_digits_and_case():
    f = word_features("Troops fired 12 Rockets")
    assert "w:rockets" in f and "w:0" in f and "b:fired 0" in f
    assert "c: ro" in char_features("Rockets") and not any("1" in x for x in char_features("12 units"))


def test_syntax_features_see_modality_and_objects():
    from dateline import nlp

    doc = next(nlp.parse(["Ghana will send troops to Mali."]))
    feats = sentence_features(doc.text, doc, FeatureConfig(words=False, chars=False, syntax=True))
    assert "vm:send|future" in feats and "vo:send>troop" in feats
    # without a parse, syntax features are simply absent
    assert not any(f.startswith("v") for f in sentence_features(doc.text, None, FeatureConfig(chars=False)))


def test_train_save_load_round_trip(tmp_path):
    cfg = FeatureConfig(syntax=False)
    model = train_classifier(_tiny_examples(), cfg, c=10.0, min_df=1)
    path = tmp_path / "m.npz"
    model.save(path)
    # the file holds arrays only: loading it never unpickles anything
    with zipfile.ZipFile(path) as z:
        assert all(n.endswith(".npy") for n in z.namelist())
    again = EventClassifier.load(path)
    texts = ["Rebels fired mortars at a police post.", "The minister travelled to Quito for talks.",
             "The goalkeeper saved a penalty."]
    a, b = model.predict_texts(texts), again.predict_texts(texts)
    assert [p.type for p in a] == [p.type for p in b]
    assert np.allclose([p.probability for p in a], [p.probability for p in b], atol=1e-5)
    assert [p.type for p in a] == ["ASSAULT", "CONSULT", "NONE"]
    assert a[0].mode in ("heavy-weapons", "firearms") and a[2].mode is None
    assert abs(sum(a[0].probabilities.values()) - 1.0) < 1e-4


def test_bad_training_data_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "type": "ASSAULT"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:2"):
        load_examples([bad])
    bad.write_text('{"text": "x", "type": "FIGHT"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="FIGHT"):
        load_examples([bad])
    with pytest.raises(InputError, match="not found"):
        load_examples([tmp_path / "missing.jsonl"])


def test_missing_or_foreign_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(DatelineError, match="make train"):
        EventClassifier.load(tmp_path / "none.npz")
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not a model")
    with pytest.raises(DatelineError, match="not a dateline event classifier"):
        EventClassifier.load(junk)


def test_cli_train_writes_model_and_card(tmp_path):
    from dateline.cli import main

    data = tmp_path / "tiny.jsonl"
    data.write_text("".join(json.dumps({"text": t, "type": ty, "mode": m}) + "\n" for t, ty, m in TINY),
                    encoding="utf-8")
    out = tmp_path / "model.npz"
    assert main(["train", "--data", str(data), "--out", str(out)]) == 0
    card = json.loads(out.with_suffix(".json").read_text())
    assert card["training_data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert card["examples"] == len(TINY)
    assert load_classifier(out).predict_texts(["Soldiers shot two fighters."])[0].type == "ASSAULT"


def test_shipped_model_is_small_and_versioned_with_its_data():
    assert DEFAULT_MODEL.is_file(), "models/event-classifier.npz missing: make train"
    assert DEFAULT_MODEL.stat().st_size <= 50 * 1024 * 1024
    card = json.loads(CARD.read_text(encoding="utf-8"))
    data = [ROOT / p for p in card["training_data"]]
    h = hashlib.sha256()
    for p in data:
        h.update(p.read_bytes())
    assert card["training_data_sha256"] == h.hexdigest(), "model card does not match the training data: make train"
    assert card["file_sha256"] == hashlib.sha256(DEFAULT_MODEL.read_bytes()).hexdigest()
    for key in ("trained", "examples", "types", "evaluation"):
        assert card.get(key), key
