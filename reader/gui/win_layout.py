"""Narrow windows: the window makes room for the text before the text becomes a column of single words.

Two rules, both undone as soon as the width allows again:

* when the reading pane would hold fewer than ``MIN_READING_CHARS`` average characters with the
  Annotations & Glossary dock beside it, the dock is hidden (a status message says how to show it; if the
  user shows it anyway, it stays until the window is wide enough again);
* the parallel view shows the interlinear layout (each French sentence over its English) when
  side-by-side columns would hold fewer than ``MIN_COLUMN_CHARS`` (``ParallelView.set_min_column_chars``).
  The View menu's choice is untouched: wider again, the view is side by side again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

MIN_COLUMN_CHARS = 32  # a newspaper column: below it, interlinear
MIN_READING_CHARS = 60  # the reading pane below it (dock shown): the dock gives way
DEFAULT_DOCK_WIDTH = 300


def reading_chars(view_width: float, avg_char: float, margin: float) -> float:
    """How many average characters a line of the reading pane holds at *view_width*."""
    return max(0.0, view_width - 2 * margin) / avg_char


class NarrowLayout(QObject):
    """Applies the module's rules to the window (see the module doc)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.auto_hidden = False  # the dock was hidden by this rule (not by the user)
        self.user_forced = False  # the user showed the dock while the window was narrow
        self._dock_width = DEFAULT_DOCK_WIDTH
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.apply)

    def connect(self) -> None:
        w = self.w
        w.view.set_min_column_chars(MIN_COLUMN_CHARS)
        w.view.layoutModeChanged.connect(self._on_mode)
        w.dock.visibilityChanged.connect(self._on_dock_visibility)

    def schedule(self) -> None:
        """Check again once the layouts have settled (after a resize, a font size change)."""
        self._timer.start()

    def _chars(self, view_width: float) -> float:
        st = self.w.view._style
        return reading_chars(view_width, st.metrics(st.base)[0], st.margin)

    def apply(self) -> None:
        w = self.w
        dock = w.dock
        if dock.isFloating() or not w.isVisible():
            return
        view_w = w.view.width()
        self._busy = True
        try:
            if not dock.isHidden():
                self._dock_width = max(dock.width(), dock.minimumWidth())
                narrow = self._chars(view_w) < MIN_READING_CHARS
                if not narrow:
                    self.user_forced = False
                elif not self.user_forced:
                    self.auto_hidden = True
                    dock.hide()
                    w.statusBar().showMessage(
                        "The window is narrow: Annotations & Glossary are hidden "
                        f"({w.commands['view.dock'].shortcut().toString()} shows them)", 6000)
            elif self.auto_hidden and self._chars(view_w - self._dock_width) >= MIN_READING_CHARS:
                self.auto_hidden = False
                dock.show()
                if w.statusBar().currentMessage().startswith("The window is narrow"):
                    w.statusBar().clearMessage()
        finally:
            self._busy = False

    def _on_dock_visibility(self, _visible: bool) -> None:
        if self._busy or self.w.dock.isHidden():
            return
        if self.auto_hidden:  # shown by the user (the View menu, a panel asking for it)
            self.auto_hidden = False
            self.user_forced = True

    def _on_mode(self, mode: str) -> None:
        w = self.w
        if mode == "interlinear" and w.view.requested_layout_mode() == "side" and w.article is not None:
            w.statusBar().showMessage(
                "Narrow columns: the English is shown under each French sentence (side by side again "
                "in a wider window)", 6000)
        elif w.statusBar().currentMessage().startswith("Narrow columns"):
            w.statusBar().clearMessage()
