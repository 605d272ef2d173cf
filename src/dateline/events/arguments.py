"""From syntax to arguments: which resolved actor, place and time a token stands for."""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DatelineError
from ..models import Analysis, EntityMention, EventArgument, Place, TimeExpression
from ..nlp import doc_text
from ..resources import load_yaml
from . import syntax as sx
from .lexicon import grammar

if TYPE_CHECKING:  # match.py imports this module
    from .match import Candidate

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
LOCATION_PREPS = {"in", "at", "over", "off", "near", "on", "across", "along", "into", "inside", "outside", "around"}
PAIR_KINDS = {"person", "any"}


@dataclass(frozen=True)
class UnnamedActors:
    """data/events/lexicon/arguments/unnamed_actors.yaml: actors named by a common noun."""

    local_groups: dict[str, str]  # head phrase -> PLOVER sector
    pair_heads: dict[str, str]  # head lemma -> "person" | "any"
    pair_words: frozenset[str]
    implied_actors: dict[str, str]  # nominal trigger lemma -> local_groups key
    occurrence_verbs: frozenset[str]


@functools.cache
def unnamed_actors() -> UnnamedActors:
    raw = load_yaml("events", "lexicon", "arguments", "unnamed_actors.yaml")
    try:
        groups = {str(k).lower(): str(v) for k, v in raw["local_groups"].items()}
        pairs = {str(k).lower(): str(v) for k, v in raw["pair_heads"].items()}
        words = frozenset(str(w).lower() for w in raw["pair_words"])
        implied = {str(k).lower(): str(v).lower() for k, v in raw["implied_actors"].items()}
        occurs = frozenset(str(w).lower() for w in raw["occurrence_verbs"])
    except (KeyError, AttributeError, TypeError) as exc:
        raise DatelineError(f"unnamed_actors.yaml: missing or malformed section ({exc})") from exc
    bad = sorted(k for k, v in pairs.items() if v not in PAIR_KINDS)
    if bad:
        raise DatelineError(f"unnamed_actors.yaml: pair_heads {bad} must be one of {sorted(PAIR_KINDS)}")
    missing = sorted(v for v in implied.values() if v not in groups)
    if missing:
        raise DatelineError(f"unnamed_actors.yaml: implied_actors name groups not in local_groups: {missing}")
    return UnnamedActors(groups, pairs, words, implied, occurs)


@dataclass
class ArgMatch:
    arg: EventArgument
    how: str  # the rule that found it (for explain)
    token_i: int
    mention: EntityMention | None = None

    @property
    def key(self) -> tuple:
        return (self.arg.country, self.arg.name)


# a tie between scene countries is broken by a place named within the first sentences of the story
OPENING_SENTENCES = 1

# heads that only count or gather the group in their 'of' phrase ("thousands of protesters")
COUNT_HEADS = {"thousand", "hundred", "dozen", "score", "million", "crowd", "group", "number", "band", "throng",
               "mob", "busload", "handful"}


def _in_clause_below(t, top) -> bool:
    """Is ``t`` inside a relative clause of the phrase ``top`` ("the man who met Putin")? Such a clause says
    something else about the phrase; its parties are not it. (A participle, "drones fired by the Houthis",
    does name whose the thing is.)"""
    x = t
    while x.i != top.i and x.head.i != x.i:
        if x.dep_ in CLAUSE_DEPS:
            return True
        x = x.head
    return False


def _past_governor(t, top) -> bool:
    """A token of a phrase that comes after the verb the phrase is the subject of is the parser stretching
    the phrase over the clause ("Hundreds ... rallied in Niamey, some waving Russian flags")."""
    h = top.head
    return top.i < h.i < t.i


# dependents that open a clause about a noun phrase rather than part of it
CLAUSE_DEPS = {"relcl"}


# pronouns that can stand for a list of parties
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "we", "our"})


