"""Fixtures shared by the GUI tests: no modal error dialogs, and shown MainWindows over a fresh library.

The root ``tests/conftest.py`` provides ``tmp_db``, ``settings_dir``, the session QApplication, and puts
``tests/`` on ``sys.path`` (hence ``from fakes import FakeEngine``).
"""

from __future__ import annotations

import pytest
from fakes import FakeEngine


@pytest.fixture(autouse=True)
def _no_error_dialog():
    from reader.gui import errors

    errors.set_dialog_enabled(False)
    yield
    errors.set_dialog_enabled(True)


@pytest.fixture(autouse=True)
def _light_theme_after():
    """The theme is the application's palette, shared by every test: a test that switched to dark and
    failed before switching back must not leave the next tests in the dark."""
    yield
    from reader.gui import theme

    if theme.is_dark():
        theme.apply_theme("light")


@pytest.fixture
def make_window(qtbot, tmp_db, settings_dir):
    """``make_window(engine=…, engine_factory=…, size=…, settle=…)`` → a shown MainWindow on the samples.

    Each call opens a new Store on the same ``tmp_db`` (so a second call is a restart), fills it with the
    sample articles, and builds the window with *engine_factory*, or else a factory returning *engine*
    (a fresh ``FakeEngine`` when neither is given). *size* is applied with ``resize`` (``None``: leave the
    size to the window and its saved settings). After exposure it waits *settle* ms for the deferred
    start-up step (model check, last article); ``None`` or 0 returns as soon as the window is exposed.
    Every window opened is closed (if still visible), shut down and deleted, and its store closed.
    """
    from reader.gui.main_window import MainWindow
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    opened = []

    def make(engine=None, engine_factory=None, size=(1280, 800), settle=10):
        store = Store(tmp_db)
        ensure_samples(store)
        if engine_factory is None:
            engine = engine if engine is not None else FakeEngine()
            engine_factory = lambda: engine  # noqa: E731
        window = MainWindow(store, tmp_db, engine_factory=engine_factory)
        opened.append((window, store))
        if size is not None:
            window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        if settle:
            qtbot.wait(settle)
        return window

    yield make
    for window, store in opened:
        if window.isVisible():
            window.close()
        window.shutdown(5000)
        window.deleteLater()
        store.close()


@pytest.fixture
def window(make_window):
    """A shown 1280×800 MainWindow over the samples with a fake engine, taken as soon as it is exposed."""
    return make_window(settle=None)
