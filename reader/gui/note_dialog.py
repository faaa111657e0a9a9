"""Dialogs for a highlight's note and tags, and for a glossary entry.

User text is shown and edited as plain text only (``QPlainTextEdit``, ``QLineEdit``, labels with
``Qt.PlainText``): a note that says ``<b>`` shows ``<b>``.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from reader.core.annotations import PALETTE, clean_tags


def color_icon(name: str, size: int = 14) -> QIcon:
    """A small square of one palette colour."""
    pix = QPixmap(size, size)
    pix.fill(QColor(PALETTE[name]))
    return QIcon(pix)


def split_tags(text: str) -> list[str]:
    """« a, b ,, c » → ["a", "b", "c"] (cleaned, duplicates dropped)."""
    return clean_tags(text.split(","))


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma, from the tags already in use."""

    def __init__(self, tags: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(QStringListModel(sorted(set(tags), key=str.casefold)), parent)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchStartsWith)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt override)
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index) -> str:  # noqa: N802 (Qt override)
        chosen = index.data()
        line = self.widget().text() if self.widget() is not None else ""
        head = line.rsplit(",", 1)[0] + ", " if "," in line else ""
        return head + chosen


def is_long_rendering(term: str, translation: str) -> bool:
    """Is the English much longer than a rendering of *term* would be (a sentence to trim)?"""
    words = len(translation.split())
    return words > max(4, 2 * len(term.split()) + 1)


def _quote_label(text: str, parent: QWidget) -> QLabel:
    one = " ".join(text.split())
    if len(one) > 300:
        one = one[:299] + "…"
    label = QLabel(f"« {one} »", parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setObjectName("quoteLabel")
    return label


class NoteDialog(QDialog):
    """Note (several paragraphs), tags (comma-separated, completed) and colour of one highlight."""

    def __init__(self, quote: str, note: str = "", tags: Iterable[str] = (), color: str = "yellow",
                 known_tags: Iterable[str] = (), parent: QWidget | None = None, title: str = "Note") -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self.quote_label = _quote_label(quote, self)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setPlainText(note)
        self.note_edit.setPlaceholderText("Your note (plain text; blank lines separate paragraphs)")
        self.note_edit.setTabChangesFocus(True)
        self.tags_edit = QLineEdit(", ".join(tags), self)
        self.tags_edit.setObjectName("tagsEdit")
        self.tags_edit.setPlaceholderText("tags, separated by commas")
        self.tags_edit.setCompleter(TagCompleter(known_tags, self.tags_edit))
        self.color_box = QComboBox(self)
        self.color_box.setObjectName("colorBox")
        for name in PALETTE:
            self.color_box.addItem(color_icon(name), name.capitalize(), name)
        self.color_box.setCurrentIndex(max(0, self.color_box.findData(color)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Note:", self.note_edit)
        form.addRow("Tags:", self.tags_edit)
        form.addRow("Colour:", self.color_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(480, 360)
        self.note_edit.setFocus()

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def tags(self) -> list[str]:
        return split_tags(self.tags_edit.text())

    def color(self) -> str:
        return self.color_box.currentData() or "yellow"


class GlossaryEntryDialog(QDialog):
    """French term, English rendering, note, tags and "enforce in the translation" of a glossary entry."""

    def __init__(self, term: str = "", translation: str = "", note: str = "", tags: Iterable[str] = (),
                 known_tags: Iterable[str] = (), context: str = "", parent: QWidget | None = None,
                 title: str = "Add to Glossary", enforce: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("glossaryDialog")
        self.setWindowTitle(title)
        self.term_edit = QLineEdit(term, self)
        self.term_edit.setObjectName("termEdit")
        self.translation_edit = QLineEdit(translation, self)
        self.translation_edit.setObjectName("translationEdit")
        self.translation_edit.setPlaceholderText("English rendering")
        self.note_edit = QPlainTextEdit(note, self)
        self.note_edit.setObjectName("glossaryNoteEdit")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        self.tags_edit = QLineEdit(", ".join(tags), self)
        self.tags_edit.setObjectName("glossaryTagsEdit")
        self.tags_edit.setPlaceholderText("tags, separated by commas")
        self.tags_edit.setCompleter(TagCompleter(known_tags, self.tags_edit))
        self.enforce_check = QCheckBox("Enforce in the translation", self)
        self.enforce_check.setObjectName("glossaryEnforce")
        self.enforce_check.setToolTip("The English says this rendering wherever the French has the term "
                                      "(View ▸ Enforce Glossary compares with the machine output)")
        self.enforce_check.setChecked(bool(enforce))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.term_edit.textChanged.connect(lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.ok_button.setEnabled(bool(term.strip()))
        form = QFormLayout()
        form.addRow("French:", self.term_edit)
        form.addRow("English:", self.translation_edit)
        form.addRow("Note:", self.note_edit)
        form.addRow("Tags:", self.tags_edit)
        # under the English field: trim a long rendering to the term (shown while it is long)
        self.trim_hint = QLabel("Trim the English to the words that render the term.", self)
        self.trim_hint.setObjectName("trimHint")
        self.trim_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.trim_hint.setWordWrap(True)
        self.trim_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form.insertRow(2, "", self.trim_hint)
        self.translation_edit.textChanged.connect(self._update_trim_hint)
        self._update_trim_hint(translation)
        form.addRow("", self.enforce_check)
        layout = QVBoxLayout(self)
        self.context_hint = None
        if context:
            text = ("The sentence's English (copy the words that render the term):" if not translation.strip()
                    else "The sentence's English:")
            self.context_hint = QLabel(text, self)
            self.context_hint.setObjectName("contextHint")
            self.context_hint.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(self.context_hint)
            quote = _quote_label(context, self)
            quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(quote)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(480, 320)
        # the English guess is selected so the user can trim or overtype it
        self.translation_edit.setFocus()
        self.translation_edit.selectAll()

    def _update_trim_hint(self, text: str) -> None:
        self.trim_hint.setVisible(is_long_rendering(self.term_edit.text(), text))

    def values(self) -> tuple[str, str, str, list[str]]:
        return (
            " ".join(self.term_edit.text().split()),
            self.translation_edit.text().strip(),
            self.note_edit.toPlainText().strip(),
            split_tags(self.tags_edit.text()),
        )

    def enforce_value(self) -> bool:
        """Whether the rendering is to be enforced in the translation."""
        return self.enforce_check.isChecked()
