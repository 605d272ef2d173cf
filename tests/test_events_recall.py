"""Event recall for statements made through 'said', alliances and membership, legal acts, plural pronouns
after a list of parties, and pledges with nobody to pledge to. Sentences written for these tests."""

from __future__ import annotations

import pytest
from eventutil import one as _one
from eventutil import rule_events as _rule_events

from dateline.events.lexicon import KNOWN_KEYS, load_lexicon
from dateline.events.match import blame_labels


def test_new_lexicon_keys_and_dismissals_load():
    assert {"requires_future", "requires_recipient", "dismissal_in_report", "object_sectors"} <= KNOWN_KEYS
    lex = load_lexicon()
    ids = {e.label for e in lex.entries}
    assert {"reject.dismiss-in-report", "threaten.future-countermeasures", "cooperate.join-alliance",
            "accuse.arrest-warrant"} <= ids
    bl = blame_labels()
    assert "void" in bl.dismissals and not bl.dismissals & bl.labels


# -- 1. statements made through "said" -------------------------------------------

def test_declaring_a_decision_void_rejects_its_maker():
    evs = _rule_events("Washington announced new tariffs on Chinese steel on Monday.\n\n"
                       "Beijing said the decision was legally void.")
    ev = _one(evs, "REJECT")
    assert ev.actor.country == "CHN" and ev.recipient is not None and ev.recipient.country == "USA", ev.explain


def test_a_clause_that_is_not_void_is_no_rejection():
    evs = _rule_events("Beijing said the decision was not void.")
    assert "REJECT" not in {e.type for e in evs}


def test_announced_countermeasures_are_a_threat_made_when_said():
    ev = _one(_rule_events("The Chinese foreign ministry said it would take countermeasures against the "
                           "United States."), "THREATEN")
    assert ev.actor.country == "CHN" and ev.recipient.country == "USA"
    assert ev.status == "occurred", ev.explain


def test_countermeasures_taken_in_the_past_are_no_threat():
    evs = _rule_events("China took countermeasures against Lithuania last year.")
    assert "THREATEN" not in {e.type for e in evs}


def test_a_forceful_response_announced_is_a_threat():
    ev = _one(_rule_events("Iran's military said it will respond harshly to any attack by Israel."), "THREATEN")
    assert ev.actor.country == "IRN"


def test_a_plain_response_to_a_proposal_is_no_threat():
    evs = _rule_events("The army will respond to the proposal next week.")
    assert "THREATEN" not in {e.type for e in evs}


def test_describing_an_uprising_as_treason_is_an_accusation():
    ev = _one(_rule_events("President Putin described the uprising as treason."), "ACCUSE")
    assert ev.actor.country == "RUS" and ev.mode == "disapprove"


# -- 2. joining and alliances ----------------------------------------------------

@pytest.mark.parametrize("text", [
    "Finland joined NATO on Tuesday.",
    "Finland became the 31st member of NATO on Tuesday.",
])
def test_joining_an_alliance_is_cooperation_with_it(text):
    ev = _one(_rule_events(text), "COOPERATE")
    assert ev.actor.country == "FIN" and ev.recipient is not None and ev.recipient.sector == "IGO"


def test_acceding_to_the_alliance_fires():
    ev = _one(_rule_events("Sweden formally acceded to the alliance on Thursday."), "COOPERATE")
    assert ev.actor.country == "SWE"


def test_launching_an_alliance_with_partners():
    ev = _one(_rule_events("The United States launched an alliance with Australia and Britain."), "COOPERATE")
    assert ev.actor.country == "USA" and ev.recipient.country == "AUS"


@pytest.mark.parametrize("text", [
    "He joined Google in 2019.",
    "She became a member of parliament in 2010.",
    "He became president in 2010.",
])
def test_joining_a_firm_or_a_parliament_is_no_cooperation(text):
    assert "COOPERATE" not in {e.type for e in _rule_events(text)}


def test_signing_a_pact_and_ratifying_membership_are_support():
    evs = _rule_events("Russia and North Korea signed a pact on mutual defence.")
    assert {e.type for e in evs} == {"SUPPORT"}
    ev = _one(_rule_events("Turkey's parliament ratified Sweden's membership of NATO."), "SUPPORT")
    assert ev.recipient.country == "SWE"


def test_acceding_to_a_treaty_is_support():
    ev = _one(_rule_events("Ukraine acceded to the Rome Statute of the International Criminal Court."), "SUPPORT")
    assert ev.actor.country == "UKR"


# -- 3. legal acts ----------------------------------------------------------------

def test_an_arrest_warrant_is_an_accusation():
    ev = _one(_rule_events("The International Criminal Court issued an arrest warrant for Vladimir Putin."),
              "ACCUSE")
    assert ev.mode == "allege" and ev.recipient is not None and "Putin" in ev.recipient.text


def test_opening_an_investigation_and_summoning_an_envoy():
    ev = _one(_rule_events("Prosecutors in Kyiv opened an investigation into the Russian commander."), "ACCUSE")
    assert ev.mode == "investigate"
    ev = _one(_rule_events("France summoned the Russian ambassador on Monday."), "ACCUSE")
    assert ev.mode == "disapprove" and ev.actor.country == "FRA" and ev.recipient.country == "RUS"


# -- 4. "they" after a list of parties --------------------------------------------

def test_they_in_a_reported_clause_stands_for_every_listed_party():
    evs = [e for e in _rule_events("Britain, France and Germany said in a joint statement that they condemned "
                                   "Iran's nuclear escalation.") if e.type == "ACCUSE"]
    assert {e.actor.country for e in evs} == {"GBR", "FRA", "DEU"}
    assert all(e.recipient.country == "IRN" for e in evs)


def test_sentence_initial_they_takes_the_previous_sentence_list():
    evs = [e for e in _rule_events("Britain, France and Germany met in Paris on Monday. They condemned Iran's "
                                   "nuclear escalation.") if e.type == "ACCUSE"]
    assert {e.actor.country for e in evs} == {"GBR", "FRA", "DEU"}


def test_their_after_a_list_of_parties():
    evs = [e for e in _rule_events("The United States and Japan said their navies would hold joint exercises "
                                   "with the Philippines.") if e.type == "COOPERATE"]
    assert {e.actor.country for e in evs} == {"USA", "JPN"}


def test_they_after_a_single_party_stays_one_actor():
    evs = [e for e in _rule_events("Iran said on Monday that they condemned the strike on Damascus.")
           if e.type == "ACCUSE"]
    assert len({e.actor.country for e in evs if e.actor}) <= 1


# -- 5. pledges with nobody to pledge to ------------------------------------------

def test_a_domestic_pledge_is_no_agreement():
    assert "AGREE" not in {e.type for e in _rule_events("The government committed to cutting emissions by half "
                                                         "by 2030.")}


def test_a_pledge_to_another_party_is_an_agreement():
    ev = _one(_rule_events("India committed to sending troops to Sri Lanka."), "AGREE")
    assert ev.actor.country == "IND" and ev.recipient.country == "LKA"


def test_a_stated_willingness_stays_an_agreement():
    # PLOVER codes a declared willingness AGREE with or without a partner
    assert "AGREE" in {e.type for e in _rule_events("The minister said Vietnam is committed to opening up "
                                                     "the economy.")}
