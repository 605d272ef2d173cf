"""Size-capped body decoding.

A few kilobytes of gzip can expand to gigabytes, so bodies are decompressed
here with ``max_length`` on every zlib call rather than by the HTTP client:
memory never holds more than the cap plus one chunk, whatever the ratio.
"""

from __future__ import annotations

import zlib

from dateline.errors import FetchError, InputError

# zlib's wbits: 16+15 reads a gzip wrapper, 15 a zlib wrapper, -15 raw deflate.
_GZIP = 31
_ZLIB = 15
_RAW = -15


class BodyTooLarge(FetchError):
    """A body (after decompression) went over the configured cap."""

    code = "too_large"
    status = 413


class _Inflater:
    """One zlib stream layer that refuses to produce more than the cap."""

    def __init__(self, wbits: int):
        self.wbits = wbits
        self.obj = zlib.decompressobj(wbits)
        self.started = False

    def inflate(self, data: bytes, budget: int) -> tuple[bytes, bool]:
        """Decompress ``data``; returns (output, over_budget)."""
        out = bytearray()
        pending = data
        while pending:
            try:
                chunk = self.obj.decompress(pending, budget - len(out) + 1)
            except zlib.error:
                if self.wbits == _ZLIB and not self.started:
                    # "deflate" in the wild is often raw deflate without the
                    # zlib header the standard asks for; retry that way once.
                    self.wbits = _RAW
                    self.obj = zlib.decompressobj(_RAW)
                    continue
                raise
            self.started = True
            out += chunk
            if len(out) > budget:
                return bytes(out), True
            pending = self.obj.unconsumed_tail
            if self.obj.eof and self.obj.unused_data:
                # A gzip file may hold several members back to back.
                pending = self.obj.unused_data
                self.obj = zlib.decompressobj(self.wbits)
        return bytes(out), False


class BoundedBody:
    """Accumulates a body chunk by chunk, decoding Content-Encoding, under a cap."""

    def __init__(self, max_bytes: int, content_encoding: str | None = None, *, what: str = "body"):
        self.max_bytes = max_bytes
        self.what = what
        self.raw_bytes = 0
        self._buf = bytearray()
        self._layers: list[_Inflater] = []
        for coding in reversed(parse_content_encoding(content_encoding)):
            # Codings are listed in the order they were applied; undo in reverse.
            if coding in ("gzip", "x-gzip"):
                self._layers.append(_Inflater(_GZIP))
            elif coding == "deflate":
                self._layers.append(_Inflater(_ZLIB))
            else:
                raise FetchError(f"unsupported Content-Encoding {coding!r} for {what}")

    def feed(self, raw: bytes) -> None:
        self.raw_bytes += len(raw)
        data = raw
        budget = self.max_bytes - len(self._buf)
        for layer in self._layers:
            try:
                data, over = layer.inflate(data, budget)
            except zlib.error as exc:
                raise FetchError(f"corrupt compressed {self.what}: {exc}") from exc
            if over:
                self._too_large(decoded=True)
        if len(self._buf) + len(data) > self.max_bytes:
            self._too_large(decoded=bool(self._layers))
        self._buf += data

    def _too_large(self, *, decoded: bool) -> None:
        how = "decompressed " if decoded else ""
        raise BodyTooLarge(
            f"refused: {self.what} is larger than {self.max_bytes:,} bytes {how}(max_bytes); "
            f"stopped after {self.raw_bytes:,} bytes received"
        )

    @property
    def truncated(self) -> bool:
        """True when a compressed stream ended before its end marker."""
        return any(not layer.obj.eof for layer in self._layers)

    def result(self) -> bytes:
        return bytes(self._buf)


def parse_content_encoding(value: str | None) -> list[str]:
    if not value:
        return []
    codings = [c.strip().lower() for c in value.split(",")]
    return [c for c in codings if c and c != "identity"]


def gunzip_bounded(data: bytes, max_bytes: int, *, what: str = "file") -> bytes:
    """Decompress gzip ``data`` but never past ``max_bytes`` of output."""
    body = BoundedBody(max_bytes, "gzip", what=what)
    try:
        body.feed(data)
    except BodyTooLarge as exc:
        raise InputError(exc.message) from exc
    except FetchError as exc:
        raise InputError(exc.message) from exc
    if body.truncated:
        raise InputError(f"truncated gzip {what}")
    return body.result()
