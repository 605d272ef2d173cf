"""dateline.extract: seed in three wrappings, decoding, bad input, authors, stamps, chrome, language."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from dateline.errors import ExtractionError, InputError
from dateline.extract import ExtractOptions, decode_html, extract
from dateline.extract.authors import byline_authors, clean_authors, credit_authors
from dateline.extract.cleanup import clean_paragraphs, is_chrome
from dateline.extract.language import detect_language
from dateline.extract.patterns import cleanup_patterns, stamp_patterns
from dateline.extract.sniff import binary_reason, sniff_rules
from dateline.extract.stamps import parse_stamp
from dateline.models import RawDocument
from dateline.resources import load_yaml

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_TXT = SHARED / "seed" / "blinken-travels-to-china.txt"
SEED_GOLD = SHARED / "gold" / "seed.json"

needs_seed = pytest.mark.skipif(not SEED_TXT.exists() or not SEED_GOLD.exists(), reason="shared seed not present")


def _html(body: str, head: str = "", lang: str = "en") -> bytes:
    head = f"<meta charset='utf-8'>{head}"
    return f"<!DOCTYPE html><html lang='{lang}'><head>{head}</head><body>{body}</body></html>".encode()


PROSE = (
    "<p>The foreign ministers of both countries met on Tuesday to discuss a ceasefire along the disputed border, "
    "officials said after the talks ended late in the evening.</p>"
    "<p>Both delegations agreed to meet again next month and to open a hotline between their military commanders, "
    "according to a joint statement released by the two governments.</p>"
    "<p>Observers said the agreement was a modest but real step after months of clashes that had killed dozens of "
    "soldiers on both sides of the frontier and displaced thousands of villagers.</p>"
)


# ---------------------------------------------------------------- data files


def test_yaml_data_files_load_and_compile():
    raw = load_yaml("extract", "cleanup.yaml")
    assert {"chrome_lines", "block_headings", "share_words", "teaser_lines", "min_article_words"} <= set(raw)
    for rx in raw["chrome_lines"] + raw["block_headings"] + raw["teaser_lines"]:
        re.compile(rx)
    pats = cleanup_patterns()
    assert pats.chrome.fullmatch("Image default")
    assert pats.chrome.fullmatch("Leave a Comment")
    assert pats.block_heading.fullmatch("Related posts")
    stamps = stamp_patterns()
    assert stamps.prefix_kind["stand"] == "as_of" and stamps.prefix_kind["updated"] == "updated"
    assert stamps.months["juni"] == 6 and stamps.months["sept"] == 9
    assert all(len(s.magic) >= 2 for s in sniff_rules().signatures)
    authors = load_yaml("extract", "authors.yaml")
    assert "staff" in authors["not_name_words"] and "von" in authors["particles"]


@pytest.mark.parametrize("name", ["cleanup.yaml", "stamps.yaml", "authors.yaml"])
def test_yaml_word_lists_hold_only_strings(name):
    # YAML reads a bare `on`/`no` as a boolean; every listed word must stay a word.
    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
        else:
            yield node

    raw = load_yaml("extract", name)
    lists = {k: v for k, v in raw.items() if isinstance(v, (list, dict)) and k not in ("signatures",)}
    assert all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in walk(lists))


# ---------------------------------------------------------------- the seed, three ways


def _seed_variants() -> list[tuple[str, RawDocument]]:
    return [
        ("text", RawDocument(content=SEED_TXT.read_bytes(), path=str(SEED_TXT), kind="text")),
        ("text-by-suffix", RawDocument(content=SEED_TXT.read_bytes(), path="copy.txt", kind="html")),
        ("text-sniffed", RawDocument(content=SEED_TXT.read_bytes())),  # no tags at all: read as text
        ("wordpress", RawDocument(content=(FIXTURES / "seed-wordpress.html").read_bytes(),
                                  url="https://worldaffairs.example/blinken-travels-to-china/")),
        ("minimal", RawDocument(content=(FIXTURES / "seed-minimal.html").read_bytes())),
    ]


@needs_seed
@pytest.mark.parametrize("name", ["text", "text-by-suffix", "text-sniffed", "wordpress", "minimal"])
def test_seed_in_every_wrapping(name):
    raw = dict(_seed_variants())[name]
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    art = extract(raw)
    assert art.title == gold["title"]
    assert art.published == gold["published"]  # no offset: the stamp states none
    assert art.published_source.startswith("stamp")
    assert art.language == "en"
    for sentence in gold["body_must_contain"]:
        assert sentence in art.text
    for chrome in gold["body_must_not_contain"]:
        assert chrome not in art.text
    assert "As of" not in art.text
    assert "\n\n" in art.text and "\n\n\n" not in art.text
    assert art.paragraphs[0].startswith("There is a political ice age")
    assert art.paragraphs[-1].endswith("He was responding to reports by the Wall Street Journal.")


@needs_seed
def test_wordpress_seed_metadata_and_chrome():
    art = extract(dict(_seed_variants())["wordpress"])
    assert art.site_name == "World Affairs Weekly"
    assert art.canonical_url == "https://worldaffairs.example/blinken-travels-to-china/"
    assert art.authors == []  # "admin" is not a person
    for chrome in ("Share this", "Twitter", "US and China resume trade talks", "cookies", "Post Comment"):
        assert chrome not in art.text


# ---------------------------------------------------------------- decoding


def test_decode_bom_wins_over_declaration():
    body = "<meta charset='iso-8859-1'><p>Zürich café</p>"
    assert "Zürich café" in decode_html(b"\xef\xbb\xbf" + body.encode("utf-8"), "iso-8859-1")
    assert "Zürich café" in decode_html(b"\xff\xfe" + body.encode("utf-16-le"))


def test_decode_cp1252_bytes_declared_utf8_fall_back():
    data = "<meta charset='utf-8'><p>Ren\u00e9e said \u201cno\u201d \u2013 twice</p>".encode("cp1252")
    assert "Renée said “no” – twice" in decode_html(data, "utf-8")


def test_decode_utf8_bytes_declared_latin1_are_utf8():
    data = "<meta charset='iso-8859-1'><p>Gespräch in München</p>".encode()
    assert "Gespräch in München" in decode_html(data, None)
    assert "Gespräch in München" in decode_html(data, "ISO-8859-1")


def test_decode_honours_hint_and_meta_for_legacy_charsets():
    text = "<p>Москва заявила</p>"
    assert "Москва заявила" in decode_html(text.encode("cp1251"), "windows-1251")
    meta = ("<meta http-equiv='Content-Type' content='text/html; charset=koi8-r'>" + text).encode("koi8-r")
    assert "Москва заявила" in decode_html(meta, None)


def test_extract_decodes_wrongly_declared_page():
    page = _html("<h1>Zürich talks</h1>" + PROSE.replace("officials said", "officials in Zürich said")).replace(
        b"Z\xc3\xbcrich", "Zürich".encode("cp1252")
    )
    art = extract(RawDocument(content=page, encoding_hint="utf-8"))
    assert "officials in Zürich said" in art.text


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty document"),
        (b"   \n\t  ", "empty document (only whitespace)"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "binary content (looks like PNG)"),
        (b"%PDF-1.7\n%\xe2\xe3", "binary content (looks like PDF)"),
        (b"abc\x00def\x00" * 50, "binary content (NUL bytes; not a text document)"),
    ],
)
def test_bad_input_reasons(content, reason):
    with pytest.raises(ExtractionError) as err:
        extract(RawDocument(content=content))
    assert err.value.message == reason
    assert isinstance(err.value, InputError) and err.value.status == 422


def test_login_page_has_no_article():
    page = _html(
        "<h1>Sign in</h1><form><label>Email</label><input type='email' name='u'>"
        "<label>Password</label><input type='password' name='p'><button>Log in</button></form>"
        "<p><a href='/forgot'>Forgot your password?</a></p><p>New here? <a href='/join'>Create an account</a></p>"
    )
    with pytest.raises(ExtractionError, match="no article text found"):
        extract(RawDocument(content=page, url="https://news.example/login"))


def test_oversized_input_refused_with_reason():
    big = b"<html><body>" + b"<p>word </p>" * 4_200_000  # ~50 MB
    with pytest.raises(ExtractionError, match=r"too large \(50\.4 MB > 20\.0 MB limit\)"):
        extract(RawDocument(content=big))
    with pytest.raises(ExtractionError, match="too large"):
        extract(RawDocument(content=_html(PROSE)), ExtractOptions(max_bytes=100))


def test_gzip_body_is_inflated():
    art = extract(RawDocument(content=gzip.compress(_html("<h1>Ceasefire talks</h1>" + PROSE))))
    assert "open a hotline" in art.text


def test_page_without_date_is_fine():
    art = extract(RawDocument(content=_html("<h1>Ceasefire talks</h1>" + PROSE)))
    assert art.published is None and art.published_source is None
    assert art.title == "Ceasefire talks"


def test_published_hint_used_when_page_has_no_date():
    art = extract(RawDocument(content=_html(PROSE), published_hint="Wed, 14 Jun 2023 16:04:00 +0200"))
    assert art.published == "2023-06-14T16:04+02:00" and art.published_source == "hint"


def test_binary_reason_accepts_text():
    assert binary_reason("<p>Grüße</p>".encode()) is None


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("line", "kind", "value"),
    [
        ("As of: 06/14/2023 4:04 p.m", "as_of", "2023-06-14T16:04"),
        ("Stand: 14.06.2023 16:04 Uhr", "as_of", "2023-06-14T16:04"),
        ("Updated June 18, 2023 9:12 AM", "updated", "2023-06-18T09:12"),
        ("Updated June 18, 2023 9:12 AM ET", "updated", "2023-06-18T09:12-04:00"),
        ("Published 18 January 2023, 09:12 ET", "published", "2023-01-18T09:12-05:00"),
        ("Published: Wednesday, 14 June 2023", "published", "2023-06-14"),
        ("Posted on 2023-06-14T16:04:00Z", "published", "2023-06-14T16:04+00:00"),
        ("Publicado: sexta-feira, 22 de outubro de 2010 às 20:13", "published", "2010-10-22T20:13"),
    ],
)
def test_stamp_lines(line, kind, value):
    stamp = parse_stamp(line)
    assert stamp is not None and stamp.kind == kind and stamp.value.iso == value


@pytest.mark.parametrize(
    "line",
    [
        "Published reports on June 14, 2023 said the talks had failed.",
        "Updated figures show 5 dead",
        "Stand your ground",
        "Published 3 hours ago",
    ],
)
def test_prose_is_not_a_stamp(line):
    assert parse_stamp(line) is None


def test_bare_date_line_is_a_stamp_only_when_allowed():
    assert parse_stamp("November 20, 2019 - 11:28 AMT") is None
    bare = parse_stamp("November 20, 2019 - 11:28 AMT", allow_bare=True)
    assert bare is not None and bare.value.iso == "2019-11-20T11:28"  # unknown zone: no offset invented


def test_metadata_time_and_offset_kept_over_stamp():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Talks", '
            '"datePublished": "2023-06-14T09:30:00+02:00", "dateModified": "2023-06-15T10:00:00+02:00"}</script>')
    art = extract(RawDocument(content=_html("<p>Updated June 18, 2023 9:12 AM</p>" + PROSE, head)))
    assert art.published == "2023-06-14T09:30+02:00" and art.published_source == "json-ld"
    assert art.modified == "2023-06-15T10:00+02:00"
    assert "Updated June" not in art.text


def test_stamp_adds_time_to_date_only_metadata_of_same_day():
    head = '<meta property="article:published_time" content="2023-06-14">'
    art = extract(RawDocument(content=_html("<p>Stand: 14.06.2023 16:04 Uhr</p>" + PROSE, head)))
    assert art.published == "2023-06-14T16:04" and art.published_source.startswith("stamp")
    other_day = extract(RawDocument(content=_html("<p>Stand: 12.06.2023 16:04 Uhr</p>" + PROSE, head)))
    assert other_day.published == "2023-06-14"


def test_time_element_gives_time_of_day():
    body = '<h1>Talks</h1><div class="byline">By Jane Doe | <time datetime="2023-06-14T19:48:00Z">June 14</time></div>'
    art = extract(RawDocument(content=_html(body + PROSE)))
    assert art.published == "2023-06-14T19:48+00:00"
    assert art.authors == ["Jane Doe"]


# ---------------------------------------------------------------- authors


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("By Jane Doe and John Roe | Reuters", ["Jane Doe", "John Roe"]),
        ("Email the author", []),
        ("Hours ago", []),
        ("Staff", []),
        ("June 14, 2023", []),
        ("jane.doe@example.com", []),
        ("https://news.example/authors/jane-doe", []),
        ("Jane Doe, John Roe and Max Mustermann", ["Jane Doe", "John Roe", "Max Mustermann"]),
        ("Von Anna Schmidt", ["Anna Schmidt"]),
        ("Ursula von der Leyen", ["Ursula von der Leyen"]),
        ("JOHN SMITH", ["John Smith"]),
        (["Jane Doe", "jane doe", "admin"], ["Jane Doe"]),
    ],
)
def test_clean_authors(raw, names):
    assert clean_authors(raw) == names


def test_credit_line_reporters_not_editors():
    paras = ["Body text.", "(Reporting by Kenji Mori in Nara and Aiko Tanaka in Tokyo; Editing by Paul Graves)"]
    assert credit_authors(paras) == ["Kenji Mori", "Aiko Tanaka"]
    assert byline_authors(["By Ana Lima | March 7, 2024"]) == ["Ana Lima"]


def test_byline_paragraph_becomes_author_and_leaves_body():
    art = extract(RawDocument(content=_html("<h1>Talks</h1><p>By Jane Doe and John Roe</p>" + PROSE)))
    assert art.authors == ["Jane Doe", "John Roe"]
    assert "By Jane Doe" not in art.text


# ---------------------------------------------------------------- chrome


def test_chrome_paragraphs_removed_and_prose_kept():
    paras = [
        "Image default",
        "Share on Facebook",
        "Tweet Email Print",
        "Sign up for our daily newsletter to get the news first.",
        "Read more: Ministers meet again in Geneva",
        "The ministers met for three hours and agreed on a timetable for the next round of talks, officials said.",
        "Related posts",
        "Ministers meet again in Geneva",
        "Border reopens for trade",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
    ]
    result = clean_paragraphs(paras)
    assert result.paragraphs == [paras[5]]
    assert is_chrome("We use cookies to improve your experience on our site.")
    assert not is_chrome("The share of voters who backed the deal rose to 54 percent.")


def test_contact_reading_time_and_credit_lines_leave_the_body():
    prose = "The ministers met for three hours and agreed on a timetable for the next round of talks, officials said."
    paras = [
        "4 min read",
        prose,
        "A quote worth sharing.Click To Tweet",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
        "jane.doe@example.com",
        "(Reporting by Jane Doe in Geneva; Editing by Max Roe)",
        "John Roe contributed reporting from Hong Kong.",
    ]
    result = clean_paragraphs(paras)
    assert result.paragraphs == [prose, "A quote worth sharing."]
    assert credit_authors(result.credit_lines) == ["Jane Doe"]


def test_credit_line_becomes_authors_in_extract():
    body = PROSE + "<p>(Reporting by Kenji Mori in Nara and Aiko Tanaka in Tokyo; Editing by Paul Graves)</p>"
    art = extract(RawDocument(content=_html("<h1>Talks</h1>" + body)))
    assert art.authors == ["Kenji Mori", "Aiko Tanaka"]
    assert "Reporting by" not in art.text


def test_link_block_ends_at_prose():
    paras = ["Read more", "Ministers meet again", "Border reopens",
             "The talks resumed on Wednesday in Geneva, where both sides presented new maps of the frontier."]
    assert clean_paragraphs(paras).paragraphs == [paras[3]]


# ---------------------------------------------------------------- language and text input


def test_language_detection():
    assert detect_language("Die Außenminister beider Länder haben sich am Dienstag in Berlin getroffen "
                           "und über einen Waffenstillstand an der Grenze gesprochen.") == "de"
    assert detect_language("short", declared="fr-FR") == "fr"


def test_german_plain_text_with_stand_line():
    text = ("Blinken reist nach China\n\nStand: 14.06.2023 16:04 Uhr\n\n"
            "Zwischen den USA und China herrscht politische Eiszeit. Nun will US-Außenminister Blinken "
            "die im Februar abgesagte Reise nach Peking nachholen, teilte das Außenministerium mit.\n")
    art = extract(RawDocument(content=text.encode(), kind="text"))
    assert art.title == "Blinken reist nach China"
    assert art.published == "2023-06-14T16:04"
    assert art.language == "de"
    assert "Stand:" not in art.text


def test_hard_wrapped_text_is_joined_into_paragraphs():
    text = ("Ceasefire talks resume\n\nThe foreign ministers of both countries met on Tuesday to discuss\n"
            "a ceasefire along the disputed border, officials said after the talks.\n\n"
            "Both delegations agreed to meet again next month and to open a hotline\n"
            "between their military commanders, a joint statement said.\n")
    art = extract(RawDocument(content=text.encode(), kind="text"))
    assert art.title == "Ceasefire talks resume"
    assert len(art.paragraphs) == 2 and "discuss a ceasefire" in art.paragraphs[0]
