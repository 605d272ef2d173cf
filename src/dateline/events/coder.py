"""PLOVER event coding over a parsed, resolved article.

For each sentence: find trigger candidates (lexicon entries whose constraints
hold on the parse), drop triggers that are only the content of another act
("agreed to *share*", "refused to *deploy*"), then give each remaining
trigger its actor, recipient, status, date, place, contexts and scores, and
write down every rule used in ``explain``.
"""

from __future__ import annotations

import bisect
import logging
from datetime import date, datetime

from ..models import Analysis, Event, TimeExpression
from ..nlp import doc_text, sentences, token_attrs
from . import syntax as sx
from .arguments import (
    ArgMatch,
    DocIndex,
    attribution_of,
    event_location,
    unnamed_actors,
)
from .lexicon import context_cues, grammar, load_lexicon, mode_cues, scores
from .match import Candidate, best, candidates, may_trigger
from .merge import merge_mentions
from .recording import not_recorded
from .slots import recipient_of
from .status import conditional, saying_verbs, status_of

log = logging.getLogger(__name__)

ADJECTIVAL = {"commit", "prepare", "determine", "resolve", "dispose", "inclined", "poise", "set"}
ORDER_VERBS = {"order", "direct", "instruct", "command", "authorize", "authorise"}
REFUSAL_AUX = {"will", "wo", "would", "does", "do", "can", "ca", "shall", "'ll"}
# statements (verbal acts): with no party in their own clause, the speaker reporting them made them
SPEAKER_ACTS = {"ACCUSE", "THREATEN", "REQUEST", "REJECT", "SUPPORT"}
# a carried narrative time this long before publication is history (cf. bench HISTORICAL_DAYS)
HISTORY_DAYS = 10
NOUN_ACT_VERBS = {"announce", "order", "approve", "declare", "hold", "make", "carry", "conduct", "begin",
                  "launch", "stage", "complete", "confirm", "start", "resume", "mount", "continue"}


def _reference(analysis: Analysis, options) -> date | None:
    value = (getattr(options, "published", None) if options else None) or analysis.article.published
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None


class _Context:
    """Narrative time carried from sentence to sentence."""

    def __init__(self, reference: date | None):
        self.reference = reference
        self.time: TimeExpression | None = None
        self.paragraph = 0
        self.time_paragraph = -1

    def publication_time(self) -> TimeExpression | None:
        if self.reference is None:
            return None
        d = self.reference.isoformat()
        return TimeExpression(text="(publication date)", start=-1, end=-1, value=d, precision="day",
                              start_date=d, end_date=d, reason="publication date")


def declined(doc) -> dict[int, str]:
    """Sentences where a lexicon entry matched and the rules decided it is no event to record, with why.

    Kept on the Doc so that events/combine.py does not let the classifier add an event the rules
    turned down for a reason (a narrated habit, an advisory to one's own citizens, ...)."""
    return doc.user_data.setdefault("dateline.declined_sentences", {})


def code_events(doc, analysis: Analysis, options=None) -> list[Event]:
    lex = load_lexicon()
    g = grammar()
    idx = DocIndex(doc, analysis)
    ctx = _Context(_reference(analysis, options))
    text = doc_text(doc)
    triggers = _trigger_positions(doc, lex, g)
    events: list[Event] = []
    for si, sent in enumerate(sentences(doc)):
        para = text.count("\n\n", 0, sent.start_char)
        if para != ctx.paragraph:
            ctx.paragraph = para
        cands = _sentence_candidates(sent, lex, idx, triggers)
        sent_events = []
        for cand in cands:
            for ev in _build(cand, si, sent, idx, ctx, analysis, options, events + sent_events):
                sent_events.append(ev)
        events.extend(sent_events)
        _update_context(sent, idx, ctx, g)
    return merge_mentions(events)


# -- candidates -----------------------------------------------------------------

def _trigger_positions(doc, lex, g) -> list[int]:
    """Indices of the tokens that could trigger at all, in order (see ``match.may_trigger``)."""
    a = token_attrs(doc)
    speech = g["speech_verbs"]
    lemma, head, dep = a.lemma, a.head, a.dep
    lexical: dict[tuple, bool] = {}  # a word recurs: its look-ups are done once per doc
    out = []
    for i, key in enumerate(zip(a.pos, a.tag, lemma, a.lower)):
        hit = lexical.get(key)
        if hit is None:
            hit = lexical[key] = may_trigger(key[0], key[1], "", key[2], key[3], "", lex, speech)
        if hit or (dep[i] == "ccomp" and may_trigger(key[0], key[1], "ccomp", key[2], key[3],
                                                    lemma[head[i]], lex, speech)):
            out.append(i)
    return out


