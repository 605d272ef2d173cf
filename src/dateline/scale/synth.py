"""Generated news pages in a WARC, for the scale tests and the benchmark.

Pages are recombined from a folder of real example articles (``examples/corpus``):
page ``i`` takes article ``i mod n``, starts at a rotated paragraph, gets its own
URL, title suffix and publication date (spread over months, so the lake has
several partitions), and is wrapped as an HTTP 200 response record. Every
``request_every``-th page is preceded by a request record, which readers skip.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path

from ..errors import InputError


@dataclass
class SourceArticle:
    title: str
    paragraphs: list[str]


def load_articles(corpus: str | os.PathLike, limit: int | None = None) -> list[SourceArticle]:
    """Title and paragraphs of each English .html page of a folder (pages with fewer than 3 paragraphs are left out)."""
    from lxml import html as lhtml

    out = []
    for path in sorted(Path(corpus).glob("*.html")):
        tree = lhtml.fromstring(path.read_bytes())
        if (tree.get("lang") or "en")[:2] != "en":
            continue
        title = " ".join((tree.findtext(".//title") or path.stem).split())
        paras = [" ".join(p.text_content().split()) for p in tree.iter("p")]
        paras = [p for p in paras if len(p.split()) >= 8]
        if len(paras) >= 3:
            out.append(SourceArticle(title, paras))
        if limit and len(out) >= limit:
            break
    if not out:
        raise InputError(f"no usable example articles in {corpus}")
    return out


def page_html(art: SourceArticle, i: int, published: date) -> str:
    k = i // 7 % len(art.paragraphs)
    paras = art.paragraphs[k:] + art.paragraphs[:k]
    title = f"{art.title} (report {i})"
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}</title>"
            f'<meta property="article:published_time" content="{published.isoformat()}T08:00:00Z"></head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
            f"<footer>Copyright example news</footer></body></html>")


def write_warc(path: str | os.PathLike, pages: int, corpus: str | os.PathLike, *, start: date = date(2023, 1, 1),
               request_every: int = 10) -> Path:
    """Write ``pages`` generated pages to a gzipped WARC at ``path``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    articles = load_articles(corpus)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(pages):
            art = articles[i % len(articles)]
            url = f"https://news{i % 5}.example.org/world/{i:06d}.html"
            published = start + timedelta(days=(i * 3) % 400)
            if request_every and i % request_every == 0:
                req = StatusAndHeaders("GET /world HTTP/1.1", [("Host", f"news{i % 5}.example.org")],
                                       is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
            payload = page_html(art, i, published).encode("utf-8")
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                  ("Content-Length", str(len(payload)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          http_headers=headers))
    return path
