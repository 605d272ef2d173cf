"""Exports: GDELT 2.0 events/mentions, POLECAT, JSONL, CSV, Parquet from a small hand-made store."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from test_export_store import build, group_world_event

from dateline.errors import InputError
from dateline.export import (
    FORMATS,
    ExportReport,
    export_events,
    gdelt,
    iter_export,
    polecat,
)
from dateline.store.events import EventFilters


@pytest.fixture()
def built(tmp_path):
    b = build(tmp_path / "store.db")
    yield b
    b.store.close()


def _gdelt_frame(path, columns):
    return pd.read_csv(path, sep="\t", header=None, names=list(columns), dtype=str, keep_default_na=False,
                       quoting=csv.QUOTE_NONE)


def test_published_column_counts():
    assert len(gdelt.EVENT_COLUMNS) == 61 and len(set(gdelt.EVENT_COLUMNS)) == 61
    assert len(gdelt.MENTION_COLUMNS) == 16
    assert len(polecat.COLUMNS) == 40 and len(set(polecat.COLUMNS)) == 40
    assert gdelt.EVENT_COLUMNS[26:30] == ("EventCode", "EventBaseCode", "EventRootCode", "QuadClass")
    assert gdelt.EVENT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_events_rows_have_61_fields_and_round_trip_through_pandas(built, tmp_path):
    out = tmp_path / "events.tsv"
    report = export_events(built.store.conn, "gdelt-events", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all(len(line.split("\t")) == 61 for line in lines)
    # the event without a CAMEO code cannot be a GDELT row; it is counted, not lost silently
    assert report.skip_reasons == {"no CAMEO code": 1}
    assert report.rows == len(lines) == 4
    df = _gdelt_frame(out, gdelt.EVENT_COLUMNS)
    visit = df[df.GLOBALEVENTID == str(built.ids["visit"])].iloc[0]
    assert visit.SQLDATE == "20230618" and visit.MonthYear == "202306" and visit.Year == "2023"
    assert visit.FractionDate == f"{2023 + (6 * 30 + 18) / 365:.4f}"
    assert (visit.EventCode, visit.EventBaseCode, visit.EventRootCode) == ("042", "042", "04")
    assert visit.Actor1Code == "USAGOV" and visit.Actor1Name == "ANTONY BLINKEN" and visit.Actor1Type1Code == "GOV"
    assert visit.Actor2Code == "CHNGOV" and visit.Actor2CountryCode == "CHN"
    assert visit.QuadClass == "1" and float(visit.GoldsteinScale) == pytest.approx(1.9)
    assert visit.IsRootEvent == "1" and visit.NumMentions == "2" and visit.NumArticles == "1"
    # ActionGeo: Beijing, a world city, with GDELT's FIPS country code for China
    assert visit.ActionGeo_Type == "4" and visit.ActionGeo_CountryCode == "CH"
    assert visit.ActionGeo_FullName == "Beijing, China" and visit.ActionGeo_FeatureID == "1816670"
    assert float(visit.ActionGeo_Lat) == pytest.approx(39.9075)
    assert visit.Actor1Geo_Type == "1" and visit.Actor1Geo_CountryCode == "US"
    assert len(visit.DATEADDED) == 14 and visit.DATEADDED.isdigit()
    assert visit.SOURCEURL == "https://www.worldwire.example/2023/06/18/blinken"
    shoot = df[df.GLOBALEVENTID == str(built.ids["shoot"])].iloc[0]
    assert (shoot.EventCode, shoot.EventBaseCode, shoot.EventRootCode) == ("195", "195", "19")
    assert shoot.Actor1Code == "USAMIL" and shoot.Actor2Code == "" and shoot.ActionGeo_Type == "0"
    # no time expression: the article's day stands in
    accuse = df[df.GLOBALEVENTID == str(built.ids["accuse"])].iloc[0]
    assert accuse.SQLDATE == "20230618" and accuse.EventCode == "112" and accuse.QuadClass == "3"


def test_world_event_is_one_gdelt_row_with_aggregated_counts(built, tmp_path):
    group_world_event(built, "visit", "copy")
    out = tmp_path / "events.tsv"
    export_events(built.store.conn, "gdelt-events", out)
    df = _gdelt_frame(out, gdelt.EVENT_COLUMNS)
    rep = str(min(built.ids["visit"], built.ids["copy"]))
    assert str(built.ids["copy"]) not in set(df.GLOBALEVENTID) or rep == str(built.ids["copy"])
    rows = df[df.GLOBALEVENTID == rep]
    assert len(rows) == 1
    row = rows.iloc[0]
    # two mentions in the English article + one in the German one; two sites, two articles
    assert (row.NumMentions, row.NumSources, row.NumArticles) == ("3", "2", "2")


def test_gdelt_mentions_have_16_fields_one_per_mention(built, tmp_path):
    group_world_event(built, "visit", "copy")
    out = tmp_path / "mentions.tsv"
    report = export_events(built.store.conn, "gdelt-mentions", out)
    df = _gdelt_frame(out, gdelt.MENTION_COLUMNS)
    assert all(len(line.split("\t")) == 16 for line in out.read_text().splitlines())
    total = built.store.conn.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
    assert report.rows == len(df) == total
    rep = str(min(built.ids["visit"], built.ids["copy"]))
    world = df[df.GLOBALEVENTID == rep]
    assert len(world) == 3  # every mention of the world event joins the events file on one id
    english = world[world.MentionSourceName == "worldwire.example"]
    assert sorted(english.SentenceID) == ["1", "3"]
    first = english[english.SentenceID == "1"].iloc[0]
    text = built.store.conn.execute("SELECT text FROM articles WHERE id = ?", (built.ids["a1"],)).fetchone()[0]
    assert text[int(first.ActionCharOffset):].startswith("arrived in")
    assert text[int(first.Actor1CharOffset):].startswith("Antony Blinken")
    assert first.InRawText == "1" and first.Confidence == "100" and first.MentionType == "1"
    assert first.MentionTimeDate == "20230618140000"  # 10:00 at -04:00, in UTC
    assert first.MentionDocTranslationInfo == ""
    german = world[world.MentionSourceName == "nachrichten.example"].iloc[0]
    assert german.MentionDocTranslationInfo.startswith("srclc:deu; eng:dateline")
    assert german.MentionIdentifier == "https://nachrichten.example/blinken-peking"


def test_polecat_header_and_row_round_trip(built, tmp_path):
    out = tmp_path / "polecat.tsv"
    export_events(built.store.conn, "polecat", out)
    header = out.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == list(polecat.COLUMNS) and len(header) == 40
    df = pd.read_csv(out, sep="\t", dtype=str, keep_default_na=False)
    assert list(df.columns) == list(polecat.COLUMNS) and len(df) == 5
    visit = df[df["Event ID"] == str(built.ids["visit"])].iloc[0]
    assert visit["Event Type"] == "CONSULT" and visit["Event Mode"] == "visit"
    assert visit["Actor Country"] == "USA" and visit["Actor COW"] == "2"
    assert visit["Recipient Country"] == "CHN" and visit["Recipient COW"] == "710"
    assert visit["Primary Actor Sector"] == "Government" and visit["Actor Title"] == "Secretary of State"
    assert visit["Wikipedia Actor ID"] == "Q4356219"
    assert visit["Placename"] == "Beijing" and visit["City"] == "Beijing" and visit["Country"] == "China"
    assert visit["GeoNames ID"] == "1816670" and visit["Feature Type"] == "city"
    assert "Antony Blinken" in visit["Story People"].split("; ")
    assert visit["Story Locations"] == "Beijing"
    assert visit["Source"] == "worldwire.example" and visit["Publication Date"] == "2023-06-18"
    assert visit["Version"].startswith("dateline ") and visit["Language"] == "en"
    accuse = df[df["Event ID"] == str(built.ids["accuse"])].iloc[0]
    assert accuse["Contexts"] == "intelligence; military" and accuse["Quad Code"] == "3"


def test_csv_jsonl_parquet_keep_cameo_leading_zeros(built, tmp_path):
    conn = built.store.conn
    export_events(conn, "csv", tmp_path / "e.csv")
    df = pd.read_csv(tmp_path / "e.csv", dtype={"cameo": str})
    assert df.set_index("id").loc[built.ids["visit"], "cameo"] == "042"
    assert {"id", "type", "actor_country", "sentence", "article_url", "event_date"} <= set(df.columns)

    export_events(conn, "jsonl", tmp_path / "e.jsonl")
    records = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text().splitlines()]
    visit = next(r for r in records if r["id"] == built.ids["visit"])
    assert visit["cameo"] == "042" and visit["actor"]["country"] == "USA"
    assert visit["date"]["start_date"] == "2023-06-18" and len(visit["mentions"]) == 2
    assert visit["article"]["url"].startswith("https://www.worldwire.example/")

    report = export_events(conn, "parquet", tmp_path / "e.parquet")
    pq = pd.read_parquet(tmp_path / "e.parquet")
    assert len(pq) == report.rows == 5
    row = pq.set_index("id").loc[built.ids["accuse"]]
    assert row["cameo"] == "112" and list(row["contexts"]) == ["intelligence", "military"]
    assert pq.set_index("id").loc[built.ids["visit"], "cameo"] == "042"


def test_filters_select_events(built, tmp_path):
    conn = built.store.conn
    out = tmp_path / "f.jsonl"
    export_events(conn, "jsonl", out, EventFilters(actor="CHN"))
    ids = [json.loads(x)["id"] for x in out.read_text().splitlines()]
    assert ids == [built.ids["accuse"]]
    export_events(conn, "jsonl", out, EventFilters(quad_class=4))
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == [built.ids["shoot"]]
    report = export_events(conn, "jsonl", out, EventFilters(type="CONSULT", place="CHN"))
    assert report.rows == 1
    with pytest.raises(InputError):
        export_events(conn, "jsonl", out, EventFilters(type="HUG"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_result_writes_an_empty_file_with_a_message(built, tmp_path, fmt):
    out = tmp_path / f"empty.{fmt}"
    report = export_events(built.store.conn, fmt, out, EventFilters(since="2031-01-01"))
    assert out.exists() and report.rows == 0 and "no events match" in report.message
    if fmt == "polecat":
        assert out.read_text().splitlines() == ["\t".join(polecat.COLUMNS)]
    elif fmt == "parquet":
        assert len(pd.read_parquet(out)) == 0
    elif fmt == "csv":
        assert len(out.read_text().splitlines()) == 1
    else:
        assert out.read_text() == ""


def test_iter_export_streams_chunks_and_streams_take_text_or_bytes(built):
    conn = built.store.conn
    report = ExportReport("gdelt-mentions")
    chunks = list(iter_export(conn, "gdelt-mentions", report=report))
    assert chunks and all(isinstance(c, str) for c in chunks) and report.rows == 6
    parquet = list(iter_export(conn, "parquet"))
    assert all(isinstance(c, bytes) for c in parquet)
    assert len(pd.read_parquet(io.BytesIO(b"".join(parquet)))) == 5
    text, binary = io.StringIO(), io.BytesIO()
    export_events(conn, "polecat", text)
    export_events(conn, "polecat", binary)
    assert text.getvalue().encode("utf-8") == binary.getvalue()
    with pytest.raises(InputError):
        export_events(conn, "parquet", io.StringIO())
    with pytest.raises(InputError):
        list(iter_export(conn, "gdelt"))


def test_a_failed_export_leaves_no_partial_file(built, tmp_path):
    out = tmp_path / "x.jsonl"
    with pytest.raises(InputError):
        export_events(built.store.conn, "jsonl", out, EventFilters(query='"unbalanced'))
    assert not out.exists() and not list(tmp_path.glob(".x.jsonl.*"))


def test_world_event_counts_come_from_the_world_events_table_when_present(built, tmp_path):
    group_world_event(built, "visit", "copy", world_id=900)
    with built.store.transaction() as conn:
        cols = {r[1] for r in conn.execute("PRAGMA table_info(world_events)")}
        if not {"mention_count", "source_count", "article_count"} <= cols:
            pytest.skip("this store has no world_events counts")
        conn.execute("INSERT INTO world_events(id, type, date_start, date_end, event_count, mention_count,"
                     " article_count, source_count, updated_at) VALUES (900, 'CONSULT', '2023-06-18', '2023-06-18',"
                     " 2, 7, 5, 4, '2023-06-19T00:00:00+00:00')")
    out = tmp_path / "events.tsv"
    export_events(built.store.conn, "gdelt-events", out)
    df = _gdelt_frame(out, gdelt.EVENT_COLUMNS)
    row = df[df.GLOBALEVENTID == str(min(built.ids["visit"], built.ids["copy"]))].iloc[0]
    assert (row.NumMentions, row.NumSources, row.NumArticles) == ("7", "4", "5")


@pytest.mark.parametrize("code, parts", [("042", ("042", "042", "04")), ("0874", ("0874", "087", "08")),
                                         ("04", ("040", "040", "04")), ("1951", ("1951", "195", "19")),
                                         (None, None), ("4x", None)])
def test_cameo_codes_split_as_strings(code, parts):
    assert gdelt.cameo_parts(code) == parts


def test_translation_info_only_for_non_english_sources():
    assert gdelt.translation_info("en") == "" and gdelt.translation_info(None) == ""
    assert gdelt.translation_info("fr").startswith("srclc:fra; eng:dateline ")
