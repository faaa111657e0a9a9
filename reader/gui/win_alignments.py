"""The word alignments of the open article, fed to the parallel view's word hover.

``AlignmentController`` is the view's alignment provider. It reads the stored alignments of the open
article for the model — one indexed query in a worker (``load_alignments_job``), when the article opens,
when a change record says its English changed (the translation job stores alignments with its
translations), when the model becomes known and when the hover is switched on — and keeps them keyed by
the exact (French sentence, English shown) pair, so a hand edit finds its own alignment and a stale one
is never shown. A row is parsed only when its sentence is first hovered.

After a hand edit of an English sentence (or its undo) the new pair's alignment is computed in a worker
with the window's engine (forced decoding, ``align_job``, on the engine's serial pool) and the
sentence's links are refreshed when it lands. Without a model, or with an engine that does not align,
there is simply no alignment: no error is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from reader.core.errors import ModelError
from reader.core.retarget import enforced_alignment
from reader.core.wordalign import ScoredAlignment, WordAlignment
from reader.gui.workers import Job, align_job, load_alignments_job
from reader.storage.alignments import StoredAlignments


class AlignmentController(QObject):
    """Stored and freshly computed word alignments of the open article (see the module doc).
    ``alignmentsChanged`` is emitted when new ones reached the view (a load or an alignment landed)."""

    alignmentsChanged = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self._key: tuple[int | None, str | None] = (None, None)  # (article id, model id) of what is held
        self.stored = StoredAlignments()
        self.added: dict[tuple[str, str], ScoredAlignment] = {}  # computed here since (hand edits)
        self.load_job: Job | None = None
        self._requests = 0  # load requests made
        self._scheduled: int | None = None  # the one whose worker is about to start
        self.align_jobs: dict[int, Job] = {}

    # --- the view's provider (GUI thread, at first hover of a pair: a dict look-up) ------------------
    def provide(self, p: int, s: int, french: str, english: str) -> WordAlignment | None:
        try:
            scored = self.added.get((french, english)) or self.stored.get(french, english)
            if scored is not None:
                return scored.alignment()
            return self._enforced(p, s, french, english)
        except Exception:  # noqa: BLE001 (a damaged row: no links, never an error under the mouse)
            return None

    def _enforced(self, p: int, s: int, french: str, english: str) -> WordAlignment | None:
        """The glossary-enforced English of sentence (p, s): the machine English's alignment moved onto
        it word by word (``reader.core.retarget.enforced_alignment``), never the machine one as is."""
        shown = self.w.articles.enforced.get((p, s))
        if shown is None or shown.text != english or not shown.machine:
            return None
        scored = self.added.get((french, shown.machine)) or self.stored.get(french, shown.machine)
        if scored is None:
            return None
        return enforced_alignment(scored.alignment(), shown.machine, english, shown.enforced.applied)

    # --- reading what is stored -------------------------------------------------------------------
    def load(self) -> None:
        """Read again the stored alignments of the open article for the model (in a worker started once
        the GUI thread is back in its event loop: the article's first paint does not share the CPU)."""
        w = self.w
        w.jobs.cancel(self.load_job)
        self.load_job = None
        self._requests += 1
        self._scheduled = None
        key = (w.articles.article_id, w.model.model_id)
        if key != self._key:
            if key[1] != self._key[1]:
                self.added = {}
            self._key, self.stored = key, StoredAlignments()
            w.view.refresh_alignments()
        article_id, model_id = key
        if article_id is None or not model_id or not w.view.word_alignment_enabled():
            return
        if not w.store.has_alignments(model_id):
            return  # none at all for this model (an engine that does not align): no worker for nothing
        request = self._scheduled = self._requests
        QTimer.singleShot(0, self, lambda: self._start_load(request, key))

    def loading(self) -> bool:
        """Whether a read of the stored alignments is under way (or about to start)."""
        return self.load_job is not None or self._scheduled is not None

    def _start_load(self, request: int, key: tuple[int, str]) -> None:
        if request != self._scheduled:
            return  # asked again since: that later request has its own
        self._scheduled = None
        self.load_job = self.w.jobs.start(
            "load alignments",
            load_alignments_job(self.w.db_path, *key),
            on_done=lambda stored: self._on_loaded(key, stored),
            on_failed=lambda _exc: self._on_load_failed(key),  # the hover stays at the sentence level
        )

    def _on_load_failed(self, key: tuple[int, str]) -> None:
        if key == self._key:
            self.load_job = None

    def _on_loaded(self, key: tuple[int, str], stored: StoredAlignments) -> None:
        self.load_job = None
        if key != self._key:
            return  # another article (or model) since
        self.stored = stored
        self.w.view.refresh_alignments()
        self.alignmentsChanged.emit()

    # --- computing a hand edit's alignment ------------------------------------------------------------
    def align_sentence(self, article_id: int, p: int, s: int) -> Job | None:
        """Compute (off the GUI thread) the alignment of sentence (p, s) of the open article as shown now,
        unless it is known; its links are refreshed when it lands. None when nothing is started."""
        w = self.w
        article = w.articles.article
        if article_id != w.articles.article_id or article is None or w.model.state == "missing":
            return None
        try:
            french = article.paragraphs[p].sentence_texts()[s]
            english = w.articles.rows[p][s]
        except IndexError:
            return None
        pair = (french, english)
        if not english or not english.strip() or not french.strip() or pair in self.added or pair in self.stored:
            return None
        job = w.jobs.start(
            "align",
            align_job(w.db_path, w.engine, [pair]),
            pool="serial",  # the engine is used by one job at a time
            on_item=self._on_align_item,
            on_done=lambda result: self._on_aligned(job, article_id, p, s, result),
            on_failed=lambda exc: self._on_align_failed(job, exc),
            on_cancelled=lambda: self.align_jobs.pop(job.id, None),
        )
        self.align_jobs[job.id] = job
        return job

    def _on_align_item(self, kind: str, *data) -> None:
        if kind == "engine" and self.w.model.state != "ready":
            self.w.model.engine_ready(data[0])
            if self._key[1] != self.w.model.model_id:
                self.load()  # the model id is known only now

    def _on_aligned(self, job: Job, article_id: int, p: int, s: int, result) -> None:
        self.align_jobs.pop(job.id, None)
        model_id, found = result
        if not found or model_id != self.w.model.model_id:
            return
        self.added.update(found)
        if article_id == self.w.articles.article_id:
            self.w.view.refresh_alignments(p, s)
        self.alignmentsChanged.emit()

    def _on_align_failed(self, job: Job, exc: BaseException) -> None:
        self.align_jobs.pop(job.id, None)
        if not isinstance(exc, ModelError):  # no model: no alignment, and nothing to say
            self.w.statusBar().showMessage(f"Word alignment: {exc}", 6000)
