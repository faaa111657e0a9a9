"""Keyboard-only use of the window: moving between its panes, names for assistive technology, and the
small focus paths that were mouse-only.

- F6 / Shift+F6 (View ▸ Next Pane / Previous Pane): library list → parallel text → annotations or
  glossary list (the dock's shown tab) → library…, skipping hidden panes. Focusing the library never
  opens an article by itself: its current row is the open article first.
- Down in a search field (library, annotations, glossary) goes to its list.
- Every pane and its controls carry an accessible name (what a screen reader says on focus); what
  the status bar says ("Highlighted in yellow.", "Translated 20 sentences.") is announced.
- A focused list (library, annotations, glossary) is ringed in the highlight colour: the Fusion style
  shows focus on fields and buttons but not on item views, where only the (unchanged) selection showed.

The parallel view's own keys (sentences, sides, keyboard selection) live in
:mod:`reader.gui.view.keyboard`; every command has a shortcut in :mod:`reader.gui.actions`.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from reader.gui.view import accessible

NAMES = {  # object name → accessible name
    "libraryList": "Library",
    "librarySearch": "Search the library",
    "librarySort": "Sort the library",
    "parallelView": "Parallel text",
    "notesTabs": "Annotations and glossary",
    "annotationList": "Annotations",
    "annotationSearch": "Search notes and quotes",
    "annotationScope": "Annotations shown",
    "annotationColorFilter": "Colour filter",
    "annotationTagFilter": "Tag filter",
    "annotationDetail": "Selected annotation",
    "glossaryList": "Glossary",
    "glossarySearch": "Search the glossary",
    "glossarySort": "Sort the glossary",
    "glossaryDetail": "Selected glossary entry",
    "modelStatusLabel": "Model status",
}


def name_widgets(window) -> None:
    """Give the window's panes and controls accessible names (those without one yet)."""
    for obj_name, name in NAMES.items():
        w = window.findChild(QWidget, obj_name)
        if w is not None and not w.accessibleName():
            w.setAccessibleName(name)


def panes(window) -> list[QWidget]:
    """The panes F6 visits, in order, those shown now."""
    out = [window.library.view, window.view]
    dock_list = {window.annotations_panel: window.annotations_panel.list,
                 window.glossary_panel: window.glossary_panel.tree}.get(window.dock_tabs.currentWidget())
    if dock_list is not None:
        out.append(dock_list)
    return [w for w in out if w.isVisibleTo(window) and window.isVisible() and w.isVisible()]


def pane_of(window, widget: QWidget | None) -> int:
    """Index in :func:`panes` of the pane holding *widget* (-1: none)."""
    if widget is None:
        return -1
    for i, pane in enumerate(panes(window)):
        container = {window.library.view: window.library, window.view: window.view}.get(pane, window.dock)
        if widget is container or container.isAncestorOf(widget):
            return i
    return -1


def focus_pane(window, delta: int) -> QWidget | None:
    """Move the keyboard focus to the next (*delta* 1) or previous (-1) pane; returns it."""
    shown = panes(window)
    if not shown:
        return None
    i = pane_of(window, window.focusWidget())
    target = shown[(i + delta) % len(shown)] if i >= 0 else shown[0 if delta > 0 else -1]
    if target is window.library.view and window.library.current_id() is None and window.article_id is not None:
        window.library.select_article(window.article_id)  # focusing an empty current would open row 0
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)
    return target


class _SearchToList(QObject):
    """Down in a search field: focus its list (current row kept, else the first)."""

    def __init__(self, parent: QObject, lists: dict[QWidget, QWidget]) -> None:
        super().__init__(parent)
        self._lists = lists

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down and not event.modifiers():
            target = self._lists.get(obj)
            if target is not None and target.isVisible():
                target.setFocus(Qt.FocusReason.TabFocusReason)
                if not target.currentIndex().isValid() and target.model() is not None and target.model().rowCount():
                    target.setCurrentIndex(target.model().index(0, 0))
                return True
        return False


class FocusRing(QWidget):
    """A ring drawn over the focused item view of a window, following the focus."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("focusRing")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._window = window
        self.target: QWidget | None = None
        self.hide()
        QApplication.instance().focusChanged.connect(self._on_focus)

    def _on_focus(self, _old, new) -> None:
        if not shiboken6.isValid(self):
            return
        target = new if isinstance(new, QAbstractItemView) and self._window.isAncestorOf(new) else None
        if self.target is not None:
            self.target.removeEventFilter(self)
        self.target = target
        if target is None:
            self.hide()
            return
        target.installEventFilter(self)
        self._place()

    def _place(self) -> None:
        t = self.target
        if t is None or not t.isVisible():
            self.hide()
            return
        self.setParent(t.parentWidget())
        self.setGeometry(t.geometry())
        self.show()
        self.raise_()
        self.update()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.target and event.type() in (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show,
                                                  QEvent.Type.Hide):
            self._place()
        return False

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        color = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
        pen = QPen(color, 2)
        painter.setPen(pen)
        painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))


def announce(widget: QWidget, text: str) -> None:
    """Have assistive technology speak *text* (politely: after what it is saying)."""
    if text and QAccessible.isActive():
        accessible.post(QAccessibleAnnouncementEvent(widget, text))


def setup(window) -> None:
    """Wire the keyboard paths of *window* (call once, after its panes and actions exist)."""
    name_widgets(window)
    window._focus_ring = FocusRing(window)
    bar = window.statusBar()
    bar.messageChanged.connect(lambda text: announce(bar, text))
    a = window.commands
    if "view.next_pane" in a:
        a["view.next_pane"].triggered.connect(lambda: focus_pane(window, 1))
    if "view.prev_pane" in a:
        a["view.prev_pane"].triggered.connect(lambda: focus_pane(window, -1))
    lists = {
        window.library.search: window.library.view,
        window.annotations_panel.search: window.annotations_panel.list,
        window.glossary_panel.search: window.glossary_panel.tree,
    }
    window._search_to_list = _SearchToList(window, lists)
    for field in lists:
        field.installEventFilter(window._search_to_list)
