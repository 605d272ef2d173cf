"""``dateline batch``: inputs -> units -> an engine -> Parquet lake + manifest, with progress on stderr."""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError
from ..pipeline import Options
from . import engines
from .manifest import Manifest
from .work import InputEnd, UnitResult, input_id
from .writer import write_unit

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 32


@dataclass
class BatchReport:
    engine: str
    workers: int
    inputs: int = 0
    inputs_already_done: int = 0
    units: int = 0
    documents: int = 0
    articles: int = 0
    analysed: int = 0
    events: int = 0
    failed: int = 0
    seconds: float = 0.0
    first_unit_seconds: float | None = None  # start-up: until the first unit came back (workers load models)
    steady_articles_per_second: float | None = None  # from the first unit to the last, start-up excluded
    peak_worker_rss_mb: float = 0.0
    worker_cpu_seconds: float = 0.0  # summed over units: CPU time the workers spent, start-up excluded
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine, "workers": self.workers, "inputs": self.inputs,
            "inputs_already_done": self.inputs_already_done, "units": self.units, "documents": self.documents,
            "articles": self.articles, "analysed": self.analysed, "events": self.events, "failed": self.failed,
            "seconds": round(self.seconds, 2), "articles_per_second": round(self.articles_per_second, 2),
            "first_unit_seconds": None if self.first_unit_seconds is None else round(self.first_unit_seconds, 2),
            "steady_articles_per_second": (None if self.steady_articles_per_second is None
                                           else round(self.steady_articles_per_second, 2)),
            "peak_worker_rss_mb": round(self.peak_worker_rss_mb, 1),
            "worker_cpu_seconds": round(self.worker_cpu_seconds, 2),
            "articles_per_cpu_second": round(self.articles / self.worker_cpu_seconds, 2)
            if self.worker_cpu_seconds else None,
            "failures": [{"item": i, "reason": r} for i, r in self.failures],
        }


class ProgressLine:
    """Counts and rates on stderr, one line every few seconds (plain lines: batch jobs log to files)."""

    def __init__(self, report: BatchReport, stream: TextIO | None = None, every: float = 5.0,
                 enabled: bool = True):
        self.report, self.stream, self.every, self.enabled = report, stream or sys.stderr, every, enabled
        self.start = time.monotonic()
        self.last = self.start

    def tick(self, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self.last < self.every):
            return
        self.last = now
        r, elapsed = self.report, max(now - self.start, 1e-6)
        self.stream.write(f"batch: {r.units} units  {r.documents} documents  {r.articles} articles"
                          f" ({r.articles / elapsed:.1f}/s)  {r.events} events  {r.failed} failed"
                          f"  {elapsed:.0f}s\n")
        self.stream.flush()


class _Sink:
    """Writes each finished unit, then records it; records an input once all its units are written."""

    def __init__(self, lake: Path, manifest: Manifest, report: BatchReport, progress: ProgressLine):
        self.lake, self.manifest, self.report, self.progress = lake, manifest, report, progress
        self.ends: dict[str, InputEnd] = {}
        self.started = time.perf_counter()
        self._first: tuple[float, int] | None = None  # (time, articles) when the first unit arrived

    def __call__(self, item: UnitResult | InputEnd) -> None:
        if isinstance(item, InputEnd):
            self.ends[item.input_id] = item
        else:
            self._unit(item)
        self._finish_inputs()
        self.progress.tick()

    def _unit(self, res: UnitResult) -> None:
        files = write_unit(self.lake, res)
        self.manifest.add_unit({
            "unit": res.key, "input_id": res.input_id, "index": res.index, "documents": res.documents,
            "articles": res.articles, "analysed": res.analysed, "events": res.events, "failed": res.failed,
            "failures": [{"item": i, "reason": r} for i, r in res.failures], "files": files,
            "seconds": round(res.seconds, 3), "cpu_seconds": round(res.cpu_seconds, 3), "peak_rss_mb": round(res.peak_rss_mb, 1),
        })
        r = self.report
        now = time.perf_counter()
        if self._first is None:
            self._first = (now, res.articles)
            r.first_unit_seconds = now - self.started
        elif now > self._first[0]:
            r.steady_articles_per_second = (r.articles + res.articles - self._first[1]) / (now - self._first[0])
        r.peak_worker_rss_mb = max(r.peak_worker_rss_mb, res.peak_rss_mb)
        r.worker_cpu_seconds += res.cpu_seconds
        r.units += 1
        r.documents += res.documents
        r.articles += res.articles
        r.analysed += res.analysed
        r.events += res.events
        r.failed += res.failed
        r.failures.extend(res.failures[: max(0, 50 - len(r.failures))])

    def _finish_inputs(self) -> None:
        for iid, end in list(self.ends.items()):
            if len(self.manifest.done_indexes(iid)) >= end.units:
                self.manifest.add_input(iid, end.input_name, end.units, end.skipped_records)
                del self.ends[iid]


def run_batch(inputs: list[str], out: str | os.PathLike, *, engine: str = "local", workers: int = 1,
              address: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE, options: Options | None = None,
              progress: bool = True, stream: TextIO | None = None) -> BatchReport:
    """Analyse ``inputs`` into the lake ``out``; inputs and units the manifest lists as done are skipped."""
    if engine not in engines.ENGINES:
        raise InputError(f"engine must be one of {', '.join(engines.ENGINES)}; got {engine!r}")
    if workers < 0 or (workers == 0 and engine != "local"):
        raise InputError("workers must be at least 1 (0, local engine only: in this process)")
    if not inputs:
        raise InputError("batch needs at least one input (WARC, JSONL, folder or file)")
    lake = Path(out)
    if lake.exists() and not lake.is_dir():
        raise InputError(f"--out {lake} exists and is not a folder")
    manifest = Manifest.open(lake, batch_size)
    report = BatchReport(engine=engine, workers=workers, inputs=len(inputs))
    pending = []
    for arg in dict.fromkeys(inputs):  # the same input twice would be analysed twice
        if manifest.input_done(input_id(arg)):
            report.inputs_already_done += 1
            log.info("%s: already in the lake, skipped", arg)
        else:
            pending.append(arg)
    line = ProgressLine(report, stream, enabled=progress)
    sink = _Sink(lake, manifest, report, line)
    started = time.perf_counter()
    if pending:
        if engine == "local":
            engines.run_local(pending, manifest.done_indexes, sink, batch_size=batch_size, workers=workers,
                              options=options)
        else:
            engines.run_ray(pending, manifest.done_indexes, sink, batch_size=batch_size, workers=workers,
                            address=address, options=options)
    report.seconds = time.perf_counter() - started
    line.tick(force=True)
    return report