def _sentence_candidates(sent, lex, idx: DocIndex, triggers: list[int]) -> list[Candidate]:
    by_tok: dict[int, Candidate] = {}
    doc = sent.doc
    lo = bisect.bisect_left(triggers, sent.start)
    hi = bisect.bisect_left(triggers, sent.end)
    for i in triggers[lo:hi]:
        tok = doc[i]
        cs = candidates(tok, lex, idx)
        if cs:
            by_tok[tok.i] = best(cs)
    if not by_tok:
        return []
    g = grammar()
    drop: set[int] = set()
    for i, c in by_tok.items():
        if c.entry.kind == "noun":
            # a nominal trigger governed by a verbal trigger is that verb's object, not a second event
            h = c.tok.head
            hops = 0
            below = c.tok
            while h.i != c.tok.i and hops < 4:
                if below.dep_ == "conj" and below.pos_ not in ("VERB", "AUX") and h.pos_ in ("VERB", "AUX"):
                    # a phrase coordinated onto a verb ("killed hundreds ... and to Israel's air strikes")
                    # is the parser joining two phrases of a higher list, not that verb's object
                    break
                if h.i in by_tok and by_tok[h.i].entry.kind != "noun":
                    drop.add(i)
                    break
                if h.head.i == h.i:
                    break
                below, h = h, h.head
                hops += 1
        if c.entry.kind == "report":
            # a nominal act named as the wrongdoer ("the visit violated its sovereignty") is the topic
            # of the accusation, not a reported event that would replace it
            topic = sx.child(c.tok, "nsubj", "nsubjpass")
            topic_toks = {t.i for t in sx.subtree(topic)} if topic is not None else set()
            inner = [t.i for t in sx.subtree(c.tok) if t.i != i and t.i in by_tok
                     and not (t.i in topic_toks and by_tok[t.i].entry.kind == "noun")
                     and not _via_clause(t, c.tok)]
            speaker = sx.subject(c.report_verb) if c.report_verb is not None else None
            if c.entry.spec.get("wrongdoing_in_report") and (
                    inner or speaker is None or idx.actor_for(speaker, "speaker") is None):
                # what the clause reports is the event; an accusation needs a known accuser
                drop.add(i)
                continue
        if c.entry.spec.get("embeds") and sx.lemma(c.tok) in ORDER_VERBS:
            comp = sx.xcomp(c.tok) or sx.ccomp(c.tok)
            inner = [x for x in (by_tok.get(t.i) for t in sx.subtree(comp)) if x] if comp is not None else []
            # ordering someone to look into a matter opens an inquiry: then the inquiry is the act
            # (only when it is the ordered verb itself: "ordered him to appear for questioning" is a summons)
            acts = [x for x in inner if x.entry.type in g["conflict_types"]
                    or (x.entry.mode == "investigate" and x.tok.i == comp.i)]
            if acts:
                drop.add(i)  # "ordered the paper to suspend publication": the order is how the act is done
                for x in acts:
                    x.actor_verb = c.tok
                continue
        if c.entry.spec.get("embeds") or c.entry.spec.get("obligation_in_report") or \
                c.entry.spec.get("wrongdoing_in_report"):
            for t in sx.subtree(c.tok):
                if t.i != i and t.i in by_tok and not _via_clause(t, c.tok):
                    drop.add(t.i)
        if c.entry.kind == "report" and c.report_verb is not None:
            # the reported clause's own trigger is the content of the report
            pass
    # a report entry loses to a real trigger on the same verb (handled by best()) and
    # a real trigger inside a report entry's clause is dropped above.
    out = [c for i, c in sorted(by_tok.items()) if i not in drop]
    # triggers inside a clause governed by a negating verb ("failed to reach") keep their own event only
    # when that verb is not itself a trigger; nothing to do here.
    return out


def _via_clause(t, top) -> bool:
    """Is ``t`` reached from ``top`` through a coordinated verb or a relative/adverbial clause (a separate act)?"""
    x = t
    while x.i != top.i and x.head.i != x.i:
        if x.dep_ == "conj" and x.head.i == top.i and x.pos_ in ("VERB", "AUX"):
            return True
        if x.dep_ in ("relcl", "advcl", "parataxis"):
            return True
        x = x.head
    return False


