"""Streaming exports of stored events to files, streams or an HTTP response body.

``iter_export`` yields chunks (str for the text formats, bytes for Parquet) so the web
layer can stream a download; ``export_events`` writes the same chunks to a path (via a
temporary file, so a failed export never leaves a half-written file) or to a stream.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..store.events import EventFilters, iter_events
from . import gdelt, polecat, tabular
from .context import ExportContext

log = logging.getLogger(__name__)

FORMATS = ("gdelt-events", "gdelt-mentions", "polecat", "jsonl", "csv", "parquet")
TEXT_FORMATS = FORMATS[:-1]
SUFFIXES = {"gdelt-events": ".export.CSV", "gdelt-mentions": ".mentions.CSV", "polecat": ".tsv", "jsonl": ".jsonl",
            "csv": ".csv", "parquet": ".parquet"}
MEDIA_TYPES = {"gdelt-events": "text/tab-separated-values", "gdelt-mentions": "text/tab-separated-values",
               "polecat": "text/tab-separated-values", "jsonl": "application/x-ndjson", "csv": "text/csv",
               "parquet": "application/vnd.apache.parquet"}
CHUNK_CHARS = 64 * 1024
PARQUET_BATCH = 5000


@dataclass
class ExportReport:
    format: str
    rows: int = 0  # lines/records written, header excluded
    events: int = 0  # stored events read
    skipped: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)
    path: str | None = None
    message: str | None = None

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + 1

    def finish(self) -> ExportReport:
        if self.events == 0:
            self.message = f"no events match the filters; wrote an empty {self.format} file"
        elif self.rows == 0:
            self.message = f"none of the {self.events} matching events could be written as {self.format}"
        if self.skipped:
            log.info("export %s skipped %d events: %s", self.format, self.skipped, self.skip_reasons)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"format": self.format, "rows": self.rows, "events": self.events, "skipped": self.skipped,
                "skip_reasons": dict(self.skip_reasons), "path": self.path, "message": self.message}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return fmt


def _clean(value: Any) -> str:
    # GDELT files have no quoting: a tab or newline inside a field would shift every column.
    if value is None:
        return ""
    text = str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ") if any(c in text for c in "\t\r\n") else text


def _tsv(fields: list[str]) -> str:
    line = "\t".join(fields)
    # fast path: the usual row has no tab or newline inside a field
    if line.count("\t") == len(fields) - 1 and "\n" not in line and "\r" not in line:
        return line + "\n"
    return "\t".join(_clean(f) for f in fields) + "\n"


class _CsvLine:
    """csv.writer into a string, one line at a time (quotes fields only when needed)."""

    def __init__(self, delimiter: str = ","):
        self.buf = io.StringIO()
        self.writer = csv.writer(self.buf, delimiter=delimiter, lineterminator="\n")

    def __call__(self, fields: list[Any]) -> str:
        self.writer.writerow(["" if f is None else f for f in fields])
        text = self.buf.getvalue()
        self.buf.seek(0)
        self.buf.truncate()
        return text


def _lines(conn: sqlite3.Connection, fmt: str, filters: EventFilters, report: ExportReport) -> Iterator[str]:
    ctx = ExportContext(conn)
    events = iter_events(conn, filters)
    if fmt == "gdelt-events":
        seen_world: set[int] = set()
        for ev in events:
            report.events += 1
            wid = ev.get("world_event_id")
            if wid is not None:
                if wid in seen_world:
                    continue  # a copy of a world event already written: counted in NumMentions/NumArticles
                seen_world.add(wid)
            row = gdelt.event_row(ev, ctx)
            if isinstance(row, str):
                report.skip(row)
                continue
            report.rows += 1
            yield _tsv(row)
    elif fmt == "gdelt-mentions":
        for ev in events:
            report.events += 1
            for row in gdelt.mention_rows(ev, ctx):
                report.rows += 1
                yield _tsv(row)
    elif fmt == "polecat":
        line = _CsvLine("\t")
        yield line(list(polecat.COLUMNS))
        for ev in events:
            report.events += 1
            report.rows += 1
            yield line(polecat.row(ev, ctx))
    elif fmt == "csv":
        names = [n for n, _ in tabular.table_columns(conn)]
        line = _CsvLine(",")
        yield line(names)
        for ev in events:
            report.events += 1
            report.rows += 1
            yield line(tabular.flat_row(ev, names))
    elif fmt == "jsonl":
        for ev in events:
            report.events += 1
            report.rows += 1
            yield json.dumps(tabular.json_record(ev, ctx), ensure_ascii=False, default=str) + "\n"
    else:  # pragma: no cover - check_format guards
        raise InputError(f"{fmt} is not a text format")


def _chunks(lines: Iterator[str]) -> Iterator[str]:
    buf: list[str] = []
    size = 0
    for line in lines:
        buf.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(buf)
            buf, size = [], 0
    if buf:
        yield "".join(buf)


class _ByteSink(io.RawIOBase):
    """A write-only file that hands what it received to the caller between row groups."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.pos = 0

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        data = bytes(b)
        self.parts.append(data)
        self.pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self.pos

    def drain(self) -> bytes:
        out = b"".join(self.parts)
        self.parts = []
        return out


