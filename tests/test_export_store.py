"""A small store with hand-made analyses for the export tests (no spaCy, no network)."""

from __future__ import annotations

from dataclasses import dataclass

from dateline.models import (
    Actor,
    Analysis,
    Article,
    EntityMention,
    Event,
    EventArgument,
    EventMention,
    Place,
    RawDocument,
    TimeExpression,
)
from dateline.store import Store

TEXT_EN = ("Secretary of State Antony Blinken arrived in Beijing on Sunday for talks with China. "
           "China accused the United States of flying a spy balloon over its territory. "
           "Blinken met Chinese officials in Beijing on Sunday. "
           "US fighter jets shot down the balloon.")
TEXT_DE = ("Antony Blinken traf am Sonntag in Peking ein. "
           "Antony Blinken visited Beijing on Sunday.")


@dataclass
class Built:
    store: Store
    ids: dict[str, int]


def _span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def _sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for piece in text.split(". "):
        sent = piece if piece.endswith(".") else piece + "."
        start = text.index(sent.rstrip("."), pos)
        out.append((start, sent))
        pos = start + len(sent)
    return out


def _add(store: Store, url: str, text: str, *, language: str, site: str, published: str) -> int:
    raw = RawDocument(content=(url + text).encode(), url=url, kind="text")
    art = Article(text=text, title=text[:40], url=url, language=language, site_name=site, published=published)
    stored = store.add_article(raw, art, store.check_document(raw))
    return stored.article_id


def _event(text: str, sentence: int, trigger: str, **kw) -> Event:
    start_s, sent = _sentences(text)[sentence]
    s, e = _span(text, trigger, start_s)
    return Event(sentence=sent, sentence_index=sentence, start=s, end=e, trigger=trigger, **kw)


def build(path) -> Built:
    store = Store(str(path))
    a1 = _add(store, "https://www.worldwire.example/2023/06/18/blinken", TEXT_EN, language="en",
              site="World Wire", published="2023-06-18T10:00:00-04:00")
    a2 = _add(store, "https://nachrichten.example/blinken-peking", TEXT_DE, language="de",
              site="Nachrichten", published="2023-06-18T16:00:00+02:00")
    usa = Actor(name="United States", kind="country", country="USA", sector="GOV")
    chn = Actor(name="China", kind="country", country="CHN", sector="GOV")
    blinken = Actor(name="Antony Blinken", kind="person", country="USA", sector="GOV", role="Secretary of State",
                    id="Q4356219")
    beijing = Place(text="Beijing", start=_span(TEXT_EN, "Beijing")[0], end=_span(TEXT_EN, "Beijing")[1],
                    name="Beijing", country="CHN", lat=39.9075, lon=116.39723, geonames_id=1816670, feature="city",
                    sentence=0)
    sunday = TimeExpression(text="on Sunday", start=0, end=0, value="2023-06-18", precision="day",
                            start_date="2023-06-18", end_date="2023-06-18")
    s0 = _sentences(TEXT_EN)

    def mention(text, label, actor, sentence, after=0):
        s, e = _span(TEXT_EN, text, max(after, s0[sentence][0]))
        return EntityMention(text=text, label=label, start=s, end=e, sentence=sentence, actor=actor)

    visit = _event(TEXT_EN, 0, "arrived in", type="CONSULT", mode="visit", status="occurred",
                   contexts=["diplomatic"],
                   actor=EventArgument(text="Antony Blinken", name="Antony Blinken", country="USA", sector="GOV",
                                       role="Secretary of State", id="Q4356219"),
                   recipient=EventArgument(text="China", name="China", country="CHN", sector="GOV"),
                   location=beijing, date=sunday, score=4.0, quad_class=1, cameo="042", goldstein=1.9)
    met = _event(TEXT_EN, 2, "met", type="CONSULT", mode="meet", status="occurred")
    visit.mentions = [EventMention(0, visit.sentence, visit.start, visit.end, visit.trigger),
                      EventMention(2, met.sentence, met.start, met.end, met.trigger)]
    accuse = _event(TEXT_EN, 1, "accused", type="ACCUSE", mode="allege", status="occurred",
                    contexts=["intelligence", "military"],
                    actor=EventArgument(text="China", name="China", country="CHN", sector="GOV"),
                    recipient=EventArgument(text="the United States", name="United States", country="USA",
                                            sector="GOV"),
                    score=-3.5, quad_class=3, cameo="112", goldstein=-2.0)
    shoot = _event(TEXT_EN, 3, "shot down", type="ASSAULT", mode="aerial", status="occurred", contexts=["military"],
                   actor=EventArgument(text="US fighter jets", name="United States", country="USA", sector="MIL"),
                   score=-8.0, quad_class=4, cameo="195", goldstein=-10.0)
    uncoded = _event(TEXT_EN, 2, "met", type="CONSULT", mode="meet", status="occurred",
                     actor=EventArgument(text="Blinken", name="Antony Blinken", country="USA", sector="GOV"),
                     score=3.0, quad_class=1, cameo=None)
    an1 = Analysis(article=Article(text=TEXT_EN), analysed=True,
                   entities=[mention("Antony Blinken", "PERSON", blinken, 0), mention("China", "GPE", chn, 0),
                             mention("China", "GPE", chn, 1), mention("United States", "GPE", usa, 1),
                             mention("Blinken", "PERSON", blinken, 2)],
                   places=[beijing], events=[visit, accuse, shoot, uncoded])

    copy = _event(TEXT_DE, 1, "visited", type="CONSULT", mode="visit", status="occurred", contexts=["diplomatic"],
                  actor=EventArgument(text="Antony Blinken", name="Antony Blinken", country="USA", sector="GOV"),
                  recipient=EventArgument(text="Beijing", name="China", country="CHN"),
                  score=4.0, quad_class=1, cameo="042", goldstein=1.9)
    an2 = Analysis(article=Article(text=TEXT_DE), analysed=True, events=[copy])
    store.save_analyses([(a1, an1), (a2, an2)])
    ids = {row["trigger"] + ":" + str(row["article_id"]): row["id"]
           for row in store.conn.execute("SELECT id, trigger, article_id FROM events")}
    return Built(store, {"visit": ids[f"arrived in:{a1}"], "accuse": ids[f"accused:{a1}"],
                         "shoot": ids[f"shot down:{a1}"], "uncoded": ids[f"met:{a1}"], "copy": ids[f"visited:{a2}"],
                         "a1": a1, "a2": a2})


def group_world_event(built: Built, *keys: str, world_id: int = 900) -> None:
    """What the stories stage does: mark copies of one real-world event."""
    with built.store.transaction() as conn:
        for k in keys:
            conn.execute("UPDATE events SET world_event_id = ? WHERE id = ?", (world_id, built.ids[k]))


def test_fixture_store_holds_the_events_the_export_tests_expect(tmp_path):
    built = build(tmp_path / "s.db")
    conn = built.store.conn
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 5
    # the visit was said twice in its article: two mention rows
    assert conn.execute("SELECT count(*) FROM event_mentions WHERE event_id = ?",
                        (built.ids["visit"],)).fetchone()[0] == 2
    assert conn.execute("SELECT cameo FROM events WHERE id = ?", (built.ids["visit"],)).fetchone()[0] == "042"
    built.store.close()
