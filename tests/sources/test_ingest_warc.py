"""WARC archives and local inputs through ``ingest_inputs`` into a real store."""

from __future__ import annotations

import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.sources.ingest import ingest_inputs
from dateline.store import Store


def page(i: int) -> bytes:
    return (f"<html lang='en'><head><title>Report {i}</title></head><body><article><h1>Report {i}</h1>"
            f"<p>Delegation number {i} arrived in the capital for talks on trade and security.</p>"
            f"<p>Officials said the meeting {i} would continue through the week, and that both sides hoped to"
            f" sign an agreement on border crossings before the end of the month.</p></article></body></html>"
            ).encode("utf-8")


def response(w: WARCWriter, url: str, body: bytes, *, status: str = "200 OK", ctype: str = "text/html") -> None:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                        warc_headers_dict={"WARC-Date": "2023-06-13T10:00:00Z"}))


def write_crawl(path, pages: int = 3, *, gzip: bool = True) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gzip)
        for i in range(pages):
            url = f"https://news.example/world/{i}"
            req = StatusAndHeaders(f"GET /world/{i} HTTP/1.1", [("Host", "news.example")], is_http_request=True)
            w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
            response(w, url, page(i))
        response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), ctype="image/png")
        response(w, "https://news.example/gone", b"<html>gone</html>", status="404 Not Found")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.db") as s:
        yield s


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_warc_ingest_keeps_target_uri_and_counts_skips(store, tmp_path, gzip):
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_crawl(path, gzip=gzip)
    report = ingest_inputs([str(path)], store, analyze=False)
    assert (report.added, report.failed) == (3, 0), report.failures
    assert dict(report.record_skips) == {"request record": 3, "not HTML: image/png": 1, "HTTP 404": 1}
    rows = store.conn.execute(
        "SELECT d.url, d.fetched_at, s.name, s.kind FROM documents d JOIN sources s ON s.id = d.source_id ORDER BY d.id"
    ).fetchall()
    assert [r[0] for r in rows] == [f"https://news.example/world/{i}" for i in range(3)]
    assert {tuple(r[1:]) for r in rows} == {("2023-06-13T10:00:00+00:00", "news.example", "warc")}
    assert report.to_dict()["record_skips"]["request record"] == 3
    assert any("records skipped: 5" in line for line in report.extra_lines())
    # The same archive again adds nothing.
    again = ingest_inputs([str(path)], store, analyze=False)
    assert (again.added, again.duplicates) == (0, 3)


def test_truncated_warc_keeps_what_it_held_and_reports_one_line(store, tmp_path):
    whole = tmp_path / "whole.warc.gz"
    write_crawl(whole, pages=6)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    report = ingest_inputs([str(cut)], store, analyze=False)
    assert 1 <= report.added < 6
    assert report.failed == 1 and len(report.failures) == 1
    item, reason = report.failures[0]
    assert item == str(cut) and ("truncated" in reason or "damaged" in reason), reason
    assert store.stats()["articles"] == report.added


def test_not_a_warc_is_one_failure(store, tmp_path):
    bogus = tmp_path / "notes.warc"
    bogus.write_text("these are my notes, not an archive\n" * 3)
    report = ingest_inputs([str(bogus)], store, analyze=False)
    assert report.added == 0 and report.failed == 1
    assert report.failures[0][1].startswith(f"not a readable WARC: {bogus}")


def test_local_files_folders_and_jsonl_still_work(store, tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "a.html").write_bytes(page(1))
    (folder / "style.css").write_text("body {}")
    lines = tmp_path / "batch.jsonl"
    text = " ".join(["Troops withdrew from the border town on Friday after weeks of talks between the two armies."] * 4)
    lines.write_text(json.dumps({"id": "x1", "text": text}) + "\n"
                     + "not json\n")
    report = ingest_inputs([str(folder), str(lines), str(tmp_path / "missing.html")], store, analyze=False)
    assert report.added == 2
    assert [r for _, r in report.failures] == ["invalid JSON (Expecting value)",
                                             f"no such file or folder: {tmp_path / 'missing.html'}"]
    assert report.record_skips == {"not a document (.css)": 1}
    assert [i.kind for i in report.inputs] == ["folder", "jsonl"]  # the missing file failed before it had a kind


def test_local_feed_file_fetches_its_entries(store, tmp_path, site):
    site.page("/news/a", page(7))
    feed = tmp_path / "wire.rss"
    feed.write_text(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Saved Wire</title>"
                    f"<item><title>A</title><link>{site.url('/news/a')}</link></item></channel></rss>")
    report = ingest_inputs([str(feed)], store, allow_private=True, delay=0.0, analyze=False)
    assert report.added == 1 and report.inputs[0].title == "Saved Wire"
