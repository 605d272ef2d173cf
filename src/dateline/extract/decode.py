"""Bytes -> str for web pages whose declared charset is often wrong.

Order of trust: a byte-order mark; then the bytes themselves when they are valid UTF-8 with
multibyte sequences (legacy 8-bit text almost never is, so a page declared iso-8859-1 that
decodes as UTF-8 really is UTF-8); then the HTTP charset hint and the page's own declaration;
and when a declaration is contradicted by decode errors, Windows-1252, which every byte decodes in.
"""

from __future__ import annotations

import codecs
import logging
import re

logger = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)["']""", re.IGNORECASE)
_HEAD_BYTES = 4096

# WHATWG: browsers read these labels as Windows-1252, and so do we (it is a superset on 0xA0-0xFF).
_AS_CP1252 = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "iso8859-1", "l1", "cp819", "iso-ir-100"}


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        logger.debug("unknown charset label %r ignored", label)
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset a document declares in its first bytes (meta tag or XML declaration)."""
    head = data[:_HEAD_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", errors="ignore") if m else None


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _is_wide(codec: str | None) -> bool:
    return bool(codec) and codec.startswith(("utf-16", "utf-32"))


def decode_html(data: bytes, hint: str | None = None) -> str:
    """Decode a page's bytes to text, honouring BOM, HTTP hint and meta charset but not blindly."""
    bom = bom_encoding(data)
    if bom:
        return data[_bom_len(data, bom) :].decode(bom, errors="replace")
    hinted = _codec(hint)
    declared = _codec(declared_charset(data))
    for wide in (hinted, declared):
        # A 16/32-bit encoding without BOM is only believable if the bytes hold NULs.
        if _is_wide(wide) and b"\x00" in data[:_HEAD_BYTES]:
            return data.decode(wide, errors="replace")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if text.isascii() or (hinted in (None, "utf-8") and declared in (None, "utf-8")):
            return text
        # Valid UTF-8 with multibyte sequences beats any 8-bit declaration.
        logger.debug("declared %s but bytes are valid UTF-8; using UTF-8", hinted or declared)
        return text
    for codec in (hinted, declared):
        if codec and codec != "utf-8" and not _is_wide(codec):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                logger.debug("bytes contradict declared charset %s", codec)
    # Declared UTF-8 (or nothing) but not UTF-8: the usual culprit is Windows-1252.
    return data.decode("cp1252", errors="replace")


def _bom_len(data: bytes, encoding: str) -> int:
    for bom, name in _BOMS:
        if name == encoding:
            return len(bom)
    return 0
