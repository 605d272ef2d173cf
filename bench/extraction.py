"""Extraction benchmark: dateline's extractor next to plain trafilatura.

Two corpora:
- AEB (article-extraction benchmark, 181 real pages): body-text F1 with the
  benchmark's own shingle metric (see its README.md), plus pages per second.
- the example corpus (examples/corpus/*.html with <name>.gold.json): title,
  date and author accuracy of the metadata dateline returns.

Run ``python bench/extraction.py [--data DIR] [--examples DIR] [--json]``.
The metric functions are importable so tests can pin floors.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_AEB = REPO.parent / "shared" / "data" / "aeb"
DEFAULT_EXAMPLES = REPO / "examples" / "corpus"

logger = logging.getLogger(__name__)

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4

# An extractor as the benchmark sees it: page bytes and URL in, body text out.
ExtractFn = Callable[[bytes, str | None], str | None]


@dataclass
class Scores:
    f1: float
    precision: float
    recall: float
    pages_per_s: float
    pages: int
    failures: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Page:
    id: str
    html: bytes
    url: str | None
    truth: str


def shingles(text: str, n: int = SHINGLE) -> Counter:
    """Multiset of consecutive n-token tuples; a short text is one shingle."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(truth: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, normalised to sum to 1."""
    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def score_pairs(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """(f1, precision, recall) over (truth, predicted) pairs."""
    precisions: list[float] = []
    recalls: list[float] = []
    for truth, predicted in pairs:
        tp, fp, fn = page_counts(truth, predicted)
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, p, r


def load_aeb(data_dir: Path | str = DEFAULT_AEB) -> list[Page]:
    data_dir = Path(data_dir)
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = data_dir / "html" / f"{key}.html.gz"
        if not path.exists():
            logger.warning("AEB page %s missing, skipped", key)
            continue
        pages.append(Page(key, gzip.decompress(path.read_bytes()), truth[key].get("url"), truth[key]["articleBody"]))
    return pages


def aeb_scores(extract_fn: ExtractFn, data_dir: Path | str = DEFAULT_AEB, pages: list[Page] | None = None) -> Scores:
    """Run ``extract_fn`` over every AEB page and score it with the benchmark metric.

    An extractor raising an exception scores that page as empty output (and counts a failure),
    the way a pipeline that skips the page would.
    """
    pages = pages if pages is not None else load_aeb(data_dir)
    pairs: list[tuple[str, str]] = []
    failures = 0
    start = time.perf_counter()
    for page in pages:
        try:
            predicted = extract_fn(page.html, page.url) or ""
        except Exception as exc:  # noqa: BLE001 - a benchmark must survive any extractor failure
            logger.info("page %s failed: %s", page.id, exc)
            predicted = ""
            failures += 1
        pairs.append((page.truth, predicted))
    elapsed = time.perf_counter() - start
    f1, p, r = score_pairs(pairs)
    return Scores(f1, p, r, len(pages) / elapsed if elapsed else 0.0, len(pages), failures)


def aeb_side_by_side(extractors: dict[str, ExtractFn], pages: list[Page]) -> dict[str, Scores]:
    """Score several extractors in one run, page by page in turn.

    Interleaving spreads the load of a shared machine evenly over all extractors, so their
    pages-per-second figures compare fairly.
    """
    preds: dict[str, list[tuple[str, str]]] = {name: [] for name in extractors}
    spent = dict.fromkeys(extractors, 0.0)
    failures = dict.fromkeys(extractors, 0)
    for page in pages:
        for name, fn in extractors.items():
            start = time.perf_counter()
            try:
                predicted = fn(page.html, page.url) or ""
            except Exception as exc:  # noqa: BLE001 - a benchmark must survive any extractor failure
                logger.info("%s failed on %s: %s", name, page.id, exc)
                predicted = ""
                failures[name] += 1
            spent[name] += time.perf_counter() - start
            preds[name].append((page.truth, predicted))
    out = {}
    for name in extractors:
        f1, p, r = score_pairs(preds[name])
        out[name] = Scores(f1, p, r, len(pages) / spent[name] if spent[name] else 0.0, len(pages), failures[name])
    return out


def trafilatura_fn(html: bytes, url: str | None) -> str | None:
    """Plain trafilatura with its defaults (the baseline)."""
    import trafilatura

    return trafilatura.extract(html.decode("utf-8", errors="replace"), url=url)


def dateline_fn(html: bytes, url: str | None) -> str | None:
    from dateline.extract import extract
    from dateline.models import RawDocument

    return extract(RawDocument(content=html, url=url)).text


# ---------------------------------------------------------------- example corpus


def _norm_title(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(_TOKEN.findall(text))


def _norm_name(text: str) -> str:
    return " ".join(_TOKEN.findall(unicodedata.normalize("NFKC", text).casefold()))


def date_matches(gold: str | None, got: str | None) -> bool:
    """Compare to the minute when the gold states a time, else the date only."""
    if not gold:
        return not got
    if not got:
        return False
    if "T" in gold and len(gold) >= 16:
        return got[:16] == gold[:16]
    return got[:10] == gold[:10]


def authors_match(gold: list[str] | None, got: list[str]) -> bool:
    return sorted(_norm_name(a) for a in gold or []) == sorted(_norm_name(a) for a in got)


def example_scores(examples_dir: Path | str = DEFAULT_EXAMPLES) -> dict:
    """Title/date/author accuracy over examples/corpus/*.html with their .gold.json."""
    from dateline.errors import DatelineError
    from dateline.extract import extract
    from dateline.models import RawDocument

    examples_dir = Path(examples_dir)
    out: dict = {"pages": 0, "title_accuracy": None, "date_accuracy": None, "author_accuracy": None,
                 "language_accuracy": None, "body_accuracy": None, "errors": 0}
    if not examples_dir.is_dir():
        out["note"] = f"no example corpus at {examples_dir}"
        return out
    hits = Counter()
    seen = Counter()
    mismatches: list[dict] = []
    for html_path in sorted(examples_dir.glob("*.html")):
        gold_path = html_path.with_name(html_path.stem + ".gold.json")
        if not gold_path.exists():
            continue
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("unreadable gold %s: %s", gold_path, exc)
            continue
        out["pages"] += 1
        try:
            art = extract(RawDocument(content=html_path.read_bytes(), path=str(html_path)))
            title, published, authors, text, language = art.title, art.published, art.authors, art.text, art.language
        except DatelineError as exc:
            out["errors"] += 1
            title, published, authors, text, language = None, None, [], "", None
            logger.info("%s: %s", html_path.name, exc)
        checks = {}
        if "title" in gold:
            checks["title"] = _norm_title(gold["title"]) == _norm_title(title)
        if "published" in gold:
            checks["date"] = date_matches(gold["published"], published)
        if "authors" in gold:
            checks["author"] = authors_match(gold["authors"], authors)
        if gold.get("language"):
            checks["language"] = gold["language"] == language
        if gold.get("body_must_contain") or gold.get("body_must_not_contain"):
            # Body: every gold sentence kept, no chrome string left.
            checks["body"] = all(s in text for s in gold.get("body_must_contain") or []) and not any(
                s in text for s in gold.get("body_must_not_contain") or []
            )
        for key, ok in checks.items():
            seen[key] += 1
            hits[key] += ok
        if not all(checks.values()):
            mismatches.append(
                {"page": html_path.name, "title": title, "published": published, "authors": authors,
                 "failed": [k for k, ok in checks.items() if not ok],
                 "gold": {k: gold.get(k) for k in ("title", "published", "authors")}}
            )
    for key in ("title", "date", "author", "language", "body"):
        if seen[key]:
            out[f"{key}_accuracy"] = round(hits[key] / seen[key], 4)
    out["mismatches"] = mismatches
    return out


# ---------------------------------------------------------------- CLI


def ingest_throughput(pages: list[Page], rounds: int = 3) -> dict:
    """``dateline ingest --no-analyze`` of the pages into a new SQLite store (extract + store, one commit per
    document) against plain ``trafilatura.extract`` on the same pages, alternating, best of ``rounds``."""
    import tempfile
    import time

    from dateline.models import RawDocument
    from dateline.pipeline import IngestReport, ingest_documents
    from dateline.store import Store

    best_ingest = best_traf = float("inf")
    stored = 0
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            with Store(str(Path(tmp) / "bench.db")) as store:
                raws = [RawDocument(content=p.html, url=p.url, path=p.id, source="aeb") for p in pages]
                t0 = time.perf_counter()
                report = ingest_documents(raws, store, IngestReport())
                best_ingest = min(best_ingest, time.perf_counter() - t0)
                stored = report.added
        t0 = time.perf_counter()
        for p in pages:
            trafilatura_fn(p.html, p.url)
        best_traf = min(best_traf, time.perf_counter() - t0)
    n = len(pages)
    return {"pages": n, "stored": stored, "ingest_pages_per_s": round(n / best_ingest, 1),
            "trafilatura_pages_per_s": round(n / best_traf, 1), "ratio": round(best_traf / best_ingest, 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DEFAULT_AEB), help="AEB folder (ground-truth.json + html/)")
    ap.add_argument("--examples", default=str(DEFAULT_EXAMPLES), help="example corpus folder")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--no-ingest", action="store_true", help="skip the ingest-into-SQLite throughput comparison")
    args = ap.parse_args(argv)

    src = REPO / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))

    pages = load_aeb(args.data)
    # Warm both up (imports, lazy tables) so the timing compares extraction, not start-up.
    if pages:
        trafilatura_fn(pages[0].html, pages[0].url)
        dateline_fn(pages[0].html, pages[0].url)
    both = aeb_side_by_side({"dateline": dateline_fn, "trafilatura": trafilatura_fn}, pages)
    ours, base = both["dateline"], both["trafilatura"]
    examples = example_scores(args.examples)
    ingest = None if args.no_ingest or not pages else ingest_throughput(pages)

    def fmt(s: Scores) -> dict:
        return {"f1": round(s.f1, 4), "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                "pages_per_s": round(s.pages_per_s, 1)}

    if args.json:
        print(json.dumps({"aeb": {"dateline": fmt(ours), "trafilatura": fmt(base)}, "examples": examples,
                          "ingest": ingest}))
        return 0
    print(f"AEB ({len(pages)} pages)")
    print(f"{'extractor':<14}{'F1':>8}{'P':>8}{'R':>8}{'pages/s':>10}")
    for name, s in (("dateline", ours), ("trafilatura", base)):
        print(f"{name:<14}{s.f1:>8.4f}{s.precision:>8.4f}{s.recall:>8.4f}{s.pages_per_s:>10.1f}")
    print(f"speed ratio dateline/trafilatura: {ours.pages_per_s / base.pages_per_s:.2f}" if base.pages_per_s else "")
    if ingest:
        print(f"ingest into SQLite (extract + store, {ingest['stored']} stored): {ingest['ingest_pages_per_s']} pages/s"
              f" vs plain trafilatura.extract {ingest['trafilatura_pages_per_s']} pages/s -> {ingest['ratio']:.2f}x")
    print(f"\nExamples ({examples['pages']} pages)")
    if examples.get("note"):
        print(" ", examples["note"])
    for key in ("title_accuracy", "date_accuracy", "author_accuracy", "language_accuracy", "body_accuracy"):
        val = examples.get(key)
        print(f"  {key:<16} {'n/a' if val is None else f'{val:.3f}'}")
    for miss in examples.get("mismatches", [])[:20]:
        print("  miss:", json.dumps(miss, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
