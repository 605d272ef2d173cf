"""Date and time values as dateline writes them: ISO-8601, to the precision the source stated.

``"2023-06-14"`` when only a day is known, ``"2023-06-14T16:04"`` with a time but no stated zone,
``"2023-06-14T16:04+02:00"`` when the source gave an offset. Nothing here guesses a zone.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import zoneinfo
from dataclasses import dataclass

from .patterns import StampPatterns, stamp_patterns

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DateValue:
    iso: str
    has_time: bool

    @property
    def day(self) -> str:
        return self.iso[:10]


_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<mo>\d{2})(?P<d>\d{2})(?:T(?P<h>\d{2})(?P<mi>\d{2})(?P<s>\d{2})?)?(?P<tz>Z)?")
_NUMERIC = re.compile(r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d])")
_YMD_SLASH = re.compile(r"(?<!\d)(?P<y>\d{4})/(?P<mo>\d{1,2})/(?P<d>\d{1,2})(?!\d)")
_MONTH_FIRST = re.compile(
    r"(?P<mon>[^\W\d_]{3,10})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\.?,?\s+(?P<y>\d{4})(?!\d)", re.IGNORECASE
)
_DAY_FIRST = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|º)?\.?\s+(?:of\s+|de\s+|del\s+)?(?P<mon>[^\W\d_]{3,10})\.?,?"
    r"\s+(?:de\s+|del\s+)?(?P<y>\d{4})(?!\d)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\d.:])(?P<h>\d{1,2})(?:[:.h](?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?\s*"
    r"(?P<ampm>[ap]\.?\s?m\b\.?)?(?![\d])",
    re.IGNORECASE,
)
_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?!\d)", re.IGNORECASE)
_WORD = re.compile(r"[^\s,|()·•]+")


def _iso(
    y: int, mo: int, d: int, h: int | None = None, mi: int | None = None, s: int | None = None, off: str | None = None
) -> DateValue | None:
    try:
        dt.date(y, mo, d)
    except ValueError:
        return None
    out = f"{y:04d}-{mo:02d}-{d:02d}"
    if h is None:
        return DateValue(out, False)
    if not (0 <= h <= 23 and 0 <= (mi or 0) <= 59 and 0 <= (s or 0) <= 59):
        return None
    # Minutes are the precision news pages state; seconds from machine metadata add noise, not facts.
    out += f"T{h:02d}:{mi or 0:02d}"
    if off:
        out += off
    return DateValue(out, True)


def _fmt_offset(text: str) -> str:
    if text.upper() == "Z":
        return "+00:00"
    digits = text[1:].replace(":", "")
    return f"{text[0]}{digits[:2]}:{digits[2:4] or '00'}"


def normalize_datetime(text: str | None) -> DateValue | None:
    """ISO-like or RFC-2822 strings from metadata, feeds or hints -> DateValue (None if unusable)."""
    if not text:
        return None
    text = text.strip()
    m = _ISO.match(text) or _COMPACT.fullmatch(text)
    if m:
        g = m.groupdict()
        h = int(g["h"]) if g.get("h") else None
        return _iso(
            int(g["y"]), int(g["mo"]), int(g["d"]), h,
            int(g["mi"]) if g.get("mi") else (0 if h is not None else None),
            int(g["s"]) if g.get("s") else None,
            _fmt_offset(g["tz"]) if g.get("tz") and h is not None else None,
        )
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        off = parsed.strftime("%z")
        return _iso(parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second,
                    f"{off[:3]}:{off[3:]}" if off else None)
    found = parse_date_text(text, strict=False)
    return found


def _zone_offset(zone: str, local: dt.datetime) -> str | None:
    if zone[:1] in "+-":
        return zone
    try:
        off = local.replace(tzinfo=zoneinfo.ZoneInfo(zone)).strftime("%z")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        logger.debug("time zone %s unavailable", zone)
        return None
    return f"{off[:3]}:{off[3:]}"


def _blank(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " * (span[1] - span[0]) + text[span[1] :]


def _find_day(text: str, pats: StampPatterns) -> tuple[tuple[int, int, int], tuple[int, int]] | None:
    """(y, m, d) and the span it was written in."""
    m = _ISO.search(text)
    if m:
        # Only the date part: the time and zone are left for the time and offset scanners.
        return (int(m["y"]), int(m["mo"]), int(m["d"])), (m.start(), m.end("d"))
    m = _YMD_SLASH.search(text)
    if m:
        return (int(m["y"]), int(m["mo"]), int(m["d"])), m.span()
    for rx in (_MONTH_FIRST, _DAY_FIRST):
        for m in rx.finditer(text):
            mon = pats.months.get(m["mon"].lower())
            if mon:
                return (int(m["y"]), mon, int(m["d"])), m.span()
    m = _NUMERIC.search(text)
    if m:
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        if y < 100:
            y += 2000 if y < 70 else 1900
        if m["sep"] == ".":
            day, mon = a, b  # dotted dates are day-first everywhere they are used
        elif a > 12:
            day, mon = a, b
        else:
            mon, day = a, b  # slashes: US month-first unless impossible
        return (y, mon, day), m.span()
    return None


def parse_date_text(text: str, *, strict: bool = True, pats: StampPatterns | None = None) -> DateValue | None:
    """A date with optional time and zone written out in words or digits.

    ``strict`` demands that nothing but the date, time, zone and filler words is left, so a
    sentence that merely mentions a date is not taken for a time stamp.
    """
    pats = pats or stamp_patterns()
    found = _find_day(text, pats)
    if not found:
        return None
    (y, mo, d), span = found
    rest = _blank(text, span)
    if rest[span[1] : span[1] + 1] in ("T", "t"):
        rest = _blank(rest, (span[1], span[1] + 1))
    h = mi = s = None
    tm = None
    for cand in _TIME.finditer(rest):
        # A bare number is only a time with am/pm ("4 pm"); otherwise it needs minutes.
        if cand["mi"] or cand["ampm"]:
            tm = cand
            break
    if tm:
        h, mi = int(tm["h"]), int(tm["mi"] or 0)
        s = int(tm["s"]) if tm["s"] else None
        ampm = (tm["ampm"] or "").lower()
        if ampm.startswith("p") and h < 12:
            h += 12
        elif ampm.startswith("a") and h == 12:
            h = 0
        if ampm and h > 23:
            return None
        rest = _blank(rest, tm.span())
    offset = None
    if h is not None:
        om = _OFFSET.search(rest)
        if om:
            offset = f"{om['sign']}{int(om['h']):02d}:{om['m'] or '00'}"
            rest = _blank(rest, om.span())
    leftovers = []
    for word in _WORD.findall(rest):
        w = word.strip(".:;").lower()
        if not w or w in pats.filler:
            continue
        zone = pats.timezones.get(w)
        if zone and h is not None and offset is None:
            try:
                offset = _zone_offset(zone, dt.datetime(y, mo, d, h, mi or 0))
            except ValueError:
                return None
            continue
        if zone:
            continue
        if h is not None and word.isupper() and 2 <= len(word) <= 5 and word.isalpha():
            continue  # a zone we have no offset for ("AMT"): the time stays local, without offset
        leftovers.append(w)
    if strict and leftovers:
        return None
    return _iso(y, mo, d, h, mi, s, offset)
