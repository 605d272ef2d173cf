"""SQLite connection handling and versioned migrations.

WAL mode lets readers (web UI, ``dateline search``) run while one writer
ingests. Migrations are the numbered ``migrations/NNNN_*.sql`` files; the
``schema_migrations`` table records which ran, so opening an old database
upgrades it in place.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from ..errors import StoreError

log = logging.getLogger(__name__)

DEFAULT_DB = "dateline.db"


def default_db_path() -> str:
    return os.environ.get("DATELINE_DB") or DEFAULT_DB


def utcnow() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _migration_files() -> list[tuple[int, str, str]]:
    folder = resources.files("dateline.store") / "migrations"
    out = []
    for entry in folder.iterdir():
        name = entry.name
        if not name.endswith(".sql"):
            continue
        version = int(name.split("_", 1)[0])
        out.append((version, name, entry.read_text(encoding="utf-8")))
    return sorted(out)


def connect(path: str | os.PathLike, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the database; a read-only connection never takes the write lock."""
    path = str(path)
    try:
        if readonly:
            if path != ":memory:" and not Path(path).exists():
                raise StoreError(f"database not found: {path} (run 'dateline ingest' first)")
            uri = f"file:{Path(path).resolve()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
        else:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 30000")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode keeps every committed transaction across a process
        # kill (only an OS crash could lose the last ones).
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations; return the names of those that ran."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    ran = []
    for version, name, sql in _migration_files():
        if version in done:
            continue
        log.info("applying migration %s", name)
        try:
            conn.executescript("BEGIN;\n" + sql + "\nCOMMIT;")
        except sqlite3.Error as exc:
            conn.rollback()
            raise StoreError(f"migration {name} failed: {exc}") from exc
        conn.execute(
            "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
            (version, name, utcnow()),
        )
        conn.commit()
        ran.append(name)
    return ran
