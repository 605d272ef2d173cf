"""``dateline serve``: the web UI and JSON API over a store (read-only unless --write-token)."""

from __future__ import annotations

import argparse
import logging
import os

from ..errors import InputError

log = logging.getLogger(__name__)


def cmd_serve(args) -> int:
    import uvicorn

    from .app import create_app
    from .repository import SqliteRepository

    token = args.write_token or os.environ.get("DATELINE_WRITE_TOKEN") or None
    if token is not None and len(token) < 8:
        raise InputError("--write-token must be at least 8 characters")
    if args.lake:
        repo = _lake_repository(args.lake)
        db_path = None
    else:
        repo = SqliteRepository(args.db)
        db_path = args.db
    app = create_app(repo, write_token=token, db_path=db_path)
    print(f"dateline: serving {args.lake or args.db} at http://{args.host}:{args.port}/"
          f"{' (adding sources enabled)' if token else ' (read-only)'}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _lake_repository(path: str):
    """A Parquet-lake repository, once the scale capability provides one."""
    from .repository import optional_module

    mod = optional_module("dateline.scale.lake") or optional_module("dateline.scale")
    factory = getattr(mod, "LakeRepository", None) if mod else None
    if factory is None:
        raise InputError("serving a Parquet lake is not available yet (no dateline.scale LakeRepository)")
    return factory(path)


def register(subparsers, add_db_option, add_analysis_options) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser("serve", help="web UI and JSON API over the store")
    add_db_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--write-token", help="enable the 'add a URL or feed' form, protected by this token"
                                         " (or $DATELINE_WRITE_TOKEN)")
    p.add_argument("--lake", help="serve a Parquet lake directory instead of the SQLite store")
    p.set_defaults(func=cmd_serve)
