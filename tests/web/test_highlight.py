"""Offsets to highlighted segments: no overlaps, full coverage, priorities."""

from dateline.web.highlight import Span, segments


def test_segments_cover_text_and_resolve_overlaps():
    text = "Blinken met Xi on Monday.\n\nThey agreed."
    spans = [Span(0, 7, "entity", "PERSON"), Span(8, 11, "event", "CONSULT"), Span(12, 14, "entity", "PERSON"),
             Span(15, 24, "time", "2023-06-19"), Span(18, 24, "entity", "DATE overlap")]
    segs = segments(text, spans)
    assert "".join(s.text for s in segs if not s.paragraph_break) == text.replace("\n\n", "")
    kinds = [(s.text, s.kind) for s in segs if s.kind]
    assert kinds == [("Blinken", "entity"), ("met", "event"), ("Xi", "entity"), ("on Monday", "time")]
    assert sum(1 for s in segs if s.paragraph_break) == 1


def test_out_of_range_spans_are_clipped_or_dropped():
    segs = segments("abc", [Span(2, 10, "event", "x"), Span(5, 9, "time", "y"), Span(1, 1, "entity", "z")])
    assert [(s.text, s.kind) for s in segs] == [("ab", None), ("c", "event")]