# -- building one event ---------------------------------------------------------

def _pronoun_antecedent(tok, idx: DocIndex) -> ArgMatch | None:
    """Last resort for an unresolved group pronoun ('they', 'its army'): the latest non-person actor.

    A person pronoun is only an actor when resolve/'s coreference linked it: guessing the latest
    person named turns a mis-parsed subject ("... denied that she ...", "saw her beaten") into an actor.
    """
    if tok is None or tok.pos_ != "PRON":
        return None
    if tok.lower_ in ("he", "she", "him", "her", "his", "hers"):
        return None
    for m in reversed(idx.mentions):
        if m.start >= tok.idx:
            continue
        a = idx.resolved_actor(m)
        if a is None or a.kind == "person":
            continue
        arg = idx.argument(m)
        return ArgMatch(arg, f"pronoun '{tok.text}' -> latest actor '{m.text}'", tok.i, m)
    return None


def _actors(cand: Candidate, idx: DocIndex) -> list[ArgMatch]:
    if cand.actor_verb is not None:
        subj = sx.subject(cand.actor_verb)
    elif cand.entry.kind == "report":
        subj = sx.subject(cand.report_verb)
    elif cand.entry.kind == "adjective" or cand.tok.tag_ == "VBN" and sx.lemma(cand.tok) in ADJECTIVAL:
        head = cand.tok.head if cand.tok.dep_ in ("acomp", "attr") else cand.tok
        subj = sx.child(head, "nsubj", "nsubjpass") or sx.child(cand.tok, "nsubj", "nsubjpass") or sx.subject(head)
    elif cand.entry.kind == "noun":
        subj = _noun_actor_token(cand.tok)
    else:
        subj = sx.misattached_report(cand.tok, saying_verbs()) or sx.subject(cand.tok)
    if subj is None:
        implied = _implied_actor(cand, idx)
        return [implied] if implied else []
    pair = idx.pair_for(subj, f"subject '{subj.text}'")
    if pair:
        return pair
    listed = idx.compound_antecedent(subj, "subject") or idx.compound_antecedent(sx.child(subj, "poss"), "owner")
    if listed:
        return listed
    found = idx.actors_for(subj, f"subject '{subj.text}'" if cand.entry.kind != "noun" else f"'{subj.text}'")
    if not found:
        p = _pronoun_antecedent(subj, idx)
        if p is None:
            # "their forces", "its army": the owner pronoun points back to the actor
            poss = sx.child(subj, "poss")
            p = _pronoun_antecedent(poss, idx) if poss is not None else None
        if p:
            found = [p]
    return found


def _implied_actor(cand: Candidate, idx: DocIndex) -> ArgMatch | None:
    """'Protests erupted across the country': a nominal act that happens with nobody named is done by
    the group the noun implies (unnamed_actors.yaml implied_actors), when the story has one country."""
    tok = cand.tok
    ua = unnamed_actors()
    group = ua.implied_actors.get(sx.lemma(tok))
    if cand.entry.kind != "noun" or group is None or tok.dep_ != "nsubj":
        return None
    if sx.lemma(tok.head) not in ua.occurrence_verbs:
        return None
    return idx.local_group(tok, f"'{tok.text}' {tok.head.text}", implied=group)


def _noun_actor_token(tok):
    poss = sx.child(tok, "poss")
    if poss is not None:
        return poss
    for p, _, obj in sx.preps(tok):
        if p in ("by", "between"):
            # "talks between A and B", "fighting between the army and the RSF": both sides act
            return obj
    for c in sx.kids(tok):
        if c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "NORP", "ORG"):
            return c
    h = tok.head
    while h.pos_ == "ADP" and h.head.i != h.i:
        h = h.head
    # "Italy announced the expulsion of ...": the announcer is the actor; other governing verbs
    # ("made up for a trip") say nothing about who acted
    if h.pos_ in ("VERB", "AUX") and tok.dep_ in ("dobj", "nsubjpass") and sx.lemma(h) in NOUN_ACT_VERBS:
        return sx.subject(h)
    return None


