"""Writing a finished unit's rows as Parquet files, one per table and month.

Files are named after the unit (``DIR/events/month=2023-06/part-<unit>.parquet``)
and replaced atomically, so rewriting a unit after a crash replaces rather than
adds. The partition column lives in the folder name only (hive style), as
pyarrow's and DuckDB's readers expect.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import schema
from .work import UnitResult

COMPRESSION = "zstd"


def part_path(lake: Path, table: str, month: str, unit: str) -> Path:
    return lake / table / f"month={month}" / f"part-{unit}.parquet"


def write_unit(lake: str | os.PathLike, result: UnitResult) -> list[str]:
    """Write every table of ``result``; returns the files written, relative to the lake."""
    lake = Path(lake)
    written = []
    for table in schema.TABLES:
        for month, rows in sorted(result.rows.get(table, {}).items()):
            if not rows:
                continue
            data = pa.Table.from_pylist(rows, schema=schema.SCHEMAS[table])
            target = part_path(lake, table, month, result.key)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            pq.write_table(data, tmp, compression=COMPRESSION)
            os.replace(tmp, target)
            written.append(str(target.relative_to(lake)))
    return written


def read_table(lake: str | os.PathLike, table: str) -> pa.Table:
    """A whole table of the lake (with its ``month`` column), sorted by its key: for tests and comparisons."""
    import pyarrow.dataset as ds

    folder = Path(lake) / table
    files = sorted(str(p) for p in folder.rglob("*.parquet")) if folder.exists() else []
    if not files:
        return schema.empty_table(table)
    data = ds.dataset(files, schema=schema.SCHEMAS[table].append(pa.field("month", pa.string())),
                      partitioning=ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive"),
                      partition_base_dir=str(folder)).to_table()
    return data.sort_by([(k, "ascending") for k in schema.SORT_KEYS[table]])
