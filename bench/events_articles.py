"""Event precision and recall on whole articles: the example corpus pages that have event gold.

    python bench/events_articles.py [--split tuning|heldout|heldout2|all] [--errors] [--json] [--dev]

Gold: the "events" list of examples/corpus/*.gold.json (conventions in examples/corpus/README.md).
Each page is extracted and analysed by the library as ``dateline analyze`` does it.

Splits: gold files without an "events_split" key are the tuning set (rules were tuned while reading
their errors, so their figures are optimistic); files marked ``"events_split": "heldout"`` were written
afterwards and must never be used to tune rules, only to measure; ``"heldout2"`` (part d) is a
second, fresh held-out set written after the first had informed rule work. Without ``--split`` the
splits are reported side by side (``--errors`` then lists each split's errors under its own heading).

Scoring, per article:
- only events dateline records as having happened or being planned are scored (status occurred or
  planned); events it flags negated or hypothetical are counted apart, since they claim nothing;
- a coded event matches a gold event when one of its sentences (an event merged from several
  sentences has one mention per sentence) contains the gold quote and its type is the gold type or one
  of the gold's alternatives; "with countries" adds that the actor's and the recipient's countries
  agree with the gold wherever the gold names a country (both ways round for reciprocal events);
- a coded event that matches only optional gold events (acts a careful coder may or may not record)
  counts neither way; precision = matched / (coded - optional-only); recall is over required gold.

``--errors`` lists the false positives grouped by a likely reason and the missed gold events;
``--dev`` also runs bench/events.py's PLOVER dev and seed figures, so before/after comparisons
come from one run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.errors import InputError
from dateline.models import Analysis, Event, RawDocument
from dateline.pipeline import Options, analyze_articles, extract_article

CORPUS = ROOT / "examples" / "corpus"
TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
SCORED_STATUS = {"occurred", "planned"}
# an event dated this long before publication is background, not the article's news
HISTORICAL_DAYS = 10
TUNING = "tuning"
HELDOUT = "heldout"
# a second held-out set (part d of the corpus), written after the first had informed rule work
HELDOUT2 = "heldout2"
SPLITS = (TUNING, HELDOUT, HELDOUT2)


@dataclass
class GoldEvent:
    type: str
    alt_types: list[str]
    sentence: str
    actor_countries: set[str | None] | None  # None: gold names no country for this side
    recipient_countries: set[str | None] | None
    reciprocal: bool = False
    optional: bool = False
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def types(self) -> set[str]:
        return {self.type, *self.alt_types}


@dataclass
class ArticleGold:
    name: str
    path: Path
    events: list[GoldEvent]
    split: str = TUNING


@dataclass
class ArticleScore:
    name: str
    coded: int = 0
    flagged: int = 0  # coded negated/hypothetical, not scored
    optional_only: int = 0
    tp: int = 0
    tp_countries: int = 0
    gold: int = 0
    found: int = 0
    found_countries: int = 0
    false_positives: list[dict] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    country_mismatches: list[dict] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
                    .replace("\u201d", '"').split())


def _countries(side: dict | None) -> set[str | None] | None:
    if not side:
        return None
    value = side.get("country")
    values = value if isinstance(value, list) else [value]
    # a list holding only null means "no country" (an IGO, an unnamed group): nothing to check
    present = {v for v in values if v}
    return set(values) if present else None


def _gold_event(d: dict, where: str) -> GoldEvent:
    if d.get("type") not in TYPES:
        raise InputError(f"{where}: unknown event type {d.get('type')!r}")
    bad = [t for t in d.get("alt_types", []) if t not in TYPES]
    if bad:
        raise InputError(f"{where}: unknown alternative types {bad}")
    if not d.get("sentence"):
        raise InputError(f"{where}: gold event without a sentence quote")
    return GoldEvent(type=d["type"], alt_types=list(d.get("alt_types", [])), sentence=_norm(d["sentence"]),
                     actor_countries=_countries(d.get("actor")),
                     recipient_countries=_countries(d.get("recipient")),
                     reciprocal=bool(d.get("reciprocal")), optional=bool(d.get("optional")), raw=d)


def _split_of(gold: dict, where: str) -> str:
    split = gold.get("events_split", TUNING)
    if split not in SPLITS:
        raise InputError(f"{where}: unknown events_split {split!r} (expected one of {', '.join(SPLITS)})")
    return split


def load_gold(corpus: Path = CORPUS, split: str = "all") -> list[ArticleGold]:
    """Every page of ``corpus`` whose gold file has an "events" list, restricted to ``split``
    (``tuning``, ``heldout``, ``heldout2`` or ``all``)."""
    if split != "all" and split not in SPLITS:
        raise InputError(f"unknown split {split!r} (expected {', '.join(SPLITS)} or all)")
    out = []
    for gp in sorted(corpus.glob("*.gold.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        if "events" not in gold:
            continue
        name = gp.name[: -len(".gold.json")]
        page = corpus / f"{name}.html"
        if not page.exists():
            raise InputError(f"{gp.name}: no page {page.name}")
        events = [_gold_event(e, f"{gp.name} event {i}") for i, e in enumerate(gold["events"])]
        article = ArticleGold(name=name, path=page, events=events, split=_split_of(gold, gp.name))
        if split in ("all", article.split):
            out.append(article)
    return out


def analyse(golds: list[ArticleGold], options: Options | None = None) -> list[Analysis]:
    articles = []
    for g in golds:
        raw = RawDocument(content=g.path.read_bytes(), path=str(g.path))
        articles.append((extract_article(raw, for_analysis=True), g.name))
    return analyze_articles(articles, options or Options())


def event_sentences(ev: Event) -> list[str]:
    return [_norm(m.sentence) for m in ev.mentions] or [_norm(ev.sentence)]


def _side_ok(allowed: set[str | None] | None, arg) -> bool:
    return allowed is None or (arg.country if arg else None) in allowed


def countries_agree(gold: GoldEvent, ev: Event) -> bool:
    if _side_ok(gold.actor_countries, ev.actor) and _side_ok(gold.recipient_countries, ev.recipient):
        return True
    return gold.reciprocal and _side_ok(gold.actor_countries, ev.recipient) and _side_ok(
        gold.recipient_countries, ev.actor)


def matches(gold: GoldEvent, ev: Event, *, with_countries: bool = False) -> bool:
    if ev.type not in gold.types:
        return False
    if not any(gold.sentence in s for s in event_sentences(ev)):
        return False
    return countries_agree(gold, ev) if with_countries else True


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def fp_reason(ev: Event, gold: list[GoldEvent], published: str | None, title: str | None) -> str:
    """A likely reason why a coded event has no gold event: for reading errors, not for scoring."""
    sents = event_sentences(ev)
    words = len(sents[0].split())
    if title and any(_norm(title) == s for s in sents) or words < 5:
        return "headline or site chrome"
    pub = _day(published)
    when = _day(ev.date.end_date or ev.date.value) if ev.date else None
    if pub and when and when < pub - timedelta(days=HISTORICAL_DAYS):
        return "historical (dated well before publication)"
    if ev.actor is None and ev.recipient is None:
        return "neither actor nor recipient"
    if any(g.sentence in s for g in gold for s in sents):
        return "wrong type (sentence has a gold event)"
    return "no event in the gold for this sentence"


def score_article(g: ArticleGold, a: Analysis) -> ArticleScore:
    s = ArticleScore(name=g.name)
    required = [e for e in g.events if not e.optional]
    s.gold = len(required)
    scored = [e for e in a.events if e.status in SCORED_STATUS]
    s.coded = len(scored)
    s.flagged = len(a.events) - len(scored)
    for ev in scored:
        hits = [ge for ge in g.events if matches(ge, ev)]
        if not hits:
            s.false_positives.append({"article": g.name, "type": ev.type, "trigger": ev.trigger,
                                      "status": ev.status, "decided_by": ev.decided_by,
                                      "actor": ev.actor.country if ev.actor else None,
                                      "recipient": ev.recipient.country if ev.recipient else None,
                                      "date": ev.date.value if ev.date else None,
                                      "reason": fp_reason(ev, g.events, a.article.published, a.article.title),
                                      "sentence": event_sentences(ev)[0][:170]})
            continue
        if all(h.optional for h in hits):
            s.optional_only += 1
            continue
        s.tp += 1
        if any(matches(h, ev, with_countries=True) for h in hits if not h.optional):
            s.tp_countries += 1
    for ge in required:
        hit = [ev for ev in scored if matches(ge, ev)]
        if hit:
            s.found += 1
            if any(countries_agree(ge, ev) for ev in hit):
                s.found_countries += 1
            else:
                ev = hit[0]
                s.country_mismatches.append({
                    "article": g.name, "type": ge.type, "sentence": ge.sentence[:100],
                    "gold": f"{sorted(map(str, ge.actor_countries or []))}->{sorted(map(str, ge.recipient_countries or []))}",
                    "coded": f"{ev.actor.country if ev.actor else None}->{ev.recipient.country if ev.recipient else None}",
                })
        else:
            s.missed.append({"article": g.name, "type": ge.type, "sentence": ge.sentence[:120],
                             "coded_here": sorted({ev.type for ev in scored
                                                   if any(ge.sentence in x for x in event_sentences(ev))})})
    return s


def _prf(tp: int, predicted: int, found: int, gold: int) -> dict:
    p = tp / predicted if predicted else 0.0
    r = found / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def summarise(scores: list[ArticleScore]) -> dict:
    coded = sum(s.coded for s in scores)
    scored = coded - sum(s.optional_only for s in scores)
    gold = sum(s.gold for s in scores)
    fps = [fp for s in scores for fp in s.false_positives]
    return {
        "articles": len(scores), "gold_events": gold, "coded_events": coded, "scored_events": scored,
        "optional_only": sum(s.optional_only for s in scores),
        "flagged_not_scored": sum(s.flagged for s in scores),
        "type": _prf(sum(s.tp for s in scores), scored, sum(s.found for s in scores), gold),
        "type_and_countries": _prf(sum(s.tp_countries for s in scores), scored,
                                   sum(s.found_countries for s in scores), gold),
        "false_positive_reasons": dict(Counter(fp["reason"] for fp in fps).most_common()),
        "per_article": {s.name: {"coded": s.coded, "tp": s.tp, "fp": len(s.false_positives),
                                 "gold": s.gold, "found": s.found} for s in scores},
        "decided_by_classifier_fp": sum(1 for fp in fps if fp["decided_by"] == "classifier"),
        "false_positives": fps,
        "missed": [m for s in scores for m in s.missed],
        "country_mismatches": [m for s in scores for m in s.country_mismatches],
    }


def run(options: Options | None = None, corpus: Path = CORPUS, split: str = "all") -> dict:
    """Scores over the articles of one split (``tuning``, ``heldout``, ``heldout2``) or of ``all`` together."""
    golds = load_gold(corpus, split)
    if not golds:
        raise InputError(f"no gold file with events under {corpus} (split {split})")
    analyses = analyse(golds, options)
    return summarise([score_article(g, a) for g, a in zip(golds, analyses)])


def run_splits(options: Options | None = None, corpus: Path = CORPUS) -> dict[str, dict]:
    """Scores for each split that has articles, from one analysis pass over all of them."""
    golds = load_gold(corpus)
    if not golds:
        raise InputError(f"no gold file with events under {corpus}")
    scores = [score_article(g, a) for g, a in zip(golds, analyse(golds, options))]
    out = {}
    for split in SPLITS:
        chosen = [s for g, s in zip(golds, scores) if g.split == split]
        if chosen:
            out[split] = summarise(chosen)
    return out


def _line(name: str, v: dict) -> str:
    return f"{name:<20} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}"


def _print_summary(result: dict) -> None:
    print(f"{result['articles']} articles, {result['gold_events']} required gold events; "
          f"{result['coded_events']} events coded (occurred/planned), {result['optional_only']} match only "
          f"optional gold, {result['flagged_not_scored']} flagged negated/hypothetical (not scored)")
    print(_line("type", result["type"]))
    print(_line("type + countries", result["type_and_countries"]))
    print(f"false positives by reason: {result['false_positive_reasons']}")


def _print_side_by_side(results: dict[str, dict]) -> None:
    names = list(results)
    print(f"{'':<20}" + "".join(f"{n:>26}" for n in names))
    print(f"{'articles / gold':<20}" + "".join(
        f"{str(results[n]['articles']) + ' / ' + str(results[n]['gold_events']):>26}" for n in names))
    for key, label in (("type", "type"), ("type_and_countries", "type + countries")):
        cells = "".join(f"{'P %.3f R %.3f F1 %.3f' % tuple(results[n][key][m] for m in ('precision', 'recall', 'f1')):>26}"
                        for n in names)
        print(f"{label:<20}{cells}")
    for n in names:
        print(f"{n} false positives by reason: {results[n]['false_positive_reasons']}")


def _print_errors(result: dict) -> None:
    by_reason = defaultdict(list)
    for fp in result["false_positives"]:
        by_reason[fp["reason"]].append(fp)
    for reason, fps in by_reason.items():
        print(f"== false positives: {reason} ({len(fps)})")
        for fp in fps:
            print(f"   {fp['article'][:26]:<26} {fp['type']:<9} [{fp['trigger']}] {fp['decided_by'][:4]} {fp['actor']}->"
                  f"{fp['recipient']} {fp['date']} | {fp['sentence']}")
    print(f"== found with the wrong countries ({len(result['country_mismatches'])}; gold [] = not checked)")
    for m in result["country_mismatches"]:
        print(f"   {m['article'][:26]:<26} {m['type']:<9} gold {m['gold']} coded {m['coded']} | {m['sentence']}")
    print(f"== missed gold events ({len(result['missed'])})")
    for m in result["missed"]:
        print(f"   {m['article'][:26]:<26} {m['type']:<9} coded here: {m['coded_here']} | {m['sentence']}")


def _dev_figures() -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import events as ev_bench

    dev = ev_bench.plover_scores()
    seed = ev_bench.seed_scores()
    return {"plover_dev": {"accuracy": dev["accuracy"], "macro_f1": dev["macro_f1"]},
            "seed": {"found": seed["found"], "gold": seed["gold"], "extra": seed["extra"]}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=[*SPLITS, "all"], default=None,
                    help="score one split (all = every split pooled); default: the splits side by side")
    ap.add_argument("--errors", action="store_true", help="list false positives by reason and missed gold")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--dev", action="store_true", help="also PLOVER dev and seed figures (bench/events.py)")
    args = ap.parse_args(argv)
    results = {args.split: run(split=args.split)} if args.split else run_splits()
    dev = _dev_figures() if args.dev else None
    if args.json:
        out = dict(results[args.split]) if args.split else dict(results)
        if dev:
            out.update(dev)
        print(json.dumps(out, indent=2))
        return 0
    if args.split:
        _print_summary(results[args.split])
    else:
        _print_side_by_side(results)
    if dev:
        print(f"PLOVER dev: accuracy {dev['plover_dev']['accuracy']:.3f}  macro-F1 "
              f"{dev['plover_dev']['macro_f1']:.3f};  seed {dev['seed']['found']}/{dev['seed']['gold']}"
              f" found, {dev['seed']['extra']} extra")
    if args.errors:
        for name, result in results.items():
            if len(results) > 1:
                print(f"######## {name} split")
            _print_errors(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
