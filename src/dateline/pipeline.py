"""The one place that knows the order of the stages.

    RawDocument --extract--> Article --nlp--> Doc --resolve--> entities, places, times
                --events--> Event list  ==> Analysis --store--> SQLite

Stage functions are pure (no database, no network); ``ingest`` and
``analyze_pending`` are the only functions here that touch the store.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime

from . import nlp
from .errors import DatelineError, InputError
from .extract import ExtractOptions, extract
from .extract.language import UNDETERMINED, identify_language, language_rules
from .models import Analysis, Article, RawDocument
from .sources.local import Skipped
from .store.articles import compress_raw

log = logging.getLogger(__name__)

ANALYSED_LANGUAGES = {"en"}
MAX_ANALYSIS_CHARS = 1_000_000


@dataclass
class Options:
    """Settings for the analysis stages."""

    spacy_model: str | None = None
    published: str | None = None  # override of the reference date for relative times
    extra_actors: object | None = None  # user actor list (see resolve.actors.load_actor_file)
    future_as_agree: bool = False  # PLOVER's convention: future cooperative acts coded AGREE
    use_classifier: bool = True


# -- one document --------------------------------------------------------------

# ``dateline analyze`` on plain text the user typed or piped in: one short
# sentence is a valid question, so the "is this an article?" floor that keeps
# menus and stubs out of the store does not apply.
_ANALYZE_TEXT_OPTIONS = ExtractOptions(min_words=1)


def extract_article(raw: RawDocument, *, for_analysis: bool = False) -> Article:
    opts = _ANALYZE_TEXT_OPTIONS if for_analysis and raw.kind == "text" else None
    article = extract(raw, opts)
    if not article.published and raw.published_hint:
        article.published = raw.published_hint
        article.published_source = "source metadata"
    if not article.url and raw.url:
        article.url = raw.url
    return article


def _language_notes(article: Article) -> tuple[str | None, str | None]:
    """(why the article is not analysed, or None; a note to add when it is analysed, or None).

    An undetermined text ("und") is still analysed as English when it is merely short (a sentence
    given to ``dateline analyze``) or when the identifier's unconfident best guess is English; junk
    whose best guess is another language, or none, is not. Stored articles keep only the code, so
    the identifier reads the text again here, once."""
    if article.language == UNDETERMINED:
        guess = identify_language(article.text)
        reason = guess.reason or "language undetermined"
        if 0 < guess.letters < language_rules().min_letters or guess.best_guess in ANALYSED_LANGUAGES:
            return None, f"{reason}: analysed as English"
        return f"not analysed: {reason}", None
    if article.language and article.language not in ANALYSED_LANGUAGES:
        return f"not analysed (language {article.language})", None
    if not article.text.strip():
        return "not analysed (empty text)", None
    return None, None


def understand(article: Article, doc, options: Options | None = None, doc_id: str | None = None) -> Analysis:
    """Resolve actors, places and times over a parsed article, then code its events."""
    from .events import code_events
    from .events.combine import combine_events
    from .resolve.actors import resolve_actors
    from .resolve.places import resolve_places
    from .resolve.time import find_times
    from .models import Sentence

    options = options or Options()
    published = options.published or article.published
    analysis = Analysis(article=article, id=doc_id, analysed=True)
    analysis.sentences = [
        Sentence(i, s.start_char, s.end_char, s.text) for i, s in enumerate(nlp.sentences(doc))
    ]
    analysis.entities = resolve_actors(doc, published, options.extra_actors)
    analysis.places = resolve_places(doc, published)
    analysis.times = find_times(article.text, published, doc=doc)
    if not published:
        analysis.note = "no publication date: relative time expressions left unresolved"
    analysis.events = code_events(doc, analysis, options)
    if options.use_classifier:
        analysis.events = combine_events(doc, analysis, analysis.events, options)
    return analysis


def analyze_articles(articles: list[tuple[Article, str | None]], options: Options | None = None) -> list[Analysis]:
    """Analyse many articles with one batched spaCy pass (``nlp.pipe``)."""
    options = options or Options()
    out: list[Analysis | None] = [None] * len(articles)
    todo: list[int] = []
    read_as: dict[int, str] = {}
    for i, (article, doc_id) in enumerate(articles):
        skip, note = _language_notes(article)
        if note:
            read_as[i] = note
        if skip:
            out[i] = Analysis(article=article, id=doc_id, analysed=False, note=skip)
        elif len(article.text) > SEGMENT_ABOVE_CHARS:
            out[i] = _analyze_in_segments(article, doc_id, options)
        else:
            todo.append(i)
    texts = (articles[i][0].text for i in todo)
    for i, doc in zip(todo, nlp.parse(texts, options.spacy_model)):
        article, doc_id = articles[i]
        out[i] = understand(article, doc, options, doc_id)
    for i, note in read_as.items():
        out[i].note = "; ".join(x for x in (note, out[i].note) if x)
    return [a for a in out if a is not None]


# -- very long texts -------------------------------------------------------------
# Several resolution and coding steps compare each mention or trigger with the
# whole document, so their cost grows with the square of its length: a 50 KB
# text took minutes and 1 MB would take hours. News articles are far shorter,
# so a longer text is analysed in segments of bounded size (cutting at
# paragraph, then sentence, then word boundaries) whose results are shifted
# back to offsets in the full text. Links between segments (a pronoun to a
# name in the previous one) are lost, which such texts can afford.

SEGMENT_ABOVE_CHARS = 30_000
SEGMENT_CHARS = 10_000
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")


def split_segments(text: str, size: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans covering ``text``, each at most ``size`` characters unless one word is longer."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        end = start + size
        if end >= n:
            spans.append((start, n))
            break
        window = text[start:end]
        cut = window.rfind("\n\n")
        if cut < size // 2:
            ends = [m.end() for m in _SENTENCE_END.finditer(window)]
            cut = ends[-1] if ends and ends[-1] >= size // 2 else -1
        if cut < size // 2:
            space = window.rfind(" ")
            cut = space + 1 if space > 0 else size
        spans.append((start, start + cut))
        start += cut
    return spans


def _analyze_in_segments(article: Article, doc_id: str | None, options: Options) -> Analysis:
    text = article.text[:MAX_ANALYSIS_CHARS]
    spans = split_segments(text)
    parts = [replace(article, text=text[a:b]) for a, b in spans]
    whole = Analysis(article=article, id=doc_id, analysed=True)
    for (offset, _), part, doc in zip(spans, parts, nlp.parse((p.text for p in parts), options.spacy_model)):
        _merge_shifted(whole, understand(part, doc, options, doc_id), offset)
    notes = [f"analysed in {len(spans)} segments of at most {SEGMENT_CHARS:,} characters (a very long text)"]
    if len(article.text) > MAX_ANALYSIS_CHARS:
        notes.append(f"analysed the first {MAX_ANALYSIS_CHARS:,} characters only")
    if not (options.published or article.published):
        notes.append("no publication date: relative time expressions left unresolved")
    whole.note = "; ".join(notes)
    return whole


def _merge_shifted(whole: Analysis, part: Analysis, offset: int) -> None:
    """Append a segment's analysis to ``whole``, moving offsets and indexes into the full text."""
    n_sent, n_ent = len(whole.sentences), len(whole.entities)
    moved: set[int] = set()  # an event's date or place is often the very object listed in times/places

    def move(obj, sentence_attr: str | None = "sentence") -> None:
        if obj is None or id(obj) in moved:
            return
        moved.add(id(obj))
        if getattr(obj, "start", None) is not None and obj.start >= 0:
            obj.start += offset
            obj.end += offset
        if sentence_attr:
            setattr(obj, sentence_attr, getattr(obj, sentence_attr) + n_sent)

    for s in part.sentences:
        move(s, "index")
    for m in part.entities:
        move(m)
        if m.coref_of is not None:
            m.coref_of += n_ent
    for p in part.places:
        move(p)
    for t in part.times:
        move(t)
    for ev in part.events:
        move(ev, "sentence_index")
        for m in ev.mentions:
            move(m, "sentence_index")
        for arg in (ev.actor, ev.recipient, ev.attribution):
            move(arg, None)
        move(ev.location)
        move(ev.date)
    whole.sentences += part.sentences
    whole.entities += part.entities
    whole.places += part.places
    whole.times += part.times
    whole.events += part.events