def _mode(cand: Candidate, type_: str) -> tuple[str | None, str]:
    spec = cand.entry.spec
    mode = cand.entry.mode
    why = f"mode '{mode}' from the entry" if mode else ""
    if spec.get("mode_cues") or spec.get("mode_from_complement") or (mode is None and type_ in mode_cues()):
        scope = list(sx.subtree(cand.tok))
        if cand.entry.kind == "noun":
            scope.append(cand.tok.head)
        lemmas = {sx.lemma(t) for t in scope}
        lemmas |= {t.lower_ for t in scope}
        for m, words in mode_cues().get(type_, []):
            hit = lemmas & words
            if hit:
                return m, f"mode '{m}' from cue '{sorted(hit)[0]}'"
    return mode, why


def _clause_times(tok, idx: DocIndex) -> list[TimeExpression]:
    """Resolved times inside the predicate's own clause (memoised per token; callers only read it)."""
    key = ("clause_times", tok.i)
    got = idx.memo.get(key)
    if got is not None:
        return got
    valued = [tm for tm in idx.times if tm.value is not None]
    out = []
    if valued:
        offsets = sorted(t.idx for t in sx.clause_tokens(tok))
        for tm in valued:
            k = bisect.bisect_left(offsets, tm.start)
            if k < len(offsets) and offsets[k] < tm.end:
                out.append(tm)
    idx.memo[key] = out
    return out


def _attached_times(pred, sent, idx: DocIndex, own=()) -> list[TimeExpression]:
    """Times of the predicate's own clause that date the predicate itself, not a noun phrase in it."""
    out = []
    for tm in _clause_times(pred, idx):
        toks = [t for t in sent if tm.start <= t.idx < tm.end]
        root = sx.span_root(toks)
        if root is None or sx.dates_predicate(root, pred, own):
            out.append(tm)
    return out


def _present_tense(tok) -> bool:
    """Is the predicate in the present or present perfect ("objects", "has objected", "is willing")?"""
    verb = tok.head if tok.dep_ in ("acomp", "attr") or tok.pos_ == "ADJ" else tok
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return bool({w for w in sx.aux_words(verb)} & {"has", "have", "is", "are", "am", "'s", "'re", "'ve"})


def _far_before(tm: TimeExpression, ref: str) -> bool:
    """Does the time end well before the reference date (background history, not this story's news)?"""
    end = tm.end_date or tm.start_date
    try:
        return bool(end) and (date.fromisoformat(ref) - date.fromisoformat(end[:10])).days > HISTORY_DAYS
    except ValueError:
        return False


def _date(cand: Candidate, status: str, idx: DocIndex, ctx: _Context, speech, sent) -> tuple[TimeExpression | None, str]:
    pred = cand.report_verb if cand.entry.kind == "report" else cand.tok
    own = _attached_times(pred, sent, idx, cand.trigger_toks)
    if own:
        return own[0], f"date from '{own[0].text}' in the clause"
    if speech is not None and status == "occurred":
        st = _attached_times(speech, sent, idx)
        if st:
            return st[0], f"date from '{st[0].text}' of the report"
    ref = ctx.reference.isoformat() if ctx.reference else None
    if _has_anchor(sent, idx):
        if status == "occurred":
            return ctx.publication_time(), "anchored to the time of writing ('shortly before', 'now' ...)"
        return None, "no date"
    carried = ctx.time
    if carried is not None and ref and _far_before(carried, ref) and (
            _present_tense(pred) or (speech is not None and _present_tense(speech))):
        # "Russia annexed Crimea in 2014. ... Moscow is willing to talk": a present-tense clause is
        # back in the story's own time, not in the history told before it
        carried = None
    if carried is not None and carried.start_date and ref and ctx.paragraph - ctx.time_paragraph <= 1:
        if status == "occurred" and carried.start_date <= ref:
            return carried, f"date carried from '{carried.text}' earlier in the text"
        if status == "planned" and (carried.end_date or carried.start_date) >= ref:
            return carried, f"date carried from '{carried.text}' earlier in the text"
    if status == "occurred" and ctx.reference is not None:
        return ctx.publication_time(), "no time expression: publication date"
    return None, "no date"


def _sentence_text(sent, idx: DocIndex) -> str:
    """The sentence's text, sliced once from the doc's (``Span.text`` joins its tokens on every call)."""
    key = ("text", sent.start)
    got = idx.memo.get(key)
    if got is None:
        got = idx.memo[key] = doc_text(sent.doc)[sent.start_char:sent.end_char]
    return got


