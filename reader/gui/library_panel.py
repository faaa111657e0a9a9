"""The library: a searchable, sortable list of articles with their translated share, and its undo command."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QUndoCommand
from PySide6.QtGui import Qt as QtGuiQt  # Qt's text functions (convertFromPlainText) live in QtGui
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from reader.core.french_dates import display_date
from reader.core.errors import ReaderError
from reader.gui.delegates import begin_item_paint
from reader.gui.empty_state import EmptyState
from reader.ops.library import ArticleSnapshot, delete_article, restore_article

SummaryRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2

SORTS = (("added", "Recently added"), ("title", "Title"), ("date", "Date published"))
SEARCH_DELAY_MS = 150


def _sort_key(kind: str):
    if kind == "title":
        return lambda a: (a.title or "").casefold()
    if kind == "date":
        return lambda a: a.published_iso or ""
    return lambda a: (a.added or "", a.id)


class LibraryModel(QAbstractListModel):
    """Rows of ``ArticleSummary`` (plain data from ``Store.list_articles``)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        a = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return a.title
        if role == Qt.ItemDataRole.ToolTipRole:
            meta = " · ".join(x for x in (a.source, a.author, display_date(a.published, a.published_iso)) if x)
            text = f"{a.title}\n{meta}\n{a.n_translated}/{a.n_sentences} sentences translated".strip()
            # The title comes first and is user text: escaped, so Qt never takes « <img src=…> » for HTML.
            return QtGuiQt.convertFromPlainText(text, QtGuiQt.WhiteSpaceMode.WhiteSpaceNormal)
        if role == SummaryRole:
            return a
        if role == IdRole:
            return a.id
        return None

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list:
        return list(self._rows)

    def row_of(self, article_id: int) -> int:
        for i, a in enumerate(self._rows):
            if a.id == article_id:
                return i
        return -1

    def set_translated(self, article_id: int, n_translated: int) -> None:
        row = self.row_of(article_id)
        if row < 0 or self._rows[row].n_translated == n_translated:
            return
        self._rows[row] = dataclasses.replace(self._rows[row], n_translated=n_translated)
        index = self.index(row)
        self.dataChanged.emit(index, index, [SummaryRole])


class LibraryDelegate(QStyledItemDelegate):
    """Two lines per article: the title; then source · date and the translated share as a small bar."""

    PAD = 6
    BAR_W = 44

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(200, fm.height() * 2 + fm.leading() + self.PAD * 2 + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        a = index.data(SummaryRole)
        if a is None:
            return super().paint(painter, option, index)
        selected, text_colour = begin_item_paint(self, painter, option, index)
        pal: QPalette = option.palette
        dim = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        rect = option.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD - 2, -self.PAD)
        fm = QFontMetrics(option.font)
        line_h = fm.height()

        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_colour)
        title_rect = QRect(rect.left(), rect.top(), rect.width(), line_h)
        title = QFontMetrics(bold).elidedText(a.title or "(untitled)", Qt.TextElideMode.ElideRight, title_rect.width())
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)

        # second line: meta on the left, "n/m" + bar on the right
        y2 = rect.top() + line_h + fm.leading() + 2
        share = f"{a.n_translated}/{a.n_sentences}"
        share_w = fm.horizontalAdvance(share)
        bar_rect = QRect(rect.right() - self.BAR_W, y2 + line_h // 2 - 3, self.BAR_W, 6)
        share_rect = QRect(bar_rect.left() - 6 - share_w, y2, share_w, line_h)
        meta = " · ".join(x for x in (a.source, display_date(a.published, a.published_iso)) if x) or (a.author or "")
        meta_rect = QRect(rect.left(), y2, max(0, share_rect.left() - 8 - rect.left()), line_h)
        painter.setFont(option.font)
        painter.setPen(pal.color(dim))
        painter.drawText(meta_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         fm.elidedText(meta, Qt.TextElideMode.ElideRight, meta_rect.width()))
        painter.drawText(share_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, share)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        trough = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText)
        trough.setAlpha(70)
        painter.setBrush(trough)
        painter.drawRoundedRect(bar_rect, 3, 3)
        if a.n_sentences:
            frac = min(1.0, a.n_translated / a.n_sentences)
            if frac > 0:
                fill = QRect(bar_rect)
                fill.setWidth(max(3, int(bar_rect.width() * frac)))
                accent = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight)
                painter.setBrush(accent)
                painter.drawRoundedRect(fill, 3, 3)
        painter.restore()


