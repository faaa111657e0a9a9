"""The open article and its translation job: what the parallel view shows, and keeping it true.

``ArticleController`` holds the open article, its English rows (``str | None`` per sentence) and the hand
edited positions; it opens and closes articles, runs the background translation job (rows fill in live),
edits a sentence's English through an undo command, and is the parallel view's subscriber to the
window's change signal (:meth:`on_changes`): it reloads, refills or redraws the view only when a change
record concerns the open article.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton, QSizePolicy, QWidget

from reader.core.errors import ModelError, NotFoundError, ReaderError
from reader.core.priority import WantedRows
from reader.gui.dialogs import EditTranslationDialog, show_message
from reader.gui.library_panel import EditTranslationCommand
from reader.gui.model_setup import MISSING_TEXT, english_note, older_tooltip
from reader.gui.workers import Job, translate_job
from reader.ops.changes import OpChanges
from reader.ops.enforce import ShownSentence, enforced_for, store_plan
from reader.ops.reading import reading_english

APP_NAME = "Vis-à-vis"

#: How often at most (ms) the rows on screen are passed to a running translation job while scrolling.
WANTED_ROWS_MS = 50


class JobStatus(QWidget):
    """Status-bar progress of the translation job: label with ETA, bar, Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("jobLabel")
        self.bar = QProgressBar(self)
        self.bar.setObjectName("jobProgress")
        self.bar.setFixedWidth(160)
        self.bar.setMaximumHeight(16)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setObjectName("cancelTranslationButton")
        self.cancel.setToolTip("Stop translating; what is done is kept")
        # its natural width: the status bar's spare room goes to the label, not the button (#14.6)
        self.cancel.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)

    def show_progress(self, done: int, total: int, eta: float | None, verb: str = "Translating",
                      loading: bool = False) -> None:
        """*done*/*total*: the article's sentences done, counted as the library counts them."""
        self.bar.setMaximum(max(total, 1) if not loading else 0)  # busy bar while the model loads
        self.bar.setValue(min(done, total))
        text = "Loading the model…" if loading else f"{verb} {done}/{total}"
        if eta is not None and done < total:
            secs = int(eta + 0.5)
            text += f" · about {secs // 60}:{secs % 60:02d} left"
        self.label.setText(text)


