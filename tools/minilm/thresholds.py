"""Choose the combination thresholds of events/combine.py on the held-out hand-written split.

    cd /work/main && .venv/bin/python tools/minilm/thresholds.py [--model models/event-minilm] [--seed 13]

The split is the one tools/minilm/finetune.py held out of training (same seed, same rule: a
random third of the rows with ``source == "handwritten"``), so the MiniLM model never saw these
sentences. PLOVER dev is not read: thresholds chosen on dev would make the dev figures a
measure of the tuning. Runs in the project venv (no torch). Prints, for each threshold triple,
accuracy and macro-F1 of the combined coder (first event's type, ``none`` when no event) beside
the rules alone, under PLOVER's future convention (the one the corpus encodes).

Choice rule (fixed before looking): among settings that ask for a recipient (a design constraint,
see combine.NEW_EVENT_NEEDS_RECIPIENT), take the most conservative one -- highest OVERRIDE_P, then
highest NEW_EVENT_P, then lowest RULE_TYPE_FLOOR -- whose macro-F1 is within TOLERANCE of the best.
On 270 sentences 0.02 is about five sentences, under one bootstrap standard error (~0.03).
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from dateline import nlp  # noqa: E402
from dateline.classify import load_classifier  # noqa: E402
from dateline.events import combine  # noqa: E402
from dateline.models import Article  # noqa: E402
from dateline.pipeline import Options, understand  # noqa: E402
from events import macro_f1 as _macro_f1_and_per_type  # noqa: E402  (bench/events.py)

DATA = ROOT / "data" / "training" / "events" / "train.jsonl"
TOLERANCE = 0.02
GRID = {"OVERRIDE_P": [0.5, 0.6, 0.7, 0.8, 0.9], "RULE_TYPE_FLOOR": [0.02, 0.05, 0.1, 0.2],
        "NEW_EVENT_P": [0.5, 0.6, 0.7, 0.8, 0.9, 1.01], "NEW_EVENT_NEEDS_RECIPIENT": [False, True]}


def held_out(seed: int) -> list[dict]:
    """The validation split of finetune.py: rebuilt here with the same seeded rule."""
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    hw = [i for i, r in enumerate(rows) if r.get("source") == "handwritten"]
    held = set(random.Random(seed).sample(hw, len(hw) // 3))
    return [r for i, r in enumerate(rows) if i in held]


def macro_f1(gold: list[str], pred: list[str]) -> float:
    return _macro_f1_and_per_type(gold, pred)[0]


class Memo:
    """The classifier, asked once per sentence however many threshold triples are tried."""

    def __init__(self, model):
        self.model, self.cache = model, {}

    def predict_spans(self, spans):
        todo = [s for s in spans if s.text not in self.cache]
        for s, p in zip(todo, self.model.predict_spans(todo) if todo else []):
            self.cache[s.text] = p
        return [self.cache[s.text] for s in spans]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="classifier path (default: the shipped one)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    rows = held_out(args.seed)
    gold = ["none" if r["type"] == "NONE" else r["type"] for r in rows]
    docs = list(nlp.parse([r["text"] for r in rows]))
    opts = Options(future_as_agree=True, use_classifier=False)
    coded = [(d, understand(Article(text=d.text, language="en"), d, opts)) for d in docs]
    rules = [a.events[0].type if a.events else "none" for _, a in coded]
    memo = Memo(load_classifier(args.model))
    combine._classifier = lambda options: memo  # a script: the module is not used for anything else
    on = Options(future_as_agree=True)
    print(f"{len(rows)} held-out hand-written sentences; rules alone: accuracy "
          f"{sum(g == p for g, p in zip(gold, rules)) / len(gold):.3f} macro-F1 {macro_f1(gold, rules):.3f}")
    results = []
    for o, f, n, r in itertools.product(*GRID.values()):
        combine.OVERRIDE_P, combine.RULE_TYPE_FLOOR, combine.NEW_EVENT_P, combine.NEW_EVENT_NEEDS_RECIPIENT = o, f, n, r
        pred = []
        for d, a in coded:
            events = combine.combine_events(d, a, copy.deepcopy(a.events), on)
            pred.append(events[0].type if events else "none")
        acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
        results.append((round(macro_f1(gold, pred), 4), round(acc, 4), o, f, n, r))
    results.sort(reverse=True)
    print("macro-F1  accuracy  OVERRIDE_P  RULE_TYPE_FLOOR  NEW_EVENT_P  NEEDS_RECIPIENT")
    shown = results[:5] + [r for r in results[5:] if r[5]][:10]  # best overall, then best needing a recipient
    for r in shown:
        print(f"{r[0]:8.3f}  {r[1]:8.3f}  {r[2]:10}  {r[3]:15}  {r[4]:11}  {r[5]}")
    eligible = [r for r in results if r[5]]
    top = max(r[0] for r in eligible)
    chosen = max((r for r in eligible if r[0] >= top - TOLERANCE), key=lambda r: (r[2], r[4], -r[3]))
    print(f"chosen: OVERRIDE_P={chosen[2]} RULE_TYPE_FLOOR={chosen[3]} NEW_EVENT_P={chosen[4]} "
          f"(macro-F1 {chosen[0]:.3f}, accuracy {chosen[1]:.3f}; best needing a recipient {top:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
