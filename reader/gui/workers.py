"""Background jobs for the window: QRunnables that carry plain data, and a GUI-thread dispatcher.

A job is a plain function ``fn(progress, emit)`` run on a QThreadPool thread:

* ``progress`` is a ``reader.core.progress.Progress``; the job advances it and checks it for cancel;
* ``emit(*data)`` sends one intermediate result (e.g. a translated sentence) to the GUI thread.

The function must NEVER touch a widget, the window, or the GUI thread's ``Store`` (a SQLite connection
belongs to the thread that opened it): it gets paths and ids, opens its own ``Store(path)`` and closes
it. Its return value, its intermediate results and its progress reach the GUI thread through the signals
of ``JobDispatcher`` (a QObject living in the GUI thread, so the connections are queued), tagged with the
job id. ``JobManager`` routes them to the callbacks given at start, and drops those of a job that was
cancelled or forgotten, so a late result of a cancelled job can never land in the view.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from reader.core.errors import ReaderError
from reader.core.progress import Cancelled, Progress

JobFunction = Callable[[Progress, Callable[..., None]], Any]


_ids = itertools.count(1)


class JobDispatcher(QObject):
    """Signals of every job, emitted from worker threads, delivered in the GUI thread."""

    progressed = Signal(int, int, int, str)  # job id, done, total, message
    item = Signal(int, object)  # job id, tuple of plain data
    succeeded = Signal(int, object)  # job id, return value
    failed = Signal(int, object)  # job id, exception (ReaderError: show str(exc) as is)
    cancelled = Signal(int)  # job id


class JobRunnable(QRunnable):
    """Runs one job function in a pool thread and reports through the dispatcher; holds no widget."""

    def __init__(self, job_id: int, fn: JobFunction, progress: Progress, dispatcher: JobDispatcher) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.job_id = job_id
        self.fn = fn
        self.progress = progress
        self.dispatcher = dispatcher

    def run(self) -> None:  # pool thread
        job_id, dispatcher = self.job_id, self.dispatcher
        try:
            self.progress.check()
            result = self.fn(self.progress, lambda *data: _emit(dispatcher.item, job_id, data))
        except Cancelled:
            _emit(dispatcher.cancelled, job_id)
        except ReaderError as exc:
            _emit(dispatcher.failed, job_id, exc)
        except BaseException as exc:  # an unexpected error: logged with its traceback, shown briefly
            from reader.gui.errors import log_exception

            path = log_exception(exc, "background job failed")
            error = RuntimeError(f"Unexpected error ({type(exc).__name__}: {exc}). The details are in {path}.")
            _emit(dispatcher.failed, job_id, error)
        else:
            _emit(dispatcher.succeeded, job_id, result)
        finally:
            self.fn = None  # drop references held by the closure as soon as possible


def _emit(signal, *args) -> None:
    """Emit from a worker thread; if the window (and its dispatcher) is already gone, drop it."""
    try:
        signal.emit(*args)
    except RuntimeError:  # the dispatcher's C++ object was deleted during shutdown
        pass


@dataclass
class Job:
    """The GUI-thread handle of a running job."""

    id: int
    kind: str
    progress: Progress
    started: float = field(default_factory=time.monotonic)
    on_item: Callable[..., None] | None = None
    on_progress: Callable[[int, int, str], None] | None = None
    on_done: Callable[[Any], None] | None = None
    on_failed: Callable[[BaseException], None] | None = None
    on_cancelled: Callable[[], None] | None = None
    done: int = 0
    total: int = 0

    def cancel(self) -> None:
        self.progress.cancel()

    def eta_seconds(self) -> float | None:
        """Remaining time estimated from the rate so far, or None before the first result."""
        if self.done <= 0 or self.total <= 0:
            return None
        elapsed = time.monotonic() - self.started
        return max(0.0, elapsed / self.done * (self.total - self.done))


class JobManager(QObject):
    """Starts jobs on the thread pools and routes their signals to GUI-thread callbacks.

    Two pools: "serial" (one thread: engine load and translation, so the model is used by one job at a
    time) and "general" (imports, model install/download).
    """

    jobsChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dispatcher = JobDispatcher(self)
        self.pools = {"serial": QThreadPool(self), "general": QThreadPool(self)}
        self.pools["serial"].setMaxThreadCount(1)
        self.pools["general"].setMaxThreadCount(2)
        self._jobs: dict[int, Job] = {}
        self._lock = threading.Lock()
        d = self.dispatcher
        d.progressed.connect(self._on_progressed)
        d.item.connect(self._on_item)
        d.succeeded.connect(self._on_succeeded)
        d.failed.connect(self._on_failed)
        d.cancelled.connect(self._on_cancelled)

    # --- starting and stopping -------------------------------------------------------------------
    def start(
        self,
        kind: str,
        fn: JobFunction,
        *,
        pool: str = "general",
        on_item: Callable[..., None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
    ) -> Job:
        """Run ``fn(progress, emit)`` in a pool thread; callbacks run in the GUI thread."""
        job_id = next(_ids)
        dispatcher = self.dispatcher
        progress = Progress(lambda done, total, msg: _emit(dispatcher.progressed, job_id, done, total, msg or ""))
        job = Job(job_id, kind, progress, on_item=on_item, on_progress=on_progress, on_done=on_done,
                  on_failed=on_failed, on_cancelled=on_cancelled)
        self._jobs[job_id] = job
        self.pools[pool].start(JobRunnable(job_id, fn, progress, dispatcher))
        self.jobsChanged.emit()
        return job

    def cancel(self, job: Job | int | None, forget: bool = True) -> None:
        """Ask a job to stop; with ``forget`` its later signals (and its cancel callback) are dropped."""
        if job is None:
            return
        job_id = job if isinstance(job, int) else job.id
        handle = self._jobs.get(job_id)
        if handle is None:
            return
        handle.cancel()
        if forget:
            del self._jobs[job_id]
            self.jobsChanged.emit()

    def cancel_all(self) -> None:
        for job_id in list(self._jobs):
            self.cancel(job_id)

    def running(self, kind: str | None = None) -> list[Job]:
        return [j for j in self._jobs.values() if kind is None or j.kind == kind]

    def is_active(self, job: Job | None) -> bool:
        return job is not None and job.id in self._jobs

    def wait(self, timeout_ms: int = 5000) -> bool:
        """Block until every pool thread is idle (or the timeout passes); True if all finished."""
        deadline = time.monotonic() + timeout_ms / 1000
        ok = True
        for pool in self.pools.values():
            left = max(0, int((deadline - time.monotonic()) * 1000))
            ok = pool.waitForDone(left) and ok
        return ok

    # --- routing (GUI thread) ----------------------------------------------------------------------
    def _on_progressed(self, job_id: int, done: int, total: int, message: str) -> None:
        job = self._jobs.get(job_id)
        if job is None:
            return
        job.done, job.total = done, total
        if job.on_progress:
            job.on_progress(done, total, message)

    def _on_item(self, job_id: int, data: tuple) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.on_item:
            job.on_item(*data)

    def _finish(self, job_id: int) -> Job | None:
        job = self._jobs.pop(job_id, None)
        if job is not None:
            self.jobsChanged.emit()
        return job

    def _on_succeeded(self, job_id: int, result: Any) -> None:
        job = self._finish(job_id)
        if job is not None and job.on_done:
            job.on_done(result)

    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        job = self._finish(job_id)
        if job is not None and job.on_failed:
            job.on_failed(exc)

    def _on_cancelled(self, job_id: int) -> None:
        job = self._finish(job_id)
        if job is not None and job.on_cancelled:
            job.on_cancelled()


class EngineHolder:
    """The translation engine, created once per process by ``factory`` on the first ``get()``.

    ``get()`` is meant to be called from a worker thread (loading a model takes seconds). A factory error
    (``ModelError`` when no model is installed) is raised to the caller; the next ``get()`` tries again,
    so installing a model and calling ``reset()`` is enough to recover.
    """

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory
        self._engine: Any = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Any:
        return self._engine

    def get(self) -> Any:
        with self._lock:
            if self._engine is None:
                self._engine = self.factory()
            return self._engine

    def reset(self) -> None:
        with self._lock:
            self._engine = None


# --- the job functions of the window (plain data in, plain data out) -----------------------------


def model_label(model_id: str | None) -> str:
    """« argos:fr-en:1.9 » → « Argos fr→en 1.9 » (any other id is shown as is)."""
    if not model_id:
        return "No model"
    parts = model_id.split(":")
    if len(parts) == 3:
        name, pair, version = parts
        return f"{name[:1].upper()}{name[1:]} {pair.replace('-', '→')} {version}".strip()
    return model_id


def translate_job(db_path, holder: EngineHolder, article_id: int, enforce: bool = True,
                  wanted=None) -> JobFunction:
    """Translate one article with its own Store, enforcing the glossary in its machine English
    (``reader.ops.enforce``) batch by batch. Emits, in order:

    * ``("engine", model_id)`` once the engine is loaded;
    * ``("cached", rows, edited)`` the English already known for that model as the window shows it
      (hand edit, else the enforced English when ``enforce``, else the machine output: rows of str|None,
      a set of hand-edited (p, s)), so a view opened before the model id was known catches up;
    * ``("sentence", p, s, text)`` for every sentence as it is translated (its enforced English when
      ``enforce`` and the glossary applies to it: then once its batch is enforced; the others at once).

    ``wanted``: a ``reader.core.priority.WantedRows`` the window keeps on the rows it shows; the rows
    there are translated first (``reader.ops.translate.translate_article``).
    Returns the ``reader.ops.translate.TranslationResult`` (the count translated and what changed, the
    enforcing included).
    """

    def fn(progress: Progress, emit: Callable[..., None]):
        from reader.core.progress import CancelOnly
        from reader.ops.enforce import enforce_article, enforce_sources, enforced_for, shown_english, store_plan
        from reader.ops.translate import TranslationResult, translate_article

        with _engine_and_store(db_path, holder, progress, emit) as (engine, store):
            known = shown_english(store, article_id, engine.model_id, enforce=enforce)
            rows = [[t.text for t in row] for row in known]
            edited = {(p, s) for p, row in enumerate(known) for s, t in enumerate(row) if t.edited}
            emit("cached", rows, edited)
            glossary = store_plan(store) if enforce else None
            held: dict[str, list[tuple[int, int, str]]] = {}  # a batch's machine English, until enforced
            source_at = {(p, s): text for p, s, text in store.article_sentences(article_id)} if glossary else {}

            def on_sentence(p: int, s: int, text: str) -> None:
                # only a sentence holding a term waits for its batch to be enforced; the others show now
                source = source_at.get((p, s), "")
                if glossary and glossary.terms(source)[0]:
                    held.setdefault(source, []).append((p, s, text))
                else:
                    emit("sentence", p, s, text)

            def on_batch(sources: list[str]) -> None:
                if not glossary:
                    return
                enforce_sources(store, engine, engine.model_id, sources, glossary, CancelOnly(progress))
                pairs = [(source, text) for source, places in held.items() for _p, _s, text in places]
                better = enforced_for(store, engine.model_id, glossary, pairs)
                for source, places in held.items():
                    for p, s, text in places:
                        e = better.get((source, text))
                        emit("sentence", p, s, e.text if e is not None else text)
                held.clear()

            result = translate_article(store, engine, article_id, progress, on_sentence,
                                       wanted=wanted, on_batch=on_batch)
            enforced = enforce_article(store, engine, article_id, progress, glossary)
            return TranslationResult(result.count, result.changes | enforced.changes)

    return fn


def enforce_job(db_path, holder: EngineHolder, model_id: str | None, article_id: int | None,
                changed: list | None = None) -> JobFunction:
    """Enforce the glossary off the GUI thread, in its own Store: the library's sentences holding a term
    of ``changed`` (glossary entries as they were and are: ``reader.ops.enforce.reenforce``), then what
    is still missing in article ``article_id`` (``enforce_article``). The engine is loaded only when
    something is to be computed (with ``model_id`` known; without it, to learn it). Emits
    ``("engine", model_id)`` once loaded and ``("stored", sources)`` after each chunk stored, so the
    rows update live; returns the ``EnforceResult`` (the count computed, the articles changed)."""

    def fn(progress: Progress, emit: Callable[..., None]):
        from reader.ops.changes import OpChanges
        from reader.ops.enforce import (
            EnforceResult,
            enforce_article,
            pending_enforcement,
            pending_in_article,
            reenforce,
            store_plan,
        )
        from reader.storage.store import Store

        store = Store(db_path)
        try:
            known = holder.engine.model_id if holder.engine is not None else model_id
            if known:
                plan = store_plan(store)
                todo = (pending_enforcement(store, known, changed) if changed else 0) + (
                    pending_in_article(store, known, article_id, plan) if article_id is not None else 0)
                if not todo:
                    return EnforceResult(0, OpChanges())
            engine = holder.get()
            progress.check()
            emit("engine", engine.model_id)
            stored = lambda sources: emit("stored", sources)  # noqa: E731
            result = EnforceResult(0, OpChanges())
            if changed:
                result = reenforce(store, engine, changed, progress, stored)
            if article_id is not None:
                more = enforce_article(store, engine, article_id, progress, on_stored=stored)
                result = EnforceResult(result.count + more.count, result.changes | more.changes)
            return result
        finally:
            store.close()

    return fn


@contextmanager
def _engine_and_store(db_path, holder: EngineHolder, progress: Progress, emit: Callable[..., None]):
    """In a job: the window's engine (loaded on first use; ``("engine", model_id)`` emitted once it is),
    then a Store of the job's own, closed after."""
    from reader.storage.store import Store

    engine = holder.get()
    progress.check()
    emit("engine", engine.model_id)
    store = Store(db_path)
    try:
        yield engine, store
    finally:
        store.close()


