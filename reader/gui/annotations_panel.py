"""Highlights and notes in the window: the commands that make them, and the panel.

How they are drawn on the text lives in :mod:`reader.gui.annotation_marks`, the list's rows in
:mod:`reader.gui.annotation_delegate`.

``AnnotationsPanel`` is the "Annotations" tab of the window's dock and the glue between the window
(its ``Store``, ``ParallelView``, undo stack and actions) and the annotation model:

* Highlight (Ctrl+1…Ctrl+5) and Add Note… turn the view's paragraph-local selection into whole-side
  offsets (``SideText.to_global``) and push an ``AddAnnotationCommand``;
* :meth:`decorations` draws every placed annotation of the open article on its side in its colour, and
  tints the counterpart sentences on the other side (:func:`~reader.gui.annotation_marks.annotation_decorations`);
* the list shows the annotations of the open article or of the whole library, filtered by colour, tag
  and a full-text search (debounced); clicking one jumps to it; edit, recolour and delete are undoable.

User text (notes, quotes, tags) is painted as plain text; tooltips start with a fixed line so Qt never
takes them for rich text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.annotations import PALETTE, Annotation, make_annotation, now_iso
from reader.core.errors import NotFoundError, ReaderError
from reader.core.sides import SideText
from reader.gui.annotation_commands import AddAnnotationCommand, DeleteAnnotationCommand, EditAnnotationCommand
from reader.gui.annotation_delegate import AnnotationDelegate, AnnotationRole, first_line
from reader.gui.annotation_marks import (
    annotation_decorations,
    annotation_tooltip,
    article_sides,
    follow_shown_english,
    map_range,
    placed,
)
from reader.gui.empty_state import EmptyState
from reader.gui.note_dialog import NoteDialog, color_icon
from reader.gui.parallel_view import Decoration
from reader.ops.changes import OpChanges

SEARCH_DELAY_MS = 250
STATUS_MS = 6000

#: How many annotations the panel lists at most in the all-articles scope.
PANEL_LIMIT = 500


# =================================================================================================
# the panel
# =================================================================================================
class AnnotationsPanel(QWidget):
    """The "Annotations" tab; also the window's highlight/note commands (see the module doc)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("annotationsPanel")
        self.window_ = window
        self._titles: dict[int, str] = {}
        self._build()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)

    # --- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.scope = QComboBox(self)
        self.scope.setObjectName("annotationScope")
        self.scope.addItem("This article", "article")
        self.scope.addItem("All articles", "all")
        self.scope.setToolTip("List the annotations of the open article or of the whole library")
        self.color_filter = QComboBox(self)
        self.color_filter.setObjectName("annotationColorFilter")
        self.color_filter.addItem("All colours", None)
        for name in PALETTE:
            self.color_filter.addItem(color_icon(name), name.capitalize(), name)
        self.tag_filter = QComboBox(self)
        self.tag_filter.setObjectName("annotationTagFilter")
        self.tag_filter.addItem("All tags", None)
        self.search = QLineEdit(self)
        self.search.setObjectName("annotationSearch")
        self.search.setPlaceholderText("Search notes and quotes")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setObjectName("annotationList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setItemDelegate(AnnotationDelegate(self.list, self._title_for))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setUniformItemSizes(True)
        self.detail = QLabel(self)
        self.detail.setObjectName("annotationDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # user text: never rich text
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setMaximumHeight(140)
        self.empty = QLabel(self)
        self.empty.setObjectName("annotationEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.placeholder = EmptyState(self.list.viewport(), "annotationsEmpty")
        self.edit_button = QPushButton("Edit…", self)
        self.edit_button.setObjectName("annotationEdit")
        self.edit_button.setToolTip("Edit the note, tags and colour")
        self.color_button = QToolButton(self)
        self.color_button.setObjectName("annotationColor")
        self.color_button.setText("Colour")
        self.color_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        colour_menu = QMenu(self.color_button)
        for name in PALETTE:
            act = colour_menu.addAction(color_icon(name), name.capitalize())
            act.triggered.connect(lambda _c=False, n=name: self._recolour_current(n))
        self.color_button.setMenu(colour_menu)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("annotationDelete")

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.scope, 1)
        filters.addWidget(self.color_filter, 1)
        filters.addWidget(self.tag_filter, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.color_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        col.setSpacing(6)
        col.addLayout(filters)
        col.addWidget(self.search)
        col.addWidget(self.empty)
        col.addWidget(self.list, 1)
        col.addWidget(self.detail)
        col.addLayout(buttons)

        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.color_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tag_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.list.itemClicked.connect(lambda item: self.jump_to(item.data(AnnotationRole)))
        self.list.itemActivated.connect(lambda item: self.jump_to(item.data(AnnotationRole)))
        self.list.currentItemChanged.connect(lambda *_a: self._show_current())
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.edit_button.clicked.connect(lambda: self._with_current(self.edit))
        self.delete_button.clicked.connect(lambda: self._with_current(self.delete))

    def connect_actions(self, commands) -> None:
        """Wire the window's highlight / note actions (by name) to this panel."""
        for i, name in enumerate(PALETTE):
            action = commands.get(f"notes.{name}")
            if action is not None:
                action.setIcon(color_icon(name, 16))
                action.triggered.connect(lambda _c=False, n=name: self.highlight(n))
        if commands.get("notes.add_note") is not None:
            commands["notes.add_note"].triggered.connect(lambda: self.add_note())

    # --- what the window asks -------------------------------------------------------------------
    @property
    def store(self):
        return self.window_.store

    def _status(self, text: str) -> None:
        self.window_.statusBar().showMessage(text, STATUS_MS)

    def _after_change(self, article_id: int) -> Callable[[], None]:
        """The annotation commands' ``on_change``: every panel hears that this article's annotations changed."""
        changes = OpChanges(annotations={article_id})
        return lambda: self.window_.notify(changes)

    def _reanchor(self, article_id: int, side: str) -> None:
        """The commands' ``reanchor``: an annotation put back by undo is placed again in the current text
        (it may have changed since); the command's ``on_change`` then tells every panel."""
        from reader.ops.annotate import reanchor_article

        model_id = self.window_.model_id or ""
        if side == "en" and not model_id:
            return  # the English text is not known until the model is
        try:
            reanchor_article(self.store, article_id, side, model_id)
        except ReaderError:
            return

    def on_changes(self, changes: OpChanges) -> None:
        """The window's change signal: list again when the record concerns the annotations listed."""
        if self.scope.currentData() == "all":
            concerned = bool(changes.annotations or changes.articles)  # titles and deletions show too
        else:
            article_id = self.window_.article_id
            concerned = article_id in changes.annotations or article_id in changes.articles
        if concerned:
            self.refresh()

    def article_annotations(self) -> list[Annotation]:
        """Every annotation of the open article (reading order)."""
        if self.window_.article_id is None:
            return []
        try:
            return self.store.annotations(article_id=self.window_.article_id)
        except NotFoundError:
            return []

    def decorations(self) -> list[Decoration]:
        fr, en = article_sides(self.window_)
        annotations = self.article_annotations()
        if en is not None and any(a.side == "en" for a in annotations):
            anchored = self.window_.articles.anchored_side()  # the enforced English shown: follow it
            annotations = follow_shown_english(annotations, anchored, en)
        return annotation_decorations(annotations, fr, en)

    # --- creating -------------------------------------------------------------------------------
    def _selection(self) -> tuple[SideText, str, int, int] | None:
        """The view's selection as (side text, side, start, end) in whole-side offsets, or None (and a
        message) when there is nothing to annotate."""
        window = self.window_
        if window.article is None:
            self._status("Open an article and select some text first.")
            return None
        sel = window.view.text_selection()
        if sel is None:
            self._status("Select some text first: there is nothing to highlight.")
            return None
        side, p1, o1, p2, o2 = sel
        fr, en = article_sides(window)
        st = fr if side == "fr" else en
        if st is None:
            self._status("The English text is not ready yet.")
            return None
        try:
            start, end = st.to_global(p1, o1), st.to_global(p2, o2)
        except ValueError:
            self._status("The selection is outside the text; select it again.")
            return None
        # Leading / trailing white space is not part of the highlight.
        text = st.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            self._status("Select some text first: an empty or blank selection cannot be highlighted.")
            return None
        return st, side, start, end

    def _make(self, color: str, note: str = "", tags=()) -> Annotation | None:
        got = self._selection()
        if got is None:
            return None
        st, side, start, end = got
        anchored = self.window_.articles.anchored_side() if side == "en" else None
        if anchored is not None and anchored.text != st.text:
            # the enforced English is shown: the highlight is stored on the English annotations are
            # placed on (the machine output or the hand edit), over the same words
            try:
                start, end = map_range(st, anchored, start, end)
                st = anchored
            except ValueError:
                pass
        try:
            return make_annotation(st, self.window_.article_id, side, start, end, note=note, color=color, tags=tags)
        except ValueError as exc:
            self._status(str(exc))
            return None

    def highlight(self, color: str) -> Annotation | None:
        """Highlight the selection in *color* (one undoable step)."""
        a = self._make(color)
        if a is None:
            return None
        self.window_.undo_stack.push(AddAnnotationCommand(self.store, a, self._after_change(a.article_id),
                                                        self._reanchor))
        self.window_.view.clear_text_selection()
        self._status(f"Highlighted in {color}.")
        return a

    def known_tags(self) -> list[str]:
        try:
            return list(self.store.annotation_tags())
        except ReaderError:
            return []

    def make_note_dialog(self, quote: str, note: str = "", tags=(), color: str = "yellow",
                         title: str = "Add Note") -> NoteDialog:
        """The dialog (tests replace this or drive the returned dialog)."""
        return NoteDialog(quote, note, tags, color, self.known_tags(), self.window_, title)

    def add_note(self) -> Annotation | None:
        """Highlight the selection with a note and tags from the note dialog (modal)."""
        a = self._make("yellow")
        if a is None:
            return None
        dialog = self.make_note_dialog(a.exact)
        if dialog.exec() != NoteDialog.DialogCode.Accepted:
            return None
        a = dataclasses.replace(a, note=dialog.note(), tags=dialog.tags(), color=dialog.color())
        self.window_.undo_stack.push(AddAnnotationCommand(self.store, a, self._after_change(a.article_id),
                                                        self._reanchor))
        self.window_.view.clear_text_selection()
        self._status("Note added.")
        return a

    # --- editing --------------------------------------------------------------------------------
    def _fresh(self, a: Annotation) -> Annotation | None:
        try:
            return self.store.get_annotation(a.id)
        except NotFoundError:
            self.refresh()
            return None

    def edit(self, a: Annotation) -> Annotation | None:
        """Edit note, tags and colour in the dialog; one undoable step."""
        old = self._fresh(a)
        if old is None:
            return None
        dialog = self.make_note_dialog(old.exact, old.note, old.tags, old.color, title="Edit Note")
        if dialog.exec() != NoteDialog.DialogCode.Accepted:
            return None
        new = dataclasses.replace(old, note=dialog.note(), tags=dialog.tags(), color=dialog.color(), modified=now_iso())
        if (new.note, new.tags, new.color) == (old.note, old.tags, old.color):
            return old
        self.window_.undo_stack.push(EditAnnotationCommand(self.store, old, new, self._after_change(old.article_id)))
        return new

    def recolour(self, a: Annotation, color: str) -> Annotation | None:
        old = self._fresh(a)
        if old is None or old.color == color:
            return old
        new = dataclasses.replace(old, color=color, modified=now_iso())
        self.window_.undo_stack.push(EditAnnotationCommand(self.store, old, new, self._after_change(old.article_id)))
        return new

    def delete(self, a: Annotation) -> None:
        old = self._fresh(a)
        if old is None:
            return
        self.window_.undo_stack.push(DeleteAnnotationCommand(self.store, old, self._after_change(old.article_id),
                                                           self._reanchor))
        self._status("Annotation deleted. Undo brings it back.")

    def _with_current(self, fn) -> None:
        a = self.current()
        if a is not None:
            fn(a)

    def _recolour_current(self, color: str) -> None:
        a = self.current()
        if a is not None:
            self.recolour(a, color)

    def _context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        a = item.data(AnnotationRole)
        menu = QMenu(self)
        menu.addAction("Go to Passage", lambda: self.jump_to(a))
        menu.addAction("Edit Note…", lambda: self.edit(a))
        colours = menu.addMenu("Colour")
        for name in PALETTE:
            act: QAction = colours.addAction(color_icon(name), name.capitalize())
            act.setCheckable(True)
            act.setChecked(name == a.color)
            act.triggered.connect(lambda _c=False, n=name: self.recolour(a, n))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.delete(a))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    # --- jumping --------------------------------------------------------------------------------
    def jump_to(self, a: Annotation | None) -> bool:
        """Open the annotation's article if needed, scroll to the passage and select it."""
        if a is None:
            return False
        window = self.window_
        if a.article_id != window.article_id:
            try:
                window.open_article(int(a.article_id))
            except (NotFoundError, ValueError, TypeError):
                self._status("The article of this annotation is no longer in the library.")
                return False
        fr, en = article_sides(window)
        st = fr if a.side == "fr" else en
        if not placed(a, st):
            self._status("This annotation's passage is not in the current text (orphaned); its quote is kept.")
            return False
        p1, o1 = st.to_local(a.start)
        p2, o2 = st.to_local(a.end)
        view = window.view
        view.scroll_to_paragraph(p1)
        pairs = st.sentences_overlapping(a.start, a.end)
        view.set_current_side(a.side)  # the keyboard (and a screen reader) lands on the annotated side
        if pairs:
            view.select_pair(*pairs[0])
        view.set_text_selection(a.side, p1, o1, p2, o2)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # --- the list -------------------------------------------------------------------------------
    def _title_for(self, article_id) -> str:
        if self.scope.currentData() != "all":
            return ""
        return self._titles.get(article_id, "")

    def current(self) -> Annotation | None:
        item = self.list.currentItem()
        return item.data(AnnotationRole) if item is not None else None

    def _refresh_tags(self, article_id: int | None) -> None:
        current = self.tag_filter.currentData()
        try:
            tags = list(self.store.annotation_tags(article_id))
        except ReaderError:
            tags = []
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("All tags", None)
        for tag in tags:
            self.tag_filter.addItem(tag, tag)
        index = self.tag_filter.findData(current) if current is not None else 0
        self.tag_filter.setCurrentIndex(max(0, index))
        self.tag_filter.blockSignals(False)

    def _show_all(self) -> None:
        self.scope.setCurrentIndex(self.scope.findData("all"))

    def clear_filters(self) -> None:
        """Back to every annotation of the scope: no search, every colour, every tag."""
        for w in (self.search, self.color_filter, self.tag_filter):
            w.blockSignals(True)
        self.search.clear()
        self.color_filter.setCurrentIndex(0)
        self.tag_filter.setCurrentIndex(0)
        for w in (self.search, self.color_filter, self.tag_filter):
            w.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the store with the current scope and filters (keeps the selection)."""
        self._search_timer.stop()
        window = self.window_
        scope_all = self.scope.currentData() == "all"
        article_id = None if scope_all else window.article_id
        self._refresh_tags(article_id)
        empty: tuple | None = None  # what the empty list says: (title, body, buttons)
        if not scope_all and article_id is None:
            items: list[Annotation] = []
            self.empty.setText("")
            empty = ("No article open", "Open an article to see its highlights and notes here, or list "
                     "those of every article.", [("Show All Articles", self._show_all)])
        else:
            query = self.search.text().strip() or None
            try:
                # The whole library can hold 100,000 annotations: list the first ones, say so.
                limit = PANEL_LIMIT + 1 if scope_all else None
                items = self.store.annotations(
                    article_id=article_id, color=self.color_filter.currentData(),
                    tag=self.tag_filter.currentData(), query=query, limit=limit,
                )
            except NotFoundError:
                items = []
            if limit is not None and len(items) > PANEL_LIMIT:
                items = items[:PANEL_LIMIT]
                self.empty.setText(f"Showing the first {PANEL_LIMIT}; search or filter to narrow the list.")
            elif items:
                self.empty.setText("")
            elif query or self.color_filter.currentData() or self.tag_filter.currentData():
                self.empty.setText("")
                empty = ("No annotation matches", "No highlight or note matches the search and filters.",
                         [("Clear Search and Filters", self.clear_filters)])
            else:
                self.empty.setText("")
                empty = ("No highlights yet",
                         "Select text on either side and press Ctrl+1 … Ctrl+5 to highlight it in a colour, "
                         "or Ctrl+Shift+N to add a note. They are listed here.", [])
        if empty is None:
            self.placeholder.hide()
        else:
            self.placeholder.show_state(*empty, width=280)
        if scope_all:
            try:
                self._titles = {a.id: a.title for a in self.store.list_articles()}
            except Exception:  # noqa: BLE001 (titles are a nicety)
                self._titles = {}
        self.empty.setVisible(bool(self.empty.text()))
        keep = self.current().id if self.current() is not None else None
        self.list.blockSignals(True)
        self.list.clear()
        for a in items:
            item = QListWidgetItem(self.list)
            item.setData(AnnotationRole, a)
            summary = " ".join(a.exact.split())
            if a.note:
                summary += " — " + first_line(a.note)
            item.setText(summary)  # for accessibility and keyboard search; the delegate paints
            item.setToolTip(annotation_tooltip(a))
            if a.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show_current()

    def _show_current(self) -> None:
        a = self.current()
        has = a is not None
        for w in (self.edit_button, self.color_button, self.delete_button):
            w.setEnabled(has)
        if a is None:
            self.detail.setText("")
            self.detail.hide()
            return
        parts = ["« " + " ".join(a.exact.split()) + " »"]
        if a.note:
            parts.append(a.note)
        if a.tags:
            parts.append("Tags: " + ", ".join(a.tags))
        if a.status == "orphaned":
            parts.append("Orphaned: this passage is no longer in the text.")
        elif a.status == "moved":
            parts.append("Moved: placed again after the text changed.")
        self.detail.setText("\n\n".join(parts))
        self.detail.show()

    def items(self) -> list[Annotation]:
        return [self.list.item(i).data(AnnotationRole) for i in range(self.list.count())]
