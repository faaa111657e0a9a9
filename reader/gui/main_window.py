"""The main window: library on the left, the parallel view in the middle, a notes dock on the right.

The window is a shell: it builds the widgets, menus and toolbar, wires the actions, and hands the work to
its controllers —

* ``articles`` (:class:`~reader.gui.win_article.ArticleController`): the open article and its translation
  job;
* ``alignments`` (:class:`~reader.gui.win_alignments.AlignmentController`): the open article's word
  alignments, fed to the view's word hover;
* ``model`` (:class:`~reader.gui.win_model.ModelController`): the model state (unknown, ready, missing);
* ``imports`` (:class:`~reader.gui.win_imports.ImportController`): files, pasted and dropped text;
* ``deletions`` (:class:`~reader.gui.win_library.DeletionController`): deleting articles, and undo;
* ``view_settings`` (:class:`~reader.gui.win_settings.ViewSettings`): what the window remembers.

One way for changes to flow: whatever changes the library (an operation of ``reader.ops``, an undo
command, a finished job) ends in :meth:`MainWindow.notify` with an :class:`~reader.ops.changes.OpChanges`
record; the window sends it on its one ``changed`` signal, and each panel (library, annotations,
glossary, and the parallel view through the article controller) decides for itself whether it concerns
what it shows.

The window owns the GUI thread's ``Store`` and reads from it directly (fast, local SQLite). Everything slow
(loading the model, translating, importing files, installing the model) runs as a job of ``JobManager``:
a plain function in a pool thread with its own ``Store``, reporting through GUI-thread signals tagged with
a job id (see ``reader.gui.workers``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reader.core.errors import NotFoundError
from reader.gui import win_focus
from reader.gui.actions import MENUS, TOOLBAR, ActionCollection
from reader.gui.annotations_panel import AnnotationsPanel
from reader.gui.dialogs import AboutDialog, ask, choose
from reader.gui.glossary_panel import GlossaryPanel
from reader.gui.icons import app_icon
from reader.gui.library_panel import LibraryPanel
from reader.gui.model_setup import ModelBanner, ModelSetup
from reader.gui.parallel_view import ParallelView
from reader.gui.settings import DEFAULT_FONT_SIZE, Settings
from reader.gui.win_alignments import AlignmentController
from reader.gui.win_enforce import EnforceController
from reader.gui.win_article import APP_NAME, ArticleController, JobStatus
from reader.gui.win_empty import EmptyStates
from reader.gui.win_imports import ImportController, local_files
from reader.gui.win_layout import NarrowLayout
from reader.gui.win_library import DeletionController
from reader.gui.win_model import ModelController
from reader.gui.win_settings import ViewSettings
from reader.gui.workers import EngineHolder, JobManager, model_label
from reader.ops.changes import OpChanges

__all__ = ["APP_NAME", "MainWindow"]

CLOSE_WAIT_MS = 5000
#: How long closing the window waits for the cancelled jobs: they stop within a poll of their cancel flag
#: (a running CTranslate2 batch included, see ``argos_engine.await_batch``), so this is only a bound for
#: what cannot stop at once (a model being loaded); the process end waits for those, not the window.
CLOSE_GRACE_MS = 1000


class MainWindow(QMainWindow):
    """The reader window. ``engine_factory()`` makes the translation engine (called once, off the GUI thread)."""

    changed = Signal(object)  # OpChanges: what an operation, an undo or a job changed in the library

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
        default_engine = engine_factory is None
        if engine_factory is None:
            from reader.translation.argos_engine import load_default_engine

            engine_factory = load_default_engine
        self.engine = EngineHolder(engine_factory)
        self.jobs = JobManager(self)
        self.undo_stack = QUndoStack(self)
        self.model_setup = ModelSetup(self, self.jobs)
        self.model = ModelController(self, default_engine)
        self.articles = ArticleController(self)
        self.alignments = AlignmentController(self)
        self.enforcer = EnforceController(self)
        self.imports = ImportController(self)
        self.deletions = DeletionController(self)
        self.view_settings = ViewSettings(self)
        self.narrow = NarrowLayout(self)

        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.commands = ActionCollection(self, self.settings.shortcut_overrides())
        self._build_ui()
        self._connect()
        self.view_settings.restore()
        self.library.refresh()
        self.annotations_panel.refresh()
        self.glossary_panel.refresh_list()
        self.glossary_panel.recount()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)  # not the list: focusing it opens its first row
        self._late_init_done = False
        QTimer.singleShot(0, self._late_init)

    # --- the one way changes flow -------------------------------------------------------------
    def notify(self, changes: OpChanges) -> None:
        """Tell every panel what changed (nothing is sent for an empty record)."""
        if changes:
            self.changed.emit(changes)

    # --- construction -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.library = LibraryPanel(self.store, self)
        self.library.setObjectName("libraryPanel")
        self.library.setMinimumWidth(200)
        self.library.set_sort(self.settings.library_sort)

        self.view = ParallelView(self)
        self.view.setObjectName("parallelView")
        self.empty_states = EmptyStates(self)
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
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
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
        self.model.show_state()

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
        # the Edit menu and the tooltips name the command; the toolbar keeps its short labels
        self.undo_stack.undoTextChanged.connect(lambda t: a.describe("edit.undo", t))
        self.undo_stack.redoTextChanged.connect(lambda t: a.describe("edit.redo", t))
        a["edit.copy"].triggered.connect(self.copy_pair)
        a["edit.translation"].triggered.connect(lambda: self.edit_translation())
        a["edit.find"].triggered.connect(self.library.focus_search)
        a["view.zoom_in"].triggered.connect(lambda: self.set_font_size(self.font_size + 1))
        a["view.zoom_out"].triggered.connect(lambda: self.set_font_size(self.font_size - 1))
        a["view.zoom_reset"].triggered.connect(lambda: self.set_font_size(DEFAULT_FONT_SIZE))
        a["view.interlinear"].triggered.connect(lambda on: self.set_layout_mode("interlinear" if on else "side"))
        a["view.dark"].triggered.connect(lambda on: self.set_theme("dark" if on else "light"))
        a["view.word_alignment"].toggled.connect(self.set_word_alignment)
        a["view.enforce_glossary"].toggled.connect(self.view_settings.set_enforce_glossary)
        a["view.library"].triggered.connect(lambda on: self.library.setVisible(bool(on)))
        a["view.dock"].triggered.connect(lambda on: self.dock.setVisible(bool(on)))
        a["view.toolbar"].triggered.connect(lambda on: self.toolbar.setVisible(bool(on)))
        self.dock.visibilityChanged.connect(self.view_settings.sync_panel_actions)
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
        win_focus.setup(self)  # F6 between panes, accessible names, search → list

        self.banner.download.clicked.connect(a["model.download"].trigger)
        self.banner.install.clicked.connect(a["model.install"].trigger)
        self.model_setup.modelInstalled.connect(self.model.on_installed)
        self.model_setup.modelRemoved.connect(self.model.on_removed)
        self.model_setup.busyChanged.connect(self.update_actions)
        self.job_status.cancel.clicked.connect(self.cancel_translation)

        # What changed reaches every panel on one signal. The panels come first: the article
        # controller then redraws the view's decorations from their new state.
        self.changed.connect(self.library.on_changes)
        self.changed.connect(self.annotations_panel.on_changes)
        self.changed.connect(self.glossary_panel.on_changes)
        self.changed.connect(self.articles.on_changes)
        self.changed.connect(self.enforcer.on_changes)
        self.articles.opened.connect(lambda _article_id: self.annotations_panel.refresh())

        self.library.articleSelected.connect(self.open_article)
        self.library.articleActivated.connect(self.open_article)
        self.library.sort.currentIndexChanged.connect(
            lambda _i: setattr(self.settings, "library_sort", self.library.sort_key())
        )
        self.view.set_alignment_provider(self.alignments.provide)
        self.narrow.connect()
        self.empty_states.connect()
        self.view.editRequested.connect(self.edit_translation)
        self.view.selectionChanged.connect(self.update_actions)
        self.view.pairSelected.connect(self.update_actions)
        self.update_actions()

    def _late_init(self) -> None:
        """After the first show: check the model (cheap, no load) and reopen the last article."""
        if self._late_init_done:
            return
        self._late_init_done = True
        if self.model.default_engine:
            self.model.check_installed()
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

    def update_actions(self, *_args) -> None:
        a = self.commands
        has_article = self.article is not None
        running = self.jobs.is_active(self.translation_job)
        busy = self.model_setup.busy
        state = self.model.state
        has_pair = has_article and self.view.selected_pair() is not None
        a["file.delete"].setEnabled(has_article or self.library.current_id() is not None)
        a["file.close_article"].setEnabled(has_article)
        a["edit.copy"].setEnabled(has_pair)
        a["edit.translation"].setEnabled(has_pair)
        a["model.translate"].setEnabled(has_article and not running and state != "missing")
        a["model.cancel"].setEnabled(running or self.enforcer.running())
        a["model.download"].setEnabled(not busy and state != "ready")
        a["model.install"].setEnabled(not busy)
        a["model.remove"].setEnabled(not busy)
        self.banner.download.setEnabled(a["model.download"].isEnabled())
        self.banner.install.setEnabled(a["model.install"].isEnabled())

    # --- questions to the user (tests replace them) -----------------------------------------------
    def ask_epub_mode(self) -> str | None:
        """Ask how to import a book: one article with a section per chapter, or one per chapter."""
        return choose(self, "Import a book", "How should the EPUB book be imported?", [
            ("article", "One article, chapters as sections"),
            ("chapters", "One article per chapter"),
        ])

    def ask_update_existing(self, names: list[str]) -> str | None:
        """Files already imported once: update those articles in place, or import new copies?
        Returns ``"update"``, ``"copy"`` or None (cancel)."""
        counts = {name: len(self.store.ids_by_origin(name)) for name in names}
        books = [n for n in names if n.lower().endswith(".epub")]
        shown = ", ".join(f"{n} (as {counts[n]} chapters)" if counts[n] > 1 else n for n in names[:5])
        shown += f" and {len(names) - 5} more" if len(names) > 5 else ""
        one = len(names) == 1
        if one and books:
            what = f"the {counts[names[0]]} chapters" if counts[names[0]] > 1 else "the book"
        elif books:
            what = "the books and articles" if len(books) < len(names) else "the books"
        else:
            what = "the article" if one else "the articles"
        text = (f"{shown} {'was' if one else 'were'} already imported. Update {what} in the library "
                f"or import {'a new copy' if one else 'new copies'}?")
        return choose(self, "Import", text, [
            ("update", f"Update {what} (keeps your highlights)"),
            ("copy", "Import as a new copy"),
        ], informative="A file whose text has not changed is not imported again.")

    def confirm(self, title: str, text: str) -> bool:
        return ask(self, title, text)

    def show_about(self) -> AboutDialog:
        model = f"{model_label(self.model_id)}" if self.model_id else None
        dialog = AboutDialog(self, model)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # --- the controllers' state and commands, as the panels, the app and the tests see them --------
    article = property(lambda self: self.articles.article)
    article_id = property(lambda self: self.articles.article_id)
    rows = property(lambda self: self.articles.rows)  # English per sentence of the open article
    _rows = rows
    translation_job = property(lambda self: self.articles.translation_job)
    _edit_dialog = property(lambda self: self.articles.edit_dialog)
    model_id = property(lambda self: self.model.model_id)
    model_state = property(lambda self: self.model.state)
    import_job = property(lambda self: self.imports.job)
    font_size = property(lambda self: self.view_settings.font_size)
    layout_mode = property(lambda self: self.view_settings.layout_mode)
    theme_name = property(lambda self: self.view_settings.theme_name)

    def open_article(self, article_id: int | None) -> None:
        self.articles.open(article_id)

    def close_article(self) -> None:
        self.articles.close()

    def is_fully_translated(self) -> bool:
        return self.articles.is_fully_translated()

    def start_translation(self) -> None:
        self.articles.start_translation()

    def cancel_translation(self) -> None:
        self.articles.cancel_translation()
        self.enforcer.cancel()  # the status bar's Cancel stops the glossary enforcing too

    def edit_translation(self, p: int | None = None, s: int | None = None):
        return self.articles.edit_translation(p, s)

    def refresh_decorations(self) -> None:
        self.articles.refresh_decorations()

    def copy_pair(self) -> None:
        self.articles.copy_pair()

    def import_files(self, paths: list[str | Path] | None = None) -> None:
        self.imports.import_files(paths)

    def paste_as_article(self) -> int | None:
        return self.imports.paste_as_article()

    def add_text_article(self, text: str, origin: str = "clipboard") -> int | None:
        return self.imports.add_text_article(text, origin)

    def delete_article(self, article_id: int | None = None, confirm: bool = True) -> None:
        self.deletions.delete_article(article_id, confirm)

    def set_font_size(self, size: int) -> None:
        self.view_settings.set_font_size(size)

    def set_theme(self, name: str) -> None:
        self.view_settings.set_theme(name)

    def set_layout_mode(self, mode: str) -> None:
        self.view_settings.set_layout_mode(mode)

    def set_word_alignment(self, on: bool) -> None:
        self.view_settings.set_word_alignment(on)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.narrow.schedule()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.narrow.schedule()

    # --- drag and drop ------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.imports.accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if local_files(mime.urls()) or mime.hasText():
            event.acceptProposedAction()
            self.imports.drop(mime)
        else:
            event.ignore()

    # --- shutdown -----------------------------------------------------------------------------
    def save_settings(self) -> None:
        self.view_settings.save()

    def shutdown(self, timeout_ms: int = CLOSE_WAIT_MS) -> bool:
        """Cancel every job and wait for the pools (bounded); True if every worker finished."""
        self.jobs.cancel_all()
        self.articles.translation_job = None
        return self.jobs.wait(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quit promptly (#14.3): the jobs are cancelled and stop between (or inside) batches; one that
        cannot stop at once (a model loading) is left to finish after the window is gone."""
        self.save_settings()
        started = time.monotonic()
        if not self.shutdown(CLOSE_GRACE_MS):
            import logging

            logging.getLogger("visavis").info(
                "a background job was still finishing %.1f s after close", time.monotonic() - started)
        super().closeEvent(event)