def analyze_document(raw: RawDocument, options: Options | None = None) -> Analysis:
    """``dateline analyze``: extract and analyse one document without storing it."""
    article = extract_article(raw, for_analysis=True)
    return analyze_articles([(article, raw.doc_id)], options)[0]


def analyze_documents(raws: Iterable[RawDocument | Skipped], options: Options | None = None,
                      batch_size: int = 16) -> Iterator[dict]:
    """``dateline analyze --jsonl``: one result dict per input, in order; errors become error objects."""
    batch: list[tuple[int, Article | None, RawDocument | Skipped, str | None]] = []

    def flush() -> Iterator[dict]:
        good = [(a, r.doc_id) for _, a, r, err in batch if a is not None]
        results = iter(analyze_articles(good, options)) if good else iter(())
        for _, a, r, err in batch:
            if a is not None:
                yield next(results).to_dict()
            else:
                yield {"id": getattr(r, "doc_id", None), "error": err, "item": getattr(r, "item", None)}
        batch.clear()

    for n, raw in enumerate(raws):
        if isinstance(raw, Skipped):
            batch.append((n, None, raw, raw.reason))
        else:
            try:
                batch.append((n, extract_article(raw, for_analysis=True), raw, None))
            except InputError as exc:
                batch.append((n, None, raw, reason_of(exc)))
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()


