"""Language identification: honest "und" with a reason for junk and snippets, thresholds from YAML."""

from __future__ import annotations

import pytest
import yaml

from dateline import resources
from dateline.errors import DatelineError
from dateline.extract import language as lang_mod
from dateline.extract.language import (
    UNDETERMINED,
    detect_language,
    identify_language,
    language_rules,
    undetermined_reason,
)
from dateline.models import Article, RawDocument
from dateline.pipeline import analyze_articles, analyze_document

ENGLISH = ("The foreign ministers of both countries met in Geneva on Tuesday to discuss a ceasefire along the"
           " disputed border, and officials said they agreed to open a hotline between their commanders.")
GERMAN = ("Die Außenminister beider Länder haben sich am Dienstag in Genf getroffen und über einen"
          " Waffenstillstand an der umstrittenen Grenze gesprochen, teilten Beamte mit.")
SYMBOLS = "--- *** ### 12 34 56 78 90 ||| $$$ %%% 2023-06-14 12:00 ((( ))) +++ 1 2 3 4 5 6 7 8 9 10"
SCORES = "\n".join(f"{i}. Club {i} 38 {20 + i} {i} {i + 3} {80 - i} {40 + i} {84 - i}" for i in range(1, 15))
MENU = "Login Register Menu Search Share Tweet Email Print"  # 43 letters of navigation words
NOISE = "aaa bbb ccc ddd eee fff ggg hhh iii jjj kkk lll mmm nnn ooo ppp"


def test_rules_load_from_yaml_and_are_sane():
    raw = resources.load_yaml("extract", "language.yaml")
    rules = language_rules()
    assert rules.min_letters == raw["min_letters"] and rules.min_probability == raw["min_probability"]
    assert 0 < rules.min_letters < rules.sample_chars
    assert 0 < rules.min_letter_share < 1 and 0 < rules.min_probability < 1
    assert "zxx" in rules.not_languages


def test_prose_is_identified_with_its_probability():
    en, de = identify_language(ENGLISH), identify_language(GERMAN)
    assert (en.code, en.source, en.reason) == ("en", "text", None)
    assert (de.code, de.source, de.reason) == ("de", "text", None)
    assert en.probability > language_rules().min_probability and de.probability > 0.9
    assert detect_language(ENGLISH) == "en"


def test_symbols_and_numbers_have_too_few_letters():
    g = identify_language(SYMBOLS)
    assert g.code == UNDETERMINED and g.probability is None
    assert g.reason == f"too little text to tell the language ({g.letters} letters)"


def test_a_table_of_numbers_is_mostly_not_letters():
    g = identify_language(SCORES)
    assert g.letters >= language_rules().min_letters  # enough letters in all, but a small share
    assert g.code == UNDETERMINED and g.reason.startswith("too little text to tell the language (only ")


def test_low_probability_is_uncertain_not_a_language():
    g = identify_language(MENU)
    assert g.letters >= language_rules().min_letters
    assert g.code == UNDETERMINED and g.probability < language_rules().min_probability
    assert g.reason == f"language uncertain (p={g.probability:.2f}, best guess {g.best_guess})"


def test_no_linguistic_content_label_is_not_a_language():
    g = identify_language(NOISE)
    assert g.code == UNDETERMINED and g.best_guess in language_rules().not_languages
    assert "no language found" in g.reason


def test_declared_language_decides_only_when_the_text_cannot():
    short = identify_language("Kurz.", declared="fr-FR")
    assert (short.code, short.source) == ("fr", "declared") and "too little text" in short.reason
    assert identify_language(ENGLISH, declared="de").code == "en"  # the text wins over a template default
    assert identify_language("Kurz.", declared="not a code").code == UNDETERMINED
    assert identify_language("").code == UNDETERMINED


def test_undetermined_reason_is_recomputed_from_text():
    assert undetermined_reason(SYMBOLS).startswith("too little text to tell the language")
    assert undetermined_reason(ENGLISH) == "language undetermined"  # the text now tells: generic wording


def test_pipeline_says_why_it_did_not_analyse():
    art = Article(text=MENU, title=None, language=UNDETERMINED)
    (a,) = analyze_articles([(art, "1")])
    assert not a.analysed and a.note.startswith("not analysed: language uncertain (p=")
    (b,) = analyze_articles([(Article(text=SYMBOLS, title=None, language=UNDETERMINED), "2")])
    assert b.note.startswith("not analysed: too little text to tell the language (") and b.note.endswith("letters)")


def test_extracted_junk_text_is_und_with_reason():
    a = analyze_document(RawDocument(content=NOISE.encode(), kind="text", path="<junk>"))
    assert a.article.language == UNDETERMINED
    assert not a.analysed and a.note.startswith("not analysed: no language found in the text")


def test_malformed_rules_are_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "extract").mkdir()
    (tmp_path / "extract" / "language.yaml").write_text(yaml.safe_dump({"sample_chars": 1000}), encoding="utf-8")
    monkeypatch.setenv("DATELINE_DATA", str(tmp_path))
    resources.load_yaml.cache_clear()
    language_rules.cache_clear()
    try:
        with pytest.raises(DatelineError, match="language.yaml is malformed"):
            language_rules()
    finally:
        monkeypatch.delenv("DATELINE_DATA")
        resources.load_yaml.cache_clear()
        language_rules.cache_clear()
    assert language_rules().min_letters > 0


def test_identifier_is_built_once():
    lang_mod._get_identifier()
    first = lang_mod._identifier
    identify_language(GERMAN)
    assert lang_mod._identifier is first and first is not None


def test_a_short_sentence_is_analysed_as_english_and_says_so():
    (a,) = analyze_articles([(Article(text="Russia attacked Ukraine on Monday.", title=None,
                                      language=UNDETERMINED), "s")])
    assert a.analysed and [e.type for e in a.events] == ["ASSAULT"]
    assert a.note.startswith("too little text to tell the language (29 letters): analysed as English")


def test_english_full_of_nigerian_names_is_english_but_pidgin_stays_pidgin():
    assert "pcm" in language_rules().recheck_without_names
    names = ("Nigerian troops killed twelve Boko Haram fighters near Maiduguri, and Governor Babagana Zulum"
             " said on Sunday that Olusegun Adeyemi and Chukwuemeka Okafor would visit Konduga.")
    assert identify_language(names).code == "en"
    pidgin = ("Wetin happen be say police don arrest di pipo wey dey protest for Lagos, dem talk say na"
              " because of di new law wey goment don pass.")
    assert identify_language(pidgin).code == "pcm"
