"""Time-expression benchmark: how often dateline's normaliser gets the value right.

Two sets:
- tests/fixtures/times.jsonl: hand-written sentences, each with one expression,
  a reference date and the expected value (null = must stay unresolved);
- the seed report's gold ``time_expressions`` (shared/gold/seed.json).

An item counts as right when an expression with exactly the gold text is found
and its value equals the gold value. Also reported: which rules resolved what,
and expressions per second of ``find_times`` (parsing excluded).

Run ``python bench/understanding_time.py [--no-doc] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from dateline.resolve.time import find_times

FIXTURES = REPO / "tests" / "fixtures" / "times.jsonl"
SHARED = REPO.parent / "shared"
SEED_GOLD = SHARED / "gold" / "seed.json"

log = logging.getLogger(__name__)


@dataclass
class Miss:
    sentence: str
    expression: str
    reference: str | None
    expected: str | None
    got: str | None
    found: bool


def load_fixtures(path: Path = FIXTURES) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                row = json.loads(line)
                missing = {"sentence", "expression", "reference", "value"} - set(row)
                if missing or row["expression"] not in row["sentence"]:
                    raise ValueError(f"{path}:{n}: bad fixture row {row!r}")
                rows.append(row)
    return rows


def seed_body(text: str) -> str:
    """The seed copy's body: its first line and last three blocks are site chrome (per the gold note)."""
    lines = text.split("\n", 1)
    body = lines[1] if len(lines) > 1 else text
    blocks = [b for b in body.split("\n\n") if b.strip()]
    return "\n\n".join(blocks[:-3]).strip()


def _parse(texts: list[str]) -> list:
    from dateline import nlp

    return list(nlp.parse(texts))


def _score(items: list[tuple[str, str, str | None, str | None]], with_doc: bool, rules: Counter) -> tuple[float, list[Miss], int, float]:
    """items: (text, expression, reference, expected value). Returns accuracy, misses, #found, seconds."""
    docs = _parse([t for t, *_ in items]) if with_doc else [None] * len(items)
    right, misses, found_total, elapsed = 0, [], 0, 0.0
    for (text, expr, ref, expected), doc in zip(items, docs):
        t0 = time.perf_counter()
        found = find_times(text, ref, doc)
        elapsed += time.perf_counter() - t0
        found_total += len(found)
        rules.update((f.reason or "?").split("+")[0] for f in found)
        hit = next((f for f in found if f.text == expr), None)
        if hit is not None and hit.value == expected:
            right += 1
        else:
            misses.append(Miss(text[:160], expr, ref, expected, hit.value if hit else None, hit is not None))
    return (right / len(items) if items else 0.0), misses, found_total, elapsed


def _seed_items() -> list[tuple[str, str, str | None, str | None]]:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    text = seed_body((SHARED / gold["file"]).read_text(encoding="utf-8"))
    return [(text, g["text"], gold["published"], g["value"]) for g in gold["time_expressions"]]


def run(with_doc: bool = True) -> dict:
    rules: Counter = Counter()
    fixtures = load_fixtures()
    fx_items = [(r["sentence"], r["expression"], r["reference"], r["value"]) for r in fixtures]
    fx_acc, fx_misses, fx_found, fx_time = _score(fx_items, with_doc, rules)
    out: dict = {
        "with_doc": with_doc,
        "fixtures": {"n": len(fx_items), "accuracy": round(fx_acc, 4),
                     "misses": [m.__dict__ for m in fx_misses]},
    }
    if SEED_GOLD.is_file():
        seed = _seed_items()
        # One text for all gold items: parse and find once.
        text, ref = seed[0][0], seed[0][2]
        doc = _parse([text])[0] if with_doc else None
        t0 = time.perf_counter()
        found = find_times(text, ref, doc)
        seed_time = time.perf_counter() - t0
        rules.update((f.reason or "?").split("+")[0] for f in found)
        right = sum(any(f.text == g and f.value == v for f in found) for _, g, _, v in seed)
        out["seed"] = {"n": len(seed), "accuracy": round(right / len(seed), 4), "found": len(found),
                       "misses": [g for _, g, _, v in seed if not any(f.text == g and f.value == v for f in found)]}
        fx_found, fx_time = fx_found + len(found), fx_time + seed_time
    else:
        out["seed"] = None
        log.warning("seed gold not found at %s", SEED_GOLD)
    out["rules"] = dict(rules.most_common())
    out["expressions_per_second"] = round(fx_found / fx_time, 1) if fx_time else None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-doc", action="store_true", help="no spaCy parse: tense from the cheap heuristic")
    ap.add_argument("--json", action="store_true", help="print the result dict as JSON")
    args = ap.parse_args(argv)
    res = run(with_doc=not args.no_doc)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
        return 0
    fx = res["fixtures"]
    print(f"time expressions ({'spaCy doc' if res['with_doc'] else 'no doc'})")
    print(f"  fixtures: {fx['accuracy']:.3f} value accuracy on {fx['n']} expressions")
    for m in fx["misses"]:
        print(f"    miss: {m['expression']!r} ref={m['reference']} expected={m['expected']} got={m['got']}"
              f"{'' if m['found'] else ' (not found)'}")
    if res["seed"]:
        s = res["seed"]
        print(f"  seed gold: {s['accuracy']:.3f} on {s['n']} expressions ({s['found']} found); misses: {s['misses']}")
    print(f"  throughput: {res['expressions_per_second']} expressions/s (find_times only)")
    print("  rules: " + ", ".join(f"{k}={v}" for k, v in res["rules"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
