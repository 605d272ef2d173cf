"""dateline.resolve.time: finding time expressions and resolving them to dates."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from dateline.errors import InputError
from dateline.resolve.time import find_times, parse_reference, resolve_expression

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REF = datetime(2023, 6, 14, 16, 4)  # a Wednesday


def _seed():
    gold_path = SHARED / "gold" / "seed.json"
    if not gold_path.is_file():
        pytest.skip("shared/gold/seed.json not present")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    raw = (SHARED / gold["file"]).read_text(encoding="utf-8")
    # Body text: the copy's first line and last three blocks are site chrome.
    blocks = [b for b in raw.split("\n", 1)[1].split("\n\n") if b.strip()]
    return gold, "\n\n".join(blocks[:-3]).strip()


def _check_seed(found, gold):
    by_text: dict[str, list] = {}
    for f in found:
        by_text.setdefault(f.text, []).append(f)
    for g in gold["time_expressions"]:
        assert g["text"] in by_text, f"{g['text']!r} not found"
        assert any(f.value == g["value"] for f in by_text[g["text"]]), (g, [f.value for f in by_text[g["text"]]])


def test_seed_gold_without_doc():
    gold, body = _seed()
    found = find_times(body, gold["published"])
    _check_seed(found, gold)
    for f in found:
        assert body[f.start:f.end] == f.text
        assert f.sentence == 0


def test_seed_gold_with_doc():
    from dateline import nlp
    from dateline.errors import ModelMissing

    gold, body = _seed()
    try:
        doc = next(nlp.parse([body]))
    except ModelMissing as exc:  # pragma: no cover
        pytest.skip(str(exc))
    found = find_times(body, gold["published"], doc)
    _check_seed(found, gold)
    sents = list(doc.sents)
    for f in found:
        s = sents[f.sentence]
        assert s.start_char <= f.start and f.end <= s.end_char
    # "on Friday" is in the second-level clause "will leave ...": future, so next Friday.
    friday = next(f for f in found if f.text == "on Friday")
    assert friday.precision == "day" and friday.start_date == friday.end_date == "2023-06-16"


@pytest.mark.parametrize(
    "expr,tense,value,precision",
    [
        ("06/14/2023 4:04 p.m", "present", "2023-06-14T16:04", "minute"),
        ("14.06.2023 16:04 Uhr", "present", "2023-06-14T16:04", "minute"),
        ("June 14, 2023", "past", "2023-06-14", "day"),
        ("2023-06-14", "past", "2023-06-14", "day"),
        ("in 2022", "past", "2022", "year"),
        ("mid-2022", "past", "2022-05-01/2022-08-31", "month"),
        ("In February", "past", "2023-02", "month"),
        ("In February", "future", "2024-02", "month"),
        ("on Friday", "future", "2023-06-16", "day"),
        ("on Friday", "past", "2023-06-09", "day"),
        ("on Wednesday", "present", "2023-06-14", "day"),
        ("next Tuesday", "present", "2023-06-20", "day"),
        ("last Tuesday", "past", "2023-06-13", "day"),
        ("at the end of the week", "future", "2023-06-16/2023-06-18", "day"),
        ("at the end of the week", "past", "2023-06-09/2023-06-11", "day"),
        ("late February", "past", "2023-02-21/2023-02-28", "day"),
        ("a few days ago", "past", "2023-06-09/2023-06-13", "day"),
        ("last summer", "past", "2022-06-01/2022-08-31", "season"),
        ("last week", "past", "2023-06-05/2023-06-11", "week"),
        ("yesterday evening", "past", "2023-06-13", "day"),
    ],
)
def test_resolve_expression(expr, tense, value, precision):
    got = resolve_expression(expr, REF, tense)
    assert (got.value, got.precision) == (value, precision), got
    assert got.reason and got.text == expr
    assert got.start_date <= got.end_date


@pytest.mark.parametrize("expr", ["recently", "decades ago", "for decades", "soon"])
def test_vague_expressions_stay_unresolved_with_a_reason(expr):
    got = resolve_expression(expr, REF, "past")
    assert got.value is None and got.start_date is None
    assert got.reason and got.reason != "no reference date"


def test_no_publication_date_leaves_relative_times_unresolved():
    text = "The talks collapsed on Friday. The treaty was signed on 14 June 2023, two days ago."
    found = {f.text: f for f in find_times(text, None)}
    assert found["on Friday"].value is None and found["on Friday"].reason == "no reference date"
    assert found["two days ago"].value is None and found["two days ago"].reason == "no reference date"
    assert found["on 14 June 2023"].value == "2023-06-14"


def test_future_publication_date_is_used_as_is():
    found = find_times("The minister said yesterday that talks would go on.", "2031-01-01T09:00:00+01:00")
    assert [f.value for f in found] == ["2030-12-31"]


def test_reference_forms():
    assert parse_reference("2023-06-14") == datetime(2023, 6, 14)
    assert parse_reference("06/14/2023 4:04 p.m") == datetime(2023, 6, 14, 16, 4)
    assert parse_reference("not a date at all") is None
    assert parse_reference("") is None
    with pytest.raises(InputError):
        parse_reference(20230614)


def test_bad_input_gives_clear_errors():
    with pytest.raises(InputError):
        find_times(b"bytes", REF)
    with pytest.raises(InputError):
        resolve_expression("on Friday", REF, "pluperfect")


def test_doc_of_another_text_is_refused():
    class FakeDoc:
        text = "something else"

    with pytest.raises(InputError):
        find_times("on Friday", REF, FakeDoc())


def test_offsets_survive_emoji_and_rtl_text():
    text = "🎉 مرحبا בעולם — the envoy will arrive on Friday 👍 and leave at the end of the month."
    found = find_times(text, REF)
    assert [(f.text, f.value) for f in found] == [
        ("on Friday", "2023-06-16"),
        ("at the end of the month", "2023-06-21/2023-06-30"),
    ]
    for f in found:
        assert text[f.start:f.end] == f.text


def test_words_that_only_look_like_dates_are_skipped():
    text = "Prices may fall. Troops march on. The 2022 elections were held. Spring water is sold. It fell 3:1."
    assert find_times(text, REF) == []


def test_clock_time_attaches_to_the_date_of_its_sentence():
    found = find_times("A curfew was imposed at 10 p.m. on Saturday.", REF)
    assert [(f.text, f.value) for f in found] == [("at 10 p.m. on Saturday", "2023-06-10T22")]
    found = find_times("On 3 May the guards, who left at 6:30 a.m., were replaced.", REF)
    assert ("at 6:30 a.m.", "2023-05-03T06:30") in [(f.text, f.value) for f in found]


def test_to_dict_shape():
    f = find_times("Blinken will leave on Friday.", REF)[0]
    d = f.to_dict()
    assert d["value"] == "2023-06-16" and d["start_date"] == d["end_date"] == "2023-06-16"
    assert set(d) >= {"text", "start", "end", "value", "precision", "start_date", "end_date", "reason"}
