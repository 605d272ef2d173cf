"""Generated WARCs and a small lake, built once per session for the scale tests.

The small lake is analysed in the test process (``workers=0``: the same batch
function without a pool) so the fast tests pay for spaCy once; the slow tests
run the process pool, Ray and a killed subprocess.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
SMALL_PAGES = 16
SMALL_BATCH = 4


@pytest.fixture(scope="session")
def small_warc(tmp_path_factory) -> Path:
    from dateline.scale.synth import write_warc

    return write_warc(tmp_path_factory.mktemp("warc") / "small.warc.gz", SMALL_PAGES, CORPUS)


@pytest.fixture(scope="session")
def small_lake(small_warc, tmp_path_factory) -> Path:
    from dateline.scale.runner import run_batch

    lake = tmp_path_factory.mktemp("lake") / "lake"
    report = run_batch([str(small_warc)], lake, engine="local", workers=0, batch_size=SMALL_BATCH, progress=False)
    assert report.articles == SMALL_PAGES, report.to_dict()
    return lake


@pytest.fixture(scope="session")
def lake_db(small_lake, tmp_path_factory) -> str:
    from dateline.scale.load import load_lake
    from dateline.store import Store

    db = str(tmp_path_factory.mktemp("db") / "lake.db")
    with Store(db) as store:
        load_lake(small_lake, store, stories=False)
    return db


def _lake_tables(lake) -> dict:
    from dateline.scale.schema import TABLES
    from dateline.scale.writer import read_table

    return {t: read_table(lake, t) for t in TABLES}


@pytest.fixture(scope="session")
def lake_tables():
    """lake folder -> {table: its rows as one Arrow table, sorted by key} (content, whatever the file layout)."""
    return _lake_tables


@pytest.fixture(scope="session")
def sizes() -> dict:
    return {"pages": SMALL_PAGES, "batch": SMALL_BATCH}
