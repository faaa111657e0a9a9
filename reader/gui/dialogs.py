"""Small dialogs: edit one sentence's English, About (with versions), import problems, messages."""

from __future__ import annotations

import importlib.metadata
import platform

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

APP_NAME = "Vis-à-vis"


def plain_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
              buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok) -> QMessageBox:
    """A message box whose text is never read as HTML: titles, file names and notes are the user's
    and may contain « <b> » or « <script> » (QMessageBox guesses rich text by default)."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    return box


def ask(parent: QWidget | None, title: str, text: str,
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes) -> bool:
    """A Yes/No question in plain text; True for Yes."""
    box = plain_box(parent, QMessageBox.Icon.Question, title, text,
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(default)
    return box.exec() == QMessageBox.StandardButton.Yes


def choose(parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]],
           informative: str = "") -> str | None:
    """A question with one button per ``(key, label)`` choice (the first is the default) and Cancel;
    the chosen key, or None. Plain text throughout."""
    box = plain_box(parent, QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel)
    if informative:
        box.setInformativeText(informative)
    buttons = {box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in choices}
    box.setDefaultButton(next(iter(buttons)))
    box.exec()
    return buttons.get(box.clickedButton())


def show_message(parent: QWidget | None, text: str, *, title: str = APP_NAME,
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information, details: str = "") -> QMessageBox:
    """A window-modal message that does not block the caller (so jobs and tests keep running)."""
    box = plain_box(parent, icon, title, text)
    box.setObjectName("visavisMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if details:
        box.setDetailedText(details)
    box.open()
    return box


def show_import_errors(parent: QWidget | None, errors: list[tuple[str, str]], imported: int) -> QMessageBox:
    """One line per file that could not be imported, each with its own sentence."""
    failed = len(errors)
    head = (
        f"{failed} file could not be imported" if failed == 1 else f"{failed} files could not be imported"
    )
    head += f"; {imported} article{'s' if imported != 1 else ''} imported." if imported else "."
    # the importers' sentences name the file already: « • a.pdf: a.pdf has no text layer… » says it twice
    lines = "\n".join(f"• {message}" if name in message else f"• {name}: {message}" for name, message in errors)
    box = show_message(parent, head, icon=QMessageBox.Icon.Warning, title="Import")
    box.setInformativeText(lines)  # plain text too: Qt gives it the box's text format
    return box


class EditTranslationDialog(QDialog):
    """The French sentence (read-only) and its English (editable). After ``accepted``, ``result_text`` is
    the new English, or None to go back to the machine translation."""

    def __init__(self, french: str, english: str | None, machine: str | None, edited: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editTranslationDialog")
        self.setWindowTitle("Edit Translation")
        self.machine = machine
        self.result_text: str | None = english
        self.french = QPlainTextEdit(french, self)
        self.french.setReadOnly(True)
        self.french.setObjectName("frenchSentence")
        self.english = QPlainTextEdit(english or "", self)
        self.english.setObjectName("englishSentence")
        self.english.setTabChangesFocus(True)
        for edit in (self.french, self.english):
            edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
        note = QLabel(
            "Your version is kept apart from the machine translation and marked as edited."
            if not edited else "This sentence has your edit. The machine translation is kept too.",
            self,
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.revert = QPushButton("Revert to Machine Translation", self)
        self.revert.setObjectName("revertButton")
        self.revert.setEnabled(edited)
        buttons.addButton(self.revert, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.revert.clicked.connect(self._revert)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("French", self))
        layout.addWidget(self.french)
        layout.addWidget(QLabel("English", self))
        layout.addWidget(self.english)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 340)
        self.english.setFocus()

    def _save(self) -> None:
        text = self.english.toPlainText().strip()
        # Saving the machine text unchanged (or an empty box) means "no edit".
        self.result_text = None if not text or text == (self.machine or "").strip() else text
        self.accept()

    def _revert(self) -> None:
        self.result_text = None
        self.accept()


def versions(model_text: str | None = None) -> list[tuple[str, str]]:
    """(component, version) for the About box; never imports argostranslate.translate."""
    import PySide6

    from reader import __version__

    def dist(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    rows = [
        (APP_NAME, __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("argostranslate", dist("argostranslate")),
        ("CTranslate2", dist("ctranslate2")),
        ("Python", platform.python_version()),
    ]
    if model_text is None:
        model_text = model_status_text()
    rows.append(("French→English model", model_text))
    return rows


def model_status_text() -> str:
    try:
        from reader.translation.packages import model_status

        status = model_status()
    except Exception as exc:  # the About box must open whatever state the model is in
        return f"unknown ({exc})"
    if not getattr(status, "installed", False):
        return "not installed"
    version = getattr(status, "version", None) or "?"
    return f"Argos fr→en {version}"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, model_text: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        rows = "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;{value}</td></tr>" for name, value in versions(model_text))
        label = QLabel(
            f"<h3>{APP_NAME}</h3>"
            "<p>Read French articles beside their offline English translation, sentence by sentence.</p>"
            f"<table>{rows}</table>",
            self,
        )
        label.setObjectName("aboutText")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
