"""Exports of stored events: GDELT 2.0 events and mentions, POLECAT-style TSV, JSONL, CSV, Parquet.

See :mod:`dateline.export.gdelt` and :mod:`dateline.export.polecat` for the column mapping.
"""

from .writer import (
    FORMATS,
    MEDIA_TYPES,
    SUFFIXES,
    TEXT_FORMATS,
    ExportReport,
    export_events,
    iter_export,
)

__all__ = ["FORMATS", "MEDIA_TYPES", "SUFFIXES", "TEXT_FORMATS", "ExportReport", "export_events", "iter_export"]
