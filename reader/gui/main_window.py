"""The main window: library on the left, the parallel view in the middle, a notes dock on the right.

The window owns the GUI thread's ``Store`` and reads from it directly (fast, local SQLite). Everything slow
(loading the model, translating, importing files, installing the model) runs as a job of ``JobManager``:
a plain function in a pool thread with its own ``Store``, reporting through GUI-thread signals tagged with
a job id (see ``reader.gui.workers``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reader.core.errors import ModelError, NotFoundError, ReaderError
from reader.gui import theme
from reader.gui.actions import MENUS, TOOLBAR, ActionCollection
from reader.gui.annotations_panel import AnnotationsPanel
from reader.gui.dialogs import AboutDialog, EditTranslationDialog, ask, choose, show_import_errors, show_message
from reader.gui.glossary_panel import GlossaryPanel
from reader.gui.library_panel import DeleteArticleCommand, EditTranslationCommand, LibraryPanel
from reader.gui.model_setup import MISSING_TEXT, ModelBanner, ModelSetup
from reader.gui.parallel_view import ParallelView
from reader.gui.settings import DEFAULT_FONT_SIZE, MAX_FONT_SIZE, MIN_FONT_SIZE, Settings
from reader.gui.workers import EngineHolder, Job, JobManager, import_job, model_label, translate_job

APP_NAME = "Vis-à-vis"
IMPORT_FILTER = "Articles (*.txt *.md *.markdown *.html *.htm *.xhtml *.epub);;All files (*)"
IMPORTABLE = {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub"}
CLOSE_WAIT_MS = 5000


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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)

    def show_progress(self, done: int, total: int, eta: float | None) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(min(done, total))
        text = f"Translating {done}/{total}" if total else "Loading the model…"
        if eta is not None and done < total:
            secs = int(eta + 0.5)
            text += f" · about {secs // 60}:{secs % 60:02d} left"
        self.label.setText(text)


class MainWindow(QMainWindow):
    """The reader window. ``engine_factory()`` makes the translation engine (called once, off the GUI thread)."""

    def __init__(
        self,
        store,
        db_path: str | Path,
        engine_factory: Callable[[], object] | None = None,
        settings: Settings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.store = store
        self.db_path = Path(db_path)
        self.settings = settings or Settings()
        self._default_engine = engine_factory is None
        if engine_factory is None:
            from reader.translation.argos_engine import load_default_engine

            engine_factory = load_default_engine
        self.engine = EngineHolder(engine_factory)
        self.jobs = JobManager(self)
        self.undo_stack = QUndoStack(self)
        self.model_setup = ModelSetup(self, self.jobs)

        # what is open
        self.article = None
        self.article_id: int | None = None
        self._rows: list[list[str | None]] = []
        self._edited: set[tuple[int, int]] = set()
        self._n_filled = 0
        self._n_total = 0
        self._aliases: dict[int, int] = {}  # article id → its id after an undone delete
        self.translation_job: Job | None = None
        self.import_job: Job | None = None
        self._edit_dialog: EditTranslationDialog | None = None

        # the model
        self.model_id: str | None = None
        self.model_state = "unknown"  # unknown (not loaded yet) | ready | missing

        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.commands = ActionCollection(self, self.settings.shortcut_overrides())
        self._build_ui()
        self._connect()
        self._restore_window()
        self.library.refresh()
        self.annotations_panel.refresh()
        self.glossary_panel.refresh_list()
        self.glossary_panel.recount()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)  # not the list: focusing it opens its first row
        self._late_init_done = False
        QTimer.singleShot(0, self._late_init)

    # ============================================================================================
    # construction
    # ============================================================================================
    def _build_ui(self) -> None:
        self.library = LibraryPanel(self.store, self)
        self.library.setObjectName("libraryPanel")
        self.library.setMinimumWidth(200)
        self.library.set_sort(self.settings.library_sort)

        self.view = ParallelView(self)
        self.view.setObjectName("parallelView")
        self.banner = ModelBanner(self)
        self.banner.hide()
        reader = QWidget(self)
        reader.setObjectName("readerPane")
        col = QVBoxLayout(reader)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.banner)
        col.addWidget(self.view, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.library)
        self.splitter.addWidget(reader)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([280, 1000])
        self.setCentralWidget(self.splitter)

        # the right dock: annotations and glossary
        self.dock = QDockWidget("Notes", self)
        self.dock.setObjectName("notesDock")
        self.dock.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.dock_tabs = QTabWidget(self.dock)
        self.dock_tabs.setObjectName("notesTabs")
        self.annotations_panel = AnnotationsPanel(self)
        self.glossary_panel = GlossaryPanel(self)
        self.dock_tabs.addTab(self.annotations_panel, "Annotations")
        self.dock_tabs.addTab(self.glossary_panel, "Glossary")
        self.dock.setWidget(self.dock_tabs)
        self.dock.setMinimumWidth(180)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.resizeDocks([self.dock], [300], Qt.Orientation.Horizontal)

        # menus and toolbar, from the action collection
        bar = self.menuBar()
        self.menus = {}
        for key, title, names in MENUS:
            menu = bar.addMenu(title)
            menu.setObjectName(f"menu_{key}")
            self.menus[key] = menu
            for name in names:
                if name == "-":
                    menu.addSeparator()
                else:
                    menu.addAction(self.commands[name])
        self.toolbar = QToolBar("Toolbar", self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonFollowStyle)
        for name in TOOLBAR:
            if name == "-":
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.commands[name])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

        # status bar: job progress, model state
        self.job_status = JobStatus(self)
        self.job_status.hide()
        self.model_label = QLabel(self)
        self.model_label.setObjectName("modelStatusLabel")
        self.statusBar().addPermanentWidget(self.job_status)
        self.statusBar().addPermanentWidget(self.model_label)
        self._show_model_state()

    def _connect(self) -> None:
        a = self.commands
        a["file.import"].triggered.connect(lambda: self.import_files())
        a["file.paste"].triggered.connect(self.paste_as_article)
        a["file.delete"].triggered.connect(lambda: self.delete_article())
        a["file.close_article"].triggered.connect(self.close_article)
        a["file.quit"].triggered.connect(self.close)
        a["edit.undo"].triggered.connect(self.undo_stack.undo)
        a["edit.redo"].triggered.connect(self.undo_stack.redo)
        a["edit.undo"].setEnabled(False)
        a["edit.redo"].setEnabled(False)
        self.undo_stack.canUndoChanged.connect(lambda on: a["edit.undo"].setEnabled(bool(on)))
        self.undo_stack.canRedoChanged.connect(lambda on: a["edit.redo"].setEnabled(bool(on)))
        self.undo_stack.undoTextChanged.connect(lambda t: a["edit.undo"].setText(f"&Undo {t}" if t else "&Undo"))
        self.undo_stack.redoTextChanged.connect(lambda t: a["edit.redo"].setText(f"&Redo {t}" if t else "&Redo"))
        a["edit.copy"].triggered.connect(self.copy_pair)
        a["edit.translation"].triggered.connect(lambda: self.edit_translation())
        a["edit.find"].triggered.connect(self.library.focus_search)
        a["view.zoom_in"].triggered.connect(lambda: self.set_font_size(self.font_size + 1))
        a["view.zoom_out"].triggered.connect(lambda: self.set_font_size(self.font_size - 1))
        a["view.zoom_reset"].triggered.connect(lambda: self.set_font_size(DEFAULT_FONT_SIZE))
        a["view.interlinear"].triggered.connect(lambda on: self.set_layout_mode("interlinear" if on else "side"))
        a["view.dark"].triggered.connect(lambda on: self.set_theme("dark" if on else "light"))
        a["view.word_alignment"].toggled.connect(self.set_word_alignment)
        a["view.library"].triggered.connect(lambda on: self.library.setVisible(bool(on)))
        a["view.dock"].triggered.connect(lambda on: self.dock.setVisible(bool(on)))
        a["view.toolbar"].triggered.connect(lambda on: self.toolbar.setVisible(bool(on)))
        self.dock.visibilityChanged.connect(self._sync_panel_actions)
        a["model.translate"].triggered.connect(self.start_translation)
        a["model.cancel"].triggered.connect(self.cancel_translation)
        a["model.download"].triggered.connect(self.model_setup.download)
        a["model.install"].triggered.connect(lambda: self.model_setup.install_from_file())
        a["model.status"].triggered.connect(self.model_setup.show_status)
        a["model.remove"].triggered.connect(self.model_setup.remove)
        a["help.about"].triggered.connect(self.show_about)
        from reader.gui.export_dialog import open_export_dialog
        a["file.export"].triggered.connect(lambda: open_export_dialog(self))
        from reader.gui.annotation_import import import_annotations_dialog
        a["file.import_annotations"].triggered.connect(lambda: import_annotations_dialog(self))
        self.annotations_panel.connect_actions(a)
        self.glossary_panel.connect_actions(a)

        self.banner.download.clicked.connect(a["model.download"].trigger)
        self.banner.install.clicked.connect(a["model.install"].trigger)
        self.model_setup.modelInstalled.connect(self._on_model_installed)
        self.model_setup.modelRemoved.connect(self._on_model_removed)
        self.model_setup.busyChanged.connect(self._update_actions)
        self.job_status.cancel.clicked.connect(self.cancel_translation)

        self.library.articleSelected.connect(self.open_article)
        self.library.articleActivated.connect(self.open_article)
        self.library.sort.currentIndexChanged.connect(
            lambda _i: setattr(self.settings, "library_sort", self.library.sort_key())
        )
        self.view.editRequested.connect(self.edit_translation)
        self.view.selectionChanged.connect(self._update_actions)
        self.view.pairSelected.connect(self._update_actions)
        self._update_actions()

    def _restore_window(self) -> None:
        s = self.settings
        self.resize(1280, 800)
        if s.geometry is not None:
            self.restoreGeometry(s.geometry)
        if s.window_state is not None:
            self.restoreState(s.window_state)
        if s.splitter_state is not None:
            self.splitter.restoreState(s.splitter_state)
        self.library.setVisible(s.q.value("window/library_visible", "true") in (True, "true", "1", 1))
        self.font_size = s.font_size
        self.layout_mode = s.layout_mode
        self.theme_name = s.theme
        theme.apply_theme(self.theme_name)
        self.view.set_font_point_size(self.font_size)
        self.view.set_layout_mode(self.layout_mode)
        self.commands["view.interlinear"].setChecked(self.layout_mode == "interlinear")
        self.commands["view.dark"].setChecked(self.theme_name == "dark")
        self.commands["view.word_alignment"].setChecked(s.word_alignment)
        self.view.set_word_alignment_enabled(s.word_alignment)
        self._sync_panel_actions()

    def _late_init(self) -> None:
        """After the first show: check the model (cheap, no load) and reopen the last article."""
        if self._late_init_done:
            return
        self._late_init_done = True
        if self._default_engine:
            self._refresh_default_model_status()
        last = self.settings.last_article
        if last is not None and self.article_id is None:
            paragraph = self.settings.last_paragraph
            try:
                self.open_article(last)
            except NotFoundError:
                self.settings.last_article = None
                return
            if self.article_id == last and paragraph:
                QTimer.singleShot(0, lambda: self.view.scroll_to_paragraph(paragraph))

    def _refresh_default_model_status(self) -> None:
        try:
            from reader.translation.packages import model_status

            status = model_status()
        except ReaderError as exc:
            self._set_model_state("missing", str(exc))
            return
        if status.installed:
            self.model_id = status.model_id
            self.library.model_id = self.model_id
            self._set_model_state("unknown")
            self.library.refresh()
        else:
            self._set_model_state("missing")

    # ============================================================================================
    # the open article
    # ============================================================================================
    def open_article(self, article_id: int | None) -> None:
        """Show an article from the store with its cached English; translate the rest in the background."""
        if article_id is None:
            return
        if article_id == self.article_id and self.article is not None:
            return
        self._stop_translation_job()
        try:
            article = self.store.get_article(article_id)
        except NotFoundError as exc:
            self.statusBar().showMessage(str(exc), 6000)
            self.library.refresh()
            raise
        known = self.store.article_translations(article_id, self.model_id or "")
        self.article, self.article_id = article, article_id
        self._rows = [[t.text for t in row] for row in known]
        self._edited = {(p, s) for p, row in enumerate(known) for s, t in enumerate(row) if t.edited is not None}
        # Rows follow the article: pad if the store returned fewer (an article with empty paragraphs).
        while len(self._rows) < len(article.paragraphs):
            self._rows.append([None] * len(article.paragraphs[len(self._rows)].sentences))
        self._count_filled()
        self.view.set_article(article, self._rows, set(self._edited))
        self.view.set_english_message(MISSING_TEXT if self.model_state == "missing" else None)
        self._show_english_title()
        self.refresh_decorations()
        self.annotations_panel.refresh()
        self.library.select_article(article_id)
        self.settings.last_article = article_id
        self.setWindowTitle(f"{article.title} — {APP_NAME}")
        self._update_actions()
        if self._n_filled < self._n_total and self.model_state != "missing":
            self.start_translation()

    def close_article(self) -> None:
        self._stop_translation_job()
        self.article = None
        self.article_id = None
        self._rows, self._edited = [], set()
        self._n_filled = self._n_total = 0
        self.view.clear()
        self.annotations_panel.refresh()
        self.library.select_article(None)
        self.settings.last_article = None
        self.setWindowTitle(APP_NAME)
        self._update_actions()

    def _count_filled(self) -> None:
        self._n_total = sum(len(row) for row in self._rows)
        self._n_filled = sum(1 for row in self._rows for t in row if t is not None)

    def is_fully_translated(self) -> bool:
        return self.article is not None and self._n_filled >= self._n_total

    # ============================================================================================
    # translation job
    # ============================================================================================
    def start_translation(self) -> None:
        """Translate the open article's missing sentences in a worker (no-op if running or complete)."""
        if self.article_id is None or self.model_state == "missing":
            if self.model_state == "missing":
                self.statusBar().showMessage("Install the French→English model first (Model menu).", 6000)
            return
        if self.jobs.is_active(self.translation_job):
            return
        if self.model_state == "ready" and self.is_fully_translated():
            return
        article_id = self.article_id
        self.translation_job = self.jobs.start(
            "translate",
            translate_job(self.db_path, self.engine, article_id),
            pool="serial",
            on_item=lambda *item: self._on_translation_item(article_id, *item),
            on_progress=self._on_translation_progress,
            on_done=lambda count: self._on_translation_done(article_id, count),
            on_failed=lambda exc: self._on_translation_failed(article_id, exc),
        )
        self.job_status.show_progress(0, 0, None)
        self.job_status.show()
        if self.model_state != "ready":
            self.model_label.setText("Model: loading…")
        self._update_actions()

    def cancel_translation(self) -> None:
        """The Cancel button: stop now; what was translated stays cached."""
        if not self.jobs.is_active(self.translation_job):
            return
        self._stop_translation_job()
        self.statusBar().showMessage("Translation stopped; the sentences already translated are kept.", 6000)

    def _stop_translation_job(self) -> None:
        if self.translation_job is not None:
            self.jobs.cancel(self.translation_job)  # later results of this job id are dropped
            self.translation_job = None
            if self.article_id is not None:
                self.library.set_translated(self.article_id, self._n_filled)
        self.job_status.hide()
        self._show_model_state()
        self._update_actions()

    def _on_translation_item(self, article_id: int, kind: str, *data) -> None:
        if article_id != self.article_id:
            return  # stale: another article is open
        if kind == "engine":
            (model_id,) = data
            self._engine_ready(model_id)
        elif kind == "cached":
            rows, edited = data
            self._edited = set(edited)
            for p, row in enumerate(rows):
                for s, text in enumerate(row):
                    if p < len(self._rows) and s < len(self._rows[p]) and text is not None and self._rows[p][s] != text:
                        self._rows[p][s] = text
                        self.view.set_translation(p, s, text, edited=(p, s) in self._edited)
            self._count_filled()
            self.library.set_translated(article_id, self._n_filled)
            self.refresh_decorations()
        elif kind == "sentence":
            p, s, text = data
            if (p, s) in self._edited or p >= len(self._rows) or s >= len(self._rows[p]):
                return
            if self._rows[p][s] is None:
                self._n_filled += 1
            self._rows[p][s] = text
            self.view.set_translation(p, s, text, edited=False)
            self.library.set_translated(article_id, self._n_filled)

    def _on_translation_progress(self, done: int, total: int, _message: str) -> None:
        job = self.translation_job
        eta = job.eta_seconds() if job is not None else None
        self.job_status.show_progress(done, total, eta)

    def _show_english_title(self) -> None:
        """The cached translation of the open article's title (the job translates it last)."""
        if self.article is None or not self.model_id:
            return
        title = self.article.title.strip()
        self.view.set_english_title(self.store.cached_translations(self.model_id, [title]).get(title))

    def _on_translation_done(self, article_id: int, count: int) -> None:
        self.translation_job = None
        if article_id == self.article_id:
            self._show_english_title()
        self.annotations_panel.reanchor(article_id, "en")  # the English text changed
        self.job_status.hide()
        self._update_actions()
        self._show_model_state()
        self.library.refresh()
        if count:
            self.statusBar().showMessage(f"Translated {count} sentence{'s' if count != 1 else ''}.", 5000)

    def _on_translation_failed(self, article_id: int, exc: BaseException) -> None:
        self.translation_job = None
        self.job_status.hide()
        if isinstance(exc, ModelError):
            self.engine.reset()
            self._set_model_state("missing", str(exc))
            self.statusBar().showMessage(str(exc), 10000)
        else:
            self._show_model_state()
            show_message(self, str(exc), icon=QMessageBox.Icon.Warning, title="Translation")
        self._update_actions()

    def _engine_ready(self, model_id: str) -> None:
        changed = model_id != self.model_id
        self.model_id = model_id
        self.library.model_id = model_id
        self._set_model_state("ready")
        if changed:
            self.library.refresh()

    # ============================================================================================
    # model state
    # ============================================================================================
    def _set_model_state(self, state: str, detail: str = "") -> None:
        self.model_state = state
        if state == "missing":
            self.model_id = None
            self.library.model_id = None
            if self.article is not None:
                self.view.set_english_message(MISSING_TEXT)
        else:
            self.view.set_english_message(None)
        self.banner.setVisible(state == "missing")
        if detail and state == "missing":
            self.banner.setToolTip(detail)
        self._show_model_state()
        self._update_actions()

    def _show_model_state(self) -> None:
        if self.model_state == "missing":
            text = "No model"
        elif self.model_id:
            text = f"Model: {model_label(self.model_id)}"
        else:
            text = "Model: not loaded yet"
        self.model_label.setText(text)

    def _on_model_installed(self) -> None:
        self.engine.reset()
        self.model_state = "unknown"
        if self._default_engine:
            self._refresh_default_model_status()
        else:
            self._set_model_state("unknown")
        if self.article_id is not None:
            article_id, self.article_id = self.article_id, None
            self.open_article(article_id)  # reload with the model id and start translating
            self.start_translation()

    def _on_model_removed(self) -> None:
        self._stop_translation_job()
        self.engine.reset()
        self._set_model_state("missing")

    # ============================================================================================
    # library commands
    # ============================================================================================
    def import_files(self, paths: list[str | Path] | None = None) -> None:
        """Import files in a worker; one message per file that fails, the rest imported."""
        if paths is None:
            names, _filter = QFileDialog.getOpenFileNames(self, "Import Articles", str(Path.home()), IMPORT_FILTER)
            paths = names
        paths = [Path(p) for p in paths]
        if not paths:
            return
        epub_mode = "article"
        if any(p.suffix.lower() == ".epub" for p in paths):
            epub_mode = self.ask_epub_mode()
            if epub_mode is None:
                return
        update = False
        known = [p.name for p in paths if self.store.find_by_origin(p.name) is not None]
        if known:
            choice = self.ask_update_existing(known)
            if choice is None:
                return
            update = choice == "update"
        self.statusBar().showMessage(f"Importing {len(paths)} file{'s' if len(paths) != 1 else ''}…")
        self.import_job = self.jobs.start(
            "import", import_job(self.db_path, paths, epub_mode, update=update), pool="general",
            on_done=self._on_import_done, on_failed=self._on_import_failed,
        )

    def ask_epub_mode(self) -> str | None:
        """Ask how to import a book: one article with a section per chapter, or one per chapter."""
        return choose(self, "Import a book", "How should the EPUB book be imported?", [
            ("article", "One article, chapters as sections"),
            ("chapters", "One article per chapter"),
        ])

    def ask_update_existing(self, names: list[str]) -> str | None:
        """Files already imported once: update those articles in place, or import new copies?
        Returns ``"update"``, ``"copy"`` or None (cancel)."""
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        one = len(names) == 1
        text = (f"{shown} {'was' if one else 'were'} already imported. Update the existing "
                f"article{'' if one else 's'} or import {'a new copy' if one else 'new copies'}?")
        return choose(self, "Import", text, [
            ("update", "Update the existing article (keeps your highlights)"),
            ("copy", "Import as a new copy"),
        ], informative="A file whose text has not changed is not imported again.")

    def _on_import_done(self, result) -> None:
        ids, errors, outcomes = result
        self.import_job = None
        added = [o.article_id for _name, o in outcomes if o.status in ("added", "copy")]
        updated = [o for _name, o in outcomes if o.status == "updated"]
        unchanged = [o for _name, o in outcomes if o.status == "unchanged"]
        parts = []
        if added:
            parts.append(f"Imported {len(added)} article{'s' if len(added) != 1 else ''}.")
        if updated:
            moved = sum(o.moved for o in updated)
            orphaned = sum(o.orphaned for o in updated)
            parts.append(
                f"Updated {len(updated)} article{'s' if len(updated) != 1 else ''} "
                f"({moved} annotation{'s' if moved != 1 else ''} moved, {orphaned} orphaned)."
            )
        if unchanged:
            parts.append(
                f"{len(unchanged)} already in the library, unchanged "
                f"(#{', #'.join(str(o.article_id) for o in unchanged[:5])})."
            )
        self.statusBar().showMessage(" ".join(parts) if parts else "Nothing was imported.", 8000)
        if ids:
            self.library.refresh()
            if self.article_id is not None and any(o.article_id == self.article_id for o in updated):
                reopen = self.article_id
                self.close_article()  # its text changed: show the new one
                self.open_article(reopen)
            else:
                self.annotations_panel.refresh()
            self.library.select_article(ids[0])
            self.open_article(ids[0])
        if errors:
            show_import_errors(self, errors, len(ids))

    def _on_import_failed(self, exc: BaseException) -> None:
        self.import_job = None
        self.statusBar().clearMessage()
        show_message(self, str(exc), icon=QMessageBox.Icon.Warning, title="Import")

    def paste_as_article(self) -> int | None:
        """Create an article from the clipboard's text (title: its first line)."""
        text = QGuiApplication.clipboard().text()
        return self.add_text_article(text, origin="clipboard")

    def add_text_article(self, text: str, origin: str = "clipboard") -> int | None:
        text = (text or "").replace("\r\n", "\n").strip()
        if not text:
            self.statusBar().showMessage("The clipboard holds no text to make an article from.", 6000)
            return None
        from reader.core.markup import parse_article

        try:
            article = parse_article(text, origin)
        except ReaderError as exc:
            show_message(self, str(exc), icon=QMessageBox.Icon.Warning, title="Paste as Article")
            return None
        first_line = text.split("\n", 1)[0].strip().lstrip("#").strip()
        if not article.title or article.title.strip() in ("", origin):
            article.title = first_line[:160] or "Pasted text"
        _ensure_segmented(article)
        if not article.paragraphs:
            self.statusBar().showMessage("The clipboard text has no paragraph to read.", 6000)
            return None
        new_id = self.store.add_article(article)
        self.library.refresh()
        self.library.select_article(new_id)
        self.open_article(new_id)
        self.statusBar().showMessage(f"Created « {article.title} » from the clipboard.", 6000)
        return new_id

    def delete_article(self, article_id: int | None = None, confirm: bool = True) -> None:
        """Delete (after a confirmation); Edit ▸ Undo brings it back."""
        article_id = article_id if article_id is not None else (self.library.current_id() or self.article_id)
        if article_id is None:
            return
        try:
            command = DeleteArticleCommand(self.store, article_id, self._on_library_change)
        except NotFoundError:
            self.library.refresh()
            return
        if confirm:
            if not ask(
                self, "Delete Article",
                f"Delete « {command.article.title} »? You can undo this with "
                f"{self.commands['edit.undo'].shortcut().toString(QKeySequence.SequenceFormat.NativeText)}.",
            ):
                return
        self.undo_stack.push(command)

    def _on_library_change(self, deleted: int | None, restored: int | None, previous: int) -> None:
        if deleted is not None:
            if deleted == self.article_id:
                self.close_article()
            self.library.refresh()
            self.statusBar().showMessage("Article deleted. Undo brings it back.", 6000)
        if restored is not None:
            self._aliases[previous] = restored
            self.library.refresh(select=restored)
            if self.article_id is None:
                self.open_article(restored)
        self.annotations_panel.refresh()  # the article's annotations went (or came back) with it

    def _resolve(self, article_id: int) -> int:
        seen = set()
        while article_id in self._aliases and article_id not in seen:
            seen.add(article_id)
            article_id = self._aliases[article_id]
        return article_id

    # ============================================================================================
    # editing and copying
    # ============================================================================================
    def edit_translation(self, p: int | None = None, s: int | None = None) -> EditTranslationDialog | None:
        """Open the edit dialog for a sentence (default: the selected one). Non-blocking."""
        if self.article is None:
            return None
        if p is None or s is None:
            pair = self.view.selected_pair()
            if pair is None:
                self.statusBar().showMessage("Select a sentence first.", 4000)
                return None
            p, s = pair
        try:
            french = self.article.paragraphs[p].sentence_texts()[s]
        except IndexError:
            return None
        known = self.store.article_translations(self.article_id, self.model_id or "")[p][s]
        dialog = EditTranslationDialog(french, known.text, known.machine, known.edited is not None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        article_id = self.article_id

        def save() -> None:
            if dialog.result_text != known.edited:
                self.undo_stack.push(EditTranslationCommand(
                    self.store, article_id, p, s, known.edited, dialog.result_text,
                    self._on_translation_edited, self._resolve,
                ))

        dialog.accepted.connect(save)
        dialog.finished.connect(lambda _r: setattr(self, "_edit_dialog", None))
        self._edit_dialog = dialog
        dialog.open()
        return dialog

    def _on_translation_edited(self, article_id: int, p: int, s: int) -> None:
        if article_id != self.article_id:
            if self.article_id is not None:
                return
            self.open_article(article_id)
            return
        known = self.store.article_translations(article_id, self.model_id or "")[p][s]
        was = self._rows[p][s]
        self._rows[p][s] = known.text
        if known.edited is not None:
            self._edited.add((p, s))
        else:
            self._edited.discard((p, s))
        self._n_filled += (known.text is not None) - (was is not None)
        self.view.set_translation(p, s, known.text, edited=known.edited is not None)
        self.view.select_pair(p, s)
        self.library.set_translated(article_id, self._n_filled)
        self.annotations_panel.reanchor(article_id, "en")  # the English text changed
        self.refresh_decorations()

    def refresh_decorations(self) -> None:
        """Redraw highlights (and their counterpart tints) and glossary marks of the open article."""
        if self.article is None:
            self.view.set_decorations([])
            return
        # glossary marks are found per paragraph as the view shows it (a book has thousands)
        self.view.set_decorations(self.annotations_panel.decorations(), lazy=self.glossary_panel.lazy_decorations())

    def copy_pair(self) -> None:
        """Copy the selected text if any, else the selected French sentence and its English."""
        selected = self.view.selected_text() if self.article is not None else ""
        if selected:
            QGuiApplication.clipboard().setText(selected)
            return
        pair = self.view.selected_pair() if self.article is not None else None
        if pair is None:
            return
        p, s = pair
        french = self.article.paragraphs[p].sentence_texts()[s]
        english = self._rows[p][s] or ""
        QGuiApplication.clipboard().setText(f"{french}\n{english}".strip())
        self.statusBar().showMessage("Copied the sentence pair.", 3000)

    # ============================================================================================
    # view settings
    # ============================================================================================
    def set_font_size(self, size: int) -> None:
        size = max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, int(size)))
        self.font_size = size
        self.settings.font_size = size
        self.view.set_font_point_size(size)
        self.statusBar().showMessage(f"Text size {size} pt", 2000)

    def set_theme(self, name: str) -> None:
        self.theme_name = "dark" if name == "dark" else "light"
        self.settings.theme = self.theme_name
        theme.apply_theme(self.theme_name)
        self.commands["view.dark"].setChecked(self.theme_name == "dark")
        self.refresh_decorations()  # glossary marks follow the theme
        self.view.viewport().update()

    def set_layout_mode(self, mode: str) -> None:
        self.layout_mode = "interlinear" if mode == "interlinear" else "side"
        self.settings.layout_mode = self.layout_mode
        self.view.set_layout_mode(self.layout_mode)
        self.commands["view.interlinear"].setChecked(self.layout_mode == "interlinear")

    def set_word_alignment(self, on: bool) -> None:
        self.settings.word_alignment = on
        self.view.set_word_alignment_enabled(on)

    def show_about(self) -> AboutDialog:
        model = f"{model_label(self.model_id)}" if self.model_id else None
        dialog = AboutDialog(self, model)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _sync_panel_actions(self, *_args) -> None:
        self.commands["view.dock"].setChecked(not self.dock.isHidden())
        self.commands["view.library"].setChecked(not self.library.isHidden())
        self.commands["view.toolbar"].setChecked(not self.toolbar.isHidden())

    def _update_actions(self, *_args) -> None:
        a = self.commands
        has_article = self.article is not None
        running = self.jobs.is_active(self.translation_job)
        busy = self.model_setup.busy
        has_pair = has_article and self.view.selected_pair() is not None
        a["file.delete"].setEnabled(has_article or self.library.current_id() is not None)
        a["file.close_article"].setEnabled(has_article)
        a["edit.copy"].setEnabled(has_pair)
        a["edit.translation"].setEnabled(has_pair)
        a["model.translate"].setEnabled(has_article and not running and self.model_state != "missing")
        a["model.cancel"].setEnabled(running)
        a["model.download"].setEnabled(not busy and self.model_state != "ready")
        a["model.install"].setEnabled(not busy)
        a["model.remove"].setEnabled(not busy)
        self.banner.download.setEnabled(a["model.download"].isEnabled())
        self.banner.install.setEnabled(a["model.install"].isEnabled())

    # ============================================================================================
    # drag and drop
    # ============================================================================================
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if _local_files(mime.urls()) or (mime.hasText() and not mime.hasUrls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        files = _local_files(mime.urls())
        if files:
            event.acceptProposedAction()
            self.import_files(files)
        elif mime.hasText():
            event.acceptProposedAction()
            self.add_text_article(mime.text(), origin="dropped text")
        else:
            event.ignore()

    # ============================================================================================
    # shutdown
    # ============================================================================================
    def save_settings(self) -> None:
        s = self.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.splitter_state = self.splitter.saveState()
        s.q.setValue("window/library_visible", not self.library.isHidden())
        s.font_size = self.font_size
        s.theme = self.theme_name
        s.layout_mode = self.layout_mode
        s.library_sort = self.library.sort_key()
        s.last_article = self.article_id
        if self.article_id is not None:
            try:
                s.last_paragraph = int(self.view.first_visible_paragraph() or 0)
            except Exception:  # the view may have nothing laid out yet
                s.last_paragraph = 0
        s.sync()

    def shutdown(self, timeout_ms: int = CLOSE_WAIT_MS) -> bool:
        """Cancel every job and wait for the pools (bounded); True if every worker finished."""
        self.jobs.cancel_all()
        self.translation_job = None
        return self.jobs.wait(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        started = time.monotonic()
        finished = self.shutdown()
        if not finished:
            from reader.gui.errors import log_exception

            log_exception(TimeoutError(f"workers still running after {time.monotonic() - started:.1f} s at close"))
        super().closeEvent(event)


def _local_files(urls: list[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile()]


def _ensure_segmented(article) -> None:
    """Give sentences to paragraphs that have none (pasted text goes through the same segmenter)."""
    from reader.core.segment import segment

    for paragraph in article.paragraphs:
        if not paragraph.sentences and paragraph.text.strip():
            paragraph.sentences = segment(paragraph.text)
    article.paragraphs = [p for p in article.paragraphs if p.sentences]
