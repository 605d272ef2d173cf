"""Sources benchmark: WARC streaming (+ extraction) and local fetch throughput.

1. Writes N synthetic news pages (plus the request records and images a real
   crawl holds) into a temporary .warc.gz with warcio.
2. Streams it with ``iter_warc`` and, when ``dateline.extract.extract`` is
   importable, extracts every page: articles per second.
3. Measures memory while streaming: tracemalloc peak (Python allocations,
   iteration only, separate pass since tracing slows everything) and the
   ru_maxrss growth of the process over the timed pass.
4. Fetches pages from a server on 127.0.0.1 with ``min_delay=0``: pages/s.
5. With ``--ingest 2000,10000``: WARC -> store through ``ingest_inputs``
   (stream, extract, dedupe, write SQLite; no analysis), each size in a fresh
   interpreter so its peak RSS is its own: articles/s and peak RSS above the
   warmed-up baseline.

Run ``python bench/sources.py [--pages 10000] [--fetch 300] [--ingest 2000,10000] [--json]``.
Flat memory means the 2,000- and 10,000-page peaks are about equal.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from dateline.sources.fetch import Fetcher  # noqa: E402
from dateline.sources.warc import SkipCounter, iter_warc  # noqa: E402

WORDS = (
    "minister talks border government agreement president troops capital meeting sanctions envoy "
    "ceasefire parliament election protest police court trade summit delegation official statement "
    "spokesman negotiations security council army rebels aid village city region province week"
).split()


@dataclass
class WarcFigures:
    pages: int
    warc_bytes: int
    documents: int
    skipped: int
    extracted: int | None
    extract_errors: int
    seconds: float
    docs_per_second: float
    tracemalloc_peak_mb: float
    maxrss_growth_mb: float


@dataclass
class FetchFigures:
    requests: int
    ok: int
    seconds: float
    pages_per_second: float
    megabytes_per_second: float


def _page(rng: random.Random, i: int) -> bytes:
    paras = []
    for _ in range(rng.randint(4, 9)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(30, 70))]
        paras.append("<p>" + " ".join(words).capitalize() + ".</p>")
    title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta property='article:published_time' content='2023-06-{1 + i % 28:02d}T10:00:00Z'></head>"
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{title}</h1>"
        + "".join(paras)
        + "</article><footer>(c) Example News</footer></body></html>"
    ).encode("utf-8")


def write_warc(path: Path, pages: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for i in range(pages):
            url = f"https://news.example/world/{i}"
            req = StatusAndHeaders(f"GET /world/{i} HTTP/1.1", [("Host", "news.example")], is_http_request=True)
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(_page(rng, i)), http_headers=http))
            if i % 10 == 0:
                img = StatusAndHeaders("200 OK", [("Content-Type", "image/jpeg")], protocol="HTTP/1.1")
                w.write_record(w.create_warc_record(url + ".jpg", "response", payload=io.BytesIO(b"\xff\xd8" + bytes(2000)),
                                                    http_headers=img))


def _extractor():
    try:
        from dateline.extract import extract  # owned by the extraction work; may not exist yet
    except ImportError:
        return None
    return extract


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _rss_mb() -> float:
    """Current resident set size (Linux), unlike ru_maxrss which only ever grows."""
    with open("/proc/self/statm") as fh:
        resident_pages = int(fh.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def bench_warc(pages: int, *, extract: bool = True) -> WarcFigures:
    extract_fn = _extractor() if extract else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        write_warc(path, pages)
        size = path.stat().st_size

        # Peak Python memory while streaming (no extraction: it measures the reader).
        tracemalloc.start()
        for _ in iter_warc(path):
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        from dateline.errors import DatelineError

        rss_before = _maxrss_mb()
        skips = SkipCounter()
        docs = extracted = errors = 0
        start = time.perf_counter()
        for doc in iter_warc(path, skips):
            docs += 1
            if extract_fn is not None:
                try:
                    extract_fn(doc)
                    extracted += 1
                except DatelineError:
                    errors += 1
        seconds = time.perf_counter() - start
        return WarcFigures(
            pages=pages,
            warc_bytes=size,
            documents=docs,
            skipped=skips.total,
            extracted=extracted if extract_fn is not None else None,
            extract_errors=errors,
            seconds=round(seconds, 3),
            docs_per_second=round(docs / seconds, 1) if seconds else 0.0,
            tracemalloc_peak_mb=round(peak / 1e6, 2),
            maxrss_growth_mb=round(_maxrss_mb() - rss_before, 1),
        )


def bench_fetch(requests: int, page_bytes: int = 20_000) -> FetchFigures:
    body = _page(random.Random(1), 0)
    body = (body * (page_bytes // len(body) + 1))[:page_bytes]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        disable_nagle_algorithm = True  # else headers and body wait on delayed ACKs (40 ms each)

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            payload = b"" if self.path == "/robots.txt" else body
            self.send_response(200 if payload else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with Fetcher(allow_private=True, min_delay=0.0, max_concurrency_per_host=4, max_workers=4) as f:
            urls = [f"{base}/p/{i}" for i in range(requests)]
            start = time.perf_counter()
            ok = sum(1 for o in f.fetch_many(urls) if o.result is not None)
            seconds = time.perf_counter() - start
    finally:
        server.shutdown()
        server.server_close()
    return FetchFigures(
        requests=requests,
        ok=ok,
        seconds=round(seconds, 3),
        pages_per_second=round(requests / seconds, 1),
        megabytes_per_second=round(ok * page_bytes / seconds / 1e6, 2),
    )


@dataclass
class IngestFigures:
    pages: int
    warc_bytes: int
    added: int
    failed: int
    records_skipped: int
    seconds: float
    articles_per_second: float
    baseline_rss_mb: float  # current RSS after imports and one warm-up extraction
    peak_rss_mb: float  # highest current RSS sampled during the ingest (every 100 documents)
    peak_above_baseline_mb: float
    db_mb: float


def bench_ingest_one(pages: int) -> IngestFigures:
    """WARC -> store in this process (call it in a fresh interpreter for a clean peak RSS)."""
    from dateline.extract import extract
    from dateline.models import RawDocument
    from dateline.sources.ingest import ingest_inputs
    from dateline.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.warc.gz"
        write_warc(path, pages)
        extract(RawDocument(content=_page(random.Random(0), 0)))  # warm-up: lazily loaded models and tables
        baseline = peak = _rss_mb()
        done = 0

        def sample(report, phase) -> None:
            nonlocal done, peak
            done += 1
            if done % 100 == 0:
                peak = max(peak, _rss_mb())

        db = Path(tmp) / "bench.db"
        with Store(db) as store:
            start = time.perf_counter()
            report = ingest_inputs([str(path)], store, analyze=False, progress=sample)
            seconds = time.perf_counter() - start
        peak = max(peak, _rss_mb())
        db_bytes = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*"))
        return IngestFigures(
            pages=pages, warc_bytes=path.stat().st_size, added=report.added, failed=report.failed,
            records_skipped=sum(report.record_skips.values()), seconds=round(seconds, 2),
            articles_per_second=round(report.added / seconds, 1) if seconds else 0.0,
            baseline_rss_mb=round(baseline, 1), peak_rss_mb=round(peak, 1),
            peak_above_baseline_mb=round(peak - baseline, 1), db_mb=round(db_bytes / 1e6, 1),
        )


def bench_ingest(sizes: list[int]) -> list[IngestFigures]:
    out = []
    env = {**os.environ, "PYTHONPATH": str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for pages in sizes:
        done = subprocess.run([sys.executable, __file__, "--ingest-one", str(pages)], capture_output=True, text=True,
                              env=env, check=True)
        out.append(IngestFigures(**json.loads(done.stdout.strip().splitlines()[-1])))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000, help="pages in the generated WARC (default 2000)")
    ap.add_argument("--fetch", type=int, default=300, help="requests to the local server (0 to skip)")
    ap.add_argument("--no-extract", action="store_true", help="iterate only, even if extraction is available")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--ingest", default="", metavar="N,N",
                    help="WARC -> store ingest for these page counts, e.g. 2000,10000 (each in a fresh process)")
    ap.add_argument("--ingest-one", type=int, help=argparse.SUPPRESS)  # the child process of --ingest
    ap.add_argument("--skip-warc", action="store_true", help="skip the WARC streaming figures")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.ingest_one:
        print(json.dumps(asdict(bench_ingest_one(args.ingest_one))))
        return 0
    ingest = bench_ingest([int(n) for n in args.ingest.split(",") if n.strip()]) if args.ingest else []
    if args.skip_warc:
        for fig in ingest:
            print(json.dumps(asdict(fig)) if args.json else _ingest_line(fig))
        return 0

    warc = bench_warc(args.pages, extract=not args.no_extract)
    fetch = bench_fetch(args.fetch) if args.fetch > 0 else None
    out = {"warc": asdict(warc), "fetch": asdict(fetch) if fetch else None, "ingest": [asdict(f) for f in ingest]}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        mode = "iterate + extract" if warc.extracted is not None else "iterate only (dateline.extract not importable)"
        print(f"WARC: {warc.pages} pages, {warc.warc_bytes / 1e6:.1f} MB gz, {mode}")
        print(f"  {warc.documents} documents, {warc.skipped} skipped, {warc.docs_per_second} docs/s ({warc.seconds} s)")
        print(f"  tracemalloc peak {warc.tracemalloc_peak_mb} MB, ru_maxrss growth {warc.maxrss_growth_mb} MB")
        if fetch:
            print(f"fetch: {fetch.ok}/{fetch.requests} in {fetch.seconds} s = {fetch.pages_per_second} pages/s, "
                  f"{fetch.megabytes_per_second} MB/s")
        for fig in ingest:
            print(_ingest_line(fig))
    return 0


def _ingest_line(fig: IngestFigures) -> str:
    return (f"ingest WARC -> store: {fig.pages} pages, {fig.added} added, {fig.failed} failed in {fig.seconds} s ="
            f" {fig.articles_per_second} articles/s; peak RSS {fig.peak_rss_mb} MB"
            f" ({fig.peak_above_baseline_mb} MB above the {fig.baseline_rss_mb} MB baseline); db {fig.db_mb} MB")


if __name__ == "__main__":
    sys.exit(main())
