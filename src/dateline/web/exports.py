"""Event-list downloads through ``dateline.export`` (when that capability is installed)."""

from __future__ import annotations

from fastapi.responses import StreamingResponse

from ..errors import InputError
from ..store.events import EventFilters
from .params import NotAvailable
from .repository import Repository, optional_module


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

    mod = optional_module("dateline.export")
    media = getattr(mod, "MEDIA_TYPES", {}).get(fmt, "application/octet-stream")
    if media.startswith("text/"):
        media += "; charset=utf-8"
    name = "dateline-events" + getattr(mod, "SUFFIXES", {}).get(fmt, "." + fmt)
    return StreamingResponse(encoded(), media_type=media,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})
