"""General event-coding error classes: dates borrowed from background clauses, light verbs that name or
leave rather than act, expulsions' sides, and compound subjects. Sentences written for these tests."""

from __future__ import annotations

import pytest
from eventutil import PUBLISHED
from eventutil import code as _events
from eventutil import rule_events as _rule_events


@pytest.mark.parametrize("text,type_", [
    ("Biden called the invasion a mistake on Monday.", {"REQUEST", "MOBILIZE"}),
    ("The navy launched a submarine called the Kursk.", {"MOBILIZE"}),
    ("The prime minister left the country on Wednesday.", {"RETREAT"}),
    ("His resignation left the country without a leader.", {"RETREAT"}),
    ("The committee drafted a resolution on the crisis.", {"MOBILIZE"}),
    ("The Senate authorised $40 billion in spending for the military.", {"CONCEDE"}),
    ("Putin authorised a military operation in February.", {"CONCEDE"}),
    ("The soldiers committed war crimes in the town, investigators said.", {"AGREE"}),
])
def test_light_verbs_do_not_fire(text, type_):
    got = {e.type for e in _rule_events(text)}
    assert not got & type_, [(e.type, e.trigger) for e in _events(text)]


@pytest.mark.parametrize("text,type_", [
    ("France called on Russia to withdraw its troops.", "REQUEST"),
    ("Germany called for a ceasefire on Tuesday.", "REQUEST"),
    ("Russian troops left Kherson on Friday.", "RETREAT"),
    ("Ukraine drafted thousands of men into the army.", "MOBILIZE"),
    ("Moscow called up 300,000 reservists.", "MOBILIZE"),
    ("Kenya committed to sending police officers to Haiti.", "AGREE"),
])
def test_light_verbs_fire_in_their_real_sense(text, type_):
    assert type_ in {e.type for e in _rule_events(text)}, [(e.type, e.trigger) for e in _events(text)]


def test_a_date_in_an_appositive_is_not_carried_to_the_next_sentence():
    [ev] = [e for e in _events("The deal, signed in July 2022, expired.\nTurkey objected.") if e.trigger == "objected"]
    assert ev.date is not None and ev.date.start_date == PUBLISHED, ev.explain


def test_a_date_in_a_relative_clause_does_not_date_the_main_clause():
    evs = _events("China, which signed the pact in 2022, objected to the new sanctions.")
    [ev] = [e for e in evs if e.trigger == "objected"]
    assert ev.date.start_date == PUBLISHED, ev.explain


def test_a_past_date_is_not_carried_into_a_present_tense_clause():
    evs = _events("Russia annexed Crimea in 2014.\nMoscow is willing to hold talks with Kyiv.")
    [ev] = [e for e in evs if e.trigger == "willing"]
    assert ev.date is None or ev.date.start_date != "2014", ev.explain


def test_the_clause_own_date_and_narrative_time_still_apply():
    evs = _events("In 2014, Russia annexed Crimea.\nUkraine protested.")
    [ev] = [e for e in evs if e.trigger == "protested"]
    assert ev.date is not None and ev.date.value == "2014", ev.explain
    [ev] = [e for e in _events("Germany condemned the attack on Monday.") if e.type == "ACCUSE"]
    assert ev.date.start_date == "2023-03-06"


def test_telling_residents_to_stay_indoors_is_no_request():
    assert not [e for e in _rule_events("Sri Lankan authorities told residents to stay indoors.")
                if e.type == "REQUEST"]


def test_telling_another_party_to_act_is_a_request():
    evs = _rule_events("India told Canada to reduce its diplomatic staff.")
    ev = next(e for e in evs if e.type == "REQUEST")
    assert ev.actor.country == "IND" and ev.recipient.country == "CAN"


@pytest.mark.parametrize("text", [
    "India expelled a Canadian diplomat on Tuesday.",
    "A Canadian diplomat was expelled by India on Tuesday.",
    "The move came days after India expelled a Canadian diplomat.",
])
def test_the_expeller_acts_on_the_diplomat_country(text):
    ev = next(e for e in _events(text) if e.type == "SANCTION")
    assert ev.actor.country == "IND" and ev.recipient.country == "CAN", ev.explain


@pytest.mark.parametrize("text", [
    "Britain, France and Germany condemned the attack on Monday.",
    "The foreign ministers of Britain, France and Germany condemned the attack.",
])
def test_compound_subjects_give_every_party(text):
    actors = {e.actor.country for e in _events(text) if e.type == "ACCUSE" and e.actor}
    assert actors == {"GBR", "FRA", "DEU"}
