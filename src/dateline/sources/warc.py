"""HTML documents out of WARC archives (.warc, .warc.gz), streamed.

Only one record's payload is in memory at a time (and at most
``max_record_bytes`` of it), so a 50 GB CC-NEWS file costs what a single page
costs.

Truncated or corrupt archives: every complete record before the damage is
yielded, then ``WarcTruncated`` (an InputError) is raised once, naming the
byte offset where reading stopped. A damaged last record is never yielded
half-read. warcio itself reads a cut-off archive without complaint, so the
check is ours: each record must deliver as many bytes as its Content-Length,
and whatever follows the last complete record must be blank.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from dateline.errors import InputError
from dateline.models import RawDocument
from dateline.sources.detect import root_element
from dateline.sources.fetch import charset_of, media_type

log = logging.getLogger(__name__)

DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_DRAIN = 1 << 16

SkipCallback = Callable[[str | None, str], None]


class WarcTruncated(InputError):
    """The archive ends (or breaks) in the middle of a record."""

    code = "warc_truncated"


class SkipCounter:
    """An ``on_skip`` callback that counts reasons, for a one-line summary."""

    def __init__(self) -> None:
        self.reasons: Counter[str] = Counter()

    def __call__(self, url: str | None, reason: str) -> None:
        self.reasons[reason] += 1

    @property
    def total(self) -> int:
        return sum(self.reasons.values())

    def summary(self) -> str:
        return ", ".join(f"{n} {reason}" for reason, n in self.reasons.most_common())


def _looks_like_html(head: bytes) -> bool:
    return root_element(head) in ("html", "head", "body")


def iter_warc(
    path: str | os.PathLike[str],
    on_skip: SkipCallback | None = None,
    *,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[RawDocument]:
    """Yield a RawDocument per HTML response (HTTP 200) in the archive.

    Everything else is reported through ``on_skip(url, reason)``: other
    record types ("request record", "revisit record", ...), other statuses
    ("HTTP 404"), other content ("not HTML: image/png"), oversized payloads.
    Raises WarcTruncated after the last good record of a damaged archive,
    InputError when the file cannot be opened or is not a WARC at all.
    """
    skip = on_skip or (lambda url, reason: None)
    path = os.fspath(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise InputError(f"cannot open WARC {path}: {exc.strerror or exc}") from exc
    with fh:
        size = os.fstat(fh.fileno()).st_size
        records = ArchiveIterator(fh)
        end_of_good = 0  # byte offset just past the last complete record
        seen_any = False
        try:
            for record in _guarded(records):
                if not seen_any and not _plausible_first(record):
                    raise InputError(f"not a readable WARC: {path} (no WARC/1.x record header at the start)")
                if record.rec_type is None or record.length is None:
                    # warcio's stand-in for a header it could not read (a gzip member cut short).
                    if not seen_any:
                        raise InputError(f"not a readable WARC: {path} (no readable record header)")
                    raise WarcTruncated(
                        f"WARC {path} is truncated: the record at byte {records.get_record_offset():,} "
                        "has no complete header"
                    )
                seen_any = True
                doc, reason = _read_record(record, max_record_bytes)
                offset = records.get_record_offset()
                complete = _drain(record)
                if not complete:
                    raise WarcTruncated(
                        f"WARC {path} is truncated: the record at byte {offset:,} ends early "
                        f"({_target(record) or record.rec_type})"
                    )
                end_of_good = offset + records.get_record_length()
                if doc is not None:
                    yield doc
                else:
                    skip(_target(record), reason or "skipped")
        except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
            if not seen_any:
                raise InputError(f"not a readable WARC: {path} ({exc})") from exc
            raise WarcTruncated(f"WARC {path} is damaged after byte {end_of_good:,}: {exc}") from exc
        if not seen_any and size > 0:
            raise InputError(f"not a readable WARC: {path} (no records found)")
        if end_of_good < size and not _only_blank_after(fh, end_of_good):
            raise WarcTruncated(
                f"WARC {path} is truncated: {size - end_of_good:,} bytes after byte {end_of_good:,} "
                "do not form a complete record"
            )


def _guarded(records: ArchiveIterator) -> Iterator:
    """warcio's records, with its internal errors on a header cut short turned into ArchiveLoadFailed."""
    it = iter(records)
    while True:
        try:
            record = next(it)
        except StopIteration:
            return
        except (AttributeError, TypeError, KeyError, IndexError) as exc:
            # e.g. a gzip member ending inside the HTTP headers leaves warcio with no target URI.
            raise ArchiveLoadFailed(f"unreadable record header ({type(exc).__name__}: {exc})") from exc
        yield record


def _plausible_first(record) -> bool:
    """warcio reads almost any text as an old ARC file; a real one opens with a filedesc:// record."""
    if record.format != "arc":
        return True
    uri = record.rec_headers.get_header("uri") or ""
    return uri.startswith("filedesc:")


def _target(record) -> str | None:
    return record.rec_headers.get_header("WARC-Target-URI")


def _read_record(record, max_bytes: int) -> tuple[RawDocument | None, str | None]:
    """The document in ``record``, or None and the reason it is skipped."""
    if record.rec_type not in ("response", "resource"):
        return None, f"{record.rec_type} record"
    url = _target(record)
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return None, "response without HTTP headers"
        status = http.get_statuscode()
        if status != "200":
            return None, f"HTTP {status or 'status missing'}"
        content_type = http.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    ctype = media_type(content_type)
    if ctype and ctype not in _HTML_TYPES:
        return None, f"not HTML: {ctype}"
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        return None, f"larger than {max_bytes:,} bytes"
    if not payload.strip():
        return None, "empty payload"
    if ctype is None and not _looks_like_html(payload[:4096]):
        return None, "not HTML: no Content-Type and no HTML markup"
    doc = RawDocument(
        content=payload,
        url=url,
        kind="html",
        fetched_at=_iso_date(record.rec_headers.get_header("WARC-Date")),
        encoding_hint=charset_of(content_type),
        source=urlsplit(url).hostname if url else None,
    )
    return doc, None


def _drain(record) -> bool:
    """Read what is left of the record; False if it held less than its Content-Length."""
    raw = record.raw_stream
    while raw.read(_DRAIN):
        pass
    return raw.tell() >= (record.length or 0)


def _only_blank_after(fh, offset: int) -> bool:
    fh.seek(offset)
    while True:
        chunk = fh.read(_DRAIN)
        if not chunk:
            return True
        if chunk.strip():
            return False


def _iso_date(value: str | None) -> str | None:
    """WARC-Date is already ISO-8601 (UTC, with Z); normalise Z to +00:00 like the rest of dateline."""
    if not value:
        return None
    value = value.strip()
    return value[:-1] + "+00:00" if value.endswith("Z") else value
