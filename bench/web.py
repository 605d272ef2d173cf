"""Web latency bench: a synthetic store of N articles / M events, then p50/p95 per page.

    .venv/bin/python bench/web.py --articles 100000 --events 500000 [--db bench/out/web.db] [--requests 40]
    .venv/bin/python bench/web.py --reuse --baseline-src /tmp/head/src --baseline-db /tmp/before.db


The store is filled with plain SQL inserts (not the NLP pipeline): articles with text drawn
from a fixed vocabulary (so FTS5 has realistic posting lists), events between ~40
countries over two years with mentions, and a few entity mentions per article. The server
is ``dateline serve`` in a subprocess on 127.0.0.1; clients are httpx, sequential and then
8 concurrent. Page HTML and the chart SVG each page loads are measured separately. Facet
counts (``search_facets``) are also timed in-process, since every search page computes them.

``--baseline-src``/``--baseline-db`` measure a second code tree on a second store in the same
run (e.g. the previous commit on a copy of the store without the latest migrations), so
before/after figures share the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A baseline run imports another source tree (see --baseline-src) through this variable.
SRC = Path(os.environ.get("DATELINE_BENCH_SRC") or ROOT / "src")
sys.path.insert(0, str(SRC))

COUNTRIES = ["USA", "CHN", "RUS", "UKR", "GBR", "FRA", "DEU", "JPN", "KOR", "PRK", "IND", "PAK", "IRN", "ISR", "PSE",
             "SYR", "TUR", "SAU", "EGY", "ZAF", "NGA", "ETH", "KEN", "BRA", "ARG", "MEX", "CAN", "AUS", "IDN", "PHL",
             "VNM", "TWN", "POL", "ITA", "ESP", "QAT", "ARE", "IRQ", "AFG", "VEN"]
TYPES = [("AGREE", 1, 4.0), ("CONSULT", 1, 1.0), ("SUPPORT", 1, 3.0), ("CONCEDE", 2, 5.0), ("COOPERATE", 2, 6.0),
         ("AID", 2, 7.0), ("RETREAT", 2, 4.0), ("REQUEST", 3, -1.0), ("ACCUSE", 3, -2.0), ("REJECT", 3, -4.0),
         ("THREATEN", 3, -6.0), ("PROTEST", 4, -5.0), ("SANCTION", 4, -7.0), ("MOBILIZE", 4, -7.5),
         ("COERCE", 4, -8.0), ("ASSAULT", 4, -10.0)]
SYLLABLES = ["ka", "lo", "mi", "ra", "ten", "vo", "sa", "dun", "pe", "ri", "ul", "ost", "bar", "nek", "zi", "mor"]
COMMON = ["the", "said", "minister", "talks", "government", "officials", "meeting", "president", "security",
          "trade", "border", "agreement", "military", "foreign", "economic", "summit", "sanctions", "visit"]
START = date(2022, 1, 1)
DAYS = 730


ENVOYS = 4000


def envoy(event_id: int) -> str:
    """The actor text of a generated event; ``ENVOY_SQL`` gives the same for an older store's rows."""
    return f"Envoy {event_id * 7919 % ENVOYS}"


ENVOY_SQL = f"'Envoy ' || (id * 7919 % {ENVOYS})"


