"""Is this document text at all? Refuse binary content with a reason a user can act on."""

from __future__ import annotations

import functools
import logging
import zlib
from dataclasses import dataclass

from ..errors import DatelineError, ExtractionError
from ..resources import load_yaml

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Signature:
    magic: bytes
    name: str
    offset: int = 0


@dataclass(frozen=True)
class SniffRules:
    signatures: tuple[Signature, ...]
    control_ratio: float
    sample_bytes: int


@functools.lru_cache(maxsize=1)
def sniff_rules() -> SniffRules:
    raw = load_yaml("extract", "signatures.yaml")
    try:
        sigs = tuple(
            Signature(bytes.fromhex(s["hex"]), str(s["name"]), int(s.get("offset", 0))) for s in raw["signatures"]
        )
        return SniffRules(sigs, float(raw["control_ratio"]), int(raw["sample_bytes"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DatelineError(f"data/extract/signatures.yaml is malformed: {exc}") from exc


def known_format(data: bytes) -> str | None:
    """Name of the binary format whose signature starts ``data``, if any."""
    for sig in sniff_rules().signatures:
        if data[sig.offset : sig.offset + len(sig.magic)] == sig.magic:
            return sig.name
    return None


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\x1b")


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` is not a text document, or None when it looks like text.

    Call it after any byte-order mark was recognised: UTF-16 text is full of NUL bytes.
    """
    name = known_format(data)
    if name:
        return f"binary content (looks like {name})"
    rules = sniff_rules()
    sample = data[: rules.sample_bytes]
    if b"\x00" in sample:
        return "binary content (NUL bytes; not a text document)"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and controls / len(sample) > rules.control_ratio:
        return f"binary content ({controls} control bytes in the first {len(sample)}; not a text document)"
    return None


def gunzip_bounded(data: bytes, max_bytes: int) -> bytes:
    """Inflate a gzip body, refusing to grow past ``max_bytes`` (a gzip bomb is not an article)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise ExtractionError("corrupt gzip content", detail=str(exc)) from exc
    if len(out) > max_bytes:
        raise ExtractionError(f"document too large once decompressed (over {max_bytes} bytes)")
    return out


__all__ = ["binary_reason", "gunzip_bounded", "known_format", "sniff_rules"]
