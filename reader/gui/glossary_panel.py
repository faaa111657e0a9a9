"""The glossary in the window: "Add to Glossary" from a French selection, the marks on every occurrence
of a term in the French text, and the "Glossary" tab of the dock (list, search, sort, occurrence counts,
import and export).

The term marks are drawn by :mod:`reader.gui.glossary_marks`, the suggestion for a selection comes from
:mod:`reader.gui.glossary_suggest`. Slow work runs as ``JobManager`` jobs (:mod:`reader.gui.glossary_jobs`)
that get paths and plain data and open their own ``Store``:
counting occurrences over the library (:func:`reader.ops.annotate.glossary_occurrences`), reading an imported
file and merging it (:func:`reader.core.glossary.merge_entries`), writing an export. Saving an import is
done in the GUI thread as one undoable command.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.annotations import now_iso
from reader.core.errors import NotFoundError, ReaderError
from reader.core.glossary import GlossaryEntry, GlossaryMatcher
from reader.core.sides import french_side
from reader.gui import theme
from reader.gui.annotation_commands import (
    AddGlossaryEntryCommand,
    DeleteGlossaryEntryCommand,
    EditGlossaryEntryCommand,
    ImportGlossaryCommand,
)
from reader.gui.dialogs import show_message
from reader.gui.empty_state import EmptyState
from reader.gui.glossary_jobs import count_job, export_job, import_job
from reader.gui.glossary_marks import (
    enforced_decorations,
    entry_tooltip,
    glossary_decorations,
    paragraph_glossary_decorations,
)
from reader.gui.glossary_suggest import aligned_english, guess_translation, prefill, strip_elision
from reader.gui.note_dialog import GlossaryEntryDialog
from reader.gui.parallel_view import Decoration
from reader.ops.changes import OpChanges

EntryRole = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 250
STATUS_MS = 6000
IMPORT_FILTER = "Glossaries (*.csv *.tbx *.xml *.apkg);;Anki decks (*.apkg);;All files (*)"
EXPORT_FILTER = "CSV (*.csv);;TBX (*.tbx);;TBX v2 for older CAT tools (*.tbx);;Anki deck (*.apkg)"
#: The save dialog's filter → (format, suffix added when the name has none).
EXPORT_FORMATS = {"CSV": ("csv", ".csv"), "TBX": ("tbx", ".tbx"), "TBX v2": ("tbx2", ".tbx"),
                  "Anki": ("apkg", ".apkg")}
SORTS = (("term", "Sort by term"), ("recent", "Recently added"), ("count", "Most frequent"))


# =================================================================================================
# the panel
# =================================================================================================
class GlossaryPanel(QWidget):
    """The "Glossary" tab; also the window's "Add to Glossary" command and the term marks."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("glossaryPanel")
        self.window_ = window
        self._entries: dict[int, GlossaryEntry] = {}
        self._matcher: GlossaryMatcher | None = None
        self._counts: dict = {}
        self._count_job = None
        self._count_again = False
        self.import_job = None
        self.export_job = None
        self._build()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_list)
        self._reload_entries()

    # --- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("glossarySearch")
        self.search.setPlaceholderText("Search terms, translations, notes")
        self.search.setClearButtonEnabled(True)
        self.sort = QComboBox(self)
        self.sort.setObjectName("glossarySort")
        for key, text in SORTS:
            self.sort.addItem(text, key)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("glossaryList")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["French", "English", "Uses"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.placeholder = EmptyState(self.tree.viewport(), "glossaryEmpty")
        self.detail = QLabel(self)
        self.detail.setObjectName("glossaryDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMaximumHeight(120)
        self.detail.hide()
        self.summary = QLabel(self)
        self.summary.setObjectName("glossarySummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setEnabled(False)
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.setObjectName("glossaryEdit")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("glossaryDelete")
        self.import_button = QPushButton("Import…", self)
        self.import_button.setObjectName("glossaryImport")
        self.import_button.setToolTip("Add terms from a CSV or TBX file (known terms are updated)")
        self.export_button = QPushButton("Export…", self)
        self.export_button.setObjectName("glossaryExport")
        self.export_button.setToolTip("Save the glossary as CSV, TBX or an Anki deck")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 2)
        top.addWidget(self.sort, 1)
        row1 = QHBoxLayout()
        row1.setContentsMargins(0, 0, 0, 0)
        row1.addWidget(self.edit_button)
        row1.addWidget(self.delete_button)
        row1.addStretch(1)
        row1.addWidget(self.import_button)
        row1.addWidget(self.export_button)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        col.setSpacing(6)
        col.addLayout(top)
        col.addWidget(self.tree, 1)
        col.addWidget(self.detail)
        col.addWidget(self.summary)
        col.addLayout(row1)

        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.sort.currentIndexChanged.connect(lambda _i: self.refresh_list())
        self.tree.currentItemChanged.connect(lambda *_a: self._show_current())
        self.tree.itemActivated.connect(lambda item, _c: self.edit(item.data(0, EntryRole)))
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.edit_button.clicked.connect(lambda: self._with_current(self.edit))
        self.delete_button.clicked.connect(lambda: self._with_current(self.delete))
        self.import_button.clicked.connect(lambda: self.import_file())
        self.export_button.clicked.connect(lambda: self.export_file())

    def connect_actions(self, commands) -> None:
        if commands.get("notes.glossary") is not None:
            commands["notes.glossary"].triggered.connect(lambda: self.add_from_selection())

    @property
    def store(self):
        return self.window_.store

    def _status(self, text: str) -> None:
        self.window_.statusBar().showMessage(text, STATUS_MS)

    # --- entries, matcher, marks ----------------------------------------------------------------
    def _reload_entries(self) -> None:
        try:
            entries = self.store.glossary()
        except ReaderError:
            entries = []
        self._entries = {e.id: e for e in entries}
        self._matcher = GlossaryMatcher(entries) if entries else None

    def mark_color(self) -> QColor:
        return QColor("#5aa9e6") if theme.is_dark() else QColor("#1f6fb2")

    def decorations(self) -> list[Decoration]:
        article = self.window_.article
        if article is None:
            return []
        return glossary_decorations(self._matcher, self._entries, list(french_side(article).paragraphs),
                                    self.mark_color())

    def lazy_decorations(self) -> Callable[[str, int], list[Decoration]] | None:
        """The same marks as :meth:`decorations`, as a function of ``(side, paragraph)`` for the view to
        call when a paragraph is first shown (matching every paragraph of a book up front takes seconds).
        A snapshot: the glossary, the texts and the colour as they are now."""
        article = self.window_.article
        matcher, entries = self._matcher, self._entries
        if article is None or matcher is None or not entries:
            return None
        texts = [para.text for para in article.paragraphs]  # = french_side(article).paragraphs
        color = self.mark_color()
        enforced = self.window_.articles.enforced_by_paragraph()  # the renderings shown in the English
        view = self.window_.view

        def marks(side: str, p: int) -> list[Decoration]:
            if not 0 <= p < len(texts):
                return []
            if side == "fr":
                return paragraph_glossary_decorations(matcher, entries, p, texts[p], color)
            sentences = []
            for s, e in enforced.get(p, ()):
                a, b = view.english_sentence_range(p, s)
                if view.cell_text("en", p)[a:b] == e.text:  # still the English shown
                    sentences.append((article.paragraphs[p].sentences[s].start, a, e))
            return enforced_decorations(entries, p, sentences, color)

        return marks

    def _after_change(self) -> None:
        """The glossary commands' ``on_change``: every panel hears that the glossary changed."""
        self.window_.notify(OpChanges(glossary=True))

    def on_changes(self, changes: OpChanges) -> None:
        """The window's change signal: reload on a glossary change; count again when articles changed."""
        if changes.glossary:
            self._reload_entries()
            self.refresh_list()
            self.recount()
        elif changes.articles:
            self.recount()  # occurrences are counted over the library's French text

    # --- counting (off the GUI thread) ----------------------------------------------------------
    def recount(self) -> None:
        """Count every entry's occurrences in the library in a job (one at a time; again if asked)."""
        jobs = self.window_.jobs
        if jobs.is_active(self._count_job):
            self._count_again = True
            return
        self._count_again = False
        self._count_job = jobs.start("glossary-count", count_job(self.window_.db_path), pool="general",
                                     on_done=self._on_counted, on_failed=lambda _e: self._count_finished())

    def _on_counted(self, counts: dict) -> None:
        self._counts = dict(counts)
        self._count_finished()
        self.refresh_list()

    def _count_finished(self) -> None:
        self._count_job = None
        if self._count_again:
            self.recount()

    def count_for(self, entry_id) -> int | None:
        return self._counts.get(entry_id)

    # --- adding from the selection --------------------------------------------------------------
    def make_entry_dialog(self, term: str, translation: str, context: str = "", note: str = "", tags=(),
                          title: str = "Add to Glossary", enforce: bool = True) -> GlossaryEntryDialog:
        """The dialog (tests replace this or drive the returned dialog)."""
        return GlossaryEntryDialog(term, translation, note, tags, self.known_tags(), context, self.window_, title,
                                   enforce)

    def known_tags(self) -> list[str]:
        return sorted({t for e in self._entries.values() for t in e.tags}, key=str.casefold)

    def suggestion(self) -> tuple[str, str, str] | None:
        """(French term, English guess, English context) for the view's French selection, or None."""
        window = self.window_
        if window.article is None:
            self._status("Open an article and select a French word or phrase first.")
            return None
        sel = window.view.text_selection()
        if sel is None or not window.view.selected_text().strip():
            self._status("Select a French word or phrase first, then Add to Glossary.")
            return None
        side, p1, o1, p2, o2 = sel
        if side != "fr":
            self._status("Select the term in the French text (left); the English is filled in for you.")
            return None
        term = strip_elision(window.view.selected_text())
        if not term:
            self._status("The selection has no word to add to the glossary.")
            return None
        fr = french_side(window.article)
        start, end = fr.to_global(p1, o1), fr.to_global(p2, o2)
        pairs = fr.sentences_overlapping(start, end)
        english = " ".join(
            t for p, s in pairs
            if p < len(window._rows) and s < len(window._rows[p]) and (t := window._rows[p][s])
        )
        aligned = self._aligned(pairs, p1, o1, o2) if len(pairs) == 1 and p1 == p2 else ""
        return term, prefill(term, english, aligned), english

    def _aligned(self, pairs, p: int, o1: int, o2: int) -> str:
        """The English words aligned with the selection (one sentence), from the word alignment of the
        pair — the one the view's word hover uses, else the stored one — or "" if there is none."""
        window = self.window_
        ((_, s),) = pairs
        try:
            english = window._rows[p][s]
            sentence = window.article.paragraphs[p].sentences[s]
        except IndexError:
            return ""
        if not english:
            return ""
        french = window.article.paragraphs[p].text[sentence.start:sentence.end]
        alignment = window.alignments.provide(p, s, french, english)
        if alignment is None and window.model_id:
            try:
                found = self.store.cached_alignments(window.model_id, [(french, english)])
                scored = found.get((french, english))
                alignment = scored.alignment() if scored is not None else None
            except Exception:  # noqa: BLE001 (a damaged row: no pre-fill from it, never an error)
                alignment = None
        if alignment is None:
            return ""
        try:
            return aligned_english(alignment, o1 - sentence.start, o2 - sentence.start, english)
        except (IndexError, ValueError):
            return ""

    def add_from_selection(self) -> GlossaryEntry | None:
        """"Add to Glossary" (Ctrl+G): the dialog pre-filled from the selection, then one undoable step."""
        got = self.suggestion()
        if got is None:
            return None
        term, guess, context = got
        known = self.store.find_glossary_term(term)
        if known is not None:
            self._status(f"« {known.term} » is already in the glossary; edit it there.")
            self.select_entry(known.id)
            self.window_.dock.show()
            return None
        dialog = self.make_entry_dialog(term, guess, context)
        if dialog.exec() != GlossaryEntryDialog.DialogCode.Accepted:
            return None
        term, translation, note, tags = dialog.values()
        return self.add_entry(term, translation, note, tags, dialog.enforce_value())

    def add_entry(self, term: str, translation: str = "", note: str = "", tags=(),
                  enforce: bool = True) -> GlossaryEntry | None:
        entry = GlossaryEntry(term=term, translation=translation, note=note, tags=list(tags), enforce=bool(enforce))
        if not entry.key:
            self._status("A glossary term needs at least one word.")
            return None
        clash = self.store.find_glossary_term(term)
        if clash is not None:
            self._status(f"« {clash.term} » is already in the glossary.")
            return None
        self.window_.undo_stack.push(AddGlossaryEntryCommand(self.store, entry, self._after_change))
        self._status(f"Added « {entry.term} » to the glossary.")
        self.select_entry(entry.id)
        return entry

    # --- editing --------------------------------------------------------------------------------
    def edit(self, entry: GlossaryEntry | None) -> GlossaryEntry | None:
        if entry is None:
            return None
        try:
            old = self.store.get_glossary_entry(entry.id)
        except NotFoundError:
            self._after_change()
            return None
        dialog = self.make_entry_dialog(old.term, old.translation, "", old.note, old.tags, title="Edit Glossary Entry",
                                        enforce=old.enforce)
        if dialog.exec() != GlossaryEntryDialog.DialogCode.Accepted:
            return None
        term, translation, note, tags = dialog.values()
        new = dataclasses.replace(old, term=term, translation=translation, note=note, tags=tags,
                                  enforce=dialog.enforce_value(), modified=now_iso())
        if (new.term, new.translation, new.note, new.tags, new.enforce) == (old.term, old.translation, old.note,
                                                                            old.tags, old.enforce):
            return old
        clash = self.store.find_glossary_term(term) if new.key else None
        if not new.key or (clash is not None and clash.id != old.id):
            self._status(f"« {term} » is already in the glossary." if clash else "A glossary term needs a word.")
            return None
        self.window_.undo_stack.push(EditGlossaryEntryCommand(self.store, old, new, self._after_change))
        return new

    def delete(self, entry: GlossaryEntry | None) -> None:
        if entry is None:
            return
        try:
            old = self.store.get_glossary_entry(entry.id)
        except NotFoundError:
            self._after_change()
            return
        self.window_.undo_stack.push(DeleteGlossaryEntryCommand(self.store, old, self._after_change))
        self._status(f"Deleted « {old.term} » from the glossary. Undo brings it back.")

    def _with_current(self, fn) -> None:
        item = self.tree.currentItem()
        if item is not None:
            fn(item.data(0, EntryRole))

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        e = item.data(0, EntryRole)
        menu = QMenu(self)
        menu.addAction("Edit…", lambda: self.edit(e))
        menu.addAction("Delete", lambda: self.delete(e))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # --- import / export ------------------------------------------------------------------------
    def import_file(self, path: str | Path | None = None) -> None:
        """Read and merge a CSV/TBX file in a job, then save it as one undoable step."""
        if path is None:
            path, _f = QFileDialog.getOpenFileName(self, "Import Glossary", str(Path.home()), IMPORT_FILTER)
        if not path:
            return
        path = Path(path)
        existing = list(self.store.glossary())
        self._status(f"Importing {path.name}…")
        self.import_button.setEnabled(False)
        self.import_job = self.window_.jobs.start(
            "glossary-import", import_job(path, existing), pool="general",
            on_done=lambda result: self._on_imported(path, result),
            on_failed=self._on_import_failed,
        )

    def _on_imported(self, path: Path, result) -> None:
        self.import_job = None
        self.import_button.setEnabled(True)
        to_add, to_update = result
        if not to_add and not to_update:
            self._status(f"{path.name}: nothing new (0 added, 0 updated).")
            return
        try:
            previous = [self.store.get_glossary_entry(e.id) for e in to_update]
        except NotFoundError:
            self._status("The glossary changed during the import; import the file again.")
            return
        self.window_.undo_stack.push(
            ImportGlossaryCommand(self.store, to_add, to_update, previous, self._after_change, f"“{path.name}”")
        )
        self._status(f"{path.name}: {len(to_add)} added, {len(to_update)} updated.")

    def _on_import_failed(self, exc: BaseException) -> None:
        self.import_job = None
        self.import_button.setEnabled(True)
        self.window_.statusBar().clearMessage()
        show_message(self, str(exc), title="Import Glossary", icon=QMessageBox.Icon.Warning)

    def export_file(self, path: str | Path | None = None, fmt: str | None = None) -> None:
        """Export to ``path`` as ``fmt`` (default: from the name), or ask (the filter picks the format)."""
        if path is None:
            path, chosen = QFileDialog.getSaveFileName(self, "Export Glossary", str(Path.home() / "glossary.csv"),
                                                       EXPORT_FILTER)
            key = max((k for k in EXPORT_FORMATS if (chosen or "CSV").startswith(k)), key=len)
            fmt, suffix = EXPORT_FORMATS[key]
            path += suffix if path and not Path(path).suffix else ""
            # The name's suffix decides, except TBX v2, which shares .tbx with v3.
            fmt = fmt if fmt == "tbx2" and Path(path).suffix.lower() in (".tbx", ".xml") else None
        if not path:
            return
        path = Path(path)
        self.export_button.setEnabled(False)
        self.export_job = self.window_.jobs.start(
            "glossary-export", export_job(self.window_.db_path, path, fmt), pool="general",
            on_done=lambda n: self._on_exported(path, n), on_failed=self._on_export_failed,
        )

    def _on_exported(self, path: Path, n: int) -> None:
        self.export_job = None
        self.export_button.setEnabled(True)
        self._status(f"Exported {n} glossary entr{'y' if n == 1 else 'ies'} to {path.name}.")

    def _on_export_failed(self, exc: BaseException) -> None:
        self.export_job = None
        self.export_button.setEnabled(True)
        show_message(self, str(exc), title="Export Glossary", icon=QMessageBox.Icon.Warning)

    # --- the list -------------------------------------------------------------------------------
    def refresh_list(self) -> None:
        self._search_timer.stop()
        query = self.search.text().strip()
        try:
            entries = self.store.glossary(query=query or None)
        except ReaderError:
            entries = []
        key = self.sort.currentData()
        if key == "recent":
            entries.sort(key=lambda e: (e.created, e.id if isinstance(e.id, int) else 0), reverse=True)
        elif key == "count":
            entries.sort(key=lambda e: -(self._counts.get(e.id) or 0))  # stable: by term within a count
        keep = self.current()
        keep_id = keep.id if keep is not None else None
        self.tree.blockSignals(True)
        self.tree.clear()
        for e in entries:
            count = self._counts.get(e.id)
            item = QTreeWidgetItem([e.term, e.translation, "…" if count is None else str(count)])
            item.setData(0, EntryRole, e)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = entry_tooltip(e)
            for c in range(3):
                item.setToolTip(c, tip)
            self.tree.addTopLevelItem(item)
            if e.id == keep_id:
                self.tree.setCurrentItem(item)
        self.tree.blockSignals(False)
        total = len(self._entries)
        if not total:
            self.summary.setText("")
            self.placeholder.show_state(
                "Your glossary is empty",
                "Select a French word or phrase in the text and press Ctrl+G (Notes ▸ Add to Glossary): "
                "its English is filled in from the translation, and the term is marked wherever it occurs.",
                [("Import a Glossary…", lambda: self.import_file())], width=280)
        elif not entries:
            self.placeholder.show_state("No term matches", f"No term, rendering or note matches « {query} ».",
                                        [("Clear Search", self.clear_search)], width=280)
        else:
            self.placeholder.hide()
        if total and query:
            self.summary.setText(f"{len(entries)} of {total} terms")
        elif total:
            self.summary.setText(f"{total} term{'s' if total != 1 else ''}")
        self._show_current()

    def clear_search(self) -> None:
        self.search.clear()
        self.refresh_list()

    def current(self) -> GlossaryEntry | None:
        item = self.tree.currentItem()
        return item.data(0, EntryRole) if item is not None else None

    def select_entry(self, entry_id) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, EntryRole).id == entry_id:
                self.tree.setCurrentItem(item)
                return

    def _show_current(self) -> None:
        e = self.current()
        self.edit_button.setEnabled(e is not None)
        self.delete_button.setEnabled(e is not None)
        if e is None:
            self.detail.hide()
            return
        parts = [f"{e.term} → {e.translation or '?'}"]
        if e.note:
            parts.append(e.note)
        if e.tags:
            parts.append("Tags: " + ", ".join(e.tags))
        count = self._counts.get(e.id)
        if count is not None:
            parts.append(f"{count} occurrence{'s' if count != 1 else ''} in the library")
        self.detail.setText("\n".join(parts))
        self.detail.show()

    def entries(self) -> list[GlossaryEntry]:
        return [self.tree.topLevelItem(i).data(0, EntryRole) for i in range(self.tree.topLevelItemCount())]
