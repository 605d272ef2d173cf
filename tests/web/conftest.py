"""A small analysed store for the web tests, built once per session from example pages.

The pages cover one story told by several outlets (USA–CHN), a second dyad, and one
hostile page whose title and body carry script/handler payloads (XSS tests).
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
PAGES = [
    "a-blinken-visit-globalwire.html",
    "a-blinken-visit-capitolherald.html",
    "a-blinken-visit-pacificpost-amp.html",
    "a-biden-xi-bali-globalwire.html",
    "a-spy-balloon-continentalnews.html",
]
XSS_TITLE = 'Talks <script>window.__xss=1;alert("t")</script><img src=x onerror="alert(1)"> in Beijing'
XSS_BODY = (
    "<p>BEIJING, June 19 (Wire) — Secretary of State Antony Blinken met Chinese President Xi Jinping in Beijing "
    "on Monday, the State Department said.</p>"
    '<p>Analysts wrote &lt;img src=x onerror="alert(2)"&gt; and &lt;script&gt;alert(3)&lt;/script&gt; in their notes, '
    "and said the two sides agreed to stabilise relations.</p>"
    "<p>China criticised the United States over export controls on Tuesday, officials said.</p>"
)
SCREENSHOTS = ROOT / "tests" / "screenshots"


def xss_page() -> str:
    from html import escape

    return (f"<!doctype html><html lang=en><head><title>{escape(XSS_TITLE)}</title>"
            f'<meta property="og:title" content="{escape(XSS_TITLE)}">'
            '<meta property="article:published_time" content="2023-06-19T10:00:00Z"></head>'
            f"<body><article><h1>{escape(XSS_TITLE)}</h1>{XSS_BODY}</article></body></html>")


@pytest.fixture(scope="session")
def web_db(tmp_path_factory) -> str:
    from dateline.pipeline import ingest
    from dateline.store import Store

    folder = tmp_path_factory.mktemp("web-corpus")
    for name in PAGES:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "zz-hostile-page.html").write_text(xss_page(), encoding="utf-8")
    db = str(tmp_path_factory.mktemp("web-db") / "web.db")
    with Store(db) as store:
        report = ingest([str(folder)], store)
        assert report.added == len(PAGES) + 1, report.to_dict()
        try:  # stories are a sibling capability; the pages show "not available" without them
            from dateline.stories import update_stories
        except ImportError:
            update_stories = None
        if update_stories is not None:
            update_stories(store)
    return db


@pytest.fixture(scope="session")
def app(web_db):
    from dateline.web.app import create_app_for_db

    return create_app_for_db(web_db, warm_charts=False)


@pytest.fixture(scope="session")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(web_db):
    """uvicorn on 127.0.0.1 in a thread, for the browser tests."""
    import uvicorn

    from dateline.web.app import create_app_for_db

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app_for_db(web_db), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    if not server.started:
        pytest.fail("uvicorn did not start")
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
