"""DuckDB over the lake's Parquet files, shaped like the SQLite store for the shared event queries.

``LakeConnection`` opens one view per table (``read_parquet`` with hive
partitions; DuckDB's core reads Parquet, no extension is installed or loaded)
and adds the two columns the store's queries expect and a lake lacks
(``articles.is_current``, ``events.world_event_id``). Its ``execute`` takes the
SQLite dialect of store/events.py and rewrites the few functions that differ,
and returns rows that behave like ``sqlite3.Row`` (``dict(row)``, ``row[0]``),
so ``store.events`` functions run unchanged over a lake.

Full text: DuckDB's FTS extension cannot be loaded offline, so a query becomes
whole-word regular expressions over title and text (``text_clause``): no
ranking beyond title-first, and a scan per query. Good enough for a lake
browsed by filters; load the lake into SQLite for real search.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from ..errors import InputError
from . import schema

_MIN2 = re.compile(r"\b(min|max)\(([^(),]+),\s*([^(),]+)\)")
_WEEK = re.compile(r"date\(substr\((.+?), 1, 10\), '-6 days', 'weekday 1'\)")
_TOKEN = re.compile(r'"([^"]+)"|(\S+)')
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def translate(sql: str) -> str:
    """SQLite -> DuckDB for what store/events.py uses: 2-argument min/max and the ISO-week start."""
    sql = _MIN2.sub(lambda m: f"{'least' if m.group(1) == 'min' else 'greatest'}({m.group(2)}, {m.group(3)})", sql)
    return _WEEK.sub(lambda m: f"strftime(date_trunc('week', TRY_CAST(substr({m.group(1)}, 1, 10) AS DATE)),"
                               f" '%Y-%m-%d')", sql)


def query_patterns(query: str) -> list[str]:
    """One case-insensitive RE2 pattern per word or "quoted phrase"; ``word*`` is a prefix, operators are dropped."""
    patterns = []
    for phrase, word in _TOKEN.findall(query.strip()):
        term = phrase or word
        if not phrase and term.upper() in _OPERATORS:
            continue
        prefix = term.endswith("*")
        words = [w for w in re.split(r"\W+", term.rstrip("*")) if w]
        if not words:
            continue
        body = r"\W+".join(re.escape(w) for w in words)
        patterns.append(r"\b" + body + ("" if prefix else r"\b"))
    if not patterns:
        raise InputError(f"invalid search query {query!r}: no words to look for")
    return patterns


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def text_clause(query: str, alias: str = "a") -> str:
    """SQL (with the patterns inlined as literals, for places that take no parameters) matching every term."""
    parts = [f"(regexp_matches({alias}.title, {_literal(p)}, 'i') OR regexp_matches({alias}.text, {_literal(p)}, 'i'))"
             for p in query_patterns(query)]
    return "(" + " AND ".join(parts) + ")"


class Row(Sequence):
    """A result row readable by name or position, like ``sqlite3.Row``."""

    __slots__ = ("_cols", "_vals")

    def __init__(self, cols: list[str], vals: tuple):
        self._cols, self._vals = cols, vals

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._vals[self._cols.index(key)]
        return self._vals[key]

    def __len__(self) -> int:
        return len(self._vals)

    def keys(self) -> list[str]:
        return list(self._cols)


class Result:
    def __init__(self, cur):
        self._cols = [d[0] for d in cur.description] if cur.description else []
        self._rows = cur.fetchall()

    def __iter__(self) -> Iterator[Row]:
        return (Row(self._cols, r) for r in self._rows)

    def fetchall(self) -> list[Row]:
        return list(self)

    def fetchone(self) -> Row | None:
        return Row(self._cols, self._rows[0]) if self._rows else None


def _files_glob(lake: Path, table: str) -> str | None:
    folder = lake / table
    if folder.exists() and any(folder.glob("month=*/*.parquet")):
        return str(folder / "month=*" / "*.parquet")
    return None


class LakeConnection:
    """A DuckDB database of views over one lake; one cursor per thread."""

    def __init__(self, lake: str | Path):
        self.lake = Path(lake)
        self._db = duckdb.connect(":memory:")
        self._local = threading.local()
        for table in schema.TABLES:
            self._view(table)
        self._db.execute("CREATE VIEW event_mentions AS SELECT * FROM mentions")
        self._db.execute("CREATE VIEW time_expressions AS SELECT * FROM times")

    def _view(self, table: str) -> None:
        extra = {"articles": ", 1 AS is_current", "events": ", CAST(NULL AS BIGINT) AS world_event_id"}.get(table, "")
        pattern = _files_glob(self.lake, table)
        if pattern is None:
            empty = schema.empty_table(table).append_column("month", schema.pa.array([], type=schema.pa.string()))
            self._db.register(f"_empty_{table}", empty)
            source = f"_empty_{table}"
        else:
            source = f"read_parquet({_literal(pattern)}, hive_partitioning = true, union_by_name = true)"
        self._db.execute(f"CREATE VIEW {table} AS SELECT *{extra} FROM {source}")

    @property
    def cursor(self):
        cur = getattr(self._local, "cur", None)
        if cur is None:
            cur = self._db.cursor()
            self._local.cur = cur
        return cur

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        try:
            return Result(self.cursor.execute(translate(sql), list(params)))
        except duckdb.InvalidInputException as exc:
            raise InputError(f"invalid query: {exc}") from exc

    def close(self) -> None:
        self._db.close()
