"""The lake's manifest: which units and inputs are finished (DIR/_manifest.jsonl).

A unit's Parquet files are written first (each atomically, under a name made
from the unit's key), then its manifest line is appended and flushed. A run
killed between the two rewrites the same files on the rerun, so the lake never
holds a unit twice. The first line fixes the batch size: a rerun with another
size would cut inputs differently, so it is refused.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError

log = logging.getLogger(__name__)

MANIFEST = "_manifest.jsonl"
FORMAT_VERSION = 1


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Manifest:
    path: Path
    batch_size: int
    units: dict[str, dict[str, Any]] = field(default_factory=dict)  # unit key -> its line
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # input id -> its line

    @classmethod
    def open(cls, lake: str | os.PathLike, batch_size: int | None = None) -> Manifest:
        """Read the manifest of ``lake`` (creating it when ``batch_size`` is given and there is none)."""
        path = Path(lake) / MANIFEST
        if not path.exists():
            if batch_size is None:
                raise InputError(f"{lake} is not a dateline lake (no {MANIFEST})")
            path.parent.mkdir(parents=True, exist_ok=True)
            m = cls(path, batch_size)
            m._append({"kind": "lake", "version": FORMAT_VERSION, "batch_size": batch_size, "created": _now()})
            return m
        text = path.read_text(encoding="utf-8")
        if text and not text.endswith("\n"):
            # A line cut short by a kill: its unit is simply not done. Drop it, or the next
            # append would be glued to it.
            log.warning("dropping the incomplete last line of %s", path)
            text = text[: text.rfind("\n") + 1]
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
        lines = text.splitlines()
        header, records = None, []
        for n, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                raise InputError(f"{path}: line {n + 1} is not JSON; the manifest is damaged")
        if not records or records[0].get("kind") != "lake":
            raise InputError(f"{path} does not start with a lake header")
        header = records[0]
        if batch_size is not None and batch_size != header["batch_size"]:
            raise InputError(f"{lake} was written with batch size {header['batch_size']}; rerun with "
                             f"--batch-size {header['batch_size']} (another size would cut inputs differently)")
        m = cls(path, int(header["batch_size"]))
        for rec in records[1:]:
            if rec.get("kind") == "unit":
                m.units[rec["unit"]] = rec
            elif rec.get("kind") == "input":
                m.inputs[rec["input_id"]] = rec
        return m

    def _append(self, record: dict[str, Any]) -> None:
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def done_indexes(self, input_id: str) -> set[int]:
        return {rec["index"] for rec in self.units.values() if rec["input_id"] == input_id}

    def input_done(self, input_id: str) -> bool:
        return input_id in self.inputs

    def add_unit(self, record: dict[str, Any]) -> None:
        record = {"kind": "unit", **record, "at": _now()}
        self._append(record)
        self.units[record["unit"]] = record

    def add_input(self, input_id: str, name: str, units: int, skipped_records: int = 0) -> None:
        record = {"kind": "input", "input_id": input_id, "input": name, "units": units,
                  "skipped_records": skipped_records, "at": _now()}
        self._append(record)
        self.inputs[input_id] = record

    def totals(self) -> dict[str, int]:
        keys = ("documents", "articles", "analysed", "events", "failed")
        out = {k: sum(int(u.get(k, 0)) for u in self.units.values()) for k in keys}
        out["units"] = len(self.units)
        out["inputs_done"] = len(self.inputs)
        return out
