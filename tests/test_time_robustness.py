"""Long and odd input for the time normaliser: linear time, no crash."""

from __future__ import annotations

import time
from datetime import datetime

from dateline.resolve.time import find_times

REF = datetime(2023, 6, 14, 16, 4)
SENTENCE = (
    "Officials said on Tuesday that the talks, which began in early February, would resume at the end of the "
    "week — 🎉 مرحبا — after a pause of two days; prices rose 4.5% in 2022 and 12/31/2022 was a Saturday. "
)


def test_one_megabyte_in_one_paragraph_is_linear():
    text = (SENTENCE * (1_000_000 // len(SENTENCE) + 1))[:1_000_000]
    t0 = time.perf_counter()
    found = find_times(text, REF)
    elapsed = time.perf_counter() - t0
    assert len(found) > 1000
    assert elapsed < 25, elapsed  # about 4 s on one free core; generous for a shared machine


def test_degenerate_runs_do_not_backtrack():
    for text in ("in" + " " * 300_000 + "x", "1" * 300_000, "1/" * 150_000, "1." * 150_000,
                 "the end of " * 30_000, "a few " * 50_000 + "days ago"):
        t0 = time.perf_counter()
        find_times(text, REF)
        assert time.perf_counter() - t0 < 10
