"""Story clustering and copy detection benchmark.

    python bench/stories.py [--n 100000] [--analyze] [--skip-corpus] [--skip-stress] [--json]

1. Example corpus (examples/corpus, gold ``story``, ``duplicate_of``, ``translation_of``): the pages are
   ingested into a temporary store (without NLP analysis unless --analyze, which adds resolved entities
   as features), ``update_stories`` runs, and we print B-cubed P/R/F1 of the stories, P/R of duplicate
   pairs (near-duplicates only) and, separately, of translation pairs.
2. Stress: a generated stream of --n synthetic articles (feature bundles, not text) is fed to the online
   clusterer; we print articles/s over the first and the last 10,000 articles, the ratio, peak memory
   (RSS high-water mark and the Python heap peak of the clusterer), and B-cubed against the generator's
   stories.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dateline.pipeline import ingest
from dateline.store import Store
from dateline.stories import update_stories
from dateline.stories.cluster import ClusterConfig, StoryClusterer
from dateline.stories.evaluate import bcubed, score_corpus
from dateline.stories.synthetic import SyntheticConfig, generate

CORPUS = ROOT / "examples" / "corpus"


def corpus_bench(analyze: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "bench.db")) as store:
        t0 = time.perf_counter()
        ingest([str(CORPUS)], store, analyze=analyze)
        t1 = time.perf_counter()
        report = update_stories(store)
        t2 = time.perf_counter()
        scores = score_corpus(store, CORPUS)
    scores["analysed"] = analyze
    scores["ingest_s"] = round(t1 - t0, 2)
    scores["update_stories_s"] = round(t2 - t1, 3)
    scores["world_events_created"] = report.world_events_created
    return scores


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def stress_bench(n: int, window: int = 10_000) -> dict:
    cfg = SyntheticConfig(n_articles=n)
    rss_before = _rss_mb()
    clusterer = StoryClusterer(ClusterConfig())
    window = min(window, max(1, n // 2))
    durations = []  # wall seconds spent in the clusterer per article (generation excluded)
    cpu = []  # the same in CPU seconds: on a shared machine, wall time also measures the neighbours
    pred, gold = {}, {}
    evict_every = 500
    wall = time.perf_counter()
    for i, (feat, true_story) in enumerate(generate(cfg)):
        t, c = time.perf_counter(), time.process_time()
        asg = clusterer.add(feat)
        if i % evict_every == evict_every - 1:
            clusterer.evict(clusterer.watermark - clusterer.config.window_days * 86400.0)
        durations.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        pred[feat.article_id] = asg.story_id
        gold[feat.article_id] = true_story
    wall = time.perf_counter() - wall
    n = len(durations)
    first = window / sum(durations[:window])
    last = window / sum(durations[-window:])
    first_cpu = window / max(sum(cpu[:window]), 1e-9)
    last_cpu = window / max(sum(cpu[-window:]), 1e-9)
    score = bcubed(pred, gold)
    return {
        "articles": n,
        "synthetic_days": cfg.days,
        "wall_s_with_generation": round(wall, 1),
        "cluster_s": round(sum(durations), 1),
        "first_window": window,
        "articles_per_s_first": round(first, 1),
        "articles_per_s_last": round(last, 1),
        "slowdown": round(first / last, 2),
        "cpu_articles_per_s_first": round(first_cpu, 1),
        "cpu_articles_per_s_last": round(last_cpu, 1),
        "cpu_slowdown": round(first_cpu / last_cpu, 2),
        "active_stories_at_end": len(clusterer.stories),
        "stories": len(set(pred.values())),
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_mb_before_clustering": round(rss_before, 1),
        "bcubed": score.to_dict(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="synthetic articles in the stress stream")
    ap.add_argument("--analyze", action="store_true", help="run NLP analysis on the corpus (entities as features)")
    ap.add_argument("--skip-corpus", action="store_true")
    ap.add_argument("--skip-stress", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out: dict = {}
    if not args.skip_corpus:
        out["corpus"] = corpus_bench(args.analyze)
    if not args.skip_stress:
        out["stress"] = stress_bench(args.n)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    if "corpus" in out:
        c = out["corpus"]
        b, d, t = c["bcubed"], c["duplicates"], c["translations"]
        print(f"corpus: {c['articles']} articles, {c['gold_stories']} gold stories, {c['predicted_stories']} predicted"
              f" (analysis {'on' if c['analysed'] else 'off'})")
        print(f"  B-cubed   P {b['precision']:.3f}  R {b['recall']:.3f}  F1 {b['f1']:.3f}")
        print(f"  duplicates P {d['precision']:.3f}  R {d['recall']:.3f}  ({d['predicted_pairs']} predicted,"
              f" {d['gold_pairs']} gold pairs)")
        print(f"  translations P {t['precision']:.3f}  R {t['recall']:.3f}  ({t['predicted_pairs']} predicted,"
              f" {t['gold_pairs']} gold pairs)")
        print(f"  update_stories {c['update_stories_s']} s")
    if "stress" in out:
        s = out["stress"]
        print(f"stress: {s['articles']} synthetic articles over {s['synthetic_days']:.0f} days,"
              f" clustered in {s['cluster_s']} s")
        print(f"  first {s['first_window']}: {s['articles_per_s_first']} art/s   last {s['first_window']}:"
              f" {s['articles_per_s_last']} art/s   slowdown x{s['slowdown']} (wall)")
        print(f"  CPU time: first {s['cpu_articles_per_s_first']} art/s   last {s['cpu_articles_per_s_last']} art/s"
              f"   slowdown x{s['cpu_slowdown']}")
        print(f"  peak RSS {s['peak_rss_mb']} MB (before clustering {s['rss_mb_before_clustering']} MB);"
              f" {s['active_stories_at_end']} active stories at the end, {s['stories']} in all")
        print(f"  B-cubed vs generator: {s['bcubed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
