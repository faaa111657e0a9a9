"""The children of the parallel view's accessible interface (see :mod:`reader.gui.view.accessible`):
the header, one node per sentence pair, and one per sentence with its text and attributes interfaces.

Nodes are made by :class:`~reader.gui.view.accessible.ViewAccessibility` (passed in as *a11y*), which
caches and registers them; a node reads the view when asked, so it never holds stale text.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAttributesInterface,
    QAccessibleInterface,
    QAccessibleTextInterface,
)

from reader.core.model import ParagraphKind
from reader.gui.view import accessible_text as say

Role = QAccessible.Role
Text = QAccessible.Text


class Node(QAccessibleInterface):
    """A child of the view's interface: valid while its article is shown and the view lives."""

    def __init__(self, a11y: ViewAccessibility, key: tuple) -> None:
        QAccessibleInterface.__init__(self)
        self.a11y = a11y
        self.key = key
        self._generation = a11y.generation

    def _view(self):
        view = self.a11y.view()
        return view if view is not None and shiboken6.isValid(view) else None

    def isValid(self) -> bool:  # noqa: N802
        return self._view() is not None and self._generation == self.a11y.generation

    def object(self):
        return None

    def window(self):
        view = self._view()
        return view.window().windowHandle() if view is not None else None

    def setText(self, _t, _text) -> None:  # noqa: N802
        pass

    def childAt(self, _x: int, _y: int):  # noqa: N802
        return None

    def child(self, _index: int):
        return None

    def childCount(self) -> int:  # noqa: N802
        return 0

    def indexOfChild(self, _child) -> int:  # noqa: N802
        return -1

    def parent(self):
        view = self._view()
        return QAccessible.queryAccessibleInterface(view) if view is not None else None

    def _global(self, rect: QRect) -> QRect:
        view = self._view()
        return rect.translated(view.viewport().mapToGlobal(QPoint(0, 0)))

    def _row_rect(self, p: int, side: str | None = None) -> QRect:
        """Row *p* in viewport coordinates; exact sentence lines only for rows already laid out."""
        view = self._view()
        view._fresh_tops()
        top = view._tops[p] - view.verticalScrollBar().value()
        rect = QRect(0, top, view.viewport().width(), view._heights[p])
        if side is not None and view.layout_mode() == "side":
            fr_x, en_x, col_w, _ = view._columns()
            rect.setLeft(round(fr_x if side == "fr" else en_x))
            rect.setWidth(round(col_w))
        return rect

    def _state(self, rect: QRect):
        st = QAccessible.State()
        view = self._view()
        if view is None:
            st.invalid = True
            return st
        st.readOnly = True
        if not rect.intersects(QRect(view.viewport().mapToGlobal(QPoint(0, 0)), view.viewport().size())):
            st.offscreen = True
        return st


class HeaderNode(Node):
    def role(self):
        return Role.Heading

    def text(self, t):
        view = self._view()
        if view is None or view._article is None:
            return ""
        if t == Text.Name:
            return view._article.title
        if t == Text.Description:
            return view.english_title() or ""
        return ""

    def rect(self) -> QRect:
        view = self._view()
        if view is None:
            return QRect()
        return self._global(QRect(0, -view.verticalScrollBar().value(), view.viewport().width(), view._header_h))

    def state(self):
        return self._state(self.rect())


class PairNode(Node):
    """One sentence pair; its two children are the French and the English sentence."""

    def role(self):
        return Role.ListItem

    def text(self, t):
        _, p, s = self.key
        if t == Text.Name:
            return f"Paragraph {p + 1}, sentence {s + 1}"
        if t == Text.Description:
            return say.sentence_text(self._view(), "fr", p, s) if self._view() is not None else ""
        return ""

    def childCount(self) -> int:  # noqa: N802
        return 2

    def child(self, index: int):
        if index not in (0, 1):
            return None
        return self.a11y.sentence(("fr", "en")[index], self.key[1], self.key[2])

    def indexOfChild(self, child) -> int:  # noqa: N802
        key = getattr(child, "key", None)
        if key and key[1:] == self.key[1:] and key[0] in ("fr", "en"):
            return ("fr", "en").index(key[0])
        return -1

    def parent(self):
        return super().parent()

    def rect(self) -> QRect:
        if self._view() is None:
            return QRect()
        return self._global(self._row_rect(self.key[1]))

    def state(self):
        st = self._state(self.rect())
        view = self._view()
        if view is not None:
            st.selectable = True
            st.selected = view.selected_pair() == self.key[1:]
        return st


