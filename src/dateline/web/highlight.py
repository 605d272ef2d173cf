"""Split an article's text into plain and highlighted segments from character offsets.

The template escapes every segment; nothing here builds HTML, so hostile text cannot
turn into markup. Overlapping spans are resolved by priority (event trigger, then time
expression, then place, then entity) so each character belongs to one segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PRIORITY = {"event": 0, "time": 1, "place": 2, "entity": 3}


@dataclass
class Span:
    start: int
    end: int
    kind: str  # event | time | place | entity
    label: str  # shown as a tooltip: type, value, resolved actor…


@dataclass
class Segment:
    text: str
    kind: str | None = None
    label: str | None = None
    paragraph_break: bool = False


def spans_from_analysis(article: dict[str, Any]) -> list[Span]:
    spans: list[Span] = []
    for ev in article.get("events", []):
        if ev.get("start") is not None and ev.get("end") is not None:
            label = f"{ev.get('type')}:{ev.get('mode') or '-'} ({ev.get('status')})"
            spans.append(Span(ev["start"], ev["end"], "event", label))
    for t in article.get("times", []):
        spans.append(Span(t["start"], t["end"], "time", f"time {t.get('value') or '?'}"))
    for p in article.get("places", []):
        spans.append(Span(p["start"], p["end"], "place", f"place {p.get('name')} {p.get('country') or ''}".strip()))
    for m in article.get("entities", []):
        who = m.get("name") or m.get("text")
        extra = "/".join(x for x in (m.get("country"), m.get("sector")) if x)
        spans.append(Span(m["start"], m["end"], "entity", f"{m.get('label')} {who} {extra}".strip()))
    return spans


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """Non-overlapping segments covering ``text``; blank lines become paragraph breaks."""
    n = len(text)
    chosen: list[Span] = []
    taken = bytearray(n)  # one flag per character already covered by a kept span
    for s in sorted(spans, key=lambda s: (PRIORITY.get(s.kind, 9), s.start, -(s.end - s.start))):
        start, end = max(0, s.start), min(n, s.end)
        if start >= end or any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append(Span(start, end, s.kind, s.label))
    chosen.sort(key=lambda s: s.start)
    out: list[Segment] = []
    pos = 0
    for s in chosen:
        if s.start > pos:
            out.extend(_plain(text[pos:s.start]))
        out.append(Segment(text[s.start:s.end], s.kind, s.label))
        pos = s.end
    if pos < n:
        out.extend(_plain(text[pos:]))
    return out


def _plain(chunk: str) -> list[Segment]:
    parts = chunk.split("\n\n")
    out: list[Segment] = []
    for i, part in enumerate(parts):
        if i:
            out.append(Segment("", paragraph_break=True))
        if part:
            out.append(Segment(part))
    return out
