"""Recipients of statements about acts, speaker and pronoun actors, and the statement patterns and
false-positive filters of data/events/lexicon (see examples/corpus/README.md for the article gold)."""

from __future__ import annotations

import pytest
from eventutil import code as _events
from eventutil import one as _one


def test_act_noun_lists_load_and_are_typed():
    from dateline.events.slots import act_nouns

    an = act_nouns()
    assert an.types["coup"] == "COERCE" and an.types["attack"] == "ASSAULT"
    assert "end" in an.framing and "decision" in an.generic
    assert not an.framing & set(an.types)


def test_condemning_an_act_names_its_doer():
    evs = _events("France condemned Russia's invasion of Ukraine on Monday.")
    ev = _one(evs, "ACCUSE", "condemned")
    assert ev.actor.country == "FRA" and ev.recipient.country == "RUS"


def test_the_act_refers_back_to_the_latest_act_of_its_type():
    evs = _events("Hamas militants from Gaza killed dozens of Israelis in Sderot on Saturday.\n\n"
                  "Senior Iranian officials praised the attack.")
    ev = _one(evs, "SUPPORT", "praised")
    assert ev.actor.country == "IRN" and ev.recipient.country == "PSE"
    assert "earlier" in ev.explain


def test_an_act_with_no_doer_falls_on_the_scene_country():
    evs = _events("Shops in Tehran and Isfahan closed early on Monday.\n\n"
                  "The European Union and France condemned the crackdown.")
    ev = _one(evs, "ACCUSE", "condemned")
    # France is a party of the sentence, not where the crackdown happened
    assert ev.recipient is not None and ev.recipient.country == "IRN", ev.explain


def test_call_for_an_end_to_the_fighting_is_asked_of_the_fighters():
    evs = _events("Sudan's army carried out air strikes on RSF bases in Khartoum on Sunday.\n\n"
                  "Antony Blinken called for an immediate end to the fighting.")
    ev = _one(evs, "REQUEST", "called for")
    assert ev.recipient is not None and ev.recipient.country == "SDN"


def test_a_saying_verb_coordinated_into_a_report_keeps_the_speaker():
    evs = _events("Police in Tehran said she had suffered a heart attack and denied that she had been mistreated.")
    ev = _one(evs, "REJECT", "denied")
    assert ev.actor is not None and ev.actor.text.lower().startswith("police")


def test_an_unlinked_person_pronoun_is_no_actor():
    evs = _events("Activists said witnesses had seen her beaten in a police van.")
    assert all(e.actor is None or e.actor.text.lower() not in ("her", "she") for e in evs)


@pytest.mark.parametrize("text,type_,status", [
    ("The US Navy described the Chinese maneuver as unsafe and unprofessional.", "ACCUSE", "occurred"),
    ("A Houthi spokesman said the strikes would not go unanswered.", "THREATEN", "planned"),
    ("Biden said he would not hesitate to order further measures.", "THREATEN", "planned"),
    ("Egypt said its foreign minister had been in contact with Israel.", "CONSULT", "occurred"),
])
def test_statement_patterns(text, type_, status):
    ev = _one(_events(text), type_)
    assert ev.status == status, ev.explain


def test_fighting_a_problem_is_no_threat():
    evs = _events("Lula promised to fight hunger and poverty.")
    assert not any(e.type == "THREATEN" for e in evs)
    evs = _events("The rebels vowed to fight the army until the end.")
    assert any(e.type == "THREATEN" for e in evs)


def test_hostage_taking_is_assault_abduct():
    ev = _one(_events("Militants from Gaza killed hundreds of Israelis and seized hostages on Saturday."),
              "ASSAULT", "seized")
    assert ev.mode == "abduct"


def test_past_perfect_relative_clause_is_background():
    evs = _events("Russia said it was ending an arrangement that had allowed Ukraine to ship grain.")
    assert not any(e.trigger in ("allowed", "ship grain") for e in evs), [(e.type, e.trigger) for e in evs]


def test_a_trip_with_no_traveller_is_no_visit():
    evs = _events("The former leader, who never conceded defeat, left for Florida two days earlier.")
    assert not any(e.type == "CONSULT" and e.actor is None for e in evs)


# -- blame pinned in reported clauses, concern, storming crowds, possessive attackers ---------------

def test_blame_label_lists_load():
    from dateline.events.match import blame_labels

    bl = blame_labels()
    assert "provocation" in bl.labels and "be" in bl.copulas
    assert "responsibility" in bl.burdens and "bear" in bl.burden_verbs
    # "claimed responsibility" is the doer's own word, never an accusation
    assert "claim" not in bl.burden_verbs


