"""Scale benchmark: articles/s of ``dateline batch`` for 1 and 2 workers, local pool vs Ray Data.

    python bench/scale.py [--pages 5000] [--engines local,ray] [--workers 1,2] [--batch-size 32] [--json]

Generates a WARC of ``--pages`` pages (examples/corpus recombined, see dateline.scale.synth), then runs
each engine x worker count into a fresh lake, each in its own subprocess so start-up and memory are
measured cleanly. Prints per run: wall time, articles/s overall and steady (start-up excluded: from the
first finished batch to the last), start-up seconds, peak resident memory per worker, lake bytes per
article, and articles per worker CPU-second (the per-core rate, which other load on the machine
barely changes); then the 2-worker / 1-worker speedup per engine. The machine's load average is printed too:
other work on a shared machine lowers every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def lake_bytes(lake: Path) -> int:
    return sum(p.stat().st_size for p in lake.rglob("*.parquet"))


def one_run(warc: str, lake: str, engine: str, workers: int, batch_size: int) -> dict:
    """In this (fresh) process: one batch run, its report as a dict."""
    from dateline.scale.runner import run_batch

    if engine == "ray":
        import ray

        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    report = run_batch([warc], lake, engine=engine, workers=workers, batch_size=batch_size, progress=True)
    out = report.to_dict()
    out.pop("failures", None)
    size = lake_bytes(Path(lake))
    out["lake_bytes"] = size
    out["lake_bytes_per_article"] = round(size / report.articles) if report.articles else None
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=5000)
    ap.add_argument("--engines", default="local,ray")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--keep", help="keep the WARC and lakes in this folder")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--one", nargs=5, metavar=("WARC", "LAKE", "ENGINE", "WORKERS", "BATCH"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        warc, lake, engine, workers, batch = args.one
        print(json.dumps(one_run(warc, lake, engine, int(workers), int(batch))))
        return 0

    from dateline.scale.synth import write_warc

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dateline-bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    warc = work / f"pages-{args.pages}.warc.gz"
    if not warc.exists():
        write_warc(warc, args.pages, ROOT / "examples" / "corpus")
    load = os.getloadavg()
    runs = []
    for engine in args.engines.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            lake = work / f"lake-{engine}-{workers}"
            shutil.rmtree(lake, ignore_errors=True)
            proc = subprocess.run([sys.executable, __file__, "--one", str(warc), str(lake), engine, str(workers),
                                   str(args.batch_size)], check=False, capture_output=True, text=True)
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr[-3000:])
                runs.append({"engine": engine, "workers": workers, "error": proc.stderr.strip().splitlines()[-1:]})
                continue
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            r = runs[-1]
            sys.stderr.write(f"{engine} x{workers}: {r['articles']} articles in {r['seconds']}s"
                             f" = {r['articles_per_second']}/s (steady {r['steady_articles_per_second']}/s)\n")
    speedups = {}
    for engine in args.engines.split(","):
        by = {r["workers"]: r for r in runs if r.get("engine") == engine and "error" not in r}
        if 1 in by and 2 in by:
            speedups[engine] = {
                "overall": round(by[2]["articles_per_second"] / by[1]["articles_per_second"], 2),
                "steady": round((by[2]["steady_articles_per_second"] or 0) / (by[1]["steady_articles_per_second"] or 1), 2),
            }
    result = {"pages": args.pages, "batch_size": args.batch_size, "cpus": os.cpu_count(),
              "load_average_before": [round(x, 2) for x in load],
              "load_average_after": [round(x, 2) for x in os.getloadavg()], "runs": runs,
              "speedup_2_vs_1": speedups}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{args.pages} pages, batch size {args.batch_size}, {os.cpu_count()} cpus,"
              f" load average {result['load_average_before']} -> {result['load_average_after']}")
        print(f"{'engine':<7}{'workers':>8}{'seconds':>9}{'art/s':>8}{'steady':>8}{'art/cpu-s':>10}{'start s':>9}"
              f"{'peak MB':>9}{'B/article':>11}")
        for r in runs:
            if "error" in r:
                print(f"{r['engine']:<7}{r['workers']:>8}  failed: {r['error']}")
                continue
            print(f"{r['engine']:<7}{r['workers']:>8}{r['seconds']:>9}{r['articles_per_second']:>8}"
                  f"{r['steady_articles_per_second'] or '-':>8}{r['articles_per_cpu_second'] or '-':>10}"
                  f"{r['first_unit_seconds'] or '-':>9}"
                  f"{r['peak_worker_rss_mb']:>9}{r['lake_bytes_per_article'] or '-':>11}")
        for engine, s in speedups.items():
            print(f"speedup 2 vs 1 worker ({engine}): {s['overall']}x overall, {s['steady']}x steady")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
