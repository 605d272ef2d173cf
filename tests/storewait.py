"""Test support: watch a store from outside the process that writes it."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


def count_articles(db: Path) -> int:
    """Articles in the store at ``db`` (0 while the file or its tables do not exist yet)."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=5)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        conn.close()


def wait_for(predicate, timeout: float = 6.0, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
