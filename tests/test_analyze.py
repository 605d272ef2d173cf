"""``dateline analyze``: the JSON contract (shared/docs/analysis-json.md) end to end on the seed,
``--jsonl`` and standard input, non-English pages and pages without a date."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from dateline.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "blinken-travels-to-china.txt"
GOLD = SHARED / "gold" / "seed.json"
CORPUS = ROOT / "examples" / "corpus"
pytestmark = pytest.mark.skipif(not GOLD.exists(), reason="shared seed and gold not present")

ARTICLE_FIELDS = {"url", "canonical_url", "title", "published", "modified", "authors", "language", "site_name",
                  "text"}
ENTITY_FIELDS = {"text", "label", "start", "end", "name", "country", "sector", "role", "id"}
TIME_FIELDS = {"text", "start", "end", "value", "precision", "start_date", "end_date"}
EVENT_FIELDS = {"type", "mode", "contexts", "status", "actor", "recipient", "location", "date", "attribution",
                "sentence", "start", "end", "trigger", "score", "quad_class", "cameo", "goldstein", "explain"}
ACTOR_FIELDS = {"text", "name", "country", "sector", "role"}
LOCATION_FIELDS = {"text", "name", "country", "lat", "lon"}
DATE_FIELDS = {"text", "value", "precision", "start_date", "end_date"}
STATUSES = {"occurred", "planned", "negated", "hypothetical"}
PRECISIONS = {"minute", "hour", "day", "week", "month", "season", "year"}


def _norm(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").split()).lower()


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_result() -> dict:
    """``dateline analyze SEED --json`` through the command's own entry point (in this process, so the
    model loads once for the module; test_ingest_kill.py runs ``python -m dateline.cli`` as a process)."""
    out = io.StringIO()
    real = sys.stdout
    sys.stdout = out
    try:
        code = main(["analyze", str(SEED), "--json"])
    finally:
        sys.stdout = real
    assert code == 0
    return json.loads(out.getvalue())


def test_seed_article(seed_result, gold):
    art = seed_result["article"]
    assert ARTICLE_FIELDS <= set(art)
    assert art["title"] == "Blinken travels to China"
    assert art["published"].startswith("2023-06-14T16:04")
    assert art["language"] == "en"
    for s in gold["body_must_contain"]:
        assert _norm(s) in _norm(art["text"]), s
    for s in gold["body_must_not_contain"]:
        assert _norm(s) not in _norm(art["text"]), s


def test_seed_entities_resolve_every_gold_entity(seed_result, gold):
    ents = seed_result["entities"]
    text = seed_result["article"]["text"]
    for e in ents:
        assert ENTITY_FIELDS <= set(e)
        assert text[e["start"]:e["end"]] == e["text"]  # offsets index article.text
    for g in gold["entities"]:
        want = (g["country"], g["sector"], g["role"])
        found = [e for e in ents if _norm(e["text"]).endswith(_norm(g["text"]))]
        assert found, f"gold entity {g['text']!r} not found"
        assert any((e["country"], e["sector"], e["role"]) == want for e in found), \
            f"{g['text']!r}: want {want}, got {[(e['country'], e['sector'], e['role']) for e in found]}"


def test_seed_times_resolve_every_gold_expression(seed_result, gold):
    times = seed_result["times"]
    for t in times:
        assert TIME_FIELDS <= set(t)
        if t["value"] is not None:
            assert t["precision"] in PRECISIONS
            assert t["start_date"] <= t["end_date"]
    art = seed_result["article"]
    for g in gold["time_expressions"]:
        found = [t for t in times if _norm(t["text"]) == _norm(g["text"])]
        if not found and _norm(g["text"]) not in _norm(art["text"]):
            # a timestamp line leaves the body and becomes the publication date
            assert art["published"].startswith(g["value"]), g
            continue
        assert found, f"gold time expression {g['text']!r} not found"
        assert any(t["value"] == g["value"] for t in found), (g, found)


def test_seed_events_have_contract_fields(seed_result):
    events = seed_result["events"]
    assert len(events) >= 5
    text = seed_result["article"]["text"]
    for ev in events:
        assert EVENT_FIELDS <= set(ev), EVENT_FIELDS - set(ev)
        assert ev["status"] in STATUSES
        assert isinstance(ev["contexts"], list)
        assert ev["sentence"] and ev["trigger"] and ev["explain"]
        assert 0 <= ev["start"] < ev["end"] <= len(text)
        for key, fields in (("actor", ACTOR_FIELDS), ("recipient", ACTOR_FIELDS), ("location", LOCATION_FIELDS),
                            ("date", DATE_FIELDS)):
            if ev[key] is not None:
                assert fields <= set(ev[key]), (key, fields - set(ev[key]))
    visits = [e for e in events if e["type"] == "CONSULT" and e["mode"] == "visit"]
    assert visits, "the planned visit to Beijing is an event"
    v = visits[0]
    assert v["actor"]["country"] == "USA" and v["status"] == "planned"
    assert v["location"]["country"] == "CHN" and isinstance(v["location"]["lat"], float)


# -- in-process: the model is loaded once for the rest of this module ------------

def _run(capsys, argv: list[str], stdin: bytes | None = None, monkeypatch=None) -> tuple[int, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = main(argv)
    return code, capsys.readouterr().out


JSONL_LINES = [
    {"id": "visit", "text": "The foreign minister of Japan will travel to Seoul on Friday to meet President Yoon"
                            " Suk Yeol, the ministry said.", "published": "2023-03-14"},
    "{this line is not JSON",
    {"id": 7, "html": "<html><body><article><h1>Talks</h1><p>" + "Negotiators from Kenya and Haiti signed an"
                      " agreement in Nairobi on Monday on a police mission, officials said. " * 3
                      + "</p></article></body></html>", "published": "2023-10-04T10:00:00"},
    {"id": "empty", "text": ""},
]


@pytest.fixture
def jsonl_file(tmp_path) -> Path:
    p = tmp_path / "in.jsonl"
    p.write_text("".join((json.dumps(x) if isinstance(x, dict) else x) + "\n" for x in JSONL_LINES),
                 encoding="utf-8")
    return p


def _check_jsonl_output(out: str) -> None:
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(JSONL_LINES)
    assert [r.get("id") for r in results] == ["visit", None, "7", "empty"]
    first, bad, third, empty = results
    assert first["article"]["published"].startswith("2023-03-14")
    assert any(e["country"] == "JPN" for e in first["entities"])
    assert any(t["text"] == "on Friday" and t["value"] == "2023-03-17" for t in first["times"])
    assert "error" in bad and "JSON" in bad["error"] and "entities" not in bad
    assert {e["country"] for e in third["entities"]} >= {"KEN", "HTI"}
    assert "error" in empty


def test_analyze_jsonl_one_result_per_line_in_order(capsys, jsonl_file):
    code, out = _run(capsys, ["analyze", "--jsonl", str(jsonl_file)])
    assert code == 0
    _check_jsonl_output(out)


def test_analyze_jsonl_from_stdin(capsys, jsonl_file, monkeypatch):
    code, out = _run(capsys, ["analyze", "--jsonl", "-"], jsonl_file.read_bytes(), monkeypatch)
    assert code == 0
    _check_jsonl_output(out)
    assert json.loads(out.splitlines()[1])["item"] == "<stdin>:2"


def test_analyze_text_from_stdin(capsys, monkeypatch):
    text = SEED.read_bytes()
    code, out = _run(capsys, ["analyze", "-", "--json"], text, monkeypatch)
    assert code == 0
    res = json.loads(out)
    assert res["article"]["title"] == "Blinken travels to China"
    assert any(e["name"] == "Antony Blinken" for e in res["entities"])
    assert res["events"]


def test_analyze_html_from_stdin(capsys, monkeypatch):
    page = (CORPUS / "a-spy-balloon-capitolherald.html").read_bytes()
    code, out = _run(capsys, ["analyze", "-", "--json"], page, monkeypatch)
    assert code == 0
    res = json.loads(out)
    assert res["article"]["title"] and "balloon" in res["article"]["text"].lower()
    assert res["entities"]


@pytest.mark.parametrize("fixture", ["seed-wordpress.html", "seed-minimal.html"])
def test_seed_in_other_page_templates(capsys, fixture, gold):
    code, out = _run(capsys, ["analyze", str(ROOT / "tests" / "fixtures" / "extract" / fixture), "--json"])
    assert code == 0
    art = json.loads(out)["article"]
    assert art["title"] == "Blinken travels to China"
    assert art["published"].startswith("2023-06-14T16:04")
    for s in gold["body_must_contain"]:
        assert _norm(s) in _norm(art["text"]), s
    for s in gold["body_must_not_contain"]:
        assert _norm(s) not in _norm(art["text"]), s


def test_german_page_is_flagged_not_analysed(capsys):
    page = sorted(CORPUS.glob("a-blinken-visit-tagesblick.html"))[0]
    code, out = _run(capsys, ["analyze", str(page), "--json"])
    assert code == 0
    res = json.loads(out)
    assert res["article"]["language"] == "de"
    assert res["article"]["text"]  # extracted and kept, only not analysed
    assert res["note"] == "not analysed (language de)"
    assert res["analysed"] is False
    assert res["entities"] == [] and res["events"] == [] and res["times"] == []


def test_no_publication_date_leaves_relative_times_unresolved(capsys, tmp_path):
    p = tmp_path / "undated.txt"
    p.write_text("Envoys meet again\n\nThe envoy of Norway said on Monday that talks would resume next week."
                 " Two days ago the ministers of Serbia and Kosovo met in Brussels. Talks began on 3 May 2023.",
                 encoding="utf-8")
    code, out = _run(capsys, ["analyze", str(p), "--json"])
    assert code == 0
    res = json.loads(out)
    assert res["article"]["published"] is None
    assert "no publication date" in res["note"]
    def find(words: str) -> dict:
        return next(t for t in res["times"] if words in t["text"].lower())

    for rel in ("on monday", "next week", "two days ago"):
        t = find(rel)
        assert t["value"] is None and t["start_date"] is None, t
        assert t["reason"], t  # says why, never a silent guess
    assert find("3 may 2023")["value"] == "2023-05-03"  # absolute dates need no reference


def test_published_option_sets_the_reference_date(capsys, tmp_path):
    p = tmp_path / "undated.txt"
    p.write_text("The envoy of Norway said that talks would resume next Tuesday in Oslo with both delegations.",
                 encoding="utf-8")
    code, out = _run(capsys, ["analyze", str(p), "--json", "--published", "2023-06-14"])
    assert code == 0
    times = json.loads(out)["times"]
    assert [t["value"] for t in times if t["text"] == "next Tuesday"] == ["2023-06-20"]


def test_analyze_missing_file_is_a_clear_error(capsys, tmp_path):
    assert main(["analyze", str(tmp_path / "nope.html"), "--json"]) == 2
    assert "nope.html" in capsys.readouterr().err
