"""Actor resolution behaviour on small texts parsed with the project's spaCy model."""

from __future__ import annotations

import pytest

from dateline import nlp
from dateline.errors import InputError
from dateline.resolve.actors import actor_for_span, load_actor_file, resolve_actors


@pytest.fixture(scope="module")
def parse():
    nlp.load()

    def _parse(text):
        return next(nlp.parse([text]))

    return _parse


def _find(mentions, text):
    hits = [m for m in mentions if m.text == text]
    assert hits, f"no mention {text!r} in {[m.text for m in mentions]}"
    return hits[0]


def test_title_country_and_list(parse):
    ms = resolve_actors(parse("US Secretary of State Antony Blinken met officials."), "2023-06-14")
    m = _find(ms, "Antony Blinken")
    assert (m.actor.country, m.actor.sector, m.actor.role) == ("USA", "GOV", "Secretary of State")
    assert m.label == "PERSON" and m.explain
    # the title's "US" is folded into the person, not a separate actor
    assert not any(x.text == "US" for x in ms)


def test_unlisted_person_gets_country_and_role_from_title(parse):
    ms = resolve_actors(parse("Nigerian Defence Minister Musa Example said troops would stay."))
    m = next(m for m in ms if m.label == "PERSON")
    assert (m.actor.country, m.actor.sector, m.actor.role) == ("NGA", "GOV", "Defence Minister")


def test_counterpart(parse):
    text = "Secretary of State Jim Tester called his Chinese counterpart Wen Lixu on Monday."
    ms = resolve_actors(parse(text))
    m = next(m for m in ms if "Wen" in m.text)
    assert (m.actor.country, m.actor.sector, m.actor.role) == ("CHN", "GOV", "Foreign Minister")


def test_office_depends_on_article_date(parse):
    doc = parse("Foreign Minister Qin Gang spoke in Beijing.")
    in_office = _find(resolve_actors(doc, "2023-06-14"), "Qin Gang").actor
    assert (in_office.country, in_office.role) == ("CHN", "Foreign Minister")
    later = _find(resolve_actors(parse("Qin Gang was not seen in public."), "2024-03-01"), "Qin Gang").actor
    assert later.country == "CHN" and later.role is None


def test_metonymy_capitals_and_seats(parse):
    ms = resolve_actors(parse("Beijing rejected the claim, and the Kremlin said the Pentagon was lying."))
    b = _find(ms, "Beijing")
    assert (b.label, b.actor.country, b.actor.sector) == ("GPE", "CHN", "GOV")
    assert (_find(ms, "Kremlin").actor.country, _find(ms, "Kremlin").actor.sector) == ("RUS", "GOV")
    assert (_find(ms, "Pentagon").actor.country, _find(ms, "Pentagon").actor.sector) == ("USA", "MIL")
    place = _find(resolve_actors(parse("Officials met in Beijing on Friday.")), "Beijing")
    assert place.actor.country == "CHN" and place.actor.sector is None


def test_countries_aliases_demonyms(parse):
    text = "The US, Britain, South Korea, the Netherlands and Ivory Coast signed; Americans and Hungarian voters cheered."
    ms = resolve_actors(parse(text))
    got = {m.text: m.actor.country for m in ms if m.actor}
    for surface, iso in [("US", "USA"), ("Britain", "GBR"), ("South Korea", "KOR"), ("Netherlands", "NLD"),
                         ("Ivory Coast", "CIV"), ("Americans", "USA"), ("Hungarian", "HUN")]:
        assert got.get(surface) == iso, (surface, got)


def test_group_nouns_and_organisations(parse):
    text = ("The US military said Chinese officials and China's Foreign Ministry had met the State Department, "
            "the Wall Street Journal and NATO.")
    ms = resolve_actors(parse(text))
    mil = _find(ms, "US military").actor
    assert (mil.country, mil.sector) == ("USA", "MIL")
    off = _find(ms, "Chinese officials").actor
    assert (off.country, off.sector) == ("CHN", "GOV")
    fm = _find(ms, "China's Foreign Ministry")
    assert (fm.label, fm.actor.country, fm.actor.sector) == ("ORG", "CHN", "GOV")
    assert (_find(ms, "State Department").actor.country, _find(ms, "State Department").actor.sector) == ("USA", "GOV")
    assert _find(ms, "Wall Street Journal").actor.sector == "MED"
    nato = _find(ms, "NATO").actor
    assert nato.country is None and nato.sector == "IGO"


def test_open_water_has_no_country(parse):
    ms = resolve_actors(parse("Ships sailed through the Taiwan Strait into the South China Sea."))
    assert _find(ms, "Taiwan Strait").actor.country is None
    assert _find(ms, "South China Sea").actor.country is None


def test_coreference(parse):
    text = ("Prime Minister Jonas Exampleson of Norway arrived on Monday. Exampleson met the press. "
            "He said the ministry would answer. China's Foreign Ministry protested. The ministry wrote a letter.")
    ms = resolve_actors(parse(text))
    full = next(k for k, m in enumerate(ms) if m.text == "Jonas Exampleson")
    later = next(m for m in ms if m.text == "Exampleson")
    assert later.coref_of == full and later.actor.country == "NOR"
    he = next(m for m in ms if m.text == "He")
    assert he.coref_of == full and he.label == "PRON"
    fm = next(k for k, m in enumerate(ms) if m.text == "China's Foreign Ministry")
    ministry = [m for m in ms if m.text.lower() == "ministry"]
    assert ministry and ministry[-1].coref_of == fm


def test_actor_for_span_follows_coref(parse):
    text = "Antony Blinken flew to Beijing. Blinken met Wang Yi."
    doc = parse(text)
    ms = resolve_actors(doc, "2023-06-14")
    k = text.index("Blinken met")
    m = actor_for_span(ms, k, k + len("Blinken"))
    assert m is not None and m.text == "Antony Blinken"
    span = actor_for_span(ms, 0, text.index(" flew"))
    assert span.actor.role == "Secretary of State"
    assert actor_for_span(ms, text.index("flew"), text.index("flew") + 4) is None


def test_extra_actors(parse, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("name,aliases,country,sector,role,start,end,id\n"
                    "Zorblax Quint,Quint,NOR,GOV,Mayor,2020-01-01,,\n", encoding="utf-8")
    extra = load_actor_file(path)
    m = _find(resolve_actors(parse("Zorblax Quint opened the bridge."), extra_actors=extra), "Zorblax Quint")
    assert (m.actor.country, m.actor.role) == ("NOR", "Mayor")


def test_bad_input(parse):
    with pytest.raises(InputError):
        resolve_actors("not a doc")
    with pytest.raises(InputError):
        resolve_actors(parse("Hello."), published="yesterday-ish")
    assert resolve_actors(parse("")) == []