class DocIndex:
    """Char-offset lookups from tokens to an analysis' mentions, places and times."""

    def __init__(self, doc, analysis: Analysis):
        self.doc = doc
        self.analysis = analysis
        self.mentions = sorted(
            [m for m in analysis.entities if m.actor is not None or m.coref_of is not None],
            key=lambda m: m.start,
        )
        self._m_starts = [m.start for m in self.mentions]
        self.places = sorted(analysis.places, key=lambda p: p.start)
        self._p_starts = [p.start for p in self.places]
        self.times = sorted(analysis.times, key=lambda t: t.start)
        self._by_index = analysis.entities
        # per-doc results the coder asks for more than once (sentence text, clause times ...)
        self.memo: dict = {}

    # -- lookups --------------------------------------------------------------
    def mention_at(self, tok) -> EntityMention | None:
        pos = tok.idx
        i = bisect.bisect_right(self._m_starts, pos) - 1
        while i >= 0:
            m = self.mentions[i]
            if m.start <= pos < m.end:
                return m
            if m.end <= pos and pos - m.start > 200:
                break
            i -= 1
        return None

    def place_at(self, tok) -> Place | None:
        pos = tok.idx
        i = bisect.bisect_right(self._p_starts, pos) - 1
        if i >= 0 and self.places[i].start <= pos < self.places[i].end:
            return self.places[i]
        return None

    def resolved_actor(self, m: EntityMention):
        seen = 0
        while m is not None and m.actor is None and m.coref_of is not None and seen < 10:
            m = self._by_index[m.coref_of] if 0 <= m.coref_of < len(self._by_index) else None
            seen += 1
        return m.actor if m is not None else None

    def argument(self, m: EntityMention) -> EventArgument | None:
        a = self.resolved_actor(m)
        if a is None:
            return None
        sector = a.sector
        if sector is None and a.kind == "country":
            sector = "GOV"  # a state named as an actor acts through its government (PLOVER convention)
        country = a.country
        if country is None and a.kind == "person" and sector in (None, "CVL"):
            # a private person of unknown nationality (a suspect, a victim) is a local of the story's
            # scene; office holders and IGO staff keep no country
            country = self.article_scene()
        return EventArgument(text=m.text, name=a.name, country=country, sector=sector, role=a.role, id=a.id,
                             start=m.start, end=m.end)

    def actor_for(self, tok, how: str) -> ArgMatch | None:
        """The actor a noun phrase headed by ``tok`` names: its own mention, else the nearest inside it."""
        if tok is None:
            return None
        m = self.mention_at(tok)
        head_match = None
        if m is not None:
            arg = self.argument(m)
            if arg is not None:
                head_match = ArgMatch(arg, how, tok.i, m)
                if arg.country or arg.sector == "IGO":
                    return head_match
        poss = sx.child(tok, "poss")
        owner = self._inner_actor(tok, how, sx.conjuncts(poss)) if poss is not None else None
        # "Israel's air strikes on Gaza": the owner names who acts, whatever else is nearer the head
        phrase = [t for t in sx.np_tokens(tok) if not _past_governor(t, tok)]
        inner = owner or self._inner_actor(tok, how, phrase) or self._inner_actor(
            tok, how, [t for t in sx.subtree(tok) if not _in_clause_below(t, tok) and not _past_governor(t, tok)])
        if head_match is not None:
            if inner is not None and inner.arg.country:
                # "Iraqi Kurds", "Iraq's al-Qaeda frontman": the group named by the head takes the country
                # the phrase gives it
                head_match.arg.country = inner.arg.country
                head_match.how += f" (country from '{inner.arg.text}')"
            return head_match
        return inner or self.surname_link(tok, how) or self.local_group(tok, how) or self._counted_group(tok, how)

    def _counted_group(self, tok, how: str) -> ArgMatch | None:
        """'Thousands of protesters', 'a crowd of students': the count's 'of' object is the group that acts."""
        if tok is None or not (tok.pos_ == "NUM" or sx.lemma(tok) in COUNT_HEADS):
            return None
        for obj in sx.prep_objects(tok, {"of"}):
            found = self.local_group(obj, how)
            if found is not None:
                return found
        return None

    def surname_link(self, tok, how: str) -> ArgMatch | None:
        """A bare surname the parser did not tag ('Tsai thanked Pelosi'): the person named in full
        earlier in the text whose name ends with it."""
        if tok is None or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or self.mention_at(tok) is not None:
            return None
        for m in reversed(self.mentions):
            if m.start >= tok.idx:
                continue
            a = self.resolved_actor(m)
            if a is None or a.kind != "person" or " " not in m.text.strip():
                continue
            if m.text.split()[-1] == tok.text:
                arg = self.argument(m)
                if arg is None:
                    return None
                arg.text, arg.start, arg.end = tok.text, tok.idx, tok.idx + len(tok.text)
                return ArgMatch(arg, f"{how}: surname '{tok.text}' -> earlier '{m.text}'", tok.i, m)
        return None

    # -- actors named by a common noun ------------------------------------------------
    def scene_country(self, tok) -> str | None:
        """Where the story happens: a place named in the token's sentence, else the country most of
        the article's places are in."""
        sent = tok.sent
        for p in self.places:
            if p.country and sent.start_char <= p.start < sent.end_char:
                return p.country
        return self.article_scene()

    def article_scene(self) -> str | None:
        """The country most of the article's places are in; on a tie, the tied country named first (a
        story opens where it happens: "NIAMEY —"), when it is named in the opening paragraph."""
        key = ("scene_country",)
        if key not in self.memo:
            counts = Counter(p.country for p in self.places if p.country)
            top = counts.most_common()
            scene = None
            if top and (len(top) == 1 or top[0][1] > top[1][1]):
                scene = top[0][0]
            elif top:
                tied = {c for c, n in top if n == top[0][1]}
                first = next((p for p in self.places if p.country), None)
                if first is not None and first.country in tied and first.sentence <= OPENING_SENTENCES:
                    scene = first.country
            self.memo[key] = scene
        return self.memo[key]

    def local_group(self, tok, how: str, implied: str | None = None) -> ArgMatch | None:
        """'Police arrested ...', 'protesters stormed ...': a group with no nationality in the phrase
        acts where the story happens (unnamed_actors.yaml local_groups). ``implied`` names the group
        a nominal trigger implies ('protests erupted': protesters) instead of the phrase's head."""
        if tok is None or tok.pos_ not in ("NOUN", "PROPN"):
            return None
        groups = unnamed_actors().local_groups
        mod = sx.child(tok, "compound", "amod")
        phrase = f"{mod.lower_} {sx.lemma(tok)}" if mod is not None else ""
        key = implied or (phrase if phrase in groups else sx.lemma(tok) if sx.lemma(tok) in groups else None)
        if key is None:
            return None
        country = self.scene_country(tok)
        if country is None:
            return None
        toks = sx.np_tokens(tok)
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        text = f"({key}s implied by '{tok.text}')" if implied else doc_text(tok.doc)[start:end]
        arg = EventArgument(text=text, name=f"{key} ({country})", country=country,
                            sector=groups[key], start=start, end=end)
        return ArgMatch(arg, f"{how}: unnamed '{key}' placed in the story's country {country}", tok.i)

    def pair_for(self, tok, how: str) -> list[ArgMatch]:
        """'the two leaders', 'both sides': the latest two actors of different countries named before."""
        if tok is None:
            return []
        ua = unnamed_actors()
        want = ua.pair_heads.get(sx.lemma(tok))
        if want is None or not any(c.lower_ in ua.pair_words for c in sx.kids(tok)):
            return []
        out: list[ArgMatch] = []
        for m in reversed(self.mentions):
            if m.start >= tok.idx:
                continue
            a = self.resolved_actor(m)
            if a is None or not a.country or (want == "person" and a.kind != "person"):
                continue
            if any(o.arg.country == a.country for o in out):
                continue
            arg = self.argument(m)
            if arg is None:
                continue
            out.append(ArgMatch(arg, f"{how}: '{tok.text}' -> earlier '{m.text}'", tok.i, m))
            if len(out) == 2:
                return out[::-1]
        return []

    def _inner_actor(self, tok, how: str, tokens) -> ArgMatch | None:
        best = None
        for t in tokens:
            if t.i == tok.i:
                continue
            m = self.mention_at(t)
            if m is None:
                continue
            arg = self.argument(m)
            if arg is None:
                continue
            dist = abs(t.i - tok.i)
            if best is None or dist < best[0]:
                best = (dist, ArgMatch(arg, how + " (inside the phrase)", t.i, m))
        return best[1] if best else None

    def actors_for(self, tok, how: str) -> list[ArgMatch]:
        """Several actors for a coordinated phrase ('the US and China')."""
        heads = sx.conjuncts(tok)
        if len(heads) == 1 and tok is not None and self.mention_at(tok) is None:
            # "the foreign ministers of Britain, France and Germany": each country the 'of' list names acts
            for obj in sx.prep_objects(tok, {"of"}):
                if len(sx.conjuncts(obj)) > 1:
                    heads = sx.conjuncts(obj)
                    how += f" (the '{tok.text} of' list)"
                    break
        out = []
        for c in heads:
            a = self.actor_for(c, how)
            if a and all(a.key != b.key for b in out):
                out.append(a)
        return out

    def compound_antecedent(self, tok, how: str) -> list[ArgMatch]:
        """'Britain, France and Germany said ... that they condemned ...': a plural pronoun under a verb
        whose subject lists several parties stands for all of them; a sentence-initial 'They' for the list
        that opened the sentence before. Empty when no such list is found (coreference then decides)."""
        if tok is None or tok.lower_ not in PLURAL_PRONOUNS:
            return []
        subjects = [sx.subject(v) for v in sx.governors(tok) if v.pos_ in ("VERB", "AUX")]
        if tok.i == tok.sent.start and tok.sent.start > 0:
            prev = self.doc[tok.sent.start - 1].sent.root
            subjects.append(sx.subject(prev))
        for subj in subjects:
            if subj is None or subj.i == tok.i or len(sx.conjuncts(subj)) < 2:
                continue
            found = self.actors_for(subj, f"{how}: '{tok.text}' -> the parties '{subj.text}' lists")
            if len(found) > 1:
                return found
        return []

    def owner_in(self, tok, how: str) -> ArgMatch | None:
        """An actor inside an object phrase: 'a Chinese spy balloon' -> China; 'two Russian diplomats' -> Russia."""
        if tok is None:
            return None
        for t in sx.np_tokens(tok):
            m = self.mention_at(t)
            if m is None:
                continue
            arg = self.argument(m)
            if arg is not None and arg.country:
                return ArgMatch(arg, how, t.i, m)
        return None

    def place_for(self, tok) -> Place | None:
        """A place named by a phrase (its head or any token of it)."""
        if tok is None:
            return None
        p = self.place_at(tok)
        if p is not None:
            return p
        for t in sx.np_tokens(tok):
            p = self.place_at(t)
            if p is not None:
                return p
        return None

    def times_in(self, start: int, end: int) -> list[TimeExpression]:
        return [t for t in self.times if start <= t.start < end]

    def time_at(self, tok) -> TimeExpression | None:
        for t in self.times:
            if t.start <= tok.idx < t.end:
                return t
        return None


