"""Event-list downloads through ``dateline.export`` (when that capability is installed)."""

from __future__ import annotations

from fastapi.responses import StreamingResponse

from ..errors import InputError
from ..store.events import EventFilters
from .params import NotAvailable
from .repository import Repository

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "parquet":
               "application/vnd.apache.parquet", "gdelt-events": "text/tab-separated-values; charset=utf-8",
               "gdelt-mentions": "text/tab-separated-values; charset=utf-8", "polecat": "application/x-ndjson"}
EXTENSIONS = {"gdelt-events": "tsv", "gdelt-mentions": "tsv", "polecat": "jsonl"}


def export_response(repo: Repository, fmt: str, filters: EventFilters) -> StreamingResponse:
    formats = repo.export_formats()
    if not formats:
        raise NotAvailable("event exports are not available in this installation yet")
    if fmt not in formats:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(formats)}")
    filters.validate()
    chunks = repo.export(fmt, filters)

    def encoded():
        for chunk in chunks:
            yield chunk.encode("utf-8") if isinstance(chunk, str) else chunk

    name = f"dateline-events.{EXTENSIONS.get(fmt, fmt)}"
    return StreamingResponse(encoded(), media_type=MEDIA_TYPES.get(fmt, "application/octet-stream"),
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
