"""Start the window: ``run()`` is what ``visavis`` without a command calls."""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_STORAGE = 2
EXIT_DISPLAY = 3
#: The desktop entry and AppStream id (resources/linux/).
DESKTOP_ID = "org.visavis.Reader"


def make_app(argv: list[str] | None = None):
    """The QApplication (created once), named so QSettings and platform folders agree."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Vis-à-vis")
    app.setApplicationDisplayName("Vis-à-vis")
    app.setOrganizationName("visavis")
    app.setDesktopFileName(DESKTOP_ID)  # resources/linux/org.visavis.Reader.desktop: Wayland's app id
    from reader import __version__

    app.setApplicationVersion(__version__)
    from reader.gui.icons import app_icon

    app.setWindowIcon(app_icon())
    return app


def missing_display_library() -> str | None:
    """On Linux/X11, the system library Qt's xcb plugin cannot load, if any (else None).

    Without it Qt aborts with a message that names only one of the possible culprits; loading the
    plugin ourselves first lets us name the real one and say how to install it.
    """
    if not sys.platform.startswith("linux") or not os.environ.get("DISPLAY"):
        return None
    if os.environ.get("QT_QPA_PLATFORM", "xcb").split(":")[0] != "xcb":
        return None
    import PySide6

    plugin = Path(PySide6.__file__).resolve().parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        match = re.search(r"(lib[\w.+-]+\.so[\w.]*)", str(exc).split(":", 1)[-1])
        return match.group(1) if match else str(exc)
    return None


def run(db_path: Path | None = None, engine_factory: Callable[[], object] | None = None,
        smoke_test: bool | str = False) -> int:
    """Open the library at ``db_path`` (default: the user's) in the main window; return the exit code.

    ``smoke_test``: once the window is shown and the event loop runs, print one line saying so (with the
    number of articles) and quit; the check of a packaged build (``visavis --smoke-test``). A string is a
    PNG path to save the window to first (``visavis --smoke-test=window.png``)."""
    missing = missing_display_library()
    if missing:
        print(
            f"visavis: error: the window cannot open: the system library {missing} that Qt needs for X11 is "
            "missing (Debian/Ubuntu: sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 "
            "libxcb-shape0 libxkbcommon-x11-0). The command line works without it.",
            file=sys.stderr,
        )
        return EXIT_DISPLAY
    from PySide6.QtWidgets import QMessageBox

    from reader.gui.dialogs import plain_box

    from reader.core.errors import StorageError
    from reader.gui.errors import install_exception_hook, log_exception
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store, default_db_path

    app = make_app()
    install_exception_hook()
    path = Path(db_path) if db_path is not None else default_db_path()
    try:
        store = Store(path, optimize=True)  # the app's own connection: the last one closed, at quit
    except StorageError as exc:
        plain_box(None, QMessageBox.Icon.Critical, "Vis-à-vis", f"{exc}\n\nThe library file is {path}.").exec()
        return EXIT_STORAGE
    try:
        ensure_samples(store)
    except Exception as exc:  # the samples are a convenience: never block the start for them
        log_exception(exc, "could not import the sample articles")

    from reader.gui.main_window import MainWindow

    window = MainWindow(store, path, engine_factory=engine_factory)
    window.show()
    if smoke_test:
        from PySide6.QtCore import QTimer

        def report() -> None:
            if isinstance(smoke_test, str):
                window.grab().save(smoke_test)
            print(f"visavis: the window opened on {len(store.list_articles())} articles", flush=True)
            app.quit()

        QTimer.singleShot(0, report)
    code = 1
    try:
        code = app.exec()
        return code
    finally:
        window.shutdown()
        store.close()
        _exit_now_if_a_batch_runs(code)


def _exit_now_if_a_batch_runs(code: int) -> None:
    """The window is gone, the library closed: if a cancelled translation left a CTranslate2 batch
    decoding, end the process now instead of waiting seconds for a result nobody will read (#14.3)."""
    batches = sys.modules.get("reader.translation.batches")
    if batches is None or not batches.batch_still_running():
        return
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
