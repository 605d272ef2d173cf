"""The process pool and Ray Data give the same lake; a killed run resumes without duplicates (slow)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dateline.scale.manifest import MANIFEST, Manifest
from dateline.scale.runner import run_batch

ROOT = Path(__file__).resolve().parents[2]
RAY_PAGES = 200
RAY_BATCH = 16


@pytest.mark.slow
def test_local_pool_and_ray_write_identical_lakes(tmp_path, lake_tables):
    ray = pytest.importorskip("ray")
    from dateline.scale.synth import write_warc

    warc = write_warc(tmp_path / "pages.warc.gz", RAY_PAGES, ROOT / "examples" / "corpus")
    local = run_batch([str(warc)], tmp_path / "local", engine="local", workers=2, batch_size=RAY_BATCH,
                      progress=False)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        remote = run_batch([str(warc)], tmp_path / "ray", engine="ray", workers=2, batch_size=RAY_BATCH,
                           progress=False)
    finally:
        ray.shutdown()
    assert local.articles == remote.articles == RAY_PAGES
    assert local.events == remote.events > RAY_PAGES
    a, b = lake_tables(tmp_path / "local"), lake_tables(tmp_path / "ray")
    for table in a:
        assert a[table].num_rows > 0 and a[table].equals(b[table]), table
    # Same files too: both engines name them after the same units.
    files = lambda lake: sorted(str(p.relative_to(lake)) for p in lake.rglob("*.parquet"))
    assert files(tmp_path / "local") == files(tmp_path / "ray")


def _unit_lines(manifest: Path) -> list[dict]:
    if not manifest.exists():
        return []
    out = []
    for line in manifest.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return out


@pytest.mark.slow
def test_a_killed_run_resumes_without_duplicates(small_warc, small_lake, tmp_path, lake_tables, sizes):
    lake = tmp_path / "lake"
    cmd = [sys.executable, "-m", "dateline.cli", "batch", str(small_warc), "--out", str(lake), "--workers", "1",
           "--batch-size", str(sizes["batch"]), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if any(r.get("kind") == "unit" for r in _unit_lines(lake / MANIFEST)):
                break
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the job and its worker processes, as a crash would
        proc.wait()
    lines = _unit_lines(lake / MANIFEST)
    done = [r for r in lines if r.get("kind") == "unit"]
    assert done and not any(r.get("kind") == "input" for r in lines), "the kill should land half-way"
    assert len(done) < sizes["pages"] // sizes["batch"]

    report = run_batch([str(small_warc)], lake, workers=0, batch_size=sizes["batch"], progress=False)
    assert report.units == sizes["pages"] // sizes["batch"] - len(done)
    resumed, reference = lake_tables(lake), lake_tables(small_lake)
    for table in reference:
        assert resumed[table].equals(reference[table]), table
    ids = resumed["articles"].column("id").to_pylist()
    assert len(ids) == len(set(ids)) == sizes["pages"]
    assert len(Manifest.open(lake).units) == sizes["pages"] // sizes["batch"]