# -- into the store ------------------------------------------------------------

@dataclass
class IngestReport:
    added: int = 0
    new_versions: int = 0
    duplicates: int = 0
    unchanged: int = 0
    failed: int = 0
    analysed: int = 0
    not_analysed: int = 0
    analysis_failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)
    stories: object | None = None  # the stories stage's report, when it ran

    @property
    def ok(self) -> int:
        return self.added + self.new_versions

    @property
    def skipped(self) -> int:
        return self.duplicates + self.unchanged

    def to_dict(self) -> dict:
        return {
            "added": self.added, "new_versions": self.new_versions, "duplicates": self.duplicates,
            "unchanged": self.unchanged, "failed": self.failed, "analysed": self.analysed,
            "not_analysed": self.not_analysed, "analysis_failed": self.analysis_failed,
            "failures": [{"item": i, "reason": r} for i, r in self.failures],
            "stories": self.stories.to_dict() if self.stories is not None else None,
        }


ProgressFn = Callable[[IngestReport, str], None]


def ingest_documents(raws: Iterable[RawDocument | Skipped], store, report: IngestReport | None = None,
                     progress: ProgressFn | None = None, source_kind: str = "file") -> IngestReport:
    """Extract and store each document in its own transaction: a killed run loses nothing committed."""
    report = report or IngestReport()
    for raw in raws:
        if isinstance(raw, Skipped):
            _fail(store, report, raw.item, raw.reason)
        else:
            item = raw.url or raw.path or "<document>"
            try:
                ingest_one(raw, store, report, source_kind)
            except DatelineError as exc:
                _fail(store, report, item, reason_of(exc))
            except Exception as exc:  # one bad document must not end the run
                log.exception("unexpected error on %s", item)
                _fail(store, report, item, f"internal error: {type(exc).__name__}: {exc}")
        if progress:
            progress(report, "ingest")
    return report


_compressor: ThreadPoolExecutor | None = None


