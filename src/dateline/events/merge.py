"""The same event told several times in one article becomes one event with several mentions."""

from __future__ import annotations

from ..models import Event, EventMention


STATEMENT_TYPES = {"ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT", "AGREE", "CONCEDE"}


def _range(ev: Event) -> tuple[str, str] | None:
    d = ev.date
    if d is None or not d.start_date:
        return None
    return d.start_date, d.end_date or d.start_date


def _width(ev: Event) -> int:
    r = _range(ev)
    if r is None:
        return 10**6
    from datetime import date

    return (date.fromisoformat(r[1][:10]) - date.fromisoformat(r[0][:10])).days


def _compatible(a: Event, b: Event) -> bool:
    if a.type != b.type or (a.mode and b.mode and a.mode != b.mode):
        return False
    if a.status != b.status:
        return False
    aa, ba = a.actor, b.actor
    if aa is None or ba is None or aa.country != ba.country:
        return False
    if aa.name and ba.name and aa.name != ba.name and aa.sector == ba.sector == "GOV" and aa.role and ba.role:
        return False
    ar, br = a.recipient, b.recipient
    if ar is not None and br is not None and ar.country != br.country:
        return False
    ra, rb = _range(a), _range(b)
    if ra and rb and (ra[1] < rb[0] or rb[1] < ra[0]):
        return False
    if a.type in STATEMENT_TYPES and a.mode != "meet" and a.content and b.content:
        # statements repeat: two accusations by the same side are one act only if they say the same thing
        overlap = len(a.content & b.content) / max(1, min(len(a.content), len(b.content)))
        if overlap < 0.34:
            return False
    return True


def _mention(ev: Event) -> EventMention:
    return EventMention(ev.sentence_index, ev.sentence, ev.start, ev.end, ev.trigger)


def merge_mentions(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for ev in events:
        target = next((o for o in out if _compatible(o, ev)), None)
        if target is None:
            ev.mentions = [_mention(ev)]
            out.append(ev)
            continue
        target.mentions.append(_mention(ev))
        if target.recipient is None and ev.recipient is not None:
            target.recipient = ev.recipient
        if target.location is None and ev.location is not None:
            target.location = ev.location
        if ev.date is not None and _width(ev) < _width(target):
            target.date = ev.date
        if not target.mode and ev.mode:
            target.mode = ev.mode
        target.explain += f"; also mentioned in sentence {ev.sentence_index + 1} ('{ev.trigger}')"
    return out
