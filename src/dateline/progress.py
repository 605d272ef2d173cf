"""A small terminal progress line for long runs (stderr; quiet when not a TTY)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, stream=None, every: float = 0.2, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.every = every
        self.start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, report, phase: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < self.every:
            return
        self._last = now
        done = report.ok + report.skipped + report.failed
        rate = done / max(now - self.start, 1e-6)
        if phase == "ingest":
            line = (f"ingest  {done:>7} docs  ok {report.ok}  skipped {report.skipped}  failed {report.failed}"
                    f"  ({rate:.1f}/s)")
        else:
            line = (f"analyse {report.analysed + report.not_analysed:>7} articles  analysed {report.analysed}"
                    f"  not analysed {report.not_analysed}  failed {report.analysis_failed}")
        width = 20
        bar = "#" * (int(now * 4) % width)
        self.stream.write(f"\r[{bar:<{width}}] {line}\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
