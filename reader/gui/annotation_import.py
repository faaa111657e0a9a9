"""File ▸ Import Annotations…: a W3C JSON-LD annotation file back into the library.

The window calls :func:`import_annotations_dialog` (one line of wiring); the file is read and stored by
:func:`reader.ops.annotations_io.import_annotations` in a worker with its own ``Store`` (a big export is
thousands of annotations), and the panel, the highlights and the library counts are refreshed when it
is done. A bad file is one message; nothing is imported from it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reader.gui.dialogs import show_message

FILTER = "W3C annotations (*.jsonld *.json);;All files (*)"


def import_job(db_path, path: Path, model_id: str | None):
    """The worker function: import ``path`` into the database at ``db_path``; returns the report."""

    def fn(progress, emit):
        from reader.ops.annotations_io import import_annotations
        from reader.storage.store import Store

        store = Store(db_path)
        try:
            return import_annotations(store, path, installed_model_id=model_id)
        finally:
            store.close()

    return fn


def import_annotations_dialog(window: QWidget, path: str | Path | None = None):
    """Ask for a file (unless ``path`` is given) and import it off the GUI thread; returns the job."""
    if path is None:
        path, _filter = QFileDialog.getOpenFileName(window, "Import Annotations", str(Path.home()), FILTER)
    if not path:
        return None
    path = Path(path)
    window.statusBar().showMessage(f"Importing annotations from {path.name}…")

    def done(report) -> None:
        window.annotation_import_job = None
        if report.updated or report.reanchored:
            window.undo_stack.clear()  # its commands hold the annotations as they were before
        window.statusBar().showMessage(f"{path.name}: {report.summary()}.", 8000)
        window.annotations_panel.refresh()
        window.refresh_decorations()
        window.library.refresh()

    def failed(exc: BaseException) -> None:
        window.annotation_import_job = None
        window.statusBar().clearMessage()
        show_message(window, str(exc), icon=QMessageBox.Icon.Warning, title="Import Annotations")

    window.annotation_import_job = window.jobs.start(
        "annotation-import", import_job(window.db_path, path, window.model_id), pool="general",
        on_done=done, on_failed=failed,
    )
    return window.annotation_import_job
