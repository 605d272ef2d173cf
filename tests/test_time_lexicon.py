"""The time normaliser's data files load and are consistent."""

from __future__ import annotations

from dateline.resolve.time_lexicon import lexicon
from dateline.resources import load_yaml


def test_lexicon_loads_and_covers_the_calendar():
    lex = lexicon()
    assert sorted(set(lex.months.values())) == list(range(1, 13))
    assert sorted(set(lex.weekdays.values())) == list(range(1, 8))
    assert all(isinstance(p, str) for p in lex.prepositions) and "on" in lex.prepositions
    for unit, table in lex.segments.items():
        for name, (a, b) in table.items():
            assert a <= b, (unit, name)
    assert lex.vague_counts["a few"] == (1, 5)
    assert set(lex.seasons) >= {"spring", "summer", "autumn", "fall", "winter"}


def test_tense_words_load():
    raw = load_yaml("time", "tense.yaml")
    assert "will" in raw["future_words"] and "had" in raw["past_words"]
    assert all(isinstance(w, str) for p in raw["future_phrases"] for w in p)
