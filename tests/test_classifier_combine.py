"""How rules and classifier share decisions (events/combine.py), with a stand-in classifier."""

from __future__ import annotations

import pytest

from dateline.classify.model import Prediction
from dateline.events import combine
from dateline.events.lexicon import load_lexicon
from dateline.models import Analysis, Article, Event
from dateline.pipeline import Options


def _entry(constrained: bool):
    for e in load_lexicon().entries:
        has = any(k in e.spec for k in combine.CONSTRAINT_KEYS) or any(k.startswith("requires_") for k in e.spec)
        if has == constrained and e.kind == "verb":
            return e
    raise AssertionError("lexicon has no such entry")


def _event(entry, status="occurred") -> Event:
    return Event(type=entry.type, mode=None, status=status, sentence="s", start=0, end=1, trigger="t",
                 explain=f"trigger 't' matched entry '{entry.id}' ({entry.source}) -> {entry.type}")


def _pred(type_: str, p: float) -> Prediction:
    return Prediction(type_, p, None, {type_: p})


def _other(type_: str) -> str:
    return "ASSAULT" if type_ != "ASSAULT" else "CONSULT"


def test_constrained_entry_keeps_the_rules_type():
    e = _entry(True)
    ev = _event(e)
    combine._maybe_relabel(ev, _pred(_other(e.type), 0.99), future_convention=True)
    assert ev.type == e.type and ev.decided_by == "rules"
    assert "argument constraints" in ev.explain


def test_confident_classifier_decides_an_unconstrained_entry():
    e = _entry(False)
    ev = _event(e)
    new = _other(e.type)
    combine._maybe_relabel(ev, _pred(new, 0.95), future_convention=True)
    assert ev.type == new and ev.decided_by == "classifier"
    assert "type decided by the classifier" in ev.explain and ev.status == "occurred"


def test_unsure_classifier_leaves_the_rules_alone():
    e = _entry(False)
    ev = _event(e)
    combine._maybe_relabel(ev, _pred(_other(e.type), combine.OVERRIDE_P - 0.1), future_convention=True)
    assert ev.type == e.type and ev.decided_by == "rules" and "not confident" in ev.explain


def test_future_convention_is_not_applied_when_off():
    e = _entry(False)
    if e.type == "AGREE":
        pytest.skip("first unconstrained entry is already AGREE")
    ev = _event(e, status="planned")
    combine._maybe_relabel(ev, _pred("AGREE", 0.95), future_convention=False)
    assert ev.type == e.type and "future convention" in ev.explain
    combine._maybe_relabel(ev, _pred("AGREE", 0.95), future_convention=True)
    assert ev.type == "AGREE"


def test_use_classifier_off_returns_events_untouched():
    events = [_event(_entry(False))]
    out = combine.combine_events(None, Analysis(article=Article(text="x")), events, Options(use_classifier=False))
    assert out is events and events[0].decided_by == "rules"


def test_missing_model_falls_back_to_rules_with_a_warning(tmp_path, caplog):
    class Opts(Options):
        classifier_path = str(tmp_path / "none.npz")

    events = [_event(_entry(False))]
    with caplog.at_level("WARNING", logger="dateline.events.combine"):
        out = combine.combine_events(None, Analysis(article=Article(text="x")), events, Opts())
    assert out == events
    assert any("rules only" in r.message for r in caplog.records)


def test_shipped_classifier_on_a_parsed_sentence():
    """End to end on one sentence: whoever decides, explain says so."""
    from dateline import nlp
    from dateline.pipeline import understand

    text = "Kenyan police arrested twelve opposition activists in Nairobi on Monday."
    doc = next(nlp.parse([text]))
    a = understand(Article(text=text, language="en"), doc, Options(use_classifier=False))
    events = combine.combine_events(doc, a, a.events, Options())
    assert events and events[0].type == "COERCE"
    assert events[0].decided_by in ("rules", "classifier")


class _Recorder:
    """Stand-in classifier that records which sentences it was asked about and always says NONE."""

    def __init__(self):
        self.asked: list[str] = []

    def predict_spans(self, spans):
        self.asked += [s.text for s in spans]
        return [_pred("NONE", 0.9) for _ in spans]


def test_classifier_reads_only_sentences_it_can_change(monkeypatch):
    from dateline import nlp
    from dateline.pipeline import understand

    text = ("Kenyan police arrested twelve opposition activists in Nairobi on Monday. "
            "It rained heavily all week. "
            "The Ugandan president thanked the Kenyan government.")
    doc = next(nlp.parse([text]))
    a = understand(Article(text=text, language="en"), doc, Options(use_classifier=False))
    rec = _Recorder()
    monkeypatch.setattr(combine, "_classifier", lambda options: rec)
    events = combine.combine_events(doc, a, list(a.events), Options())
    assert [e.type for e in events] == [e.type for e in a.events]  # NONE changes nothing
    assert "It rained heavily all week." not in rec.asked  # no event, no actor: nothing to decide
    sents = list(doc.sents)
    for si, sent in enumerate(sents):
        evs = [e for e in a.events if e.sentence_index == si]
        if evs and all(combine.rule_certainty(e)[0] for e in evs):
            assert sent.text not in rec.asked, sent.text
        elif evs:
            assert sent.text in rec.asked, sent.text


def test_classifier_adds_nothing_where_the_rules_declined_a_trigger(monkeypatch):
    from dateline import nlp
    from dateline.events.coder import declined
    from dateline.pipeline import understand

    # a narrated habit: the rules match "sends" and decline it with a reason
    text = "Japan regularly sends warships to Vietnam."
    doc = next(nlp.parse([text]))
    a = understand(Article(text=text, language="en"), doc, Options(use_classifier=False))
    assert a.events == [] and 0 in declined(doc)

    class Eager:
        asked: list = []

        def predict_spans(self, spans):
            self.asked += [s.text for s in spans]
            return [_pred("MOBILIZE", 0.99) for _ in spans]

    eager = Eager()
    monkeypatch.setattr(combine, "_classifier", lambda options: eager)
    assert combine.combine_events(doc, a, [], Options()) == []
    assert eager.asked == []
