"""The parallel view for assistive technology (screen readers, braille displays) through Qt's
accessibility interfaces.

The view is custom-painted, so Qt's default interface shows an empty scroll area. A factory
(:func:`install`) gives the view its own interface instead, a *list of sentence pairs*::

    ParallelView            List       name "Parallel text"
      header                Heading    the title (and its English), if the article has one
      pair (p, s)           ListItem   "Paragraph 3, sentence 2"
        French sentence     Paragraph  name: the sentence; description: "French, paragraph 3, sentence 2;
                                       yellow highlight with a note on “…”: the note; glossary term …"
        English sentence    Paragraph  the same for the translation ("(not translated yet)" until then)

Sentences implement ``QAccessibleTextInterface`` (text, character rectangles, offset at a point,
selecting a range = the view's text selection, scrolling to it) and ``QAccessibleAttributesInterface``
(``Custom``: highlight colours, notes, glossary, edited, language). The keyboard's current sentence
(selected pair, current side) is the focused child and is announced with a ``Focus`` event when it
moves; a changed translation fires ``NameChanged``, changed marks ``DescriptionChanged``, a new article
``ObjectReorder``.

Laziness: nothing is built while no assistive technology asks (Qt only calls the factory then, or when
a test queries the view); child objects are created one by one when asked for, cached in
:class:`ViewAccessibility` (at most ``MAX_NODES``, least recently used dropped) and registered with
Qt's accessible cache; they are deleted from it when the article changes or the view dies, so a
10,000-sentence book costs nothing until it is read.

PySide6 notes (6.11): Python subclasses of ``QAccessibleInterface`` work with
``QAccessible.installFactory``; extra interfaces are returned from ``interface_cast`` as a
``shiboken6.VoidPtr`` to the C++ part of the same object (a plain ``int`` crashes). Methods with
``int *`` out-parameters (``textAtOffset``, ``selection``, per-offset ``attributes``) are not bindable:
Qt's defaults serve the first, and the marks are given as object attributes and in the description.
"""

from __future__ import annotations

import weakref
from bisect import bisect_right
from collections import OrderedDict

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget

from reader.gui.view import accessible_text as say
from reader.gui.view.accessible_nodes import HeaderNode, PairNode, SentenceNode

Role = QAccessible.Role
Event = QAccessible.Event

MAX_NODES = 2000  # accessible objects kept (LRU); a screen reader walking a whole book stays bounded
_installed = False


