"""Matched triggers that are not events to record, and why (the coder logs the reason and skips them)."""

from __future__ import annotations

import functools

from ..models import EventArgument, Place
from . import syntax as sx
from .lexicon import word_classes
from .match import Candidate
from .status import unrecordable


def _public_advisory(cand: Candidate, actor: EventArgument | None, recipient: EventArgument | None) -> bool:
    """'Authorities told residents to stay indoors', 'governments told their citizens to leave': the ones
    told are a crowd of civilians with no other country than the actor's own."""
    obj = sx.direct_object(cand.tok) or sx.dative(cand.tok)
    if obj is None or sx.lemma(obj) not in _civilian_words():
        return False
    if recipient is None or recipient.country is None:
        return True
    return actor is not None and recipient.country == actor.country


@functools.cache
def _civilian_words() -> frozenset[str]:
    return frozenset(word_classes().get("civilians", []))


def not_recorded(cand: Candidate, type_: str, mode: str | None, actor: EventArgument | None,
                  recipient: EventArgument | None, location: Place | None, reported: bool) -> str | None:
    """Why a matched trigger is not an event to record, or None (see status.unrecordable)."""
    if cand.entry.kind == "verb":
        why = unrecordable(cand.tok, actor is not None, recipient is not None, reported)
        if why:
            return why
    if cand.entry.spec.get("requires_recipient") and recipient is None and not sx.is_passive(cand.tok):
        # "the government committed to cutting emissions": a pledge with nobody it is made to or bears on
        # is a domestic goal, not an act between parties. A stated stance ("Vietnam is committed to opening
        # up") is willingness, which PLOVER codes AGREE with or without a partner.
        return "no recipient found for an entry that needs one"
    if type_ == "REQUEST" and cand.entry.kind == "verb" and _public_advisory(cand, actor, recipient):
        return "an instruction to the public (residents, one's own citizens) is an advisory, not a request of a party"
    if type_ == "CONSULT" and mode == "visit" and actor is None and cand.entry.kind == "verb":
        # "left for Florida" with the traveller unresolved: a trip needs someone who travels
        return "a visit with no traveller found"
    if type_ == "CONSULT" and mode == "visit" and actor is not None and actor.country and location is not None \
            and location.country == actor.country and (recipient is None or recipient.country == actor.country):
        return "travel inside the actor's own country is not a visit"
    return None
