"""The one global exception hook: log the traceback to a file, tell the user briefly, keep running.

Nothing is lost by carrying on: the store commits each operation as it happens. Tests turn the dialog off
with ``set_dialog_enabled(False)`` (or ``VISAVIS_NO_ERROR_DIALOG=1``) and can read ``last_error()``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from reader.core.errors import ReaderError

_log = logging.getLogger("visavis")
_dialog_enabled = os.environ.get("VISAVIS_NO_ERROR_DIALOG", "") not in ("1", "true", "yes")
_last_error: BaseException | None = None
_installed = False
_showing = False


def log_dir() -> Path:
    """The user's log folder for this app (platformdirs)."""
    from platformdirs import user_log_dir

    return Path(user_log_dir("visavis", "visavis"))


def log_path() -> Path:
    return log_dir() / "visavis.log"


def set_dialog_enabled(enabled: bool) -> None:
    global _dialog_enabled
    _dialog_enabled = enabled


def last_error() -> BaseException | None:
    return _last_error


def _configure_logging() -> None:
    """One handler on the log file of ``log_path()``; when that path changed (another user folder, a
    test's folder), the old handler is closed and a new one opened there."""
    path = os.path.abspath(log_path())
    for h in list(_log.handlers):
        if getattr(h, "_visavis", False):
            if getattr(h, "baseFilename", None) == path:
                return
            _log.removeHandler(h)
            h.close()
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_path(), encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler._visavis = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(handler)
    _log.setLevel(logging.INFO)


def log_exception(exc: BaseException, context: str = "") -> Path:
    """Write ``exc`` with its traceback to the log file; return the file's path."""
    _configure_logging()
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    _log.error("%s\n%s", context or "unhandled exception", text)
    for h in _log.handlers:
        h.flush()
    return log_path()


def handle_exception(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """``sys.excepthook``: log, then show a short dialog (unless disabled). Never raises."""
    global _last_error, _showing
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    _last_error = exc
    try:
        path = log_exception(exc)
    except Exception:  # logging itself failed: fall back to stderr
        sys.__excepthook__(exc_type, exc, tb)
        path = None
    if not _dialog_enabled or _showing:
        return
    if threading.current_thread() is not threading.main_thread():
        return  # a dialog belongs to the GUI thread; the log holds the details
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is None:
            return
        _showing = True
        if isinstance(exc, ReaderError):
            text = str(exc)
        else:
            where = f"The details are in {path}." if path else "The details were printed to the terminal."
            text = (
                "Something went wrong, but your library is safe: every change is saved as you make it.\n\n"
                f"{where}"
            )
        box = QMessageBox(QMessageBox.Icon.Warning, "Vis-à-vis", text, QMessageBox.StandardButton.Ok)
        box.setDetailedText(f"{exc_type.__name__}: {exc}")
        box.exec()
    except Exception:
        pass
    finally:
        _showing = False


def install_exception_hook(show_dialog: bool | None = None) -> None:
    """Install the hook for the GUI thread and for plain Python threads (idempotent)."""
    global _installed
    if show_dialog is not None:
        set_dialog_enabled(show_dialog)
    _configure_logging()
    sys.excepthook = handle_exception
    if not _installed:
        threading.excepthook = lambda args: handle_exception(
            args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback
        )
    _installed = True
