"""`dateline export`, `dateline events` and `dateline relations` against a small hand-made store."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_export_store import build

from dateline.cli import build_parser, main
from dateline.events.cli import render_relations
from dateline.export import polecat


@pytest.fixture()
def db(tmp_path):
    built = build(tmp_path / "store.db")
    built.store.close()
    return str(tmp_path / "store.db")


def test_commands_are_registered_once():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert {"export", "events", "relations"} <= set(sub.choices)
    # the main CLI may also load dateline.export.cli itself: a second registration is a no-op
    from dateline.export import cli as export_cli

    export_cli.register(sub, lambda p: None, lambda p: None)
    assert sub.choices["export"].get_default("func") is export_cli.cmd_export


def test_export_command_writes_the_file(db, tmp_path, capsys):
    out = tmp_path / "p.tsv"
    assert main(["export", "--db", db, "--format", "polecat", "--out", str(out), "--actor", "USA"]) == 0
    df = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(df.columns) == list(polecat.COLUMNS)
    assert set(df["Actor Country"]) == {"USA"} and len(df) == 4
    assert "polecat: 4 rows from 4 events" in capsys.readouterr().out


def test_export_command_empty_result_is_a_message_not_an_error(db, tmp_path, capsys):
    out = tmp_path / "g.tsv"
    assert main(["export", "--db", db, "--format", "gdelt-events", "--out", str(out), "--type", "SANCTION"]) == 0
    assert out.read_text() == ""
    assert "no events match the filters" in capsys.readouterr().out


def test_export_command_to_stdout_and_bad_input(db, capsys):
    assert main(["export", "--db", db, "--format", "jsonl", "--out", "-", "--quad-class", "3"]) == 0
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["type"] for r in records] == ["ACCUSE"]
    assert "jsonl: 1 rows" in captured.err
    assert main(["export", "--db", db, "--format", "csv", "--out", "-", "--status", "maybe"]) == 2
    assert "status must be one of" in capsys.readouterr().err


def test_events_command_table_jsonl_and_csv(db, capsys):
    assert main(["events", "--db", db, "--type", "CONSULT"]) == 0
    out = capsys.readouterr().out
    assert "CONSULT:visit" in out and "USA->CHN" in out and "3 of 3 events" in out
    assert main(["events", "--db", db, "--format", "jsonl", "--actor", "CHN"]) == 0
    assert [json.loads(x)["type"] for x in capsys.readouterr().out.splitlines()] == ["ACCUSE"]
    assert main(["events", "--db", db, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("id,article_id,") and len(lines) == 6
    assert main(["events", "--db", db, "--since", "2031-01-01"]) == 0
    assert "no events match" in capsys.readouterr().out


def test_relations_command_draws_a_chart_and_json(db, capsys):
    assert main(["relations", "USA", "CHN", "--db", db, "--by", "day"]) == 0
    out = capsys.readouterr().out
    assert "USA <-> CHN" in out and "2023-06-18" in out and "█" in out and "▒" in out
    assert main(["relations", "usa", "chn", "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == "month" and data["series"][0]["period"] == "2023-06"
    assert sum(p["events"] for p in data["points"]) == 3
    assert main(["relations", "USA", "FRA", "--db", db]) == 0
    assert "no events between USA and FRA" in capsys.readouterr().out


def test_render_relations_scales_bars_and_keeps_small_classes_visible():
    result = {"actor": "USA", "recipient": "CHN", "directed": False, "by": "month",
              "points": [{"period": "2023-01", "quad_class": 1, "events": 40, "mean_score": 3.0},
                         {"period": "2023-01", "quad_class": 4, "events": 1, "mean_score": -9.0},
                         {"period": "2023-02", "quad_class": 3, "events": 20, "mean_score": -2.0}],
              "series": [{"period": "2023-01", "events": 41, "mean_score": 2.71},
                         {"period": "2023-02", "events": 20, "mean_score": -2.0}]}
    lines = render_relations(result, width=40).splitlines()
    jan = next(line for line in lines if line.startswith("2023-01"))
    feb = next(line for line in lines if line.startswith("2023-02"))
    assert jan.count("█") == 39 and jan.count("░") == 1 and "+2.7" in jan
    assert feb.count("▒") == 20 and "-2.0" in feb
