"""Every event data file loads and is well-formed."""

import pytest

from dateline.events.lexicon import PLOVER_TYPES, context_cues, grammar, load_lexicon, mode_cues, plover_table, word_classes


def test_lexicon_loads_with_every_type():
    lex = load_lexicon()
    assert {e.type for e in lex.entries} == set(PLOVER_TYPES)
    assert len(lex) > 150


def test_entry_ids_and_word_classes_resolve():
    lex = load_lexicon()
    for e in lex.entries:
        for key in ("objects", "objects_not", "prep", "particle"):
            e.words(key)  # expands @classes, raises on unknown ones
        assert e.recipient is not None


def test_modes_and_scores_are_plover():
    table = plover_table()
    assert set(table["types"]) == set(PLOVER_TYPES)
    for t, modes in table["modes"].items():
        assert t in PLOVER_TYPES
        for m, v in modes.items():
            assert -10 <= v["score"] <= 10
            assert v["cameo"].isdigit()
    lex = load_lexicon()
    for e in lex.entries:
        if e.mode:
            assert e.mode in table["modes"].get(e.type, {}), f"{e.label}: mode {e.mode} is not a mode of {e.type}"
    for t, cues in mode_cues().items():
        for m, _ in cues:
            assert m in table["modes"][t], f"modes.yaml: {t}:{m}"


def test_grammar_contexts_and_classes_load():
    assert "say" in grammar()["speech_verbs"]
    assert "CONSULT" in grammar()["cooperative_types"]
    assert context_cues()
    assert "diplomat" in word_classes()["diplomats"]


@pytest.mark.parametrize("text,expected", [
    ("Russian forces shelled the city of Kharkiv on Monday.", "ASSAULT"),
    ("The European Union imposed new sanctions on Iran.", "SANCTION"),
    ("Thousands of workers went on strike in Paris.", "PROTEST"),
    ("The minister resigned on Tuesday.", "RETREAT"),
    ("Kenya expelled two Somali diplomats.", "SANCTION"),
    ("The striker scored twice as the home side beat the visitors.", None),
])
def test_general_patterns(text, expected):
    from dateline.models import Article
    from dateline.pipeline import analyze_articles

    events = analyze_articles([(Article(text=text, language="en"), "x")])[0].events
    assert (events[0].type if events else None) == expected
