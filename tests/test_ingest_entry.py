"""One ingest entry point: ``pipeline.ingest`` delegates to ``sources.ingest.ingest_inputs``,
and ingesting local files does not import the web machinery (httpx, feedparser, warcio)."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dateline import pipeline
from dateline.pipeline import IngestReport, ingest
from dateline.sources.ingest import SourceReport, ingest_inputs
from dateline.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"
PAGES = ["a-spy-balloon-capitolherald.html", "a-grain-deal-globalwire.html"]


@pytest.fixture
def folder(tmp_path) -> Path:
    d = tmp_path / "pages"
    d.mkdir()
    for name in PAGES:
        shutil.copy(CORPUS / name, d / name)
    (d / "style.css").write_text("body { color: black }", encoding="utf-8")  # not a document: a record skip
    return d


@pytest.fixture
def store(tmp_path):
    with Store(str(tmp_path / "s.db")) as s:
        yield s


def test_signature_is_unchanged():
    params = inspect.signature(pipeline.ingest).parameters
    assert list(params) == ["inputs", "store", "analyze", "options", "progress"]
    assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in ("analyze", "options", "progress"))
    assert params["analyze"].default is True


def test_wrapper_gives_what_ingest_inputs_gives(folder, tmp_path, store):
    missing = str(tmp_path / "missing.html")
    report = ingest([str(folder), missing], store, analyze=False)
    assert isinstance(report, IngestReport) and isinstance(report, SourceReport)
    assert (report.added, report.failed) == (2, 1)
    assert report.failures == [(missing, f"no such file or folder: {missing}")]
    assert [i.kind for i in report.inputs] == ["folder"]  # the missing path never got a kind
    assert sum(report.record_skips.values()) == 1  # the .css file, counted, not a failure
    with Store(str(tmp_path / "other.db")) as other:
        direct = ingest_inputs([str(folder), missing], other, analyze=False)
    assert (direct.added, direct.failed, direct.failures) == (report.added, report.failed, report.failures)


def test_wrapper_runs_the_finishing_stages_and_progress(folder, store):
    phases: list[str] = []
    report = ingest([str(folder)], store, analyze=False, progress=lambda rep, phase: phases.append(phase))
    assert phases.count("ingest") == 2
    assert report.stories is not None  # stories grouped by pipeline.finish_ingest
    assert ingest([str(folder)], store, analyze=False).duplicates == 2


def test_wrapper_refuses_private_hosts_without_connecting(store):
    # Through the one entry point a URL is fetched, not skipped; the SSRF guard stays on by default
    # and refuses a loopback address before any connection is made.
    report = ingest(["http://127.0.0.1:9/news/story"], store, analyze=False)
    assert report.added == 0 and report.failed == 1
    item, reason = report.failures[0]
    assert item == "http://127.0.0.1:9/news/story" and reason.startswith("refused")


def test_local_ingest_does_not_import_web_machinery(folder, tmp_path):
    code = (
        "import sys\n"
        "from dateline.pipeline import ingest\n"
        "from dateline.store import Store\n"
        f"with Store({str(tmp_path / 'sub.db')!r}) as s:\n"
        f"    r = ingest([{str(folder)!r}], s, analyze=False)\n"
        "assert r.added == 2, r.to_dict()\n"
        "print(','.join(m for m in ('httpx', 'feedparser', 'warcio') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
