"""The optional "add a URL or feed" form: off unless the server was started with a write token.

The token is compared in constant time and must come with every submission, so a page on
another site cannot make a visitor's browser add sources (it does not know the token).
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..errors import DatelineError, Forbidden, InputError, NotFound
from .params import render

log = logging.getLogger(__name__)
router = APIRouter()
MAX_FEED_ENTRIES = 25
MAX_FORM_BYTES = 8192


@dataclass
class AddResult:
    url: str
    kind: str  # "page" or "feed"
    added: int = 0
    duplicates: int = 0
    failed: list[str] = field(default_factory=list)


def ingest_url(db_path: str, url: str) -> AddResult:
    """Fetch a page (or a feed and its entries), store it and analyse what is new."""
    from ..pipeline import analyze_pending, ingest_documents
    from ..sources.detect import sniff_kind
    from ..sources.feeds import parse_feed
    from ..sources.fetch import Fetcher
    from ..store import Store

    with Fetcher() as fetcher:
        first = fetcher.fetch(url)
        kind = sniff_kind(first.content_type, first.content)
        if kind == "feed":
            feed = parse_feed(first.content, first.final_url)
            links = [e.url for e in feed.entries if e.url][:MAX_FEED_ENTRIES]
            docs, failed = [], []
            for link in links:
                try:
                    docs.append(fetcher.fetch_document(link))
                except DatelineError as exc:
                    failed.append(f"{link}: {exc.message}")
            result = AddResult(url, "feed", failed=failed)
        else:
            docs = [fetcher.fetch_document(first.final_url)]
            result = AddResult(url, "page")
    with Store(db_path) as store:
        report = ingest_documents(docs, store, source_kind="feed" if kind == "feed" else "url")
        analyze_pending(store)
    result.added = report.added + report.new_versions
    result.duplicates = report.duplicates + report.unchanged
    result.failed += [f"{item}: {reason}" for item, reason in report.failures]
    return result


def _require_enabled(request: Request) -> str:
    token = request.app.state.write_token
    if not token or not request.app.state.db_path:
        raise NotFound("adding sources is disabled (start the server with --write-token)")
    return token


@router.get("/add", response_class=HTMLResponse, tags=["writes"], summary="Form to add a URL or feed")
def add_form(request: Request):
    _require_enabled(request)
    return render(request, "add.html", {"result": None, "url": ""})


@router.post("/add", response_class=HTMLResponse, tags=["writes"], summary="Add a URL or feed (needs the token)")
async def add_submit(request: Request):
    token = _require_enabled(request)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise InputError("form too large")
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    given = form.get("token", "")
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Forbidden("wrong or missing write token")
    url = form.get("url", "").strip()
    if not url.startswith(("http://", "https://")):
        raise InputError("give an http(s) URL of a page or a feed")
    from starlette.concurrency import run_in_threadpool

    result = await run_in_threadpool(ingest_url, request.app.state.db_path, url)
    return render(request, "add.html", {"result": result, "url": url})