def _sentence_lower(sent, idx: DocIndex) -> str:
    key = ("lower", sent.start)
    got = idx.memo.get(key)
    if got is None:
        got = idx.memo[key] = _sentence_text(sent, idx).lower()
    return got


def _has_anchor(sent, idx: DocIndex) -> bool:
    key = ("anchor", sent.start)
    got = idx.memo.get(key)
    if got is None:
        low = " " + _sentence_lower(sent, idx) + " "
        got = idx.memo[key] = any(f" {a} " in low or f" {a}," in low for a in grammar()["anchor_adverbs"])
    return got


def _update_context(sent, idx: DocIndex, ctx: _Context, g) -> None:
    # only the main clause sets the narrative time: a date in a relative clause or an appositive
    # ("the deal, signed in July 2022, ...") is history about a noun, not when the story now is
    resolved = [t for t in _attached_times(sent.root, sent, idx) if t.value and t.start_date]
    if resolved:
        ctx.time = resolved[-1]
        ctx.time_paragraph = ctx.paragraph
    elif _has_anchor(sent, idx) and ctx.reference is not None:
        ctx.time = ctx.publication_time()
        ctx.time_paragraph = ctx.paragraph


def _content(cand: Candidate) -> frozenset[str]:
    """What the act is about: content words of the trigger's clause, without the trigger and actors."""
    toks = sx.clause_tokens(cand.tok) if cand.entry.kind != "noun" else sx.subtree(cand.tok)
    trigger_is = {x.i for x in cand.trigger_toks}
    return frozenset(
        sx.lemma(t) for t in toks
        if t.pos_ in ("NOUN", "VERB", "ADJ") and not t.is_stop and t.i not in trigger_is
        and t.ent_type_ not in ("GPE", "NORP", "PERSON", "ORG", "DATE", "TIME")
    )


def _sentence_words(sent, idx: DocIndex) -> set[str]:
    """Lower-cased lemmas and words of a sentence, read once from the doc's arrays."""
    key = ("words", sent.start)
    got = idx.memo.get(key)
    if got is None:
        a = token_attrs(sent.doc)
        got = idx.memo[key] = set(a.lemma[sent.start:sent.end]) | set(a.lower[sent.start:sent.end])
    return got


def _sentence_contexts(sent, idx: DocIndex) -> list[str]:
    """Context cues (contexts.yaml) the sentence's words or phrases hit, in file order; once per sentence."""
    key = ("contexts", sent.start)
    got = idx.memo.get(key)
    if got is None:
        lemmas = _sentence_words(sent, idx)
        low = _sentence_lower(sent, idx)
        got = idx.memo[key] = [
            ctx_name for ctx_name, words in context_cues()
            if lemmas & words or any(" " in w and w in low for w in words)
        ]
    return got


def _contexts(cand: Candidate, sent, idx: DocIndex) -> list[str]:
    out = list(cand.entry.spec.get("contexts", []))
    own = set(out)
    out += [c for c in _sentence_contexts(sent, idx) if c not in own]
    return out


def _apply_conventions(type_: str, mode: str | None, status: str, cond: str | None, refusal: bool,
                       options) -> tuple[str, str | None, str]:
    g = grammar()
    plover_future = bool(getattr(options, "future_as_agree", False))
    if cond == "unless" and type_ not in ("REQUEST", "THREATEN"):
        return "THREATEN", None, f"{type_} made conditional with 'unless' coded THREATEN (an ultimatum)"
    if cond and type_ in g["conflict_types"]:
        return "THREATEN", None, f"conditional {type_} coded THREATEN (PLOVER: conditional conflict is a threat)"
    if refusal and (type_ in g["cooperative_types"] or type_ == "AGREE"):
        return "REJECT", None, f"refused {type_} ('will not', 'does not') coded REJECT"
    if plover_future and status in ("planned", "hypothetical"):
        if type_ in g["cooperative_types"]:
            return "AGREE", None, f"future {type_} coded AGREE (PLOVER future convention, --future-as-agree)"
        if type_ in g["conflict_types"]:
            return "THREATEN", None, f"future {type_} coded THREATEN (PLOVER future convention, --future-as-agree)"
    return type_, mode, ""


