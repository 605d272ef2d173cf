"""From syntax to arguments: which resolved actor, place and time a token stands for."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..models import Analysis, EntityMention, EventArgument, Place, TimeExpression
from . import syntax as sx

ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}


@dataclass
class ArgMatch:
    arg: EventArgument
    how: str  # the rule that found it (for explain)
    token_i: int
    mention: EntityMention | None = None

    @property
    def key(self) -> tuple:
        return (self.arg.country, self.arg.name)


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
        return EventArgument(text=m.text, name=a.name, country=a.country, sector=sector, role=a.role, id=a.id,
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
        inner = self._inner_actor(tok, how, sx.np_tokens(tok)) or self._inner_actor(
            tok, how, [t for t in sx.subtree(tok) if not any(a.dep_ == "relcl" for a in [t, *sx.governors(t)][:1])])
        if head_match is not None:
            if inner is not None and inner.arg.country:
                # "Iraqi Kurds", "Iraq's al-Qaeda frontman": the group named by the head takes the country
                # the phrase gives it
                head_match.arg.country = inner.arg.country
                head_match.how += f" (country from '{inner.arg.text}')"
            return head_match
        return inner

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
        out = []
        for c in sx.conjuncts(tok):
            a = self.actor_for(c, how)
            if a and all(a.key != b.key for b in out):
                out.append(a)
        return out

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