def load_alignments_job(db_path, article_id: int, model_id: str) -> JobFunction:
    """Read the stored word alignments of one article in its own Store (one query; a book's thousands
    of rows stay off the GUI thread). Returns a ``reader.storage.alignments.StoredAlignments``."""

    def fn(progress: Progress, emit: Callable[..., None]):
        from reader.storage.store import Store

        store = Store(db_path)
        try:
            return store.stored_alignments(article_id, model_id)
        finally:
            store.close()

    return fn


def align_job(db_path, holder: EngineHolder, pairs: list[tuple[str, str]]) -> JobFunction:
    """Word alignments of (French sentence, English shown) pairs — a hand edit, its undo — with the
    window's engine, in its own Store: stored ones read, the others computed and stored. Emits
    ``("engine", model_id)`` once the engine is loaded; returns ``(model_id, {pair: ScoredAlignment})``
    (empty when the engine does not align)."""

    def fn(progress: Progress, emit: Callable[..., None]):
        from reader.ops.translate import align_pairs

        with _engine_and_store(db_path, holder, progress, emit) as (engine, store):
            return engine.model_id, align_pairs(store, engine, pairs, progress)

    return fn


def import_job(db_path, paths: list, epub_mode: str = "article", update: bool = False) -> JobFunction:
    """Import files in their own Store; returns ``(ids, [(file name, error sentence)], outcomes)``.

    ``ids``: the article of each imported article (new, or the existing one for an unchanged or updated
    re-import); ``outcomes``: ``(file name, reader.ops.library.ImportOutcome)`` pairs. ``update``: a changed
    version of a file already imported updates that article in place (``import_into_library``).
    """

    def fn(progress: Progress, emit: Callable[..., None]) -> tuple[list[int], list[tuple[str, str]], list]:
        from pathlib import Path

        from reader.importers import import_file
        from reader.ops.library import import_into_library
        from reader.storage.store import Store

        ids: list[int] = []
        errors: list[tuple[str, str]] = []
        outcomes: list = []
        progress.start(len(paths), "importing")
        store = Store(db_path)
        try:
            for raw in paths:
                progress.check()
                path = Path(raw)
                try:
                    result = import_file(path, epub_mode=epub_mode, progress=progress)
                    for outcome in import_into_library(
                        store, result if isinstance(result, list) else [result], update=update
                    ):
                        ids.append(outcome.article_id)
                        outcomes.append((path.name, outcome))
                except ReaderError as exc:
                    errors.append((path.name, str(exc)))
                progress.advance(1, path.name)
        finally:
            store.close()
        return ids, errors, outcomes

    return fn
