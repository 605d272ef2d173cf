"""Rules and the learned classifier together: who decides an event's type.

The rule coder (coder.py) finds triggers, arguments, status and attribution; the
classifier (dateline.classify) reads the whole sentence. Policy, in order:

1. A rules event whose lexicon entry fired with argument constraints (an object, a
   preposition, a subject kind, ...) is certain: the rules decide.
2. A rules event from an entry without constraints (a bare verb such as "launch" or
   "promise"), alone in its sentence, is relabelled only when the classifier is confident
   (>= OVERRIDE_P) and gives the rules' type almost no chance (< RULE_TYPE_FLOOR).
   Arguments, status, date and attribution stay those the rules found. With several rules
   events in a sentence the classifier's one label cannot say which event it means.
3. A sentence where the rules found nothing gets a classifier event when the
   classifier is confident (>= NEW_EVENT_P), says it is not NONE, and the sentence's
   rules did not turn down a trigger in it (a narrated habit, an advisory: coder.declined), its
   main verb has a resolvable actor and recipient, does not report a clause ("X said
   that ...") and is not copular ("became public"): an event needs somebody acting on
   somebody, and neither a reporting verb nor a state is the act itself.

The corpus the classifier learned from codes PLOVER's future convention (future
cooperation = AGREE, future conflict = THREATEN). Under the default conventions
(``future_as_agree`` off) a future or hypothetical act keeps the rules' type.
``Event.decided_by`` and ``explain`` say which side decided.

The classifier only reads sentences where it can change something: those with a sole rules event
from an unconstrained entry, and those with no rules event that pass the checks of point 3. A transformer
classifier costs more per sentence than the parse; skipping the sentences the rules settle keeps
coding faster than parsing (bench/classifier.py measures it).
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass

from ..errors import DatelineError
from ..models import Analysis, Event
from . import syntax as sx
from .arguments import DocIndex
from .coder import declined
from .lexicon import load_lexicon, scores
from .status import status_of

log = logging.getLogger(__name__)

# Chosen by tools/minilm/thresholds.py on the hand-written sentences the MiniLM model never saw
# (not on PLOVER dev): the most conservative setting within 0.02 macro-F1 of the best there.
OVERRIDE_P = 0.90
RULE_TYPE_FLOOR = 0.02
NEW_EVENT_P = 0.70
# A new event needs somebody acted upon as well as an actor: background sentences in articles
# ("relations have faced difficulties") have actors but no recipient, and the sentence-level
# classifier, trained on sentences that mostly carry events, reads them as events.
NEW_EVENT_NEEDS_RECIPIENT = True
FUTURE_CONVENTION_TYPES = {"AGREE", "THREATEN"}
# Keys that tie an entry to its arguments: when one is present, the entry fired "with certainty".
CONSTRAINT_KEYS = {"objects", "object_kinds", "object_required", "object_modifiers", "prep", "prep_objects",
                   "prep_places", "xcomp", "xcomp_lemmas", "particle", "subject_kinds", "intransitive",
                   "conflict_complement", "ccomp_wrongdoing", "forbids_words"}
ENTRY_IN_EXPLAIN = re.compile(r"matched entry '([^']+)' \(([^)]+)\)")

_warned: set[str] = set()


@functools.cache  # the lexicon is loaded once per process; asked once per event
def _constrained_entries() -> dict[tuple[str, str], bool]:
    out = {}
    for e in load_lexicon().entries:
        constrained = any(k in e.spec for k in CONSTRAINT_KEYS) or any(k.startswith("requires_") for k in e.spec)
        out[(e.id, e.source)] = constrained
    return out


def rule_certainty(event: Event) -> tuple[bool, str]:
    """(certain?, entry id) for a rules event, read from the entry named in its explain string."""
    m = ENTRY_IN_EXPLAIN.search(event.explain or "")
    if not m:
        return False, "?"
    return _constrained_entries().get((m.group(1), m.group(2)), False), m.group(1)


def _classifier(options):
    from ..classify import load_classifier

    path = getattr(options, "classifier_path", None)
    try:
        return load_classifier(path)
    except DatelineError as exc:
        if exc.message not in _warned:
            _warned.add(exc.message)
            log.warning("event classifier unavailable, coding with rules only: %s", exc.message)
        return None


def combine_events(doc, analysis: Analysis, events: list[Event], options=None) -> list[Event]:
    """Let the classifier decide the events the rules are unsure of; returns the (possibly extended) list."""
    if options is not None and not getattr(options, "use_classifier", True):
        return events
    model = _classifier(options)
    if model is None:
        return events
    sents = list(doc.sents)
    if not sents:
        return events
    future_convention = bool(getattr(options, "future_as_agree", False))
    by_sentence: dict[int, list[Event]] = {}
    for ev in events:
        by_sentence.setdefault(ev.sentence_index, []).append(ev)
    asked: list[int] = []
    candidates: dict[int, _Candidate] = {}
    idx = None
    for si, sent in enumerate(sents):
        sent_events = by_sentence.get(si, [])
        if sent_events:
            # one label per sentence cannot say which of several rules events it means
            if len(sent_events) == 1 and not rule_certainty(sent_events[0])[0]:
                asked.append(si)
            continue
        idx = idx or DocIndex(doc, analysis)
        cand = _candidate(sent, si, idx)
        if cand is not None:
            candidates[si] = cand
            asked.append(si)
    if not asked:
        return events
    preds = model.predict_spans([sents[si] for si in asked])
    added: list[Event] = []
    for si, pred in zip(asked, preds):
        for ev in by_sentence.get(si, []):
            _maybe_relabel(ev, pred, future_convention)
        cand = candidates.get(si)
        if cand is not None and pred.type != "NONE" and pred.probability >= NEW_EVENT_P:
            added.append(_new_event(sents[si], si, pred, idx, cand))
    if not added:
        return events
    return sorted(events + added, key=lambda e: (e.sentence_index, e.start))


def _maybe_relabel(ev: Event, pred, future_convention: bool) -> None:
    certain, entry = rule_certainty(ev)
    if pred.type in ("NONE", ev.type):
        return
    note = f"classifier read {pred.type} (p={pred.probability:.2f})"
    if certain:
        ev.explain += f"; rules kept {ev.type}: entry '{entry}' fired with its argument constraints ({note})"
        return
    if pred.probability < OVERRIDE_P or pred.p(ev.type) >= RULE_TYPE_FLOOR:
        ev.explain += f"; rules kept {ev.type}: {note} not confident enough to overrule"
        return
    if not future_convention and pred.type in FUTURE_CONVENTION_TYPES and ev.status in ("planned", "hypothetical"):
        ev.explain += f"; rules kept {ev.type}: {note} follows the future convention, which is off"
        return
    old = ev.type
    ev.type, ev.mode = pred.type, pred.mode
    sc = scores(ev.type, ev.mode)
    ev.score, ev.quad_class, ev.cameo, ev.goldstein = sc.get("score"), sc.get("quad"), sc.get("cameo"), \
        sc.get("goldstein")
    ev.decided_by = "classifier"
    ev.explain += (f"; type decided by the classifier: {pred.type}" + (f":{pred.mode}" if pred.mode else "")
                   + f" (p={pred.probability:.2f}) over the rules' {old} (entry '{entry}' has no argument "
                     f"constraints, p({old})={pred.p(old):.2f})")


def _main_verb(sent):
    root = sent.root
    if root.pos_ in ("VERB", "AUX"):
        return root
    for tok in sent:
        if tok.pos_ == "VERB":
            return tok
    return root


@dataclass
class _Candidate:
    """A sentence without rules events whose main verb has an actor: the classifier may add an event."""

    verb: object  # spaCy Token
    actor: object  # what DocIndex.actor_for returned
    recipient: object | None


def _candidate(sent, si: int, idx: DocIndex) -> _Candidate | None:
    why_not = declined(sent.doc).get(si)
    if why_not:
        log.debug("sentence %d: the rules turned its trigger down (%s): classifier not asked", si, why_not)
        return None
    verb = _main_verb(sent)
    if any(c.dep_ == "ccomp" for c in verb.children):
        # "X said/announced/noted that ...": the act, if any, is in the clause, with its own actor;
        # coding the reporting verb would give the wrong trigger and actor
        log.debug("sentence %d: main verb '%s' reports a clause: classifier not asked", si, verb.text)
        return None
    if verb.lemma_ == "be" or any(c.dep_ in ("attr", "acomp") for c in verb.children):
        # copular clauses ("allegations became public", "talks were difficult") describe states, not acts
        log.debug("sentence %d: main verb '%s' is copular: classifier not asked", si, verb.text)
        return None
    subj = sx.subject(verb)
    actor = _named_by(idx, subj, f"subject '{subj.text}'") if subj is not None else None
    if actor is None:
        log.debug("sentence %d has no rules event and its main verb no actor: classifier not asked", si)
        return None
    rec = None
    obj = sx.direct_object(verb)
    if obj is not None:
        rec = _named_by(idx, obj, "object")
    if rec is None:
        for p, _, pobj in sx.preps(verb):
            rec = _named_by(idx, pobj, f"'{p}' object")
            if rec is not None:
                break
    if rec is not None and rec.arg.name == actor.arg.name and rec.arg.country == actor.arg.country:
        rec = None
    if rec is None and NEW_EVENT_NEEDS_RECIPIENT:
        log.debug("sentence %d: main verb '%s' has no recipient: classifier not asked", si, verb.text)
        return None
    return _Candidate(verb, actor, rec)


def _named_by(idx: DocIndex, tok, how: str):
    """The actor a noun phrase names by its head or a modifier before it ("Iraqi Kurds", "China's navy").

    Not one found further inside ("an incident between two ships in the Taiwan Strait"): no lexicon
    entry vouches for a classifier event's arguments, so they must be what the phrase is about."""
    m = idx.actor_for(tok, how)
    if m is None or not (tok.left_edge.i <= m.token_i <= tok.i):
        return None
    return m


def _new_event(sent, si: int, pred, idx: DocIndex, cand: _Candidate) -> Event:
    verb, actor, rec = cand.verb, cand.actor, cand.recipient
    times = idx.times_in(sent.start_char, sent.end_char)
    status, status_why = status_of(verb, [t for t in times if t.value], None)
    sc = scores(pred.type, pred.mode)
    start, end = verb.idx, verb.idx + len(verb.text)
    explain = "; ".join([
        f"type decided by the classifier: {pred.type}" + (f":{pred.mode}" if pred.mode else "")
        + f" (p={pred.probability:.2f}); no lexicon entry fired in this sentence",
        f"trigger: the sentence's main verb '{verb.text}'",
        f"actor: {actor.how}",
        f"recipient: {rec.how}" if rec else "recipient: no recipient found",
        f"status {status}: {status_why}",
    ])
    return Event(type=pred.type, mode=pred.mode, status=status, sentence=sent.text, start=start, end=end,
                 trigger=verb.text, sentence_index=si, actor=actor.arg, recipient=rec.arg if rec else None,
                 score=sc.get("score"), quad_class=sc.get("quad"), cameo=sc.get("cameo"),
                 goldstein=sc.get("goldstein"), explain=explain, decided_by="classifier")