class LibraryPanel(QWidget):
    """Search box, sort choice and the article list. Reads the GUI thread's Store; never writes."""

    articleSelected = Signal(int)  # the user picked an article
    articleActivated = Signal(int)  # double-click / Enter

    def __init__(self, store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.model_id: str | None = None
        self._query = ""
        self._sort = "added"
        self._all_count = 0

        self.search = QLineEdit(self)
        self.search.setObjectName("librarySearch")
        self.search.setPlaceholderText("Search the library")
        self.search.setClearButtonEnabled(True)
        self.sort = QComboBox(self)
        self.sort.setObjectName("librarySort")
        for key, label in SORTS:
            self.sort.addItem(label, key)
        self.sort.setToolTip("Sort the library")
        self.model = LibraryModel(self)
        self.view = QListView(self)
        self.view.setObjectName("libraryList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(LibraryDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        # what the empty list says: an empty library, or a search that matches nothing
        self.empty = EmptyState(self.view.viewport(), "libraryEmpty")
        self.empty_buttons: list = []  # (label, QAction or callable) an empty library offers (none: the
        # window's view offers them beside it)

        heading = QLabel("Library", self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        self.sort.currentIndexChanged.connect(self._on_sort_changed)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self.view.activated.connect(lambda index: self.articleActivated.emit(index.data(IdRole)))

    # --- public --------------------------------------------------------------------------------
    def set_sort(self, key: str) -> None:
        i = self.sort.findData(key)
        if i >= 0:
            self.sort.setCurrentIndex(i)

    def sort_key(self) -> str:
        return self._sort

    def refresh(self, select: int | None = None) -> None:
        """Reload the rows from the store (keeping or setting the selected article, without signals)."""
        keep = select if select is not None else self.current_id()
        try:
            rows = self.store.list_articles(model_id=self.model_id, query=self._query or None)
        except ReaderError as exc:
            rows = []
            self._show_empty(str(exc))
        rows.sort(key=_sort_key(self._sort), reverse=self._sort in ("added", "date"))
        blocker = self.view.selectionModel().blockSignals(True)
        try:
            self.model.set_rows(rows)
            if keep is not None:
                self._select_row(self.model.row_of(keep))
        finally:
            self.view.selectionModel().blockSignals(blocker)
        if rows:
            self.empty.hide()
        elif self._query:
            self.empty.show_state(
                "No article matches", f"Nothing in the titles or texts matches « {self._query} ».",
                [("Clear Search", self.clear_search)])
        else:
            self.empty.show_state(
                "No articles yet",
                "French texts you import (.txt, .md, .html, .epub), paste or drop on the window are listed here.",
                self.empty_buttons, width=260)

    def on_changes(self, changes) -> None:
        """The window's change signal (``OpChanges``): list again when articles or their English changed."""
        if changes.articles or changes.translations:
            self.refresh()

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return index.data(IdRole) if index.isValid() else None

    def select_article(self, article_id: int | None, emit: bool = False) -> None:
        row = -1 if article_id is None else self.model.row_of(article_id)
        if emit:
            self._select_row(row)
        else:
            blocker = self.view.selectionModel().blockSignals(True)
            self._select_row(row)
            self.view.selectionModel().blockSignals(blocker)
            self.view.viewport().update()

    def set_translated(self, article_id: int, n_translated: int) -> None:
        self.model.set_translated(article_id, n_translated)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- internals -----------------------------------------------------------------------------
    def _select_row(self, row: int) -> None:
        if row < 0:
            self.view.selectionModel().clearSelection()
            self.view.setCurrentIndex(QModelIndex())
            return
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _show_empty(self, text: str) -> None:
        self.empty.show_state("The library cannot be read", text)

    def clear_search(self) -> None:
        """Empty the search field and list everything again."""
        self.search.clear()
        self._apply_search()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_search(self) -> None:
        self._search_timer.stop()
        query = self.search.text().strip()
        if query != self._query:
            self._query = query
            self.refresh()

    def _on_sort_changed(self, _i: int) -> None:
        self._sort = self.sort.currentData() or "added"
        self.refresh()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.articleSelected.emit(current.data(IdRole))


# --- undo --------------------------------------------------------------------------------------------


class DeleteArticleCommand(QUndoCommand):
    """Delete one article; undo adds it back with the same content, the user's hand edits and annotations.

    The article comes back under a new id (the store hands out ids); ``on_change(deleted, restored,
    previous)`` tells the window which id disappeared or appeared (the other None) and, on undo, the id the
    article had before, so older commands on the stack can follow it. Annotations keep their ids (and
    notes, tags, status …) and are moved to the new article id.

    The hand edits and annotations are captured on every ``redo``, in the delete's transaction
    (:func:`reader.ops.library.delete_article`, the operation ``visavis delete`` runs too), so what was
    added after an undo survives the next undo too.
    """

    def __init__(self, store, article_id: int, on_change: Callable[[int | None, int | None, int], None]) -> None:
        self.store = store
        self.article_id = article_id
        self.article = store.get_article(article_id)
        self.deleted: ArticleSnapshot | None = None
        self.on_change = on_change
        super().__init__(f"Delete “{self.article.title}”")

    def redo(self) -> None:
        self.deleted = delete_article(self.store, self.article_id)
        self.on_change(self.article_id, None, self.article_id)

    def undo(self) -> None:
        assert self.deleted is not None
        new_id = restore_article(self.store, self.deleted)
        previous, self.article_id = self.article_id, new_id
        self.on_change(None, new_id, previous)


class EditTranslationCommand(QUndoCommand):
    """Set (or revert with None) the hand edit of one sentence; ``on_change(article_id, p, s)`` refreshes.

    ``resolve(id)`` maps an article id to its current one (an article deleted then restored by undo has
    a new id).
    """

    def __init__(self, store, article_id: int, p: int, s: int, old: str | None, new: str | None,
                 on_change: Callable[[int, int, int], None],
                 resolve: Callable[[int], int] = lambda i: i) -> None:
        super().__init__("Revert translation" if new is None else "Edit translation")
        self.store, self.article_id, self.p, self.s = store, article_id, p, s
        self.old, self.new = old, new
        self.on_change = on_change
        self.resolve = resolve

    def _apply(self, text: str | None) -> None:
        article_id = self.resolve(self.article_id)
        self.store.set_edited_translation(article_id, self.p, self.s, text)
        self.on_change(article_id, self.p, self.s)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)