@pytest.mark.parametrize("text, actor, recipient", [
    ("China's military said the transit was a deliberate provocation.", "CHN", None),
    ("Qatar said Israel bore sole responsibility for the escalation.", "QAT", "ISR"),
    ("Beijing said the House speaker's visit violated its sovereignty and announced live-fire exercises.",
     "CHN", None),
])
def test_a_reported_clause_pinning_blame_is_an_accusation(text, actor, recipient):
    ev = _one(_events(text), "ACCUSE")
    assert ev.actor is not None and ev.actor.country == actor, ev.explain
    if recipient:
        assert ev.recipient is not None and ev.recipient.country == recipient, ev.explain


def test_a_neutral_or_denied_label_is_no_accusation():
    for text in ("China's military said the transit was routine.",
                 "The ministry said the transit was not a provocation.",
                 "Hamas said it bore the cost of the war."):
        assert not any(e.type == "ACCUSE" for e in _events(text)), text


def test_concern_about_a_party_is_disapproval():
    ev = _one(_events("Lloyd Austin told the forum that he was concerned about China's unwillingness to "
                      "take part in military talks."), "ACCUSE", "concerned")
    assert ev.mode == "disapprove" and ev.recipient is not None and ev.recipient.country == "CHN"
    assert not any(e.type == "ACCUSE" for e in _events("The minister said she was worried about the economy."))


def test_a_crowd_storming_a_building_is_a_protest_and_troops_storming_it_are_not():
    text = ("Protesters stormed the president's official residence in Colombo on Saturday.\n\n"
            "Thousands of protesters forced their way into the prime minister's office compound in Colombo "
            "on Wednesday, and police fired tear gas.")
    evs = _events(text)
    storm = _one(evs, "PROTEST", "stormed")
    forced = _one(evs, "PROTEST", "forced their way")
    # "thousands of protesters": the count's 'of' object is the group; with no target, the government
    assert forced.actor is not None and forced.actor.country == "LKA", forced.explain
    assert storm.recipient is not None and storm.recipient.country == "LKA", storm.explain
    gas = _one(evs, "ASSAULT", "tear gas")
    assert gas.mode == "crowd-control"
    evs = _events("Israeli troops stormed a house in Jenin on Monday.")
    assert not any(e.type == "PROTEST" for e in evs)


def test_a_possessive_names_the_attacker_of_a_nominal_attack():
    ev = _one(_events("Israel's retaliatory air strikes on Gaza killed 300 people on Sunday."), "ASSAULT")
    assert ev.actor is not None and ev.actor.country == "ISR", ev.explain
    text = ("Governments reacted on Saturday to the attack by Hamas on Israel, in which militants from Gaza "
            "killed hundreds of Israelis and seized hostages, and to Israel's retaliatory air strikes on Gaza.\n\n"
            "Senior Iranian officials praised the attack.")
    evs = _events(text)
    strikes = _one(evs, "ASSAULT", "strikes")
    assert strikes.actor.country == "ISR" and strikes.recipient is not None and strikes.recipient.country == "PSE"
    # "the attack" repeats "the attack by Hamas", not the latest attack of any kind
    praise = _one(evs, "SUPPORT", "praised")
    assert praise.recipient is not None and praise.recipient.country == "PSE", praise.explain


def test_an_agency_halting_its_operations_is_a_sanction_but_a_military_halt_is_not():
    ev = _one(_events("The World Food Programme said on Sunday it was temporarily halting its operations "
                      "in Sudan."), "SANCTION", "halting")
    assert ev.mode == "discontinue" and ev.recipient is not None and ev.recipient.country == "SDN"
    evs = _events("The army said it was halting military operations in the north.")
    assert not any(e.type == "SANCTION" for e in evs)
    evs = _events("Some 500,000 workers stopped work on Monday over a new labour law.")
    assert not any(e.type == "SANCTION" for e in evs)


def test_urging_the_sides_is_a_request_that_embeds_what_is_urged():
    evs = _events("Russia urged the two sides to agree an immediate ceasefire.")
    ev = _one(evs, "REQUEST", "urged")
    assert ev.actor.country == "RUS"
    assert not any(e.type == "AGREE" for e in evs)


def test_a_verb_with_its_own_tense_escapes_the_negation_it_is_coordinated_with():
    ev = _one(_events("The White House said the visit did not change US policy toward Taiwan and accused China "
                      "of using it as a pretext."), "ACCUSE", "accused")
    assert ev.status == "occurred", ev.explain