def _compress_async(data: bytes) -> Future:
    """Compress raw bytes on a helper thread while this one extracts (zlib releases the GIL)."""
    global _compressor
    if _compressor is None:
        _compressor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dateline-zlib")
    return _compressor.submit(compress_raw, data)


def ingest_one(raw: RawDocument, store, report: IngestReport, source_kind: str = "file") -> None:
    check = store.check_document(raw)
    if check.status == "duplicate":
        report.duplicates += 1
        return
    blob = _compress_async(raw.content)
    article = extract_article(raw)
    stored = store.add_article(raw, article, check, source=raw.source, source_kind=source_kind, blob=blob.result())
    if stored.status == "added":
        report.added += 1
    elif stored.status == "new_version":
        report.new_versions += 1
    else:
        report.unchanged += 1
        return
    report.article_ids.append(stored.article_id)


def reason_of(exc: DatelineError) -> str:
    """The message with its detail: "no article text found" alone does not say why."""
    return f"{exc.message} ({exc.detail})" if exc.detail else exc.message


def _fail(store, report: IngestReport, item: str, reason: str) -> None:
    report.failed += 1
    report.failures.append((item, reason))
    log.info("skipped %s: %s", item, reason)
    store.record_failure(item, reason)


def ingest(inputs: list[str], store, *, analyze: bool = True, options: Options | None = None,
           progress: ProgressFn | None = None) -> IngestReport:
    """Files, folders, globs, JSONL, WARC, feeds and URLs into the store, then analysis and stories.

    A thin wrapper over ``sources.ingest.ingest_inputs``, the one ingest entry
    point, with its default fetch settings (public hosts only, robots.txt
    obeyed); the report it returns is that function's ``SourceReport``.
    """
    # Imported here: sources.ingest builds on this module, and its web machinery
    # is itself imported only when an input needs fetching.
    from .sources.ingest import ingest_inputs

    return ingest_inputs(inputs, store, analyze=analyze, options=options, progress=progress)


def finish_ingest(store, report: IngestReport, *, analyze: bool = True, options: Options | None = None,
                  progress: ProgressFn | None = None) -> IngestReport:
    """After documents are stored: analyse what is pending, then group articles and events into stories."""
    if analyze:
        analyze_pending(store, options, report=report, progress=progress)
    group_stories(store, report)
    return report


def group_stories(store, report: IngestReport | None = None) -> None:
    """Duplicates, stories, world events and related articles for whatever arrived (incremental)."""
    from .stories import update_stories

    result = update_stories(store)
    if report is not None:
        report.stories = result


def analyze_pending(store, options: Options | None = None, *, batch_size: int = 32, redo: bool = False,
                    report: IngestReport | None = None, progress: ProgressFn | None = None) -> IngestReport:
    """Analyse every stored article still pending (all current ones with ``redo``)."""
    report = report or IngestReport()
    if redo:
        store.reset_analysis()
    while True:
        rows = store.pending_analysis(batch_size)
        if not rows:
            break
        articles = [(_row_article(r), str(r["id"])) for r in rows]
        try:
            analyses = analyze_articles(articles, options)
        except DatelineError:
            raise  # a missing model is the user's to fix, not a per-article failure
        except Exception as exc:
            log.exception("analysis batch failed; retrying one by one")
            analyses = []
            for art in articles:
                try:
                    analyses.extend(analyze_articles([art], options))
                except Exception as one_exc:  # noqa: BLE001 - recorded with its reason
                    store.mark_analysis_failed(int(art[1]), f"{type(one_exc).__name__}: {one_exc}")
                    report.analysis_failed += 1
            if not analyses and report.analysis_failed == 0:
                raise exc
        store.save_analyses([(int(a.id), a) for a in analyses])
        for a in analyses:
            if a.analysed:
                report.analysed += 1
            else:
                report.not_analysed += 1
        if progress:
            progress(report, "analyse")
    return report


def _row_article(row: dict) -> Article:
    return Article(text=row["text"], title=row["title"], published=row["published"], language=row["language"],
                   url=row["url"])


def parse_published(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