def install() -> None:
    """Install the factory once per process (cheap to call again)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


def _factory(_key: str, obj) -> QAccessibleInterface | None:
    a11y = getattr(obj, "_a11y", None)
    if isinstance(a11y, ViewAccessibility) and a11y.view() is obj:
        return ViewAccessible(obj, a11y)
    return None


def post(event: QAccessibleEvent) -> None:
    """Hand an event to Qt (tests replace this to see what is announced)."""
    QAccessible.updateAccessibility(event)


def _drop(ids: dict) -> None:
    for uid in list(ids.values()):
        if QAccessible.accessibleInterface(uid) is not None:
            QAccessible.deleteAccessibleInterface(uid)
    ids.clear()


class ViewAccessibility:
    """The view's accessible children (made lazily, cached) and the events it announces."""

    def __init__(self, view) -> None:
        self._view = weakref.ref(view)
        self._nodes: OrderedDict[tuple, QAccessibleInterface] = OrderedDict()
        self._ids: dict[tuple, int] = {}
        self._starts: list[int] | None = None
        self.generation = 0
        ids = self._ids
        view.destroyed.connect(lambda *_: _drop(ids))  # Qt's cache must not outlive the view's data

    def view(self):
        return self._view()

    # --- structure --------------------------------------------------------------------------------
    def _pair_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = say.pair_starts(self._view())
        return self._starts

    def has_header(self) -> bool:
        view = self._view()
        return view is not None and view._article is not None and bool(view._article.title)

    def child_count(self) -> int:
        return int(self.has_header()) + self._pair_starts()[-1]

    def pair_of(self, index: int) -> tuple[int, int] | None:
        """(paragraph, sentence) of child *index* (None: the header or out of range)."""
        index -= int(self.has_header())
        starts = self._pair_starts()
        if not 0 <= index < starts[-1]:
            return None
        p = bisect_right(starts, index) - 1
        return p, index - starts[p]

    def index_of(self, p: int, s: int) -> int:
        return int(self.has_header()) + self._pair_starts()[p] + s

    def child(self, index: int) -> QAccessibleInterface | None:
        if index == 0 and self.has_header():
            return self.node(("header",))
        pair = self.pair_of(index)
        return None if pair is None else self.node(("pair", *pair))

    def node(self, key: tuple) -> QAccessibleInterface:
        """The child for *key* (``("header",)``, ``("pair", p, s)``, ``(side, p, s)``), made once."""
        node = self._nodes.get(key)
        if node is not None:
            self._nodes.move_to_end(key)
            return node
        cls = HeaderNode if key[0] == "header" else PairNode if key[0] == "pair" else SentenceNode
        node = self._nodes[key] = cls(self, key)
        self._ids[key] = QAccessible.registerAccessibleInterface(node)
        while len(self._nodes) > MAX_NODES:  # the longest unused goes (made again if asked for)
            old, _ = self._nodes.popitem(last=False)
            uid = self._ids.pop(old, None)
            if uid is not None and QAccessible.accessibleInterface(uid) is not None:
                QAccessible.deleteAccessibleInterface(uid)
        return node

    def sentence(self, side: str, p: int, s: int) -> QAccessibleInterface:
        return self.node((side, p, s))

    def current(self) -> tuple[str, int, int] | None:
        """The keyboard's sentence: (side, paragraph, sentence) or None."""
        view = self._view()
        pair = view.selected_pair() if view is not None else None
        return None if pair is None else (view.current_side(), *pair)

    def built(self) -> int:
        """How many child objects exist (laziness is tested on it)."""
        return len(self._nodes)

    # --- changes ----------------------------------------------------------------------------------
    def reset(self) -> None:
        """The article changed: drop every child; announce the new content."""
        _drop(self._ids)
        self._nodes.clear()
        self._starts = None
        self.generation += 1
        view = self._view()
        if view is not None and QAccessible.isActive():
            post(QAccessibleEvent(view, Event.ObjectReorder))
            post(QAccessibleEvent(view, Event.DescriptionChanged))

    def current_changed(self, *_signal_args) -> None:
        """The selected pair or the current side moved: focus its sentence (when the view has focus)."""
        view = self._view()
        cur = self.current()
        if cur is None or view is None or not view.hasFocus() or not QAccessible.isActive():
            return
        node = self.sentence(*cur)
        post(QAccessibleEvent(node, Event.Focus))
        post(QAccessibleEvent(node, Event.Selection))

    def text_changed(self, p: int, s: int) -> None:
        node = self._nodes.get(("en", p, s))
        if node is not None and QAccessible.isActive():
            post(QAccessibleEvent(node, Event.NameChanged))

    def marks_changed(self) -> None:
        if not QAccessible.isActive():
            return
        for key, node in list(self._nodes.items()):
            if key[0] in ("fr", "en"):
                post(QAccessibleEvent(node, Event.DescriptionChanged))


class ViewAccessible(QAccessibleWidget):
    """The view itself: a list of sentence pairs."""

    def __init__(self, view, a11y: ViewAccessibility) -> None:
        super().__init__(view, Role.List)
        self._a11y = a11y

    def childCount(self) -> int:  # noqa: N802
        return self._a11y.child_count()

    def child(self, index: int):
        return self._a11y.child(index)

    def indexOfChild(self, child) -> int:  # noqa: N802
        key = getattr(child, "key", None)
        if key == ("header",):
            return 0
        if key and key[0] == "pair" and getattr(child, "a11y", None) is self._a11y:
            return self._a11y.index_of(key[1], key[2])
        return -1

    def focusChild(self):  # noqa: N802
        cur = self._a11y.current()
        return self._a11y.sentence(*cur) if cur is not None and self.widget().hasFocus() else None

    def childAt(self, x: int, y: int):  # noqa: N802
        view = self.widget()
        hit = view._pair_at(view.viewport().mapFromGlobal(QPoint(x, y)))
        return None if hit is None else self._a11y.node(("pair", hit[1], hit[2]))
