from __future__ import annotations

import gzip
import io
import json

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dateline.errors import InputError
from dateline.models import RawDocument
from dateline.sources.local import Skipped, iter_documents, iter_jsonl, iter_local, read_document, read_file
from dateline.sources.warc import SkipCounter


def test_read_file_kinds(tmp_path):
    (tmp_path / "a.html").write_text("<html><body>x</body></html>")
    (tmp_path / "b.txt").write_text("Plain words.")
    (tmp_path / "c.html.gz").write_bytes(gzip.compress(b"<html>zipped</html>"))
    (tmp_path / "d.page").write_text("<!DOCTYPE html><html><body>y</body></html>")
    assert read_file(tmp_path / "a.html").kind == "html"
    assert read_file(tmp_path / "b.txt").kind == "text"
    assert read_file(tmp_path / "d.page").kind == "html"  # unknown extension: sniffed
    doc = read_file(tmp_path / "c.html.gz")
    assert doc.content == b"<html>zipped</html>" and doc.path.endswith("c.html.gz") and doc.fetched_at
    (tmp_path / "empty.html").write_text("  ")
    with pytest.raises(InputError, match="empty file"):
        read_file(tmp_path / "empty.html")
    skipped = read_document(tmp_path / "missing.html")
    assert isinstance(skipped, Skipped) and "cannot read" in skipped.reason


def test_folder_is_walked_in_order_and_non_documents_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.html").write_text("<html>b</html>")
    (tmp_path / "sub" / "a.htm").write_text("<html>a</html>")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    skips = SkipCounter()
    docs = list(iter_local(str(tmp_path), skips))
    assert [d.content for d in docs] == [b"<html>b</html>", b"<html>a</html>"]
    assert skips.reasons == {"not a document (.jpg)": 1}
    assert [d.content for d in iter_local(str(tmp_path / "**" / "*.htm"))] == [b"<html>a</html>"]
    (nothing,) = iter_local(str(tmp_path / "*.pdf"))
    assert isinstance(nothing, Skipped) and nothing.reason == "no files match"


def test_jsonl_lines_keep_their_order_and_ids(tmp_path):
    path = tmp_path / "in.jsonl.gz"
    lines = [
        json.dumps({"id": 7, "text": "Troops crossed the border.", "published": "2023-06-13"}),
        "not json",
        json.dumps({"id": "h", "html": "<p>x</p>", "url": "https://x.example/a", "title": "X"}),
        json.dumps({"id": "none"}),
        "",
        json.dumps([1, 2]),
    ]
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    out = list(iter_jsonl(path))
    assert [(type(o).__name__, o.doc_id) for o in out] == [
        ("RawDocument", "7"), ("Skipped", None), ("RawDocument", "h"), ("Skipped", "none"), ("Skipped", None),
    ]
    assert out[0].kind == "text" and out[0].published_hint == "2023-06-13"
    assert out[2].kind == "html" and out[2].url == "https://x.example/a" and out[2].title_hint == "X"
    assert out[1].item.endswith(":2") and out[1].reason == "invalid JSON (Expecting value)"
    assert out[3].reason == 'no "text" or "html"' and out[4].reason == "not a JSON object"


def test_iter_documents_mixes_inputs(tmp_path):
    (tmp_path / "a.html").write_text("<html>a</html>")
    (tmp_path / "in.jsonl").write_text(json.dumps({"id": 1, "text": "t"}) + "\n")
    with open(tmp_path / "c.warc.gz", "wb") as fh:
        w = WARCWriter(fh, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record("https://x.example/w", "response", payload=io.BytesIO(b"<html>w</html>"),
                                            http_headers=http))
    inputs = [str(tmp_path / "a.html"), str(tmp_path / "in.jsonl"), str(tmp_path / "c.warc.gz"),
              str(tmp_path / "nope.html"), "https://x.example/page"]
    out = list(iter_documents(inputs))
    docs = [o for o in out if isinstance(o, RawDocument)]
    assert [d.content for d in docs] == [b"<html>a</html>", b"t", b"<html>w</html>"]
    skipped = {o.item: o.reason for o in out if isinstance(o, Skipped)}
    assert skipped[str(tmp_path / "nope.html")].startswith("no such file or folder")
    assert "to fetch" in skipped["https://x.example/page"]