def _build(cand: Candidate, si: int, sent, idx: DocIndex, ctx: _Context, analysis: Analysis, options,
           events: list[Event]) -> list[Event]:
    e = cand.entry
    actors = _actors(cand, idx)
    if e.kind == "noun" and not actors:
        return []  # a nominal trigger with nobody acting is a topic, not an event ("an upcoming visit")
    attribution, speech = (None, None)
    if e.kind != "report":
        attribution, speech = attribution_of(cand.tok, idx)
    else:
        speech = cand.report_verb
    if not actors and speech is not None and attribution is not None and attribution.country \
            and e.type in SPEAKER_ACTS:
        # "Saree said the attacks would not go unanswered": a statement whose clause names no party
        # is made by the one who says it
        actors = [ArgMatch(attribution, f"the speaker '{attribution.text}' makes the statement", cand.tok.i)]
    times = _clause_times(cand.tok, idx)
    status, status_why = status_of(cand.tok, times, ctx.reference, cand.report_verb)
    if e.kind == "report":
        status, status_why = status_of(cand.report_verb, _clause_times(cand.report_verb, idx), ctx.reference)
    elif e.spec.get("requires_future") and speech is not None:
        # "said it would take countermeasures": the future act is the threat's content; the threat itself
        # was made when it was said
        status, status_why = status_of(speech, _clause_times(speech, idx), ctx.reference)
        status_why = f"a threat made by '{speech.text}': {status_why}"
    type_, mode = e.type, None
    mode, mode_why = _mode(cand, type_)
    refusal = status == "negated" and bool(set(sx.aux_words(cand.tok)) & REFUSAL_AUX)
    type_, new_mode, conv_why = _apply_conventions(type_, mode, status, conditional(cand.tok), refusal, options)
    if conv_why:
        mode = new_mode
        if type_ in mode_cues():
            for m, words in mode_cues()[type_]:
                if {sx.lemma(t) for t in sx.subtree(cand.tok)} & words:
                    mode = m
                    break
    date_, date_why = _date(cand, status, idx, ctx, speech, sent)
    trigger_toks = cand.trigger_toks
    start = trigger_toks[0].idx
    end = trigger_toks[-1].idx + len(trigger_toks[-1].text)
    trigger = doc_text(cand.tok.doc)[start:end] if len(trigger_toks) <= 2 or end - start < 40 else \
        " ".join(t.text for t in trigger_toks)
    contexts = _contexts(cand, sent, idx)
    sc = scores(type_, mode)
    out = []
    actor_list: list[ArgMatch | None] = actors or [None]
    for n, am in enumerate(actor_list):
        actor = am.arg if am else None
        rec = recipient_of(cand, idx, events + out, actor)
        rec_arg = rec.arg if rec else None
        rec_how = rec.how if rec else "no recipient found"
        if rec is None and len(actor_list) > 1 and type_ in ("CONSULT", "AGREE", "COOPERATE", "SUPPORT"):
            other = actor_list[(n + 1) % len(actor_list)]
            rec_arg, rec_how = other.arg, "reciprocal: the other party of a compound subject"
        location, loc_why = event_location(cand, rec, idx)
        skip = not_recorded(cand, type_, mode, actor, rec_arg, location, speech is not None)
        if skip:
            log.debug("'%s' (%s) not recorded: %s", trigger, type_, skip)
            declined(cand.tok.doc)[si] = f"'{trigger}' ({type_}) not recorded: {skip}"
            continue
        explain = [
            f"trigger '{trigger}' matched entry '{e.id}' ({e.source}) -> {e.type}" + (f":{e.mode}" if e.mode else ""),
            f"actor: {am.how}" if am else "actor: none found",
            f"recipient: {rec_how}",
            f"status {status}: {status_why}",
            f"date: {date_why}",
        ]
        if mode_why:
            explain.append(mode_why)
        if conv_why:
            explain.append(conv_why)
        if loc_why:
            explain.append(f"location: {loc_why}")
        if attribution is not None:
            explain.append(f"attributed to '{attribution.text}'")
        out.append(Event(
            type=type_, mode=mode, status=status, sentence=_sentence_text(sent, idx), start=start, end=end,
            trigger=trigger,
            sentence_index=si, contexts=contexts, actor=actor, recipient=rec_arg, location=location,
            date=date_, attribution=attribution, score=sc.get("score"), quad_class=sc.get("quad"),
            cameo=sc.get("cameo"), goldstein=sc.get("goldstein"), explain="; ".join(explain),
            content=_content(cand),
        ))
    return out
