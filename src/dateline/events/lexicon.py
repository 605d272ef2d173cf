"""The trigger lexicon: reviewable YAML under data/events/, indexed by lemma.

Each entry keeps the file it came from so ``explain`` can point a user to the
exact line of data that coded an event (see data/events/lexicon/README.md).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from ..errors import DatelineError
from ..resources import data_path, load_yaml

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

# Keys an entry may carry; anything else is a typo in the data and fails loudly.
KNOWN_KEYS = {
    "id", "verbs", "nouns", "adjectives", "particle", "particle_optional", "objects", "objects_not",
    "object_kinds", "object_required", "object_modifiers", "prep", "prep_objects", "prep_places", "xcomp",
    "xcomp_lemmas", "embeds", "recipient", "mode", "mode_cues", "mode_from_complement", "destination",
    "priority", "intransitive", "requires_civilian_subject", "requires_no_civilian_subject",
    "requires_armed_subject", "requires_court", "requires_partner", "conflict_complement",
    "requires_conflict_complement", "ccomp_wrongdoing", "wrongdoing_in_report", "requires_target",
    "without_target", "requires_compound", "requires_civilian_context", "requires_verbs_of_creation",
    "requires_harm_verb", "contexts", "obligation_in_report", "requires_words", "forbids_words",
    "requires_future", "requires_recipient", "dismissal_in_report", "object_sectors",
}

# Entry keys that make an entry fire on the verb of a reported clause rather than on a lemma
REPORT_KEYS = ("wrongdoing_in_report", "obligation_in_report", "dismissal_in_report")


@dataclass(frozen=True)
class Entry:
    """One trigger pattern."""

    id: str
    type: str
    file: str
    kind: str  # verb | noun | adjective | report
    lemmas: frozenset[str]
    mode: str | None
    recipient: tuple[str, ...]
    priority: int
    spec: dict[str, Any] = field(hash=False, compare=False)

    def words(self, key: str) -> frozenset[str]:
        """A constraint's word list, with @classes expanded."""
        return self._expanded().get(key, frozenset())

    @functools.cache
    def _expanded(self) -> dict[str, frozenset[str]]:
        out = {}
        for key in ("particle", "particle_optional", "objects", "objects_not", "object_kinds", "prep",
                    "prep_objects", "prep_places", "xcomp_lemmas", "object_modifiers", "requires_compound"):
            val = self.spec.get(key)
            if val is None:
                continue
            out[key] = frozenset(expand_words(val if isinstance(val, list) else [val]))
        return out

    @property
    def label(self) -> str:
        return f"{self.type.lower()}.{self.id}"

    @property
    def source(self) -> str:
        return f"data/events/lexicon/{self.file}"


def expand_words(words: list[str]) -> list[str]:
    classes = word_classes()
    out: list[str] = []
    for w in words:
        if isinstance(w, bool):
            # YAML 1.1 reads bare on/off/yes/no as booleans: the data file must quote them
            raise DatelineError(f"lexicon word list holds a boolean ({w}); quote words like 'on' and 'off'")
        if isinstance(w, str) and w.startswith("@"):
            name = w[1:]
            if name not in classes:
                raise DatelineError(f"lexicon refers to unknown word class @{name} (data/events/classes.yaml)")
            out.extend(classes[name])
        else:
            out.append(str(w).lower())
    return out


@functools.cache
def word_classes() -> dict[str, list[str]]:
    return {k: [str(w).lower() for w in v] for k, v in load_yaml("events", "classes.yaml").items()}


@functools.cache
def grammar() -> dict[str, frozenset[str]]:
    out = {}
    for k, v in load_yaml("events", "grammar.yaml").items():
        if any(isinstance(w, bool) for w in v):
            raise DatelineError(f"grammar.yaml: {k} holds a boolean; quote words like 'no' and 'on'")
        # type lists keep PLOVER's upper case; word lists are matched in lower case
        out[k] = frozenset(str(w) if k.endswith("_types") else str(w).lower() for w in v)
    return out


@functools.cache
def mode_cues() -> dict[str, list[tuple[str, frozenset[str]]]]:
    raw = load_yaml("events", "modes.yaml")
    return {t: [(mode, frozenset(words)) for mode, words in modes.items()] for t, modes in raw.items()}


@functools.cache
def context_cues() -> list[tuple[str, frozenset[str]]]:
    return [(ctx, frozenset(words)) for ctx, words in load_yaml("events", "contexts.yaml").items()]


@dataclass
class Lexicon:
    verbs: dict[str, list[Entry]]
    nouns: dict[str, list[Entry]]
    adjectives: dict[str, list[Entry]]
    reports: list[Entry]
    entries: list[Entry]

    def __len__(self) -> int:
        return len(self.entries)


def _entry(type_: str, file: str, kind: str, spec: dict) -> Entry:
    unknown = set(spec) - KNOWN_KEYS
    if unknown:
        raise DatelineError(f"{file}: entry {spec.get('id')!r} has unknown keys {sorted(unknown)}")
    if kind == "verb" and "adjectives" in spec:
        kind, lemmas = "adjective", spec["adjectives"]
    elif kind == "verb" and any(spec.get(k) for k in REPORT_KEYS):
        kind, lemmas = "report", []
    else:
        lemmas = spec.get("verbs" if kind == "verb" else "nouns", [])
    rec = spec.get("recipient", ["dobj", "obj_owner", "prep:with", "prep:to", "prep:against", "prep:on"])
    return Entry(
        id=spec["id"], type=type_, file=file, kind=kind,
        lemmas=frozenset(str(x).lower() for x in lemmas),
        mode=spec.get("mode"), recipient=tuple(rec), priority=int(spec.get("priority", 1)), spec=spec,
    )


@functools.cache
def load_lexicon() -> Lexicon:
    folder = data_path("events", "lexicon")
    verbs: dict[str, list[Entry]] = {}
    nouns: dict[str, list[Entry]] = {}
    adjectives: dict[str, list[Entry]] = {}
    reports: list[Entry] = []
    entries: list[Entry] = []
    for path in sorted(folder.glob("*.yaml")):
        doc = load_yaml("events", "lexicon", path.name)
        type_ = doc.get("type")
        if type_ not in PLOVER_TYPES:
            raise DatelineError(f"{path.name}: unknown PLOVER type {type_!r}")
        seen: set[str] = set()
        for kind, key in (("verb", "verbs"), ("noun", "nouns")):
            for spec in doc.get(key) or []:
                if spec["id"] in seen:
                    raise DatelineError(f"{path.name}: duplicate entry id {spec['id']!r}")
                seen.add(spec["id"])
                e = _entry(type_, path.name, kind, spec)
                entries.append(e)
                target = {"verb": verbs, "noun": nouns, "adjective": adjectives}.get(e.kind)
                if e.kind == "report":
                    reports.append(e)
                    continue
                for lemma in e.lemmas:
                    target.setdefault(lemma, []).append(e)
    return Lexicon(verbs, nouns, adjectives, reports, entries)


@functools.cache
def plover_table() -> dict[str, Any]:
    return load_yaml("events", "plover.yaml")


def scores(type_: str, mode: str | None) -> dict[str, Any]:
    """PLOVER score, quad class, CAMEO code and Goldstein value for a type:mode."""
    table = plover_table()
    base = dict(table["types"][type_])
    if mode:
        base.update(table.get("modes", {}).get(type_, {}).get(mode, {}))
    return base
