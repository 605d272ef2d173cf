"""Units of work and the one batch function both engines run.

An input (WARC, JSONL, folder, file) is read in order and cut into units of
``batch_size`` documents; unit ``k`` of an input always holds the same
documents, so a unit's key names its output files and its manifest entry, and
a resumed run can skip the units it finished. ``process_unit`` runs the same
stage functions as the single-process pipeline (``extract_article``, then
``analyze_articles`` with one ``nlp.pipe`` pass over the unit).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import DatelineError, InputError
from ..models import RawDocument
from ..pipeline import Options, analyze_articles, extract_article
from ..sources.local import Skipped, iter_documents
from ..store.articles import content_hash
from . import schema
from .rows import document_rows

log = logging.getLogger(__name__)

MAX_FAILURES_KEPT = 20  # per unit, in the manifest; the counts are always complete


@dataclass
class WorkUnit:
    input_id: str
    input_name: str
    source_kind: str
    index: int
    items: list[RawDocument | Skipped]

    @property
    def key(self) -> str:
        return unit_key(self.input_id, self.index)


@dataclass
class InputEnd:
    """Marks that an input was read to its end, and how many units it has."""

    input_id: str
    input_name: str
    units: int
    skipped_records: int = 0  # WARC records that are not pages (requests, images...), by design


@dataclass
class UnitResult:
    key: str
    input_id: str
    index: int
    # table -> month -> rows
    rows: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    documents: int = 0
    articles: int = 0
    analysed: int = 0
    events: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time on the unit: what a core costs, whatever else runs
    peak_rss_mb: float = 0.0  # the worker process's peak resident memory so far

    def fail(self, item: str, reason: str) -> None:
        self.failed += 1
        if len(self.failures) < MAX_FAILURES_KEPT:
            self.failures.append((item, reason))


def unit_key(input_id: str, index: int) -> str:
    return f"{input_id}-{index:06d}"


def input_id(arg: str) -> str:
    """Stable name of an input: its real path, plus the size for a file (a grown or replaced file is new)."""
    path = os.path.realpath(os.path.expanduser(arg))
    size = os.path.getsize(path) if os.path.isfile(path) else -1
    return schema.sha1_hex(f"{path}\x00{size}")[:12]


def source_kind(arg: str) -> str:
    from ..sources.detect import detect_kind

    try:
        kind = detect_kind(arg)
    except InputError:
        return "file"
    return kind if kind in ("warc", "jsonl") else "file"


def read_units(arg: str, batch_size: int, done: set[int] | frozenset[int] = frozenset()
               ) -> Iterator[WorkUnit | InputEnd]:
    """Cut one input into units, skipping (without keeping their bytes) the indexes in ``done``."""
    if batch_size < 1:
        raise InputError("batch size must be at least 1")
    iid, kind = input_id(arg), source_kind(arg)
    skipped_records = 0

    def on_skip(url, reason) -> None:
        nonlocal skipped_records
        skipped_records += 1

    index, items = 0, []
    for item in iter_documents([arg], on_skip=on_skip):
        if index not in done:
            items.append(item)
        else:
            items.append(None)  # a placeholder: only the count matters for a finished unit
        if len(items) == batch_size:
            if index not in done:
                yield WorkUnit(iid, arg, kind, index, items)
            index, items = index + 1, []
    if items:
        if index not in done:
            yield WorkUnit(iid, arg, kind, index, items)
        index += 1
    yield InputEnd(iid, arg, index, skipped_records)


def process_unit(unit: WorkUnit, options: Options | None = None) -> UnitResult:
    """Extract, analyse and turn into lake rows every document of a unit."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = UnitResult(unit.key, unit.input_id, unit.index)
    todo: list[tuple[RawDocument, str, str]] = []  # raw, content hash, doc key
    articles = []
    seen: set[str] = set()
    for item in unit.items:
        result.documents += 1
        if isinstance(item, Skipped):
            result.fail(item.item, item.reason)
            continue
        where = item.url or item.path or (f"{unit.input_name} id {item.doc_id}" if item.doc_id else unit.input_name)
        h = content_hash(item.content)
        key = schema.doc_key(item.url, h)
        if key in seen:
            result.fail(where, "the same document twice in one batch")
            continue
        seen.add(key)
        try:
            article = extract_article(item)
        except DatelineError as exc:
            result.fail(where, exc.message)
            continue
        except Exception as exc:
            log.exception("extraction failed on %s", where)
            result.fail(where, f"internal error: {type(exc).__name__}: {exc}")
            continue
        todo.append((item, h, key))
        articles.append((article, str(schema.article_id(key))))
    for (raw, h, key), analysis in _analyze(articles, todo, options, result):
        doc = document_rows(raw, h, key, analysis, unit.input_name, unit.source_kind)
        for table, rows in doc.tables.items():
            result.rows.setdefault(table, {}).setdefault(doc.month, []).extend(rows)
        result.articles += 1
        result.analysed += int(analysis.analysed)
        result.events += len(analysis.events)
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    result.peak_rss_mb = _peak_rss_mb()
    return result


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _analyze(articles, todo, options, result: UnitResult):
    """Pairs of (document, analysis); a batch that fails is retried article by article."""
    if not articles:
        return []
    try:
        return list(zip(todo, analyze_articles(articles, options)))
    except DatelineError as exc:
        if exc.code == "model_missing":
            raise  # the user's to fix, not a per-article failure
        log.warning("analysis of batch %s failed (%s); retrying one by one", result.key, exc.message)
    except ImportError:
        raise  # a broken installation fails every article: stop rather than mark the batch done
    except Exception:
        log.exception("analysis of batch %s failed; retrying one by one", result.key)
    out = []
    for doc, art in zip(todo, articles):
        try:
            out.append((doc, analyze_articles([art], options)[0]))
        except ImportError:
            raise
        except Exception as exc:  # noqa: BLE001 - recorded with its reason
            result.fail(doc[0].url or doc[0].path or "<document>", f"analysis failed: {type(exc).__name__}: {exc}")
    return out


def warm_up(options: Options | None = None) -> None:
    """Load spaCy and the resolvers' tables (once per worker process) before the first unit arrives.

    The resolvers load gazetteers and lexicons lazily on first use; one tiny
    analysis here keeps that cost out of the first unit's timing.
    """
    from ..models import Article

    analyze_articles([(Article(text="Officials met in Paris on Monday.", language="en"), None)], options)
