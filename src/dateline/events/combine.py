"""Rules and the learned classifier together: who decides an event's type.

The rule coder (coder.py) finds triggers, arguments, status and attribution; the
classifier (dateline.classify) reads the whole sentence. Policy, in order:

1. A rules event whose lexicon entry fired with argument constraints (an object, a
   preposition, a subject kind, ...) is certain: the rules decide.
2. A rules event from an entry without constraints (a bare verb such as "launch" or
   "promise") is relabelled only when the classifier is confident (>= OVERRIDE_P) and
   gives the rules' type almost no chance (< RULE_TYPE_FLOOR). Arguments, status,
   date and attribution stay those the rules found.
3. A sentence where the rules found nothing gets a classifier event when the
   classifier is confident (>= NEW_EVENT_P), says it is not NONE, and the sentence's
   main verb has a resolvable actor (an event with nobody acting is not recorded).

The corpus the classifier learned from codes PLOVER's future convention (future
cooperation = AGREE, future conflict = THREATEN). Under the default conventions
(``future_as_agree`` off) a future or hypothetical act keeps the rules' type.
``Event.decided_by`` and ``explain`` say which side decided.
"""

from __future__ import annotations

import functools
import logging
import re

from ..errors import DatelineError
from ..models import Analysis, Event
from . import syntax as sx
from .arguments import DocIndex
from .lexicon import load_lexicon, scores
from .status import status_of

log = logging.getLogger(__name__)

OVERRIDE_P = 0.70
RULE_TYPE_FLOOR = 0.05
NEW_EVENT_P = 0.60
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
    preds = model.predict_spans(sents)
    future_convention = bool(getattr(options, "future_as_agree", False))
    by_sentence: dict[int, list[Event]] = {}
    for ev in events:
        by_sentence.setdefault(ev.sentence_index, []).append(ev)
    added: list[Event] = []
    idx = None
    for si, (sent, pred) in enumerate(zip(sents, preds)):
        sent_events = by_sentence.get(si, [])
        for ev in sent_events:
            _maybe_relabel(ev, pred, future_convention)
        if not sent_events and pred.type != "NONE" and pred.probability >= NEW_EVENT_P:
            idx = idx or DocIndex(doc, analysis)
            ev = _new_event(sent, si, pred, idx, analysis)
            if ev is not None:
                added.append(ev)
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


def _new_event(sent, si: int, pred, idx: DocIndex, analysis: Analysis) -> Event | None:
    verb = _main_verb(sent)
    subj = sx.subject(verb)
    actor = idx.actor_for(subj, f"subject '{subj.text}'") if subj is not None else None
    if actor is None:
        log.debug("classifier read %s in sentence %d but no actor was found", pred.type, si)
        return None
    rec = None
    obj = sx.direct_object(verb)
    if obj is not None:
        rec = idx.actor_for(obj, "object")
    if rec is None:
        for p, _, pobj in sx.preps(verb):
            rec = idx.actor_for(pobj, f"'{p}' object")
            if rec is not None:
                break
    if rec is not None and rec.arg.name == actor.arg.name and rec.arg.country == actor.arg.country:
        rec = None
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