def _parquet_chunks(conn: sqlite3.Connection, filters: EventFilters, report: ExportReport,
                    where: Any = None) -> Iterator[bytes]:
    """Row groups of PARQUET_BATCH events; yields bytes when writing to a sink, nothing for a path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = tabular.table_columns(conn)
    schema = tabular.arrow_schema(columns)
    names = [n for n, _ in columns]
    sink = _ByteSink() if where is None else None
    writer = pq.ParquetWriter(where if where is not None else pa.PythonFile(sink, mode="w"), schema)
    batch: list[dict[str, Any]] = []
    try:
        for ev in iter_events(conn, filters):
            report.events += 1
            report.rows += 1
            batch.append(tabular.arrow_record(ev, names))
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
                if sink is not None:
                    yield sink.drain()
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    finally:
        writer.close()
    if sink is not None:
        yield sink.drain()


def _guarded(chunks: Iterator, filters: EventFilters) -> Iterator:
    """Full-text query mistakes surface from SQLite mid-stream; report them as bad input."""
    try:
        yield from chunks
    except sqlite3.OperationalError as exc:
        if filters.query:
            raise InputError(f"invalid search query {filters.query!r}: {exc}") from exc
        raise


def iter_export(conn: sqlite3.Connection, fmt: str, filters: EventFilters | None = None,
                report: ExportReport | None = None) -> Iterator[str | bytes]:
    """Export chunks: str for the text formats, bytes for parquet. Pass a report to read counts after."""
    check_format(fmt)
    filters = (filters or EventFilters()).validate()
    report = report if report is not None else ExportReport(fmt)
    if fmt == "parquet":
        yield from _guarded(_parquet_chunks(conn, filters, report), filters)
    else:
        yield from _guarded(_chunks(_lines(conn, fmt, filters, report)), filters)
    report.finish()


def _is_text_stream(out: Any) -> bool:
    if isinstance(out, io.TextIOBase):
        return True
    if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
        return False
    return "b" not in getattr(out, "mode", "b")


def export_events(conn: sqlite3.Connection, fmt: str, out: str | os.PathLike | IO,
                  filters: EventFilters | None = None) -> ExportReport:
    """Write matching events as ``fmt`` to a path or an open stream (text or binary)."""
    check_format(fmt)
    filters = (filters or EventFilters()).validate()
    report = ExportReport(fmt)
    if isinstance(out, (str, os.PathLike)):
        path = Path(out)
        if path.is_dir():
            raise InputError(f"{path} is a folder; give a file name such as {path / ('events' + SUFFIXES[fmt])}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; an export is an ordinary output file
        try:
            if fmt == "parquet":
                for _ in _guarded(_parquet_chunks(conn, filters, report, where=tmp), filters):
                    pass
            else:
                with open(tmp, "w", encoding="utf-8", newline="") as fh:
                    fh.writelines(_guarded(_chunks(_lines(conn, fmt, filters, report)), filters))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        report.path = str(path)
        return report.finish()
    text = _is_text_stream(out)
    if fmt == "parquet" and text:
        raise InputError("parquet is binary: give a path or a binary stream")
    for chunk in iter_export(conn, fmt, filters, report):
        if text:
            out.write(chunk)
        else:
            out.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    return report