# -- an event's speaker and place (used by the coder) -----------------------------

def attribution_of(tok, idx: DocIndex, report_verb=None) -> tuple[EventArgument | None, object | None]:
    g = grammar()
    speech = report_verb
    if speech is None:
        x = tok
        while x.head.i != x.i:
            if x.dep_ in ("ccomp", "parataxis") and sx.lemma(x.head) in g["speech_verbs"]:
                speech = x.head
                break
            if x.dep_ in ("relcl", "advcl", "acl"):
                break
            x = x.head
        if speech is None:
            # "X did Y, officials said": the speech verb hangs off the event's clause
            for c in sx.kids(tok):
                if c.dep_ in ("parataxis", "ccomp", "advcl") and sx.lemma(c) in g["speech_verbs"] and c.i > tok.i \
                        and not purpose_infinitive(c):
                    speech = c
                    break
    if speech is None:
        for p, _, obj in sx.preps(tok):
            if p == "according":
                inner = sx.child(obj, "pobj") or obj
                a = idx.actor_for(inner, "according to")
                if a:
                    return a.arg, None
        return None, None
    s = sx.subject(speech)
    if s is None:
        return None, speech
    a = idx.actor_for(s, "speaker")
    if a:
        return a.arg, speech
    return EventArgument(text=" ".join(t.text for t in sx.np_tokens(s))), speech


