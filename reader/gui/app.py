"""Start the window: ``run()`` is what ``visavis`` without a command calls."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

EXIT_STORAGE = 2


def make_app(argv: list[str] | None = None):
    """The QApplication (created once), named so QSettings and platform folders agree."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Vis-à-vis")
    app.setApplicationDisplayName("Vis-à-vis")
    app.setOrganizationName("visavis")
    app.setDesktopFileName("visavis")
    from reader import __version__

    app.setApplicationVersion(__version__)
    return app


def run(db_path: Path | None = None, engine_factory: Callable[[], object] | None = None) -> int:
    """Open the library at ``db_path`` (default: the user's) in the main window; return the exit code."""
    from PySide6.QtWidgets import QMessageBox

    from reader.core.errors import StorageError
    from reader.gui.errors import install_exception_hook, log_exception
    from reader.library import ensure_samples
    from reader.storage.store import Store, default_db_path

    app = make_app()
    install_exception_hook()
    path = Path(db_path) if db_path is not None else default_db_path()
    try:
        store = Store(path)
    except StorageError as exc:
        QMessageBox.critical(None, "Vis-à-vis", f"{exc}\n\nThe library file is {path}.")
        return EXIT_STORAGE
    try:
        ensure_samples(store)
    except Exception as exc:  # the samples are a convenience: never block the start for them
        log_exception(exc, "could not import the sample articles")

    from reader.gui.main_window import MainWindow

    window = MainWindow(store, path, engine_factory=engine_factory)
    window.show()
    try:
        return app.exec()
    finally:
        window.shutdown()
        store.close()