class SentenceNode(Node, QAccessibleTextInterface, QAccessibleAttributesInterface):
    """One sentence of one side: its text, where it is drawn, its marks."""

    def __init__(self, a11y: ViewAccessibility, key: tuple) -> None:
        Node.__init__(self, a11y, key)
        QAccessibleTextInterface.__init__(self)
        QAccessibleAttributesInterface.__init__(self)

    def interface_cast(self, t):
        ptrs = shiboken6.getCppPointer(self)  # (interface, text interface, attributes interface)
        if t == QAccessible.InterfaceType.TextInterface:
            return shiboken6.VoidPtr(ptrs[1])
        if t == QAccessible.InterfaceType.AttributesInterface:
            return shiboken6.VoidPtr(ptrs[2])
        return shiboken6.VoidPtr(0)

    def _sentence(self) -> str:
        view = self._view()
        return say.sentence_text(view, *self.key) if view is not None else ""

    def _start(self) -> int | None:
        view = self._view()
        span = say.sentence_span(view, *self.key) if view is not None else None
        return None if span is None else span[0]

    def role(self):
        view = self._view()
        if view is not None and view._valid_pair(*self.key[1:]):
            if view._article.paragraphs[self.key[1]].kind is ParagraphKind.HEADING:
                return Role.Heading
        return Role.Paragraph

    def text(self, *args):
        if len(args) == 2:  # QAccessibleTextInterface.text(start, end)
            return self._sentence()[args[0]:args[1]]
        t = args[0]
        if t == Text.Name:
            return self._sentence()
        if t == Text.Description:
            view = self._view()
            return say.describe(view, *self.key) if view is not None else ""
        return ""

    def parent(self):
        return self.a11y.node(("pair", *self.key[1:]))

    def rect(self) -> QRect:
        view = self._view()
        if view is None or not view._valid_pair(*self.key[1:]):
            return QRect()
        side, p, s = self.key
        if p in view._cache:
            rects = view.sentence_rects(side, p, s)
            if rects:
                out = QRect(rects[0])
                for r in rects[1:]:
                    out = out.united(r)
                return self._global(out)
        return self._global(self._row_rect(p, side))

    def state(self):
        st = self._state(self.rect())
        view = self._view()
        if view is not None:
            st.focusable = st.selectable = st.multiLine = st.selectableText = True
            st.selected = view.selected_pair() == self.key[1:]
            st.focused = view.hasFocus() and self.a11y.current() == self.key
        return st

    # --- QAccessibleTextInterface -----------------------------------------------------------------
    def characterCount(self) -> int:  # noqa: N802
        return len(self._sentence())

    def cursorPosition(self) -> int:  # noqa: N802
        return 0

    def setCursorPosition(self, _position: int) -> None:  # noqa: N802
        pass

    def selectionCount(self) -> int:  # noqa: N802
        return 0  # selection(i) has out-parameters PySide cannot bind: none is reported

    def addSelection(self, start: int, end: int) -> None:  # noqa: N802
        self.setSelection(0, start, end)

    def setSelection(self, _index: int, start: int, end: int) -> None:  # noqa: N802
        view, a = self._view(), self._start()
        if view is None or a is None:
            return
        n = self.characterCount()
        start, end = max(0, min(start, n)), max(0, min(end, n))
        side, p, _ = self.key
        view.set_text_selection(side, p, a + min(start, end), p, a + max(start, end))

    def removeSelection(self, _index: int) -> None:  # noqa: N802
        view = self._view()
        if view is not None:
            view.clear_text_selection()

    def characterRect(self, offset: int) -> QRect:  # noqa: N802
        view, a = self._view(), self._start()
        if view is None or a is None or not 0 <= offset < self.characterCount():
            return QRect()
        rects = view.text_rects(self.key[0], self.key[1], a + offset, a + offset + 1)
        return self._global(rects[0]) if rects else QRect()

    def offsetAtPoint(self, point) -> int:  # noqa: N802
        view, a = self._view(), self._start()
        if view is None or a is None:
            return -1
        hit = view._offset_at(view.viewport().mapFromGlobal(point))
        if hit is None or hit[:2] != self.key[:2]:
            return -1
        off = hit[2] - a
        return off if 0 <= off < self.characterCount() else -1

    def scrollToSubstring(self, _start: int, _end: int) -> None:  # noqa: N802
        view = self._view()
        if view is not None:
            view._ensure_pair_visible(self.key[1], self.key[2], self.key[0])

    # --- QAccessibleAttributesInterface -----------------------------------------------------------
    def attributeKeys(self):  # noqa: N802
        return [QAccessible.Attribute.Custom]

    def attributeValue(self, key):  # noqa: N802
        view = self._view()
        if key == QAccessible.Attribute.Custom and view is not None:
            return say.attributes(view, *self.key)
        return None