class ArticleController(QObject):
    """The open article of a window (see the module doc). ``opened`` carries the new id, or None."""

    opened = Signal(object)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.article = None
        self.article_id: int | None = None
        self.rows: list[list[str | None]] = []
        self._anchored = None  # SideText of the English the annotations are stored on (anchored_side)
        self.edited: set[tuple[int, int]] = set()
        # the sentences showing the glossary-enforced English: (p, s) → ShownSentence (text, Enforced, machine)
        self.enforced: dict = {}
        self._plan = None  # the glossary's enforcing plan, kept while the glossary is unchanged
        self._known: list = []
        # the model the English is read with (the installed one, else the cached one that covers the
        # article best: the English stays readable without a model), and the sentences that show the
        # English of another model until they are translated again
        self.reading_model = ""
        self.older: dict[tuple[int, int], str] = {}
        self.n_filled = 0
        self.n_total = 0
        self.translation_job: Job | None = None
        self.edit_dialog: EditTranslationDialog | None = None
        # The rows on screen, read by the translation job before each batch (they translate first);
        # updated on scroll, jump and resize, at most every WANTED_ROWS_MS.
        self.wanted = WantedRows()
        self._wanted_timer: QTimer | None = None

    # --- opening and closing ------------------------------------------------------------------
    def open(self, article_id: int | None) -> None:
        """Show an article from the store with its cached English; translate the rest in the background."""
        w = self.w
        if article_id is None:
            return
        if article_id == self.article_id and self.article is not None:
            return
        self.stop_translation_job()
        try:
            article = w.store.get_article(article_id)
        except NotFoundError as exc:
            w.statusBar().showMessage(str(exc), 6000)
            w.library.refresh()
            raise
        self.article, self.article_id = article, article_id
        self._plan = None  # the glossary read again at each open (another process may have changed it)
        self._load_rows()
        self._count_filled()
        w.view.set_article(article, self.rows, set(self.edited))
        w.view.set_older(self._older_tips())
        self.show_english_state()
        self._show_english_title()
        self.refresh_decorations()
        w.alignments.load()
        self.opened.emit(article_id)
        w.library.select_article(article_id)
        w.settings.last_article = article_id
        w.setWindowTitle(f"{article.title} — {APP_NAME}")
        w.update_actions()
        unknown_model = w.model.state == "unknown" and not w.model.model_id  # the English shown may be another model's
        if (self.n_filled < self.n_total or unknown_model) and w.model.state != "missing":
            self.start_translation()  # it enforces the glossary when done
        else:
            w.enforcer.enforce_open()  # translated before a glossary entry existed, or with enforcing off

    def close(self) -> None:
        w = self.w
        self.stop_translation_job()
        self.wanted.clear()
        self.article = None
        self.article_id = None
        self.rows, self.edited, self._anchored = [], set(), None
        self.enforced, self._known = {}, []
        self.reading_model, self.older = "", {}
        self.n_filled = self.n_total = 0
        w.view.clear()
        w.alignments.load()
        self.opened.emit(None)
        w.library.select_article(None)
        w.settings.last_article = None
        w.setWindowTitle(APP_NAME)
        w.update_actions()

    def reopen(self) -> None:
        """Read the open article again from the store (its text or the model changed)."""
        self.article = None  # so open() does not take it for already open
        self.open(self.article_id)

    def _load_rows(self) -> None:
        # What the exports show: the hand edit, else the glossary-enforced English (View ▸ Enforce
        # Glossary), else the machine output; without it, another cached model's (``older``).
        if self._plan is None and self.w.settings.enforce_glossary:
            self._plan = store_plan(self.w.store)
        reading = reading_english(self.w.store, self.article_id, self.w.model.model_id or None,
                                  enforce=self.w.settings.enforce_glossary, plan=self._plan)
        self.reading_model, self.older = reading.model_id, reading.older
        known = reading.rows
        self._known = known  # ShownSentence rows: machine English, hand edit, enforced English
        self.rows = reading.texts()
        self.edited = reading.edited()
        self.enforced = {(p, s): t for p, row in enumerate(known) for s, t in enumerate(row)
                         if t.enforced is not None and not t.edited}
        self._anchored = None  # the English annotations are placed on, read when needed
        # Rows follow the article: pad if the store returned fewer (an article with empty paragraphs).
        paragraphs = self.article.paragraphs
        while len(self.rows) < len(paragraphs):
            self.rows.append([None] * len(paragraphs[len(self.rows)].sentences))

    def enforced_by_paragraph(self) -> dict:
        """Paragraph → [(sentence, Enforced)] of the sentences showing the enforced English."""
        out: dict = {}
        for (p, s), shown in sorted(self.enforced.items()):
            out.setdefault(p, []).append((s, shown.enforced))
        return out

    def anchored_side(self):
        """The English side the annotations are stored on (hand edits over the machine output, without
        the enforced layer), or None when it is the one shown or does not fit the article."""
        from reader.core.sides import english_side

        if self.article is None or self.article_id is None:
            return None
        if self._anchored is None:
            known = self.w.store.article_translations(self.article_id, self.reading_model)
            rows = [[t.text for t in row] for row in known]
            rows += [[None] * len(p.sentences) for p in self.article.paragraphs[len(rows):]]
            try:
                self._anchored = english_side(self.article, rows)
            except ValueError:
                return None
        return self._anchored

    def _count_filled(self) -> None:
        """Translated = shown with the reading model's English or a hand edit (not another model's)."""
        self.n_total = sum(len(row) for row in self.rows)
        self.n_filled = sum(1 for p, row in enumerate(self.rows) for s, t in enumerate(row)
                            if t is not None and (p, s) not in self.older)

    def _older_tips(self) -> dict[tuple[int, int], str]:
        return {pos: older_tooltip(model) for pos, model in self.older.items()}

    def show_english_state(self) -> None:
        """The English column's message (no model and no English at all) or its note (what the English
        shown comes from, what to do for the rest)."""
        w = self.w
        if self.article is None:
            return
        missing = w.model.state == "missing"
        has_english = any(t is not None for row in self.rows for t in row)
        w.view.set_english_message(MISSING_TEXT if missing and not has_english else None)
        w.view.set_english_note(english_note(missing, self.reading_model, self.n_total - self.n_filled,
                                             set(self.older.values())) if has_english else None)

    def is_fully_translated(self) -> bool:
        return self.article is not None and self.n_filled >= self.n_total

    # --- the change signal: the parallel view's subscriber ---------------------------------------
    def on_changes(self, changes: OpChanges) -> None:
        """Redraw what a change record concerns of the open article; nothing for the others.

        Connected after the panels, so the glossary and annotations panels hold the new state when the
        decorations they provide are drawn again."""
        if changes.glossary:
            self._plan = None  # its terms and renderings changed
        article_id = self.article_id
        if article_id is None:
            return
        if article_id in changes.articles:
            if self.w.store.article_exists(article_id):
                self.reopen()  # its text changed (re-imported): show the new one
            else:
                self.close()  # deleted
            return
        if article_id in changes.translations or changes.glossary:
            self.refill()  # a glossary edit changes which enforced English applies
            self.w.alignments.load()  # the job stores alignments with its translations
        if article_id in changes.translations or article_id in changes.annotations or changes.glossary:
            self.refresh_decorations()

    def refill(self) -> None:
        """The English changed in the store (or the model it is read with): show the rows that differ from what is shown."""
        shown, shown_edited = self.rows, self.edited
        self._load_rows()
        view = self.w.view
        for p, row in enumerate(self.rows):
            for s, text in enumerate(row):
                old = shown[p][s] if p < len(shown) and s < len(shown[p]) else None
                was_edited, is_edited = (p, s) in shown_edited, (p, s) in self.edited
                if (old, was_edited) != (text, is_edited):
                    view.set_translation(p, s, text, edited=is_edited)
        view.set_older(self._older_tips())
        self._count_filled()
        self.show_english_state()
        self._show_english_title()

    def refill_if_showing(self, sources) -> None:
        """Enforced English was stored for these source sentences (a chunk of a job): show it where the
        open article has them — only those sentences are read again, not the whole article."""
        model_id = self.w.model.model_id
        if self.article is None or not model_id or not self.w.settings.enforce_glossary:
            return
        wanted = set(sources)
        spots = [(p, s, text) for p, para in enumerate(self.article.paragraphs)
                 for s, text in enumerate(para.sentence_texts()) if text in wanted
                 if p < len(self._known) and s < len(self._known[p])
                 and not self._known[p][s].edited and self._known[p][s].machine]
        if not spots:
            return
        if self._plan is None:
            self._plan = store_plan(self.w.store)
        got = enforced_for(self.w.store, model_id, self._plan, [(text, self._known[p][s].machine) for p, s, text in spots])
        changed = False
        for p, s, text in spots:
            machine = self._known[p][s].machine
            e = got.get((text, machine))
            shown = ShownSentence(e.text, e, False, machine) if e is not None else ShownSentence(machine, None, False, machine)
            self._known[p][s] = shown
            if shown.enforced is not None:
                self.enforced[(p, s)] = shown
            else:
                self.enforced.pop((p, s), None)
            if self.rows[p][s] != shown.text:
                self.rows[p][s] = shown.text
                self._anchored = None
                self.w.view.set_translation(p, s, shown.text, edited=False)
                changed = True
        if changed:
            self.refresh_decorations()

    def refresh_decorations(self) -> None:
        """Redraw highlights (and their counterpart tints) and glossary marks of the open article."""
        w = self.w
        if self.article is None:
            w.view.set_decorations([])
            return
        # glossary marks are found per paragraph as the view shows it (a book has thousands)
        w.view.set_decorations(w.annotations_panel.decorations(), lazy=w.glossary_panel.lazy_decorations())

    # --- the translation job --------------------------------------------------------------------
    def start_translation(self) -> None:
        """Translate the open article's missing sentences in a worker (no-op if running or complete)."""
        w = self.w
        state = w.model.state
        if self.article_id is None or state == "missing":
            if state == "missing":
                w.statusBar().showMessage("Install the French→English model first (Model menu).", 6000)
            return
        if w.jobs.is_active(self.translation_job):
            return
        if state == "ready" and self.is_fully_translated():
            return
        article_id = self.article_id
        self._follow_view()
        self.translation_job = w.jobs.start(
            "translate",
            translate_job(w.db_path, w.engine, article_id, w.settings.enforce_glossary, self.wanted),
            pool="serial",
            on_item=lambda *item: self._on_translation_item(article_id, *item),
            on_progress=self._on_translation_progress,
            on_done=lambda result: self._on_translation_done(article_id, result),
            on_failed=self._on_translation_failed,
        )
        # the article's own count (what the library shows); "Loading" only while the model is not loaded
        w.job_status.show_progress(self.n_filled, self.n_total, None, loading=w.engine.engine is None)
        w.job_status.show()
        if state != "ready":
            w.model_label.setText("Model: loading…")
        w.update_actions()

    def _follow_view(self) -> None:
        """Keep ``wanted`` on the rows the view shows (connected on the first job; set now)."""
        if self._wanted_timer is None:
            timer = self._wanted_timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(WANTED_ROWS_MS)
            timer.timeout.connect(self._update_wanted)
            bar = self.w.view.verticalScrollBar()
            bar.valueChanged.connect(lambda _v: self._wanted_soon())
            bar.rangeChanged.connect(lambda _a, _b: self._wanted_soon())
        self._update_wanted()

    def _wanted_soon(self) -> None:
        if self.translation_job is not None and not self._wanted_timer.isActive():
            self._wanted_timer.start()

    def _update_wanted(self) -> None:
        rows = self.w.view.visible_paragraphs() if self.article is not None else None
        if rows is None:
            self.wanted.clear()
        else:
            self.wanted.set(*rows)

    def cancel_translation(self) -> None:
        """The Cancel button: stop now; what was translated stays cached."""
        if not self.w.jobs.is_active(self.translation_job):
            return
        self.stop_translation_job()
        self.w.statusBar().showMessage("Translation stopped; the sentences already translated are kept.", 6000)

    def stop_translation_job(self) -> None:
        """Stop the job without a word (another article opens, the model went away…)."""
        w = self.w
        if self.translation_job is not None:
            w.jobs.cancel(self.translation_job)  # later results of this job id are dropped
            self.translation_job = None
            if self.article_id is not None:
                w.library.set_translated(self.article_id, self.n_filled)
        w.job_status.hide()
        w.model.show_state()
        w.update_actions()

    def _on_translation_item(self, article_id: int, kind: str, *data) -> None:
        """Live results of the job (progress of the view, not changes of the library: those come once,
        with the job's result)."""
        if article_id != self.article_id:
            return  # stale: another article is open
        w = self.w
        if kind == "engine":
            (model_id,) = data
            w.model.engine_ready(model_id)
            if model_id != self.reading_model:
                self.refill()  # read with the model now known; another model's English is older
        elif kind == "cached":
            rows, edited = data
            self.edited = set(edited)
            for p, row in enumerate(rows):
                for s, text in enumerate(row):
                    if p >= len(self.rows) or s >= len(self.rows[p]) or text is None:
                        continue
                    if self.rows[p][s] != text or (p, s) in self.older:
                        self.rows[p][s] = text
                        self.older.pop((p, s), None)
                        self._anchored = None
                        w.view.set_translation(p, s, text, edited=(p, s) in self.edited)
            self._count_filled()
            self.show_english_state()
            w.library.set_translated(article_id, self.n_filled)
            self.refresh_decorations()
            w.alignments.load()  # the model id may be known only now
        elif kind == "sentence":
            p, s, text = data
            if (p, s) in self.edited or p >= len(self.rows) or s >= len(self.rows[p]):
                return
            if self.rows[p][s] is None or self.older.pop((p, s), None) is not None:
                self.n_filled += 1
            self.rows[p][s] = text
            self._anchored = None
            w.view.set_translation(p, s, text, edited=False)
            w.library.set_translated(article_id, self.n_filled)

    def _on_translation_progress(self, done: int, total: int, _message: str) -> None:
        """The job counts distinct sentences and the title; the label counts the article's sentences
        as the library does (#14.6); the job's rate gives the time left."""
        job = self.translation_job
        eta = job.eta_seconds() if job is not None else None
        self.w.job_status.show_progress(self.n_filled, self.n_total, eta)

    def _show_english_title(self) -> None:
        """The cached translation of the open article's title (the job translates it last)."""
        model_id = self.w.model.model_id or self.reading_model
        if self.article is None or not model_id:
            return
        title = self.article.title.strip()
        self.w.view.set_english_title(self.w.store.cached_translations(model_id, [title]).get(title))

    def _on_translation_done(self, article_id: int, result) -> None:
        w = self.w
        self.translation_job = None
        if article_id == self.article_id:
            self._show_english_title()
            self.show_english_state()
        # The English text changed: its annotations are placed again, then every panel hears it once.
        w.notify(result.changes | self.reanchor_english(article_id))
        w.job_status.hide()
        w.update_actions()
        w.model.show_state()
        if result.count:
            w.statusBar().showMessage(f"Translated {result.count} sentence{'s' if result.count != 1 else ''}.", 5000)

    def _on_translation_failed(self, exc: BaseException) -> None:
        w = self.w
        self.translation_job = None
        w.job_status.hide()
        if isinstance(exc, ModelError):
            w.engine.reset()
            w.model.set_state("missing", str(exc))
            w.statusBar().showMessage(str(exc), 10000)
        else:
            w.model.show_state()
            show_message(w, str(exc), icon=QMessageBox.Icon.Warning, title="Translation")
        w.update_actions()

    def reanchor_english(self, article_id: int) -> OpChanges:
        """Place the English annotations of an article again after its English changed; returns what
        changed (nothing while no model is known: the English text is not known either)."""
        from reader.ops.annotate import reanchor_article

        model_id = self.w.model.model_id
        if not model_id:
            return OpChanges()
        try:
            placed = reanchor_article(self.w.store, article_id, "en", model_id)
        except ReaderError:
            return OpChanges()
        moved = sum(1 for a in placed if a.status == "moved")
        lost = sum(1 for a in placed if a.status == "orphaned")
        if lost:
            self.w.statusBar().showMessage(
                f"{lost} annotation{'s' if lost != 1 else ''} could not be placed in the new text; "
                "they are kept in the Annotations panel as orphaned.", 6000)
        elif moved:
            self.w.statusBar().showMessage(f"{moved} annotation{'s' if moved != 1 else ''} moved with the text.", 6000)
        return placed.changes

    # --- editing and copying --------------------------------------------------------------------
    def edit_translation(self, p: int | None = None, s: int | None = None) -> EditTranslationDialog | None:
        """Open the edit dialog for a sentence (default: the selected one). Non-blocking."""
        w = self.w
        if self.article is None:
            return None
        if p is None or s is None:
            pair = w.view.selected_pair()
            if pair is None:
                w.statusBar().showMessage("Select a sentence first.", 4000)
                return None
            p, s = pair
        try:
            french = self.article.paragraphs[p].sentence_texts()[s]
        except IndexError:
            return None
        known = w.store.article_translations(self.article_id, w.model.model_id or self.reading_model)[p][s]
        dialog = EditTranslationDialog(french, known.text, known.machine, known.edited is not None, w)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        article_id = self.article_id

        def save() -> None:
            if dialog.result_text != known.edited:
                w.undo_stack.push(EditTranslationCommand(
                    w.store, article_id, p, s, known.edited, dialog.result_text,
                    self._on_translation_edited, w.deletions.resolve,
                ))

        dialog.accepted.connect(save)
        dialog.finished.connect(lambda _r: setattr(self, "edit_dialog", None))
        self.edit_dialog = dialog
        dialog.open()
        return dialog

    def _on_translation_edited(self, article_id: int, p: int, s: int) -> None:
        """A hand edit was stored (or undone): its annotations follow, every panel hears it, and the
        English now shown gets its word alignment (in a worker)."""
        self.w.notify(OpChanges(translations={article_id}) | self.reanchor_english(article_id))
        if article_id == self.article_id:
            self.w.view.select_pair(p, s)
            self.w.alignments.align_sentence(article_id, p, s)
        elif self.article_id is None:
            self.open(article_id)

    def copy_pair(self) -> None:
        """Copy the selected text if any, else the selected French sentence and its English."""
        view = self.w.view
        selected = view.selected_text() if self.article is not None else ""
        if selected:
            QGuiApplication.clipboard().setText(selected)
            return
        pair = view.selected_pair() if self.article is not None else None
        if pair is None:
            return
        p, s = pair
        french = self.article.paragraphs[p].sentence_texts()[s]
        english = self.rows[p][s] or ""
        QGuiApplication.clipboard().setText(f"{french}\n{english}".strip())
        self.w.statusBar().showMessage("Copied the sentence pair.", 3000)
