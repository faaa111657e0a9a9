"""Getting the French→English model: a banner when it is missing, download / install / status / remove.

Download and install run off the GUI thread (``JobManager``) with a progress dialog and Cancel; a failure
is explained in the one sentence of its ``ModelError``. ``modelInstalled`` tells the window to load the
engine again and start translating.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from reader.core.errors import ReaderError
from reader.gui.dialogs import ask, show_message
from reader.gui.workers import JobManager, model_label

MODEL_SIZE_TEXT = "66 MB"
MISSING_TEXT = (
    "No French→English model is installed, and this article has no saved English. "
    f"To translate it, download the model ({MODEL_SIZE_TEXT}) or install a .argosmodel file: "
    "Model ▸ Download the Model… or Model ▸ Install from File… — you can read the French meanwhile."
)


def english_note(missing: bool, reading_model: str, untranslated: int, older: set[str]) -> str | None:
    """The line under the English column label: where the English shown comes from when that is not
    the installed model, and what to do for the sentences left untranslated (« … »)."""
    parts = []
    if missing:
        made = f" (by {model_label(reading_model)})" if reading_model else ""
        parts.append(f"No model installed: English saved earlier{made}.")
        if untranslated:
            parts.append("To translate the sentences shown « … », install a model: "
                         "Model ▸ Download the Model… or Install from File…")
    if older:
        names = ", ".join(sorted(model_label(m) for m in older))
        parts.append(f"Dotted: English of an earlier model ({names}), until translated again.")
    return " ".join(parts) or None


def older_tooltip(model_id: str) -> str:
    return f"English of an earlier model ({model_label(model_id)}), kept until this sentence is translated again"


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


class ModelBanner(QFrame):
    """Shown above the reading view while no model is installed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel(
            "<b>No French→English model.</b> Read the French now; for the English, get the offline model.",
            self,
        )
        self.label.setWordWrap(True)
        self.download = QPushButton(f"Download the Model ({MODEL_SIZE_TEXT})", self)
        self.download.setObjectName("downloadModelButton")
        self.install = QPushButton("Install from File…", self)
        self.install.setObjectName("installModelButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.download)
        layout.addWidget(self.install)


class ModelSetup(QObject):
    """Model management commands for a window. ``busy`` while a download or install runs."""

    modelInstalled = Signal()
    modelRemoved = Signal()
    busyChanged = Signal()

    def __init__(self, window: QWidget, jobs: JobManager) -> None:
        super().__init__(window)
        self.window = window
        self.jobs = jobs
        self.job = None
        self.dialog: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    # --- commands --------------------------------------------------------------------------------
    def download(self) -> None:
        """Download (with byte progress), verify and install the model from the Argos index."""
        def fn(progress, emit):
            from reader.translation import packages

            return packages.download_and_install(progress=progress)

        self._run("Downloading the French→English model…", fn, bytes_=True)

    def install_from_file(self, path: str | Path | None = None) -> None:
        """Ask for a .argosmodel file (unless ``path`` is given) and install it."""
        if path is None:
            name, _filter = QFileDialog.getOpenFileName(
                self.window, "Install a French→English Argos Model", str(Path.home()),
                "Argos models (*.argosmodel);;All files (*)",
            )
            if not name:
                return
            path = name
        path = Path(path)

        def fn(progress, emit):
            from reader.translation import packages

            return packages.install_from_file(path, progress=progress)

        self._run(f"Installing {path.name}…", fn, bytes_=False)

    def status_text(self) -> str:
        try:
            from reader.translation.packages import model_status

            status = model_status()
        except ReaderError as exc:
            return str(exc)
        if not status.installed:
            return "No French→English model is installed."
        where = getattr(status, "path", None)
        return f"Installed: Argos fr→en {status.version}" + (f"\nin {where}" if where else "")

    def show_status(self) -> None:
        show_message(self.window, self.status_text(), title="Model Status")

    def remove(self) -> None:
        if not ask(
            self.window, "Remove Model",
            "Remove the French→English model? Translations already made stay in your library.",
            default=QMessageBox.StandardButton.No,
        ):
            return
        try:
            from reader.translation import packages

            packages.remove()
        except ReaderError as exc:
            show_message(self.window, str(exc), icon=QMessageBox.Icon.Warning, title="Remove Model")
            return
        self.modelRemoved.emit()
        show_message(self.window, "The French→English model was removed.", title="Remove Model")

    def cancel(self) -> None:
        if self.job is not None:
            self.jobs.cancel(self.job, forget=False)

    # --- internals -------------------------------------------------------------------------------
    def _run(self, label: str, fn, bytes_: bool) -> None:
        if self.job is not None:
            return
        dialog = QProgressDialog(label, "Cancel", 0, 0, self.window)
        dialog.setObjectName("modelProgressDialog")
        dialog.setWindowTitle("French→English Model")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.canceled.connect(self.cancel)
        self.dialog = dialog
        base = label

        def on_progress(done: int, total: int, message: str) -> None:
            # Use the local dialog: a window-modal QProgressDialog processes events inside setValue(),
            # so the job may finish (and the dialog be closed) during this very call.
            if self.dialog is not dialog:
                return
            if total > 0:
                detail = f"{_mb(done)} of {_mb(total)}" if bytes_ else (message or "")
                dialog.setLabelText(f"{base}\n{detail}" if detail else base)
                # QProgressDialog counts in int; kB keeps 66 MB (or any model) far inside its range.
                scale = 1024 if bytes_ else 1
                dialog.setMaximum(max(1, total // scale))
                dialog.setValue(min(done, total) // scale)
            elif message:
                dialog.setLabelText(f"{base}\n{message}")

        self.job = self.jobs.start(
            "model", fn, pool="general", on_progress=on_progress,
            on_done=self._done, on_failed=self._failed, on_cancelled=self._cancelled,
        )
        self.busyChanged.emit()
        dialog.show()

    def _close(self) -> None:
        self.job = None
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.busyChanged.emit()

    def _done(self, status) -> None:
        self._close()
        version = getattr(status, "version", None)
        self.modelInstalled.emit()
        self.window.statusBar().showMessage(
            f"Installed the French→English model{f' {version}' if version else ''}.", 8000
        )

    def _failed(self, exc: BaseException) -> None:
        self._close()
        text = str(exc)
        if getattr(exc, "offline", False):
            text += "\n\nYou can install a model from a file: Model ▸ Install from File…"
        show_message(self.window, text, icon=QMessageBox.Icon.Warning, title="French→English Model",
                     details=getattr(exc, "detail", ""))

    def _cancelled(self) -> None:
        self._close()
        self.window.statusBar().showMessage("Cancelled; nothing was installed.", 8000)
