"""``dateline train``: fit the event classifier on labelled JSONL."""

from __future__ import annotations

import json
from pathlib import Path


def cmd_train(args) -> int:
    from .train import DEFAULT_DATA, train_and_save
    from .model import DEFAULT_MODEL

    paths = [Path(p) for p in (args.data or [DEFAULT_DATA])]
    out = Path(args.out or DEFAULT_MODEL)
    card = train_and_save(paths, out, c=args.c)
    if args.json:
        print(json.dumps(card, indent=2))
    else:
        print(f"trained on {card['examples']} sentences ({len(card['types'])} labels) -> {out} "
              f"({card['file_bytes'] / 1e6:.1f} MB); data sha256 {card['training_data_sha256'][:16]}...")
    return 0


def register(subparsers, add_db_option, add_analysis_options) -> None:
    from .train import DEFAULT_C

    p = subparsers.add_parser("train", help="train the event-type classifier on labelled JSONL sentences")
    p.add_argument("--data", nargs="+", metavar="JSONL",
                   help="labelled sentences (default: data/training/events/train.jsonl)")
    p.add_argument("--out", metavar="PATH", help="model file to write (default: models/event-classifier.npz)")
    p.add_argument("--c", type=float, default=DEFAULT_C, help="inverse regularisation strength")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_train)
