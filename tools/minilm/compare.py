"""Compare two fine-tuned MiniLM model folders: is a retrained model the same as the shipped one?

    cd /work/main && .venv/bin/python tools/minilm/compare.py /tmp/minilm-repro [models/event-minilm] [--json]

Runs in the project venv (onnxruntime, no torch). Reports, for the two folders:

* whether ``model.int8.onnx`` is byte-identical (sha256), and the labels;
* the validation figures and checkpoint history recorded in each card;
* the predicted type and mode of every PLOVER dev sentence and every held-out validation sentence
  (the split of finetune.py, rebuilt with the same seed), and the largest difference between the
  two models' type probabilities, so last-digit drift is told apart from changed decisions.

Exit status 0 when every predicted type and mode agrees, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dateline.classify.onnx_model import MODEL_FILE, OnnxEventClassifier  # noqa: E402
from dateline.errors import DatelineError  # noqa: E402
from thresholds import held_out  # noqa: E402

SHIPPED = ROOT / "models" / "event-minilm"
DEV = ROOT.parent / "shared" / "data" / "plover-gsr" / "dev.jsonl"


@dataclass
class Difference:
    text: str
    gold: str
    a: str  # "TYPE:mode" of the first folder
    b: str


@dataclass
class SetComparison:
    name: str
    sentences: int
    same_type: int
    same_type_and_mode: int
    max_type_probability_gap: float
    accuracy_a: float
    accuracy_b: float
    differences: list[Difference] = field(default_factory=list)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _label(p) -> str:
    return f"{p.type}:{p.mode}" if p.mode else p.type


def compare_set(name: str, texts: list[str], gold: list[str], a: OnnxEventClassifier,
                b: OnnxEventClassifier) -> SetComparison:
    pa, pb = a.predict_texts(texts), b.predict_texts(texts)
    gap = max(abs(x.p(t) - y.p(t)) for x, y in zip(pa, pb) for t in a.types)
    diffs = [Difference(s, g, _label(x), _label(y)) for s, g, x, y in zip(texts, gold, pa, pb)
             if _label(x) != _label(y)]
    return SetComparison(
        name, len(texts), sum(x.type == y.type for x, y in zip(pa, pb)),
        sum(_label(x) == _label(y) for x, y in zip(pa, pb)), round(gap, 6),
        round(sum(x.type == g for x, g in zip(pa, gold)) / len(gold), 4),
        round(sum(y.type == g for y, g in zip(pb, gold)) / len(gold), 4), diffs)


def compare(folder_a: Path, folder_b: Path) -> dict:
    a, b = OnnxEventClassifier.load(folder_a), OnnxEventClassifier.load(folder_b)
    if a.types != b.types:
        raise DatelineError(f"{folder_a} and {folder_b} predict different type lists; nothing to compare")
    cards = [json.loads((f / "card.json").read_text(encoding="utf-8")) for f in (folder_a, folder_b)]
    dev = [json.loads(x) for x in DEV.read_text(encoding="utf-8").splitlines() if x.strip()]
    val = held_out(cards[0]["training"]["seed"])
    sets = [compare_set("plover_dev", [r["text"] for r in dev], [r["event"] for r in dev], a, b),
            compare_set("validation", [r["text"] for r in val], [r["type"] for r in val], a, b)]
    return {
        "a": str(folder_a), "b": str(folder_b),
        "same_file": _sha256(folder_a / MODEL_FILE) == _sha256(folder_b / MODEL_FILE),
        "same_labels": (a.types, a.modes) == (b.types, b.modes),
        "cards": [{"training_data_sha256": c["training_data_sha256"], "history": c["training"]["history"],
                   "kept_epoch": c["training"]["kept_epoch"], "validation_int8": c["validation_int8"],
                   "int8_agrees_with_fp32": c["int8_agrees_with_fp32"], "torch": c["training"].get("torch"),
                   "threads": c["training"].get("threads")} for c in cards],
        "sets": [asdict(s) for s in sets],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a", type=Path, help="a model folder, e.g. a retrained one")
    ap.add_argument("b", type=Path, nargs="?", default=SHIPPED, help="default: the shipped models/event-minilm")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        result = compare(args.a, args.b)
    except DatelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    agree = all(s["same_type_and_mode"] == s["sentences"] for s in result["sets"])
    if args.json:
        print(json.dumps(result, indent=2))
        return 0 if agree else 1
    print(f"{result['a']} vs {result['b']}: model file {'identical' if result['same_file'] else 'differs'}, "
          f"labels {'identical' if result['same_labels'] else 'differ'}")
    for side, card in zip("ab", result["cards"]):
        hist = ", ".join(f"{h['epoch']}: {h['macro_f1']}" for h in card["history"])
        print(f"  card {side}: validation macro-F1 by checkpoint {hist}; kept {card['kept_epoch']}; "
              f"int8 {card['validation_int8']}; int8 = fp32 on {card['int8_agrees_with_fp32']}")
    for s in result["sets"]:
        print(f"  {s['name']}: {s['sentences']} sentences, same type {s['same_type']}, same type and mode "
              f"{s['same_type_and_mode']}, largest type-probability gap {s['max_type_probability_gap']}; "
              f"accuracy a {s['accuracy_a']} b {s['accuracy_b']}")
        for d in s["differences"]:
            print(f"    gold {d['gold']}: a {d['a']} / b {d['b']}  {d['text'][:90]}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
