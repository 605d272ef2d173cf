"""Documents from local files, folders, globs, JSON Lines and WARC files.

``iter_documents(inputs)`` is what ``dateline ingest`` and ``analyze --jsonl``
consume: RawDocuments, and a ``Skipped(item, reason)`` in place of each input
that could not be read, so a report can list it and JSONL output keeps one
result per input line, in order.

Folders are walked recursively in sorted order (so runs are repeatable) and
globs are expanded; inside them only document files (.html, .htm, .xhtml,
.txt, optionally .gz) are taken, and the others are reported through
``on_skip(path, reason)`` and logged, not turned into failures: a saved page
comes with its .css and .png. A file named explicitly is always read.
JSON Lines have the shape of ``dateline analyze --jsonl``: {"id", "text" |
"html", "url"?, "published"?, "title"?}.
"""

from __future__ import annotations

import glob
import gzip
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from dateline.errors import InputError
from dateline.models import RawDocument
from dateline.sources.decode import gunzip_bounded
from dateline.sources.detect import _JSONL_EXT

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 10 * 1024 * 1024
_HTML_EXT = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
_TEXT_EXT = (".txt", ".txt.gz")

SkipCallback = Callable[[str | None, str], None]


@dataclass
class Skipped:
    """An input that gave no document, and why."""

    item: str  # path, "file:line", or URL
    reason: str
    doc_id: str | None = None  # the JSONL "id", when the line had one


def _mtime_iso(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).isoformat(timespec="seconds")


def document_kind(path: str | os.PathLike[str]) -> str | None:
    """"html", "text", or None when the extension is not a document's."""
    name = os.fspath(path).lower()
    if name.endswith(_HTML_EXT):
        return "html"
    if name.endswith(_TEXT_EXT):
        return "text"
    return None


def read_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_FILE_BYTES) -> RawDocument:
    """One local file as a RawDocument; InputError when it cannot be used."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(f"{p} is larger than {max_bytes:,} bytes")
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror or exc}") from exc
    if data[:2] == b"\x1f\x8b":
        data = gunzip_bounded(data, max_bytes, what=str(p))
    if not data.strip():
        raise InputError(f"empty file: {p}")
    kind = document_kind(p)
    if kind is None:
        from dateline.sources.detect import sniff_kind

        kind = sniff_kind(None, data)
        if kind not in ("html", "text"):
            raise InputError(f"{p} is a {kind}, not an article")
    return RawDocument(content=data, path=str(p), kind=kind, fetched_at=_mtime_iso(p), source=p.parent.name or None)


def read_document(path: str | os.PathLike[str]) -> RawDocument | Skipped:
    """Like read_file, with the failure as a Skipped instead of an exception."""
    try:
        return read_file(path)
    except InputError as exc:
        return Skipped(os.fspath(path), exc.message)


def _expand(arg: str) -> list[Path]:
    p = Path(arg).expanduser()
    if p.is_dir():
        return sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith("."))
    return sorted(Path(q) for q in glob.glob(os.path.expanduser(arg), recursive=True) if os.path.isfile(q))


def iter_local(arg: str, on_skip: SkipCallback | None = None) -> Iterator[RawDocument | Skipped]:
    """Documents from a file, a folder (recursive) or a glob pattern."""
    p = Path(arg).expanduser()
    if p.is_file():
        yield read_document(p)
        return
    paths = _expand(arg)
    if not paths:
        yield Skipped(arg, "no files match" if not p.exists() else "no files in folder")
        return
    ignored = 0
    for path in paths:
        if path.name.lower().endswith(_JSONL_EXT):
            # a folder of exports holds JSON Lines files as often as pages
            yield from iter_jsonl(path)
            continue
        if document_kind(path) is None:
            ignored += 1
            if on_skip:
                on_skip(str(path), f"not a document ({''.join(path.suffixes[-2:]) or 'no extension'})")
            continue
        yield read_document(path)
    if ignored:
        log.info("%s: ignored %d files that are not documents (.html, .htm, .xhtml, .txt)", arg, ignored)


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[RawDocument | Skipped]:
    """One RawDocument per JSON line, or a Skipped ("<file>:<line>", reason, id) in its place."""
    path = os.fspath(path)
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        fh = opener(path, "rt", encoding="utf-8", errors="replace")
    except OSError as exc:
        yield Skipped(path, f"cannot open: {exc.strerror or exc}")
        return
    with fh:
        try:
            yield from _jsonl_lines(fh, path)
        except (OSError, EOFError) as exc:  # e.g. a truncated .gz
            yield Skipped(path, f"cannot read further: {exc}")


def _jsonl_lines(fh, path: str) -> Iterator[RawDocument | Skipped]:
    for number, line in enumerate(fh, start=1):
        where = f"{path}:{number}"
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"invalid JSON ({exc.msg})")
            continue
        if not isinstance(item, dict):
            yield Skipped(where, "not a JSON object")
            continue
        doc_id = str(item["id"]) if item.get("id") is not None else None
        html, text = item.get("html"), item.get("text")
        body = html if isinstance(html, str) and html.strip() else text
        if not isinstance(body, str) or not body.strip():
            yield Skipped(where, 'no "text" or "html"', doc_id)
            continue

        def opt(key: str) -> str | None:
            value = item.get(key)
            return value if isinstance(value, str) and value.strip() else None

        yield RawDocument(
            content=body.encode("utf-8"),
            url=opt("url"),
            kind="html" if body is html else "text",
            published_hint=opt("published"),
            title_hint=opt("title"),
            encoding_hint="utf-8",
            source=opt("source"),
            doc_id=doc_id,
        )


def _iter_warc(path: str, on_skip: SkipCallback | None) -> Iterator[RawDocument | Skipped]:
    from dateline.sources.warc import WarcTruncated, iter_warc

    try:
        yield from iter_warc(path, on_skip)
    except WarcTruncated as exc:
        yield Skipped(path, exc.message)
    except InputError as exc:
        yield Skipped(path, exc.message)


def iter_documents(inputs: Iterable[str], on_skip: SkipCallback | None = None) -> Iterator[RawDocument | Skipped]:
    """Every document of the local inputs (files, folders, globs, .jsonl, .warc), in order.

    Inputs that must be fetched (URLs, feeds, sitemaps) come back as Skipped
    naming the fetcher to use; WARC records that are not HTML pages go to
    ``on_skip`` only, since a crawl holds many by design.
    """
    from dateline.sources.detect import detect_kind

    for arg in inputs:
        try:
            kind = detect_kind(arg)
        except InputError as exc:
            yield Skipped(arg, exc.message)
            continue
        if kind == "jsonl":
            yield from iter_jsonl(arg)
        elif kind == "warc":
            yield from _iter_warc(arg, on_skip)
        elif kind in ("file", "folder", "glob"):
            yield from iter_local(arg, on_skip)
        elif kind == "feed" and Path(arg).is_file():
            yield Skipped(arg, "a feed file: its entries link to pages that must be fetched")
        else:
            yield Skipped(arg, f"a {kind} to fetch (use the fetcher), not a local document")
