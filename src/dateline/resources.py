"""Where dateline's own data files (lexicons, lists, gazetteers) live.

They are plain files under the repository's ``data/`` folder so they can be
reviewed in diffs; ``DATELINE_DATA`` points elsewhere (e.g. a user's edited copy).
"""

from __future__ import annotations

import csv
import functools
import json
import os
from pathlib import Path
from typing import Any

import yaml

from .errors import DatelineError

_REPO_DATA = Path(__file__).resolve().parents[2] / "data"
_PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def data_dir() -> Path:
    env = os.environ.get("DATELINE_DATA")
    if env:
        return Path(env)
    for cand in (_REPO_DATA, _PACKAGE_DATA):
        if cand.is_dir():
            return cand
    raise DatelineError("dateline's data folder was not found; set DATELINE_DATA to the repository's data/ folder")


def data_path(*parts: str) -> Path:
    return data_dir().joinpath(*parts)


@functools.lru_cache(maxsize=None)
def load_yaml(*parts: str) -> Any:
    with data_path(*parts).open(encoding="utf-8") as fh:
        # libyaml's loader when present: the lists are read once per process but they are long
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.lru_cache(maxsize=None)
def load_json(*parts: str) -> Any:
    with data_path(*parts).open(encoding="utf-8") as fh:
        return json.load(fh)


@functools.lru_cache(maxsize=None)
def load_csv(*parts: str) -> list[dict[str, str]]:
    with data_path(*parts).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(row for row in fh if not row.lstrip().startswith("#")))
