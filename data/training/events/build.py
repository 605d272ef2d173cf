"""Build the PLOVER event training corpus from templates and hand-written sentences.

Usage:
    python data/training/events/build.py            # writes train.jsonl, handwritten.jsonl, stats.json here
    python data/training/events/build.py --out DIR  # writes the same files into DIR (README untouched)

Inputs (all in this folder, all written for this corpus):
    fillers.yaml          countries, name forms per sector, IGOs/NGOs, generic slot lists
    templates/<TYPE>.txt  one template per line: "<mode|-> <status> | <template>"
    handwritten/*.txt     one sentence per line: "<TYPE[:mode]> <status> | <marked-up sentence>"

Template markup
    {A:GOV|MIL}    actor slot (labelled), a sector chosen among the listed ones
    {R:CVL=A}      recipient slot; "=A" same country as the actor, default is a different country
    {X:GOV}        an unlabelled third party (mediator, host), different country from A and R
    {PLACE=A}      a city of A's country; {CAP=A}, {COUNTRY=A}, {ADJ=A} likewise; {DL=A} a dateline
    {said}         a random entry of fillers.yaml lists.said (any list name works)
    <A:was|were>   verb agreeing in number with the A (or R) slot
    ((x|y|z))      a literal choice
    [T text]       the trigger span of the labelled event
    [O TYPE:mode text]  a secondary event in the same sentence (goes to "others")
Hand-written markup uses [A text|CTY|SEC], [R text|CTY|SEC], [T text] and [O TYPE:mode text]; CTY "-" = none.

The RNG is seeded per template from its name, so adding a template does not change the others' rows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import random
import re
import sys
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SEED = 20240607
STATUSES = {"occ": "occurred", "plan": "planned", "neg": "negated", "hyp": "hypothetical"}
# Minimum rows each type and each mode should get from templates alone; hand-written rows come on top.
TYPE_MIN_FROM_TEMPLATES = 230
MODE_MIN_FROM_TEMPLATES = 24
NONE_MIN_FROM_TEMPLATES = 260
MAX_ATTEMPTS = 60


class CorpusBuildError(Exception):
    """A template or hand-written line cannot be turned into a valid record."""


@dataclass
class Country:
    code: str
    name: str
    adj: str
    cap: str
    cities: list[str]
    continent: str
    rebels: list[str] = field(default_factory=list)


@dataclass
class Actor:
    text: str
    country: str | None
    sector: str
    plural: bool


@dataclass
class Fillers:
    countries: list[Country]
    persons: dict[str, list[str]]
    sector_forms: dict[str, list[str]]
    igos: list[dict]
    ngos: list[dict]
    lists: dict[str, list[str]]

    def by_code(self, code: str) -> Country:
        for c in self.countries:
            if c.code == code:
                return c
        raise KeyError(code)


def load_fillers(path: Path) -> Fillers:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    countries = [Country(**c) for c in raw["countries"]]
    return Fillers(countries, raw["persons"], raw["sector_forms"], raw["igos"], raw["ngos"], raw["lists"])


# --------------------------------------------------------------------------- actors

def _fill_form(form: str, c: Country, fl: Fillers, rng: random.Random) -> tuple[str, bool]:
    plural = form.endswith("+")
    form = form.rstrip("+")
    text = form.format(name=c.name, adj=c.adj, cap=c.cap, city=rng.choice(c.cities),
                       person=rng.choice(fl.persons[c.continent]))
    # "an {adj}" only reads right before a vowel sound; fix the article after filling.
    text = re.sub(r"\ban ([^AEIOUaeiou])", r"a \1", text)
    text = re.sub(r"\ba ([AEIOU])", r"an \1", text)
    return text, plural


def pick_actor(sector_key: str, fl: Fillers, rng: random.Random, country: str | None,
               avoid: set[str]) -> Actor | None:
    """Pick an actor of one sector; country=None means any country not in avoid."""
    sector = sector_key[:3]
    if sector_key == "CTRY":
        # A bare country name standing for its government ("visited Kenya").
        pool = [c for c in fl.countries if (c.code == country if country else c.code not in avoid)]
        if not pool:
            return None
        c = rng.choice(pool)
        return Actor(c.name, c.code, "GOV", False)
    if sector_key in ("IGO", "IGOM"):
        if country is not None:
            return None
        # IGOM: bodies that hold summits or ministerial meetings.
        e = rng.choice([i for i in fl.igos if sector_key == "IGO" or i.get("summit")])
        return Actor(e["text"], None, "IGO", e["plural"])
    if sector_key == "NGO" and country is None and rng.random() < 0.6:
        e = rng.choice(fl.ngos)
        return Actor(e["text"], None, "NGO", e["plural"])
    if sector_key == "REB":
        pool = [c for c in fl.countries if c.rebels]
    else:
        pool = list(fl.countries)
    if country is not None:
        pool = [c for c in pool if c.code == country]
    else:
        pool = [c for c in pool if c.code not in avoid]
    if not pool:
        return None
    c = rng.choice(pool)
    forms = c.rebels if sector_key == "REB" else fl.sector_forms[sector_key]
    text, plural = _fill_form(rng.choice(forms), c, fl, rng)
    return Actor(text, c.code, sector, plural)


# --------------------------------------------------------------------------- rendering

TOKEN = re.compile(r"\{[^{}]+\}|<[ARX]:[^<>|]+\|[^<>]+>|\(\([^()]*\)\)|\[T |\[O [A-Z]+(?::[a-z-]+)? |\]")


@dataclass
class Span:
    text: str
    start: int
    end: int


@dataclass
class Rendered:
    text: str
    actor: Actor | None
    actor_span: tuple[int, int] | None
    recipient: Actor | None
    recipient_span: tuple[int, int] | None
    trigger: tuple[int, int] | None
    others: list[tuple[str, str | None, int, int]]


class _Retry(Exception):
    """A slot constraint could not be met with the current random choices."""


def _strip_article(text: str, start: int, end: int) -> tuple[int, int]:
    # Spans name the entity, not its article: "the Kenyan army" -> "Kenyan army".
    for art in ("the ", "The "):
        if text[start:end].startswith(art) and end - start > len(art):
            return start + len(art), end
    return start, end


def render(template: str, fl: Fillers, rng: random.Random) -> Rendered:
    out: list[str] = []
    pos = 0
    actors: dict[str, Actor] = {}
    spans: dict[str, tuple[int, int]] = {}
    stack: list[tuple[str, int]] = []
    others: list[tuple[str, str | None, int, int]] = []
    trigger = None

    def emit(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    def country_of(ref: str) -> Country:
        a = actors.get(ref)
        if a is None or a.country is None:
            raise _Retry
        return fl.by_code(a.country)

    # Actors are picked before rendering so that {CAP=R} may precede the {R:...} slot.
    slots = [m.group(0)[1:-1] for m in TOKEN.finditer(template)
             if m.group(0).startswith("{") and m.group(0)[2:3] == ":" and m.group(0)[1] in "ARX"]
    for body in sorted(slots, key=lambda b: "ARX".index(b[0])):
        if True:
            spec = body[2:]
            same = None
            if "=" in spec:
                spec, same = spec.split("=")
            country = country_of(same).code if same else None
            avoid = {a.country for a in actors.values() if a.country} if same is None else set()
            actor = pick_actor(rng.choice(spec.split("|")), fl, rng, country, avoid)
            if actor is None:
                raise _Retry
            actors[body[0]] = actor

    i = 0
    for m in TOKEN.finditer(template):
        emit(template[i:m.start()])
        i = m.end()
        tok = m.group(0)
        if tok == "]":
            if not stack:
                raise CorpusBuildError(f"unbalanced ] in {template!r}")
            kind, start = stack.pop()
            if kind == "T":
                trigger = (start, pos)
            else:
                t, _, mode = kind[2:].partition(":")
                others.append((t, mode or None, start, pos))
        elif tok.startswith("[T"):
            stack.append(("T", pos))
        elif tok.startswith("[O"):
            stack.append(("O:" + tok[3:-1], pos))
        elif tok.startswith("(("):
            emit(rng.choice(tok[2:-2].split("|")))
        elif tok.startswith("<"):
            ref, _, forms = tok[1:-1].partition(":")
            sing, plur = forms.split("|")
            if ref not in actors:
                raise CorpusBuildError(f"agreement with unfilled slot in {template!r}")
            emit(plur if actors[ref].plural else sing)
        else:
            body = tok[1:-1]
            if body[:2] in ("A:", "R:", "X:"):
                ref = body[0]
                actor = actors[ref]
                start = pos
                emit(actor.text)
                spans[ref] = (start, pos)
            elif "=" in body:
                what, ref = body.split("=")
                c = country_of(ref)
                if what == "PLACE":
                    emit(rng.choice(c.cities))
                elif what == "CAP":
                    emit(c.cap)
                elif what == "COUNTRY":
                    emit(c.name)
                elif what == "ADJ":
                    emit(c.adj)
                elif what == "DL":
                    city = rng.choice([c.cap] + c.cities)
                    emit(f"{city.upper()}, {rng.choice(fl.lists['month'])} {rng.randint(1, 28)} — ")
                else:
                    raise CorpusBuildError(f"unknown slot {tok} in {template!r}")
            elif body in fl.lists:
                emit(rng.choice(fl.lists[body]))
            else:
                raise CorpusBuildError(f"unknown slot {tok} in {template!r}")
    emit(template[i:])
    if stack:
        raise CorpusBuildError(f"unclosed [ in {template!r}")
    text = "".join(out)
    if "  " in text:
        raise CorpusBuildError(f"double space in rendering of {template!r}")
    text = text[0].upper() + text[1:]
    a_span = _strip_article(text, *spans["A"]) if "A" in spans else None
    r_span = _strip_article(text, *spans["R"]) if "R" in spans else None
    return Rendered(text, actors.get("A"), a_span, actors.get("R"), r_span, trigger, others)


# --------------------------------------------------------------------------- records

def _span_dict(text: str, span: tuple[int, int]) -> dict:
    return {"text": text[span[0]:span[1]], "start": span[0], "end": span[1]}


def _actor_dict(text: str, actor: Actor | None, span: tuple[int, int] | None) -> dict | None:
    if actor is None or span is None:
        return None
    d = _span_dict(text, span)
    d.update({"country": actor.country, "sector": actor.sector})
    return d


def make_record(rid: str, text: str, etype: str, mode: str | None, status: str, actor: dict | None,
                recipient: dict | None, trigger: tuple[int, int] | None,
                others: list[tuple[str, str | None, int, int]], source: str) -> dict:
    return {
        "id": rid,
        "text": text,
        "type": etype,
        "mode": mode,
        "status": status,
        "actor": actor,
        "recipient": recipient,
        "trigger": _span_dict(text, trigger) if trigger else None,
        "others": [{"type": t, "mode": m, "trigger": _span_dict(text, (s, e))} for t, m, s, e in others],
        "source": source,
    }


@dataclass
class Template:
    etype: str
    mode: str | None
    status: str
    body: str
    name: str


LINE = re.compile(r"^(?P<mode>[a-z-]+|-)\s+(?P<status>occ|plan|neg|hyp)\s*\|\s*(?P<body>.+)$")


def load_templates(folder: Path) -> list[Template]:
    templates = []
    for path in sorted(folder.glob("*.txt")):
        etype = path.stem
        n = 0
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = LINE.match(line)
            if not m:
                raise CorpusBuildError(f"{path.name}:{lineno}: cannot parse template line")
            n += 1
            mode = None if m["mode"] == "-" else m["mode"]
            templates.append(Template(etype, mode, STATUSES[m["status"]], m["body"],
                                      f"{etype}.{mode or 'none'}.{n:02d}"))
    return templates


def _allocation(templates: list[Template]) -> dict[str, int]:
    """How many rows each template yields so every type and mode reaches its minimum."""
    by_type = Counter(t.etype for t in templates)
    by_mode = Counter((t.etype, t.mode) for t in templates)
    alloc = {}
    for t in templates:
        type_min = NONE_MIN_FROM_TEMPLATES if t.etype == "NONE" else TYPE_MIN_FROM_TEMPLATES
        k_type = math.ceil(type_min / by_type[t.etype])
        k_mode = math.ceil(MODE_MIN_FROM_TEMPLATES / by_mode[(t.etype, t.mode)]) if t.mode else 0
        alloc[t.name] = max(k_type, k_mode)
    return alloc


def build_template_records(templates: list[Template], fl: Fillers) -> list[dict]:
    records = []
    seen: set[str] = set()
    alloc = _allocation(templates)
    for t in templates:
        rng = random.Random(SEED ^ zlib.crc32(t.name.encode()))
        made = 0
        attempts = 0
        while made < alloc[t.name] and attempts < alloc[t.name] * MAX_ATTEMPTS:
            attempts += 1
            try:
                r = render(t.body, fl, rng)
            except _Retry:
                continue
            if r.text in seen:
                continue
            seen.add(r.text)
            if t.etype != "NONE" and r.trigger is None:
                raise CorpusBuildError(f"template {t.name} has no [T ...] trigger")
            made += 1
            records.append(make_record(
                f"tp-{t.name}-{made:02d}", r.text, t.etype, t.mode, t.status,
                _actor_dict(r.text, r.actor, r.actor_span), _actor_dict(r.text, r.recipient, r.recipient_span),
                r.trigger, r.others, f"template:{t.name}"))
        if made < alloc[t.name]:
            logger.warning("template %s yielded %d of %d rows", t.name, made, alloc[t.name])
    return records


HW_LINE = re.compile(r"^(?P<type>[A-Z]+)(?::(?P<mode>[a-z-]+))?\s+(?P<status>occ|plan|neg|hyp)\s*\|\s*(?P<body>.+)$")
HW_TOKEN = re.compile(r"\[(?P<kind>[ART]|O [A-Z]+(?::[a-z-]+)?) (?P<inner>[^\[\]]+)\]")


def parse_handwritten_line(line: str, rid: str, where: str) -> dict:
    m = HW_LINE.match(line)
    if not m:
        raise CorpusBuildError(f"{where}: cannot parse hand-written line")
    body = m["body"]
    out: list[str] = []
    pos = 0
    i = 0
    ents: dict[str, dict] = {}
    trigger = None
    others = []
    for t in HW_TOKEN.finditer(body):
        chunk = body[i:t.start()]
        out.append(chunk)
        pos += len(chunk)
        i = t.end()
        kind, inner = t["kind"], t["inner"]
        if kind in ("A", "R"):
            parts = inner.split("|")
            if len(parts) != 3:
                raise CorpusBuildError(f"{where}: actor markup needs text|CTY|SEC: {inner!r}")
            txt, cty, sec = parts
            ents[kind] = {"text": txt, "start": pos, "end": pos + len(txt),
                          "country": None if cty == "-" else cty, "sector": sec}
            out.append(txt)
            pos += len(txt)
        else:
            if kind == "T":
                if trigger is not None:
                    raise CorpusBuildError(f"{where}: more than one [T ...] trigger")
                trigger = (pos, pos + len(inner))
            else:
                typ, _, mode = kind[2:].partition(":")
                others.append((typ, mode or None, pos, pos + len(inner)))
            out.append(inner)
            pos += len(inner)
    out.append(body[i:])
    text = "".join(out)
    if "[" in text or "]" in text:
        raise CorpusBuildError(f"{where}: stray bracket after parsing")
    if m["type"] != "NONE" and trigger is None:
        raise CorpusBuildError(f"{where}: no [T ...] trigger")
    return make_record(rid, text, m["type"], m["mode"], STATUSES[m["status"]], ents.get("A"), ents.get("R"),
                       trigger, others, "handwritten")


def load_handwritten(folder: Path) -> list[dict]:
    records = []
    for path in sorted(folder.glob("*.txt")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            records.append(parse_handwritten_line(line, f"hw-{len(records) + 1:04d}", f"{path.name}:{lineno}"))
    return records


# --------------------------------------------------------------------------- stats and output

def corpus_stats(records: list[dict], fl: Fillers) -> dict:
    continent = {c.code: c.continent for c in fl.countries}
    stats: dict[str, Counter] = {k: Counter() for k in
                                 ("type", "mode", "status", "source", "continent", "sector")}
    for r in records:
        stats["type"][r["type"]] += 1
        if r["mode"]:
            stats["mode"][f"{r['type']}:{r['mode']}"] += 1
        stats["status"][r["status"]] += 1
        stats["source"]["handwritten" if r["source"] == "handwritten" else "template"] += 1
        for role in ("actor", "recipient"):
            a = r[role]
            if a:
                cont = continent.get(a["country"], "none (IGO/NGO)" if a["country"] is None else "other")
                stats["continent"][cont] += 1
                stats["sector"][a["sector"]] += 1
    return {k: dict(sorted(v.items())) for k, v in stats.items()} | {"total": len(records)}


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _table(counts: dict, head: str) -> str:
    rows = [f"| {head} | rows |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in counts.items()]
    return "\n".join(rows)


def update_readme(readme: Path, stats: dict, sha: str) -> None:
    if not readme.exists():
        return
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    if start not in text:
        return
    block = "\n\n".join([
        f"Total rows: **{stats['total']}** ({stats['source'].get('handwritten', 0)} hand-written, "
        f"{stats['source'].get('template', 0)} from templates).\n\nsha256 of `train.jsonl`: `{sha}`",
        _table(stats["type"], "type"), _table(stats["status"], "status"),
        _table(stats["continent"], "continent (actor+recipient mentions)"),
        _table(stats["sector"], "sector (actor+recipient mentions)"), _table(stats["mode"], "type:mode")])
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    readme.write_text(f"{head}{start}\n{block}\n{end}{tail}", encoding="utf-8")


def build(out_dir: Path) -> dict:
    fl = load_fillers(HERE / "fillers.yaml")
    hand = load_handwritten(HERE / "handwritten")
    templ = build_template_records(load_templates(HERE / "templates"), fl)
    records = hand + templ
    train = _jsonl(records)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "train.jsonl").write_text(train, encoding="utf-8")
    (out_dir / "handwritten.jsonl").write_text(_jsonl(hand), encoding="utf-8")
    stats = corpus_stats(records, fl)
    sha = hashlib.sha256(train.encode("utf-8")).hexdigest()
    stats["sha256"] = sha
    (out_dir / "stats.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    if out_dir.resolve() == HERE:
        update_readme(HERE / "README.md", stats, sha)
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: this folder)")
    args = ap.parse_args(argv)
    stats = build(args.out)
    print(f"{stats['total']} rows, sha256 {stats['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
