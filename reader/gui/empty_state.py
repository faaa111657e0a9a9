"""What an empty view or list says: a centred title, what to do next, and buttons to do it.

``EmptyState`` lies over its host (a list's or the parallel view's viewport) and follows its size; the
owner fills it with :meth:`EmptyState.show_state` when there is nothing to list and hides it otherwise.
User text (a search) is shown literally: every label is plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

Button = tuple[str, "Callable[[], object] | QAction"]


def action_button(text: str, action: QAction) -> Button:
    """A button label naming the action's shortcut: ("Import a File… (Ctrl+O)", action)."""
    keys = action.shortcut()
    shown = keys.toString(QKeySequence.SequenceFormat.NativeText) if not keys.isEmpty() else ""
    return (f"{text} ({shown})" if shown else text), action


class EmptyState(QWidget):
    """A centred message with buttons over *host* (see the module doc)."""

    def __init__(self, host: QWidget, object_name: str) -> None:
        super().__init__(host)
        self.setObjectName(object_name)
        self._host = host
        self.setBackgroundRole(QPalette.ColorRole.Base)  # the host's own text (if any) stays under it
        self.setAutoFillBackground(True)
        self.title = QLabel(self)
        self.title.setObjectName(f"{object_name}Title")
        self.body = QLabel(self)
        self.body.setObjectName(f"{object_name}Body")
        for label in (self.title, self.body):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        # a centred column of at most ``width`` pixels (no alignment flags: word-wrapped labels then get
        # the height their width needs)
        self.column = QWidget(self)
        col = QVBoxLayout(self.column)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(10)
        col.addWidget(self.title)
        col.addWidget(self.body)
        self._buttons_box = QVBoxLayout()
        self._buttons_box.setSpacing(6)
        col.addLayout(self._buttons_box)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.column, 100)
        row.addStretch(1)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 12, 12, 12)
        self._layout.addStretch(1)
        self._layout.addLayout(row)
        self._layout.addStretch(1)
        self.buttons: list[QPushButton] = []
        host.installEventFilter(self)
        self.setGeometry(host.rect())
        self.hide()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if obj is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
        return False

    def show_state(self, title: str, body: str, buttons: Sequence[Button] = (), width: int = 460) -> None:
        """Show *title*, *body* and one button per ``(label, callable or QAction)``."""
        self.title.setText(title)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        for b in self.buttons:
            self._buttons_box.removeWidget(b)
            b.deleteLater()
        self.buttons = []
        for label, target in buttons:
            b = QPushButton(label, self)
            b.setObjectName(f"{self.objectName()}Button{len(self.buttons)}")
            if isinstance(target, QAction):
                b.clicked.connect(lambda _c=False, a=target: a.trigger())
                b.setEnabled(target.isEnabled())
            else:
                b.clicked.connect(lambda _c=False, f=target: f())
            self._buttons_box.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
            self.buttons.append(b)
        self.column.setMaximumWidth(width)
        self.setGeometry(self._host.rect())
        self.show()
        self.raise_()

    def texts(self) -> str:
        """Everything it says (title, body, button labels), for tests and screen readers."""
        return "\n".join([self.title.text(), self.body.text(), *(b.text() for b in self.buttons)])
