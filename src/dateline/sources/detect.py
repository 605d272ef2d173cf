"""What kind of source an argument or a fetched body is.

``detect_kind`` looks only at the argument (scheme, extension, and for local
XML files the first bytes); a URL's real kind is known after fetching, which
``sniff_kind`` decides from the Content-Type and the body itself, since many
servers label feeds and sitemaps as text/xml or even text/html.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from dateline.errors import InputError

KINDS = ("url", "feed", "sitemap", "warc", "file", "folder", "glob", "jsonl")

_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_XML_TYPES = {"text/xml", "application/xml"}
_FEED_PATH = re.compile(r"(\.(rss|atom|rdf)$|/(feed|rss|atom)(/|\.xml)?$|/feeds?/)", re.I)
_SITEMAP_PATH = re.compile(r"sitemap[^/]*\.xml(\.gz)?$", re.I)
_WARC_EXT = (".warc", ".warc.gz", ".arc", ".arc.gz")
_JSONL_EXT = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_GLOB_CHARS = set("*?[")
_ROOT = re.compile(rb"<\s*([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]")


def root_element(data: bytes) -> str | None:
    """Local name of the first element in an XML/HTML head, skipping prolog and comments."""
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    for prefix in (b"\xff\xfe", b"\xfe\xff"):
        if head.startswith(prefix):  # UTF-16: decode enough to look at tags
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
    # Drop processing instructions, comments and the doctype before looking.
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>|<!\[CDATA\[.*?\]\]>", b"", head, flags=re.S | re.I)
    m = _ROOT.search(head)
    return m.group(2).decode("ascii").lower() if m else None


def sniff_kind(content_type: str | None, data: bytes) -> str:
    """"feed", "sitemap", "html" or "text" for a fetched body; InputError for anything else."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if data[:2] == b"\x1f\x8b":
        # Gzip that the server did not mark as Content-Encoding: in practice a sitemap.xml.gz.
        return "sitemap"
    if ctype in _FEED_TYPES:
        return "feed"
    root = root_element(data)
    if root in ("rss", "feed", "rdf", "channel"):
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap"
    if ctype in _HTML_TYPES or root in ("html", "head", "body"):
        return "html"
    if ctype == "text/plain":
        return "text"
    if not ctype or ctype in _XML_TYPES or ctype.startswith("text/"):
        if b"\x00" in data[:1024]:
            raise InputError(f"unsupported content: binary data labelled {ctype or 'nothing'}")
        # Unlabelled or generic text: treat markup as HTML, the rest as plain text.
        return "html" if root else "text"
    raise InputError(f"unsupported content type {ctype}")


def detect_kind(arg: str) -> str:
    """Which kind of source a command-line argument names (see KINDS)."""
    if not arg or not arg.strip():
        raise InputError("empty source argument")
    arg = arg.strip()
    scheme = urlsplit(arg).scheme.lower() if "://" in arg else ""
    if scheme in ("http", "https"):
        path = urlsplit(arg).path
        if _SITEMAP_PATH.search(path):
            return "sitemap"
        if _FEED_PATH.search(path):
            return "feed"
        return "url"
    if scheme == "file":
        raise InputError(f"file:// URLs are not fetched; pass the path itself ({arg})")
    if scheme:
        raise InputError(f"unsupported URL scheme {scheme}:// in {arg}; use http(s) or a local path")
    lower = arg.lower()
    if any(c in _GLOB_CHARS for c in arg) and not os.path.exists(arg):
        return "glob"
    path = Path(arg).expanduser()
    if path.is_dir():
        return "folder"
    if not path.exists():
        raise InputError(f"no such file or folder: {arg}")
    if lower.endswith(_WARC_EXT):
        return "warc"
    if lower.endswith(_JSONL_EXT):
        return "jsonl"
    if lower.endswith((".rss", ".atom", ".rdf")):
        return "feed"
    if lower.endswith((".xml", ".xml.gz")):
        return _sniff_local_xml(path)
    return "file"


def _sniff_local_xml(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:2] == b"\x1f\x8b":
        return "sitemap"
    root = root_element(head)
    if root in ("rss", "feed", "rdf"):
        return "feed"
    if root in ("urlset", "sitemapindex"):
        return "sitemap"
    return "file"