def vocabulary(n: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def generate(db: str, n_articles: int, n_events: int, seed: int = 7) -> None:
    from dateline.store import Store

    rng = random.Random(seed)
    vocab = vocabulary(5000, rng)
    weights = [1.0 / (i + 1) for i in range(len(vocab))]  # Zipf-like: a few frequent, many rare words
    if os.path.exists(db):
        os.remove(db)
    t0 = time.time()
    store = Store(db)
    conn = store.conn
    conn.execute("PRAGMA synchronous = OFF")
    now = "2024-01-01T00:00:00+00:00"
    conn.execute("BEGIN")
    conn.execute("INSERT INTO sources(id, name, kind, created_at) VALUES (1, 'bench-a', 'file', ?), "
                 "(2, 'bench-b', 'feed', ?)", (now, now))
    batch_docs, batch_arts = [], []
    for i in range(1, n_articles + 1):
        day = START + timedelta(days=rng.randrange(DAYS))
        a, b = rng.sample(COUNTRIES, 2)
        words = rng.choices(vocab, weights, k=120) + rng.choices(COMMON, k=30) + [a, b]
        rng.shuffle(words)
        text = " ".join(words[:75]) + ".\n\n" + " ".join(words[75:]) + "."
        title = f"{a} and {b} {' '.join(rng.choices(vocab, weights, k=5))}"
        batch_docs.append((i, 1 + i % 2, f"https://bench.example/{i}", f"h{i}", zlib.compress(b"x"), 1, now))
        batch_arts.append((i, i, f"https://bench.example/{i}", title, day.isoformat() + "T12:00:00+00:00",
                           day.isoformat(), "en" if i % 10 else "de", f"site{i % 50}", text, f"t{i}",
                           len(words), "done", now))
        if len(batch_arts) >= 5000:
            _flush_articles(conn, batch_docs, batch_arts)
    _flush_articles(conn, batch_docs, batch_arts)
    conn.execute("COMMIT")
    t1 = time.time()
    print(f"articles: {n_articles} in {t1 - t0:.0f}s", flush=True)

    conn.execute("BEGIN")
    events, mentions, ents = [], [], []
    for eid in range(1, n_events + 1):
        art = rng.randint(1, n_articles)
        kind, quad, score = rng.choice(TYPES)
        a, b = rng.sample(COUNTRIES[:12] if rng.random() < 0.6 else COUNTRIES, 2)
        day = (START + timedelta(days=rng.randrange(DAYS))).isoformat()
        sentence = f"{a} officials {kind.lower()} {b} counterparts on {day}."
        # The actor as written is a named person (ENVOYS of them, ~125 events each), so actor-name
        # filters have names to find; derived from the id, the random draws stay those of older stores.
        events.append((eid, art, eid % 7, kind, None, "occurred", "[]", envoy(eid), a, a, "GOV", b, b, b, "GOV",
                       day, day, day, sentence, 0, 0, 5, kind.lower(), score, quad, "explain: bench row"))
        mentions.append((eid, art, 0, sentence, 0, 5, kind.lower()))
        if len(events) >= 20000:
            _flush_events(conn, events, mentions)
    _flush_events(conn, events, mentions)
    for art in range(1, n_articles + 1):
        ents.append((art, 0, "Officials", "NORP", 0, 9, 0))
        ents.append((art, 1, "Ministry", "ORG", 12, 20, 0))
        if len(ents) >= 20000:
            conn.executemany("INSERT INTO mentions(article_id, idx, text, label, start, end, sentence)"
                             " VALUES (?,?,?,?,?,?,?)", ents)
            ents.clear()
    if ents:
        conn.executemany("INSERT INTO mentions(article_id, idx, text, label, start, end, sentence)"
                         " VALUES (?,?,?,?,?,?,?)", ents)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    store.close()
    print(f"events: {n_events} in {time.time() - t1:.0f}s", flush=True)


def add_names(db: str) -> None:
    """Rewrite a store's generated actor texts to the envoy names (stores generated before them)."""
    from dateline.store import Store

    store = Store(db)  # migrates first, so the name table's triggers follow the update (timed here)
    t = time.time()
    with store.transaction():
        store.conn.execute(f"UPDATE events SET actor_text = {ENVOY_SQL}")
    store.close()
    print(f"actor names added in {time.time() - t:.0f}s", flush=True)


def _flush_articles(conn, docs, arts) -> None:
    conn.executemany("INSERT INTO documents(id, source_id, url, content_hash, raw, raw_size, fetched_at)"
                     " VALUES (?,?,?,?,?,?,?)", docs)
    conn.executemany("INSERT INTO articles(id, document_id, url, title, published, published_day, language,"
                     " site_name, text, text_hash, word_count, analysis_status, created_at)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", arts)
    docs.clear()
    arts.clear()


def _flush_events(conn, events, mentions) -> None:
    conn.executemany(
        "INSERT INTO events(id, article_id, idx, type, mode, status, contexts, actor_text, actor_name, actor_country,"
        " actor_sector, recipient_text, recipient_name, recipient_country, recipient_sector, date_text, date_value,"
        " date_start, sentence, sentence_index, start, end, trigger, score, quad_class, explain)"
        " VALUES (" + ",".join("?" * 26) + ")", events)
    conn.executemany("INSERT INTO event_mentions(event_id, article_id, sentence_index, sentence, start, end, trigger)"
                     " VALUES (?,?,?,?,?,?,?)", mentions)
    events.clear()
    mentions.clear()


# -- measuring ------------------------------------------------------------------------------

def start_server(db: str, src: Path = SRC) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.Popen([sys.executable, "-m", "dateline.cli", "serve", "--db", db, "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(base + "/favicon.ico", timeout=2).status_code == 204:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def make_urls(db: str, n: int, rng: random.Random) -> dict[str, list[str]]:
    import sqlite3

    conn = sqlite3.connect(db)
    max_article = conn.execute("SELECT max(id) FROM articles").fetchone()[0]
    if not conn.execute("SELECT 1 FROM events WHERE actor_text LIKE 'Envoy %' LIMIT 1").fetchone():
        raise SystemExit(f"{db} predates the generated actor names: run with --add-names once (or regenerate)")
    words = [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY random() LIMIT ?", (n,))]
    conn.close()
    terms = [t.split()[-1] for t in words]
    dyads = [rng.sample(COUNTRIES[:20], 2) for _ in range(n)]
    kinds = [t[0] for t in TYPES]
    return {
        "search": [f"/search?q={t}" for t in terms],
        # "search (facet)" keeps its name so figures compare with earlier runs.
        "search (facet)": [f"/search?q={t}&actor={rng.choice(COUNTRIES[:12])}" for t in terms],
        "search (actor+type)": [f"/search?q={t}&actor={rng.choice(COUNTRIES)}&type={rng.choice(kinds)}"
                                for t in terms],
        "search (type)": [f"/search?q={t}&type={rng.choice(kinds)}" for t in terms],
        "search (quad+dates)": [f"/search?q={t}&quad_class={rng.randint(1, 4)}&since=2023-01&until=2023-06"
                                for t in terms],
        "search (lang+source)": [f"/search?q={t}&language=de&source=bench-a" for t in terms],
        "browse (actor+type)": [f"/search?actor={rng.choice(COUNTRIES)}&type={rng.choice(kinds)}" for _ in terms],
        # Actor names (not countries): a name no event carries, and one of the generated envoys.
        "search (unknown name)": [f"/search?q={t}&actor=Nobody+Called+{i}" for i, t in enumerate(terms)],
        "browse (unknown name)": [f"/search?actor=Nobody+Called+{i}" for i in range(n)],
        "browse (actor name)": [f"/search?actor=Envoy+{rng.randrange(ENVOYS)}" for _ in range(n)],
        "browse (name+type)": [f"/search?actor=Envoy+{rng.randrange(ENVOYS)}&type={rng.choice(kinds)}"
                               for _ in range(n)],
        "article": [f"/article/{rng.randint(1, max_article)}" for _ in range(n)],
        "relations": [f"/relations/{a}/{b}" for a, b in dyads],
        "relations chart.svg": [f"/relations/{a}/{b}/chart.svg" for a, b in dyads],
        "home": ["/"] * n,
    }


def measure(base: str, urls: list[str], clients: int) -> list[float]:
    import httpx

    times: list[float] = []
    lock = threading.Lock()
    queue = list(urls)

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            while True:
                with lock:
                    if not queue:
                        return
                    path = queue.pop()
                t = time.perf_counter()
                r = c.get(path)
                dt = time.perf_counter() - t
                if r.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {r.status_code} {r.text[:200]}")
                with lock:
                    times.append(dt)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return times


def facet_count_times(db: str, n: int, seed: int = 11) -> dict[str, dict[str, int]]:
    """``search_facets`` timed in-process (no HTTP) for plain and actor-narrowed searches."""
    from dateline.store import web_queries as wq
    from dateline.store.db import connect

    conn = connect(db, readonly=True)
    rng = random.Random(seed)
    terms = [r[0].split()[-1] for r in conn.execute("SELECT title FROM articles ORDER BY random() LIMIT ?", (n,))]
    cases = {"facet counts": lambda t: wq.ArticleFilters(),
             "facet counts (actor)": lambda t: wq.ArticleFilters(actor=rng.choice(COUNTRIES[:12]))}
    out = {}
    for name, make in cases.items():
        wq.search_facets(conn, terms[0], make(terms[0]))  # warm
        times = []
        for t in terms:
            f = make(t)
            t0 = time.perf_counter()
            wq.search_facets(conn, t, f)
            times.append(time.perf_counter() - t0)
        out[name] = {"p50_ms": round(pct(times, 50)), "p95_ms": round(pct(times, 95))}
    conn.close()
    return out


def measure_tree(db: str, src: Path, requests: int) -> dict[str, dict[str, int]]:
    """Every page of one code tree on one store: sequential and 8-client p50/p95, then facet counts."""
    proc, base = start_server(db, src)
    results: dict[str, dict[str, int]] = {}
    try:
        rng = random.Random(11)
        for name, urls in make_urls(db, requests, rng).items():
            measure(base, urls[:2], 1)  # warm caches and the chart renderer
            seq = measure(base, urls, 1)
            conc = measure(base, urls, 8)
            results[name] = {"sequential_p50_ms": round(pct(seq, 50)), "sequential_p95_ms": round(pct(seq, 95)),
                             "concurrent8_p50_ms": round(pct(conc, 50)), "concurrent8_p95_ms": round(pct(conc, 95))}
            print(f"{name:<22} seq p50 {results[name]['sequential_p50_ms']:>5} ms  p95 "
                  f"{results[name]['sequential_p95_ms']:>5} ms   8 clients p50 {results[name]['concurrent8_p50_ms']:>5}"
                  f" ms  p95 {results[name]['concurrent8_p95_ms']:>5} ms", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    # In a child process so a baseline tree's modules never mix with this one's.
    child = subprocess.run([sys.executable, __file__, "--facet-counts-only", "--db", db, "--requests", str(requests)],
                           env={**os.environ, "DATELINE_BENCH_SRC": str(src)}, capture_output=True, text=True,
                           check=True)
    for name, r in json.loads(child.stdout.strip().splitlines()[-1]).items():
        results[name] = {"sequential_p50_ms": r["p50_ms"], "sequential_p95_ms": r["p95_ms"]}
        print(f"{name:<22} in-process p50 {r['p50_ms']:>5} ms  p95 {r['p95_ms']:>5} ms", flush=True)
    return results


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--events", type=int, default=500_000)
    ap.add_argument("--db", default=str(ROOT / "bench" / "out" / "web.db"))
    ap.add_argument("--requests", type=int, default=40, help="requests per page and mode")
    ap.add_argument("--reuse", action="store_true", help="keep an existing generated store")
    ap.add_argument("--baseline-src", help="another source tree (its src/ folder) to measure first")
    ap.add_argument("--baseline-db", help="the store the baseline tree serves (default: --db)")
    ap.add_argument("--add-names", action="store_true",
                    help="give a reused store's events the generated actor names (rewrites events.actor_text)")
    ap.add_argument("--facet-counts-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.facet_counts_only:
        print(json.dumps(facet_count_times(args.db, args.requests)))
        return 0
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and os.path.exists(args.db)):
        generate(args.db, args.articles, args.events)
    else:
        from dateline.store import Store

        Store(args.db).close()  # apply new migrations (indexes) to the reused store
        if args.add_names:
            add_names(args.db)
    out: dict = {"articles": args.articles, "events": args.events}
    if args.baseline_src:
        print(f"-- baseline: {args.baseline_src} on {args.baseline_db or args.db}", flush=True)
        out["baseline"] = measure_tree(args.baseline_db or args.db, Path(args.baseline_src), args.requests)
        print(f"-- current: {SRC} on {args.db}", flush=True)
    out["results"] = measure_tree(args.db, SRC, args.requests)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
