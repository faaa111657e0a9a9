"""File ▸ Import Annotations…: a W3C JSON-LD annotation file back into the library.

The window calls :func:`import_annotations_dialog` (one line of wiring); the file is read and stored by
:func:`reader.ops.annotations_io.import_annotations` in a worker with its own ``Store`` (a big export is
thousands of annotations), and the panel, the highlights and the library counts are refreshed when it
is done. A bad file is one message; nothing is imported from it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from reader.gui.dialogs import ask, show_message

FILTER = "W3C annotations (*.jsonld *.json);;All files (*)"


def import_job(db_path, path: Path, model_id: str | None, article_id: int | None = None):
    """The worker function: import ``path`` into the database at ``db_path`` (every annotation onto
    ``article_id`` when given); returns the report."""

    def fn(progress, emit):
        from reader.ops.annotations_io import import_annotations
        from reader.storage.store import Store

        store = Store(db_path)
        try:
            return import_annotations(store, path, article_id, installed_model_id=model_id)
        finally:
            store.close()

    return fn


def import_annotations_dialog(window: QWidget, path: str | Path | None = None, article_id: int | None = None):
    """Ask for a file (unless ``path`` is given) and import it off the GUI thread; returns the job. When
    the file's annotations belong to no article of the library, offer to put them on the open article."""
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
        window.notify(report.changes)

    def failed(exc: BaseException) -> None:
        from reader.ops.annotations_io import UnknownArticlesError

        window.annotation_import_job = None
        window.statusBar().clearMessage()
        open_id = window.article_id
        if isinstance(exc, UnknownArticlesError) and open_id is not None and article_id is None:
            title = window.article.title if window.article is not None else f"#{open_id}"
            if ask(window, "Import Annotations", f"{exc}\n\nImport them into the open article « {title} »?"):
                import_annotations_dialog(window, path, open_id)
            return
        show_message(window, str(exc), icon=QMessageBox.Icon.Warning, title="Import Annotations")

    window.annotation_import_job = window.jobs.start(
        "annotation-import", import_job(window.db_path, path, window.model_id, article_id), pool="general",
        on_done=done, on_failed=failed,
    )
    return window.annotation_import_job