def purpose_infinitive(tok) -> bool:
    """"... to assert freedom of navigation": an infinitive of purpose is not a speaker's report."""
    return tok.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in sx.kids(tok))


def event_location(cand: Candidate, recipient: ArgMatch | None, idx: DocIndex) -> tuple[Place | None, str]:
    tok = cand.tok
    if cand.entry.spec.get("destination"):
        dest_tok = cand.matched_prep
        if dest_tok is None:
            obj = sx.direct_object(tok)
            for t in ([obj] if obj is not None else []) + sx.prep_objects(tok, {"to", "for", "in"}):
                dest_tok = t
                if cand.entry.kind != "noun" and obj is not None and t.i == obj.i:
                    for o2 in sx.prep_objects(obj, {"to"}):
                        dest_tok = o2
                break
        p = idx.place_for(dest_tok) if dest_tok is not None else None
        if p is not None:
            return p, f"destination '{p.text}'"
    scopes = [tok] + ([sx.direct_object(tok)] if sx.direct_object(tok) is not None else [])
    for scope in scopes:
        for p, _, obj in sx.preps(scope):
            if p not in LOCATION_PREPS:
                continue
            place = idx.place_for(obj)
            if place is not None:
                return place, f"'{p} {place.text}'"
            relative = relative_place(p, obj, idx)
            if relative is not None:
                return relative, f"'{relative.text}' (relative location)"
    return None, ""


def relative_place(prep: str, obj, idx: DocIndex) -> Place | None:
    """'off the American coast' -> a place in the USA (coast, border, waters of a country)."""
    if sx.lemma(obj) not in ("coast", "shore", "waters", "water", "border", "island", "capital", "territory"):
        return None
    owner = idx.owner_in(obj, "owner")
    if owner is None or not owner.arg.country:
        return None
    toks = sx.np_tokens(obj)
    start = toks[0].idx
    end = toks[-1].idx + len(toks[-1].text)
    text = f"{prep} {doc_text(obj.doc)[start:end]}"
    prep_tok = obj.head
    return Place(text=text, start=prep_tok.idx, end=end, name=text, country=owner.arg.country,
                 feature=sx.lemma(obj))
