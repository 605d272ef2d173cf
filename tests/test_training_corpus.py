"""Checks on the written PLOVER event training corpus in data/training/events/."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pycountry
import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "data" / "training" / "events"
TRAIN = CORPUS_DIR / "train.jsonl"
HANDWRITTEN = CORPUS_DIR / "handwritten.jsonl"
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD_DEV = SHARED / "data" / "plover-gsr" / "dev.jsonl"
SEED_TEXT = SHARED / "seed" / "blinken-travels-to-china.txt"

# Modes per type as listed in docs/plover.md (shared copy); types without modes map to an empty set.
MODES = {
    "AGREE": set(), "CONSULT": {"visit", "third-party", "multilateral", "phone"}, "SUPPORT": set(),
    "CONCEDE": set(), "COOPERATE": set(), "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"},
}
STATUSES = {"occurred", "planned", "negated", "hypothetical"}
SECTORS = {"GOV", "MIL", "REB", "OPP", "CVL", "BUS", "MED", "IGO", "NGO", "POL", "JUD", "LEG", "REL", "EDU"}
FIELDS = ["id", "text", "type", "mode", "status", "actor", "recipient", "trigger", "others", "source"]
WORD = re.compile(r"\w+")
NGRAM = 6


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return _load(TRAIN)


def test_field_order_and_unique_ids(rows):
    assert all(list(r) == FIELDS for r in rows)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    texts = [r["text"] for r in rows]
    assert len(texts) == len(set(texts)), "duplicate sentences"


def test_counts(rows):
    assert len(rows) >= 4000
    by_type = Counter(r["type"] for r in rows)
    for t in MODES:
        assert by_type[t] >= 150, (t, by_type[t])
    assert by_type["NONE"] >= 300
    by_mode = Counter((r["type"], r["mode"]) for r in rows if r["mode"])
    for t, modes in MODES.items():
        for m in modes:
            assert by_mode[(t, m)] >= 20, (t, m, by_mode[(t, m)])
    hand = _load(HANDWRITTEN)
    assert len(hand) >= 800
    assert all(r["source"] == "handwritten" for r in hand)
    assert {r["id"] for r in hand} <= {r["id"] for r in rows}


def test_labels_are_valid(rows):
    for r in rows:
        assert r["status"] in STATUSES, r["id"]
        if r["type"] == "NONE":
            assert r["mode"] is None and r["actor"] is None and r["recipient"] is None, r["id"]
            continue
        assert r["type"] in MODES, r["id"]
        assert r["mode"] is None or r["mode"] in MODES[r["type"]], (r["id"], r["mode"])
        for o in r["others"]:
            assert o["type"] in MODES and (o["mode"] is None or o["mode"] in MODES[o["type"]]), r["id"]
        assert r["source"] == "handwritten" or r["source"].startswith("template:")


def test_countries_and_sectors(rows):
    seen = 0
    for r in rows:
        for role in ("actor", "recipient"):
            a = r[role]
            if a is None:
                continue
            seen += 1
            assert a["sector"] in SECTORS, (r["id"], a)
            if a["country"] is not None:
                assert pycountry.countries.get(alpha_3=a["country"]) is not None, (r["id"], a["country"])
    assert seen > len(rows)  # most rows carry both an actor and a recipient


def test_offsets(rows):
    for r in rows:
        text = r["text"]
        spans = [r["actor"], r["recipient"], r["trigger"]] + [o["trigger"] for o in r["others"]]
        for s in spans:
            if s is None:
                continue
            assert 0 <= s["start"] < s["end"] <= len(text), r["id"]
            assert text[s["start"]:s["end"]] == s["text"], (r["id"], s)
            assert s["text"] == s["text"].strip(), (r["id"], s)
        if r["type"] != "NONE":
            assert r["trigger"] is not None, r["id"]


def test_every_continent_and_sector_is_present(rows):
    countries = {a["country"] for r in rows for a in (r["actor"], r["recipient"]) if a and a["country"]}
    sectors = Counter(a["sector"] for r in rows for a in (r["actor"], r["recipient"]) if a)
    # one or more countries from each continent named in the brief
    for probe in ("KEN", "BRA", "IND", "IRN", "DEU", "JPN", "FJI", "NGA", "COL", "KAZ", "SAU", "UKR", "IDN", "AUS"):
        assert probe in countries, probe
    for s in ("GOV", "MIL", "REB", "OPP", "CVL", "BUS", "MED", "IGO", "NGO", "POL", "JUD", "LEG", "REL"):
        assert sectors[s] >= 20, (s, sectors[s])


def test_build_reproduces_train(tmp_path):
    result = subprocess.run([sys.executable, str(CORPUS_DIR / "build.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rebuilt = (tmp_path / "train.jsonl").read_bytes()
    assert hashlib.sha256(rebuilt).hexdigest() == hashlib.sha256(TRAIN.read_bytes()).hexdigest()
    assert (tmp_path / "handwritten.jsonl").read_bytes() == HANDWRITTEN.read_bytes()


def test_readme_states_current_sha(rows):
    sha = hashlib.sha256(TRAIN.read_bytes()).hexdigest()
    assert sha in (CORPUS_DIR / "README.md").read_text(encoding="utf-8")


def _ngrams(text: str) -> set[tuple[str, ...]]:
    toks = WORD.findall(text.lower())
    return {tuple(toks[i:i + NGRAM]) for i in range(len(toks) - NGRAM + 1)}


def _long_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value] if len(value.split()) >= NGRAM else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _long_strings(v)]
    return []


def _reference_sentences() -> list[str]:
    texts = []
    for line in GOLD_DEV.read_text(encoding="utf-8").splitlines():
        if line.strip():
            # Take every long string in the record, whatever the field is called.
            texts.extend(_long_strings(json.loads(line)))
    texts.append(SEED_TEXT.read_text(encoding="utf-8"))
    return texts


def test_no_six_word_overlap_with_gold_or_seed(rows):
    if not (GOLD_DEV.exists() and SEED_TEXT.exists()):
        pytest.skip("shared/ gold set or seed article not available on this machine")
    reference: set[tuple[str, ...]] = set()
    for t in _reference_sentences():
        reference |= _ngrams(t)
    assert reference, "reference texts yielded no 6-grams; check the gold file's field names"
    hits = []
    for r in rows:
        shared = _ngrams(r["text"]) & reference
        if shared:
            hits.append((r["id"], " ".join(sorted(shared)[0])))
    assert not hits, f"{len(hits)} rows share a 6-word sequence with gold/seed, e.g. {hits[:5]}"
