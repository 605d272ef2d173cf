from __future__ import annotations

import io

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.errors import InputError
from dateline.sources.warc import SkipCounter, WarcTruncated, iter_warc

HTML = "<html><head><title>Talks</title></head><body><p>Les ministres se sont réunis.</p></body></html>"


def _response(writer, url, body: bytes, status="200 OK", ctype="text/html; charset=utf-8", date=None):
    headers = [("Content-Type", ctype)] if ctype else []
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": date} if date else None
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                       warc_headers_dict=warc_headers)
    writer.write_record(record)


def write_warc(path, *, gzip: bool = True) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gzip)
        request = w.create_warc_record(
            "https://news.example/talks", "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders("GET /talks HTTP/1.1", [("Host", "news.example")], is_http_request=True),
        )
        w.write_record(request)
        _response(w, "https://news.example/talks", HTML.encode("utf-8"), date="2023-06-13T10:00:00Z")
        _response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, ctype="image/png")
        _response(w, "https://news.example/gone", b"<html>gone</html>", status="404 Not Found")
        _response(w, "https://news.example/latin", HTML.encode("latin-1"), ctype="text/html; charset=iso-8859-1")
        metadata = w.create_warc_record("https://news.example/talks", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\n"),
                                        warc_content_type="application/warc-fields")
        w.write_record(metadata)
        _response(w, "https://news.example/untyped", b"<!DOCTYPE html><html><body>x</body></html>", ctype=None)


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def warc_file(request, tmp_path):
    path = tmp_path / ("crawl.warc.gz" if request.param else "crawl.warc")
    write_warc(path, gzip=request.param)
    return path


def test_html_responses_are_yielded_with_metadata(warc_file):
    skips = SkipCounter()
    docs = list(iter_warc(warc_file, skips))
    assert [d.url for d in docs] == [
        "https://news.example/talks",
        "https://news.example/latin",
        "https://news.example/untyped",  # no Content-Type, but the payload is HTML
    ]
    talks = docs[0]
    assert talks.content == HTML.encode("utf-8") and talks.kind == "html"
    assert talks.fetched_at == "2023-06-13T10:00:00+00:00"
    assert talks.encoding_hint == "utf-8" and talks.source == "news.example"
    assert docs[1].encoding_hint == "iso-8859-1"
    assert skips.reasons == {"request record": 1, "not HTML: image/png": 1, "HTTP 404": 1, "metadata record": 1}
    assert skips.total == 4 and "1 HTTP 404" in skips.summary()


def test_on_skip_receives_urls(warc_file):
    skipped = []
    list(iter_warc(warc_file, lambda url, reason: skipped.append((url, reason))))
    assert ("https://news.example/gone", "HTTP 404") in skipped


def test_oversized_record_is_skipped(warc_file):
    skips = SkipCounter()
    docs = list(iter_warc(warc_file, skips, max_record_bytes=50))
    assert docs == [] or all(len(d.content) <= 50 for d in docs)
    assert skips.reasons["larger than 50 bytes"] == 2


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_truncated_archive_yields_good_records_then_one_error(tmp_path, gz):
    whole = tmp_path / "whole"
    write_warc(whole, gzip=gz)
    data = whole.read_bytes()
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    if gz:
        cut_at = int(len(data) * 0.75)  # somewhere in the later gzip members
    else:
        cut_at = data.index(b"news.example/latin") + 300  # inside that record's payload
    cut.write_bytes(data[:cut_at])
    got = []
    with pytest.raises(WarcTruncated, match=r"is truncated") as info:
        for doc in iter_warc(cut):
            got.append(doc.url)
    assert got[0] == "https://news.example/talks"
    assert "https://news.example/untyped" not in got
    assert isinstance(info.value, InputError)


def test_not_a_warc(tmp_path):
    bad = tmp_path / "x.warc"
    bad.write_bytes(b"this is not a warc file\n" * 10)
    with pytest.raises(InputError, match="not a readable WARC"):
        list(iter_warc(bad))
    with pytest.raises(InputError, match="cannot open WARC"):
        list(iter_warc(tmp_path / "missing.warc.gz"))
