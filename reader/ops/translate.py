"""Long jobs as plain functions (no Qt): translate an article through the cache, and align its words.

The CLI calls them directly with a terminal progress bar; the GUI runs them in a worker thread that
opens its own ``Store`` on the same database file. They must never touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reader.core.priority import BatchPlan, WantedRows
from reader.core.progress import CancelOnly, Cancelled, Progress, ProgressShare
from reader.core.wordalign import ScoredAlignment
from reader.ops.changes import OpChanges
from reader.storage.store import Store
from reader.translation.base import TranslationEngine

#: How many finished sentences are written to the cache at a time while a job runs, so that a cancel
#: or a crash keeps what was already translated.
FLUSH_EVERY = 16

#: The first sentences, in reading order (or the top of what the window shows), are translated on their
#: own so that what the reader is looking at fills in within a second or so; the rest follows in
#: length-sorted batches, which are faster overall but finish in no particular order.
HEAD_SENTENCES = 6

#: With the rows on screen known (a window's job), the first batch is the top row on screen, at most
#: this many sentences (each one more in a batch costs less than a batch of its own, the second most).
TOP_SENTENCES = 4

#: Sentences per engine call when the job plans its own batches (a window's job): the engine's own batch
#: size when it says it (``batch_sentences``), else this.
BATCH_SENTENCES = 32


@dataclass(frozen=True)
class TranslationResult:
    """What :func:`translate_article` did: ``count`` distinct source sentences of the body translated,
    and the record of what changed (the article's English, when anything was translated)."""

    count: int
    changes: OpChanges


def _aligning(engine: TranslationEngine) -> bool:
    """Whether the engine gives word alignments (the Argos engine does; a remote engine may not)."""
    return callable(getattr(engine, "translate_aligned", None)) and callable(getattr(engine, "align", None))


def translate_article(
    store: Store,
    engine: TranslationEngine,
    article_id: int,
    progress: Progress | None = None,
    on_sentence: Callable[[int, int, str], None] | None = None,
    *,
    align: bool = True,
    wanted: WantedRows | None = None,
    on_batch: Callable[[list[str]], None] | None = None,
) -> TranslationResult:
    """Translate the sentences of an article that have no cached translation for ``engine.model_id``.

    ``on_sentence(paragraph, sentence, text)`` is called for every sentence position whose machine
    translation arrives (a source sentence that occurs twice is translated once and reported at both
    positions). Results are cached as they arrive; on cancel the finished ones are kept and
    ``Cancelled`` propagates. The title is translated last, cached like a sentence (no callback).
    Returns a :class:`TranslationResult`: the number of distinct source sentences of the body translated
    and ``OpChanges(translations={article_id})`` (empty when nothing needed translating). A cancelled job
    changed the article's English too (what was finished is kept): the caller knows it as such.

    With ``align`` and an engine that aligns, each sentence's word alignment is computed in the same
    pass and stored with its translation; then the article's other missing alignments (cached
    translations, hand edits, an older method) are computed too (:func:`align_article`).

    Order (``reader.core.priority.BatchPlan``): with ``wanted`` (the rows a window shows, which it
    updates while the job runs), the rows on screen first, then those near them, then the rest in
    length-sorted batches; the hint is read again before every batch. Without it (the CLI), the first
    ``HEAD_SENTENCES`` in reading order, then all the rest. ``on_batch(sources)`` is called after each
    engine call, once its translations are stored (the window enforces the glossary in them).
    """
    aligned = align and _aligning(engine)
    progress = progress or Progress()
    positions: dict[str, list[tuple[int, int]]] = {}
    for p, s, text in store.article_sentences(article_id):
        positions.setdefault(text, []).append((p, s))
    todo = store.untranslated_sentences(article_id, engine.model_id)
    sentence_count = len(todo)
    # The title is translated too (cached like a sentence) for the bilingual header and exports.
    title = store.article_title(article_id).strip()
    if title and title not in positions and not store.cached_translations(engine.model_id, [title]):
        todo.append(title)
    progress.start(len(todo), "translating")
    if not todo:
        if aligned and align_article(store, engine, article_id, CancelOnly(progress)):
            return TranslationResult(0, OpChanges(translations={article_id}))  # its words are linked now
        return TranslationResult(0, OpChanges())

    pending: dict[str, str] = {}
    pending_alignments: list = []

    def flush() -> None:
        if pending:
            store.store_translations(engine.model_id, dict(pending))
            pending.clear()
        if pending_alignments:
            store.store_alignments(engine.model_id, list(pending_alignments))
            pending_alignments.clear()

    def deliver(index: int, english: str, alignment=None) -> None:
        source = todo[index]
        pending[source] = english
        if alignment is not None:
            pending_alignments.append((source, english, alignment))
        if len(pending) >= FLUSH_EVERY:
            flush()
        if on_sentence is not None:
            for p, s in positions.get(source, ()):
                on_sentence(p, s, english)

    # (the title is shown above the first row: with it on screen, not in the very first batch)
    where = [sorted({p for p, _s in positions.get(source, ())}) or [0] for source in todo]
    plan = BatchPlan(todo, where, wanted, batch=getattr(engine, "batch_sentences", BATCH_SENTENCES),
                     lead=HEAD_SENTENCES, top=TOP_SENTENCES, header=range(sentence_count, len(todo)))
    share = ProgressShare(progress)
    # Rows the reader is looking at (the top row on opening, the screen after a jump) are translated
    # without their word alignment: their English shows a third sooner. Their words are aligned (the
    # same forced pass, in a call of its own) once the screen is done, all of it in one call, before the
    # next batch; ``on_batch`` waits for it (the glossary's enforcing carries the word links over).
    unaligned: list[tuple[list[str], list[str]]] = []  # (sources, English) of batches shown without links

    def align_shown() -> None:
        if not unaligned:
            return
        pairs = [(s, e) for part, english in unaligned for s, e in zip(part, english) if s.strip() and e.strip()]
        _align_and_store(store, engine, pairs, CancelOnly(progress))
        parts = [part for part, _english in unaligned]
        unaligned.clear()
        if on_batch is not None:
            for part in parts:
                on_batch(part)

    try:
        while batch := plan.next_batch():  # the plan reads ``wanted`` again before every batch
            progress.check()  # a cancel (or a quit) stops between batches
            part = [todo[i] for i in batch]
            if aligned and plan.on_screen:
                english = engine.translate(part, progress=share,
                                           on_result=lambda k, text, b=batch: deliver(b[k], text))
                flush()
                unaligned.append((part, english))
                continue
            align_shown()
            if aligned:
                engine.translate_aligned(  # type: ignore[attr-defined]
                    part, progress=share, on_result=lambda k, text, a, b=batch: deliver(b[k], text, a)
                )
            else:
                engine.translate(part, progress=share, on_result=lambda k, text, b=batch: deliver(b[k], text))
            flush()
            if on_batch is not None:
                on_batch(part)
        align_shown()
    except Cancelled:
        flush()
        raise
    if aligned:
        align_article(store, engine, article_id, CancelOnly(progress))
    return TranslationResult(sentence_count, OpChanges(translations={article_id}))


def align_article(store: Store, engine: TranslationEngine, article_id: int, progress: Progress | None = None) -> int:
    """Compute and store the word alignments the article lacks: its machine translations for
    ``engine.model_id`` and its hand edits (forced decoding of the edited English), and any stored by an
    older method. Returns how many were computed (0 when the engine does not align)."""
    if not _aligning(engine):
        return 0
    progress = progress or Progress()
    missing = store.missing_alignments(article_id, engine.model_id)
    return len(_align_and_store(store, engine, missing, progress))


def align_pairs(
    store: Store, engine: TranslationEngine, pairs: list[tuple[str, str]], progress: Progress | None = None
) -> dict[tuple[str, str], ScoredAlignment]:
    """The word alignments of these (French sentence, English shown) pairs — a hand edit, its undo: the
    ones stored for ``engine.model_id``, the others computed by forced decoding and stored. Empty when the
    engine does not align; a pair with an empty side has none."""
    if not _aligning(engine):
        return {}
    progress = progress or Progress()
    wanted = list(dict.fromkeys(pairs))
    found = store.cached_alignments(engine.model_id, wanted)
    found.update(_align_and_store(store, engine, [p for p in wanted if p not in found], progress))
    return found


def _align_and_store(
    store: Store, engine: TranslationEngine, missing: list[tuple[str, str]], progress: Progress
) -> dict[tuple[str, str], ScoredAlignment]:
    """Align the pairs with the engine, storing each chunk as it is done; returns those computed."""
    progress.start(len(missing), "aligning")
    done: dict[tuple[str, str], ScoredAlignment] = {}
    if not missing:
        return done
    share = ProgressShare(progress)
    for start in range(0, len(missing), FLUSH_EVERY * 4):
        chunk = missing[start : start + FLUSH_EVERY * 4]
        results = engine.align(chunk, progress=share)  # type: ignore[attr-defined]
        computed = {pair: a for pair, a in zip(chunk, results) if a is not None}
        store.store_alignments(engine.model_id, [(s, e, a) for (s, e), a in computed.items()])
        done.update(computed)
    return done
