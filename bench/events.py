"""Event coding benchmark: PLOVER gold sentences (dev half) and the seed's gold events.

    python bench/events.py [--data ../shared] [--json]

PLOVER dev: each sentence has one gold event; the coder's first event (or "none") is scored.
Prints accuracy, per-type P/R/F1, macro-F1 (over the gold types) with a 95% bootstrap interval,
actor/recipient country accuracy; then seed found/missed/extra; then speed as events/s and the
coder's cost as a ratio over spaCy's own parse time on the same texts (process CPU time, on the
PLOVER sentences and on the English example articles). Both coding conventions are
measured side by side: the default, and PLOVER's future convention (--future-as-agree), which is the
convention the PLOVER gold was coded with.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline import nlp  # noqa: E402
from dateline.models import Article  # noqa: E402
from dateline.pipeline import Options, analyze_articles, understand  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


def load_dev(shared: Path) -> list[dict]:
    path = shared / "data" / "plover-gsr" / "dev.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _iso(code: str | None) -> str | None:
    from dateline.resolve.actors_data import cameo_to_iso

    if not code:
        return None
    return cameo_to_iso(code)


def macro_f1(gold: list[str], pred: list[str]) -> tuple[float, dict]:
    per = {}
    for t in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred) if g == t and p == t)
        fp = sum(1 for g, p in zip(gold, pred) if g != t and p == t)
        fn = sum(1 for g, p in zip(gold, pred) if g == t and p != t)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[t] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3), "support": tp + fn}
    return (sum(v["f1"] for v in per.values()) / len(per) if per else 0.0), per


def bootstrap(gold: list[str], pred: list[str], n: int = 1000, seed: int = 7) -> dict:
    rng = random.Random(seed)
    idx = list(range(len(gold)))
    accs, f1s = [], []
    for _ in range(n):
        sample = [rng.choice(idx) for _ in idx]
        g = [gold[i] for i in sample]
        p = [pred[i] for i in sample]
        accs.append(sum(a == b for a, b in zip(g, p)) / len(g))
        f1s.append(macro_f1(g, p)[0])
    accs.sort()
    f1s.sort()
    lo, hi = int(0.025 * n), int(0.975 * n) - 1
    return {"accuracy_ci": [round(accs[lo], 3), round(accs[hi], 3)],
            "macro_f1_ci": [round(f1s[lo], 3), round(f1s[hi], 3)]}


def code_sentences(texts: list[str], options: Options) -> list:
    arts = [(Article(text=t, language="en"), str(i)) for i, t in enumerate(texts)]
    return analyze_articles(arts, options)


def plover_scores(shared: Path = DEFAULT_SHARED, options: Options | None = None, *, with_ci: bool = False) -> dict:
    rows = load_dev(shared)
    analyses = code_sentences([r["text"] for r in rows], options or Options())
    gold, pred = [], []
    actor_ok = actor_n = rec_ok = rec_n = 0
    errors = []
    for r, a in zip(rows, analyses):
        ev = a.events[0] if a.events else None
        gold.append(r["event"])
        pred.append(ev.type if ev else "none")
        if ev is None or ev.type != r["event"]:
            errors.append({"id": r["id"], "gold": r["event"], "pred": ev.type if ev else "none",
                           "trigger": ev.trigger if ev else None, "text": r["text"][:160]})
        g_actors = {_iso(x.get("code")) for x in r.get("actor", [])} - {None}
        g_recs = {_iso(x.get("code")) for x in r.get("recipient", [])} - {None}
        if g_actors:
            actor_n += 1
            if ev is not None and ev.actor is not None and ev.actor.country in g_actors:
                actor_ok += 1
        if g_recs:
            rec_n += 1
            if ev is not None and ev.recipient is not None and ev.recipient.country in g_recs:
                rec_ok += 1
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    mf1, per = macro_f1(gold, pred)
    out = {
        "sentences": len(rows), "accuracy": round(acc, 3), "macro_f1": round(mf1, 3),
        "actor_country_accuracy": round(actor_ok / actor_n, 3) if actor_n else None,
        "recipient_country_accuracy": round(rec_ok / rec_n, 3) if rec_n else None,
        "no_event": pred.count("none"), "per_type": per, "errors": errors,
        "confusion": Counter(f"{g}->{p}" for g, p in zip(gold, pred) if g != p).most_common(15),
    }
    if with_ci:
        out.update(bootstrap(gold, pred))
    return out


def seed_text(shared: Path) -> str:
    raw = (shared / "seed" / "blinken-travels-to-china.txt").read_bytes()
    from dateline.extract import extract
    from dateline.models import RawDocument

    return extract(RawDocument(content=raw, kind="text", path="seed.txt")).text


def overlaps(value: str | None, gold: str) -> bool:
    if not value:
        return False

    def rng(v: str) -> tuple[str, str]:
        if "/" in v:
            a, b = v.split("/", 1)
            return a[:10], b[:10]
        if len(v) == 7:
            return v + "-01", v + "-31"
        return v[:10], v[:10]

    a, b = rng(value)
    c, d = rng(gold)
    return not (b < c or d < a)


def match_seed(events: list, gold_events: list[dict]) -> dict:
    """Which gold events are found: same type (or alt), actor/recipient country, status and date."""
    found, missed = [], []
    used = set()
    for gi, g in enumerate(gold_events):
        hit = None
        for ei, ev in enumerate(events):
            sentences = [m.sentence for m in ev.mentions] or [ev.sentence]
            if not any(g["sentence_fragment"] in s for s in sentences):
                continue
            types = {g["type"], *g.get("alt_types", [])}
            if ev.type not in types:
                continue
            if (ev.actor.country if ev.actor else None) != g["actor_country"]:
                continue
            if (ev.recipient.country if ev.recipient else None) != g["recipient_country"]:
                continue
            if ev.status != g["status"]:
                continue
            if not overlaps(ev.date.value if ev.date else None, g["date"]):
                continue
            hit = ei
            break
        (found if hit is not None else missed).append(gi)
        if hit is not None:
            used.add(hit)
    extra = [ei for ei in range(len(events)) if ei not in used]
    return {"found": found, "missed": missed, "extra": extra}


def seed_scores(shared: Path = DEFAULT_SHARED, options: Options | None = None) -> dict:
    gold = json.loads((shared / "gold" / "seed.json").read_text(encoding="utf-8"))
    text = seed_text(shared)
    art = Article(text=text, title=gold["title"], published=gold["published"], language="en")
    analysis = analyze_articles([(art, "seed")], options)[0]
    m = match_seed(analysis.events, gold["events"])
    return {
        "gold": len(gold["events"]), "found": len(m["found"]), "missed": m["missed"],
        "events": len(analysis.events), "extra": len(m["extra"]),
        "extra_events": [f"{analysis.events[i].type} '{analysis.events[i].trigger}'" for i in m["extra"]],
    }


def example_articles() -> list[Article]:
    """The English example articles (examples/corpus/*.html), extracted as the pipeline does."""
    from dateline.extract import extract
    from dateline.models import RawDocument

    out = []
    for path in sorted((ROOT / "examples" / "corpus").glob("*.html")):
        article = extract(RawDocument(content=path.read_bytes(), path=str(path)))
        if article.language == "en" and article.text.strip():
            out.append(article)
    return out


def _fresh(docs) -> None:
    """Forget per-doc caches (``doc.user_data``) so a timed pass pays for everything it reads."""
    for d in docs:
        for key in [k for k in d.user_data if isinstance(k, str) and k.startswith("dateline.")]:
            del d.user_data[key]


def speed(texts: list[str], options: Options, published: list[str | None] | None = None) -> dict:
    """Process CPU time (not wall clock: robust to other load on the machine) of spaCy's parse,
    of event coding over resolved docs (rules, then the classifier as the pipeline runs it), and of
    resolution + coding (``understand``), on ``texts``.

    Lists and models are loaded before any timing; ``published`` gives each text its date.
    """
    from dateline.events import code_events
    from dateline.events.combine import combine_events
    from dateline.models import Analysis
    from dateline.resolve.actors import resolve_actors
    from dateline.resolve.places import resolve_places
    from dateline.resolve.time import find_times

    published = published or [None] * len(texts)
    model = nlp.load(options.spacy_model)
    warm = "On Friday US Secretary of State Antony Blinken met Chinese officials in Beijing and agreed to talks."
    for d in model.pipe([warm, warm]):  # one-time loads (lexicons, gazetteer) stay out of the timing
        understand(Article(text=warm, language="en", published="2023-06-19"), d, options)
    t0 = time.process_time()
    docs = list(model.pipe(texts, batch_size=32))
    parse_s = time.process_time() - t0
    articles = [Article(text=t, language="en", published=p) for t, p in zip(texts, published)]
    prepared = []
    for d, art in zip(docs, articles):
        a = Analysis(article=art, analysed=True)
        a.entities = resolve_actors(d, art.published)
        a.places = resolve_places(d, art.published)
        a.times = find_times(art.text, art.published, doc=d)
        prepared.append((d, a))
    # coding runs after resolution in the pipeline, so it finds the caches resolution built;
    # like the pipeline, it is the rules and then (unless switched off) the classifier's say
    t0 = time.process_time()
    coded = [(d, a, code_events(d, a, options)) for d, a in prepared]
    rules_s = time.process_time() - t0
    t0 = time.process_time()
    if options.use_classifier:
        coded = [(d, a, combine_events(d, a, evs, options)) for d, a, evs in coded]
    classifier_s = time.process_time() - t0
    code_s = rules_s + classifier_s
    n_events = sum(len(evs) for _, _, evs in coded)
    _fresh(docs)
    t0 = time.process_time()
    for d, art in zip(docs, articles):
        understand(art, d, options)
    full_s = time.process_time() - t0
    return {"texts": len(texts), "parse_s": round(parse_s, 3), "coding_s": round(code_s, 3),
            "events": n_events, "events_per_s": round(n_events / max(parse_s + full_s, 1e-9), 1),
            "coding_over_parse": round(code_s / parse_s, 3),
            "resolve_and_code_over_parse": round(full_s / parse_s, 3),
            "rules_over_parse": round(rules_s / parse_s, 3), "classifier_over_parse": round(classifier_s / parse_s, 3)}


def _speed_line(sp: dict, what: str) -> str:
    return (f"speed ({what}, CPU time): {sp['events']} events from {sp['texts']} texts; parse {sp['parse_s']} s, "
            f"coding {sp['coding_s']} s -> coding adds {sp['coding_over_parse']:.1%} to spaCy's parse time "
            f"(rules {sp['rules_over_parse']:.1%}, classifier {sp['classifier_over_parse']:.1%}) "
            f"(resolution + coding: {sp['resolve_and_code_over_parse']:.1%}); {sp['events_per_s']} events/s end to end")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_SHARED, help="the shared/ folder (gold data)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--errors", action="store_true", help="list PLOVER sentences coded wrongly")
    ap.add_argument("--side-by-side", action="store_true",
                    help="also print rules-only / classifier-only / combined with bootstrap intervals")
    args = ap.parse_args(argv)
    result = {}
    for name, opts in (("default", Options()), ("plover_future", Options(future_as_agree=True))):
        result[name] = {"plover_dev": plover_scores(args.data, opts, with_ci=True),
                        "seed": seed_scores(args.data, opts)}
    texts = [r["text"] for r in load_dev(args.data)]
    result["speed"] = speed(texts, Options())
    arts = example_articles()
    result["speed_articles"] = speed([a.text for a in arts], Options(), [a.published for a in arts])
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    for name in ("default", "plover_future"):
        p = result[name]["plover_dev"]
        s = result[name]["seed"]
        print(f"== conventions: {name}")
        print(f"PLOVER dev ({p['sentences']} sentences): accuracy {p['accuracy']:.3f} {p['accuracy_ci']}  "
              f"macro-F1 {p['macro_f1']:.3f} {p['macro_f1_ci']}  actor country {p['actor_country_accuracy']}  "
              f"recipient country {p['recipient_country_accuracy']}  no event {p['no_event']}")
        for t, v in p["per_type"].items():
            print(f"   {t:<10} P {v['precision']:.2f} R {v['recall']:.2f} F1 {v['f1']:.2f} (n={v['support']})")
        print(f"   most frequent confusions: {p['confusion'][:8]}")
        print(f"seed: {s['found']}/{s['gold']} gold events found, missed {s['missed']}, {s['events']} events coded,"
              f" {s['extra']} extra: {s['extra_events']}")
        if args.errors:
            for e in p["errors"]:
                print(f"   {e['gold']:>9} -> {e['pred']:<9} [{e['trigger']}] {e['text']}")
    print(_speed_line(result["speed"], "PLOVER dev sentences"))
    print(_speed_line(result["speed_articles"], "example articles"))
    if args.side_by_side:
        print_side_by_side(args.data)
    return 0


def print_side_by_side(shared: Path) -> None:
    """Rules-only, classifier-only and combined figures (bench/classifier.py has the details)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import classifier

    side = classifier.plover_side_by_side(shared)
    print("== rules / classifier / combined (PLOVER dev; rules tuned on dev, classifier never saw it)")
    for k in ["classifier_only"] + [f"{a}_{b}" for b in ("default", "plover_future") for a in ("rules", "combined")]:
        f = side[k]
        print(f"   {k:<24} accuracy {f['accuracy']:.3f} {f['accuracy_ci']}  macro-F1 {f['macro_f1']:.3f} "
              f"{f['macro_f1_ci']}")


if __name__ == "__main__":
    sys.exit(main())
