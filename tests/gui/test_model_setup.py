"""No model installed: the window says so, offers download / install from file, and recovers after."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from fakes import FakeEngine
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from reader.core.errors import ModelError

pytestmark = pytest.mark.gui


class Installable:
    """An engine factory that raises ModelError until ``installed`` is set (like a missing Argos model)."""

    def __init__(self) -> None:
        self.installed = False
        self.engine = FakeEngine()
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if not self.installed:
            raise ModelError("No French→English model is installed.")
        return self.engine


@pytest.fixture
def setup(make_window):
    factory = Installable()
    return make_window(engine_factory=factory, settle=None), factory


def open_first(qtbot, window):
    window.open_article(window.store.list_articles()[0].id)
    qtbot.waitUntil(lambda: window.model_state == "missing", timeout=5000)


def messages(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_missing_model_is_explained_and_french_stays_readable(qtbot, setup):
    window, _factory = setup
    open_first(qtbot, window)
    assert window.article is not None and window.article.paragraphs  # French is shown
    assert window.banner.isVisibleTo(window)
    assert "66 MB" in window.banner.download.text()
    assert window.commands["model.download"].isEnabled()
    assert window.commands["model.install"].isEnabled()
    assert window.model_label.text() == "No model"
    assert not window.commands["model.translate"].isEnabled()
    assert not window.job_status.isVisibleTo(window)


def test_english_side_shows_the_message(qtbot, setup):
    window, _factory = setup
    seen = []
    original = window.view.set_english_message
    window.view.set_english_message = lambda text: (seen.append(text), original(text))
    open_first(qtbot, window)
    from reader.gui.model_setup import MISSING_TEXT

    assert seen and seen[-1] == MISSING_TEXT


def test_install_from_file_runs_in_a_worker_then_translation_starts(qtbot, setup, monkeypatch, tmp_path):
    import threading

    from reader.translation import packages

    window, factory = setup
    open_first(qtbot, window)
    model_file = tmp_path / "translate-fr_en-1_9.argosmodel"
    model_file.write_bytes(b"PK fake")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(model_file), ""))
    seen = {}

    def fake_install(path, progress=None):
        seen["path"] = path
        seen["thread"] = threading.current_thread()
        progress.start(10, "extracting")
        for _ in range(10):
            time.sleep(0.02)
            progress.check()
            progress.advance(1, "extracting")
        factory.installed = True
        return SimpleNamespace(installed=True, version="1.9", path=tmp_path, model_id="argos:fr-en:1.9")

    monkeypatch.setattr(packages, "install_from_file", fake_install)
    window.commands["model.install"].trigger()
    dialog = window.findChild(QProgressDialog, "modelProgressDialog")
    assert dialog is not None and dialog.isVisible()
    assert not window.commands["model.install"].isEnabled()  # busy
    qtbot.waitUntil(lambda: dialog.maximum() == 10 and dialog.value() > 0, timeout=5000)
    qtbot.waitUntil(lambda: window.model_state != "missing", timeout=5000)
    assert seen["path"] == model_file
    assert seen["thread"] is not threading.main_thread()
    assert not window.banner.isVisibleTo(window)
    qtbot.waitUntil(lambda: window.is_fully_translated(), timeout=10000)
    assert window.model_label.text() == "Model: Fake fr→en 1"
    assert window.commands["model.install"].isEnabled()


def test_download_can_be_cancelled(qtbot, setup, monkeypatch):
    from reader.core.progress import Cancelled
    from reader.translation import packages

    window, factory = setup
    open_first(qtbot, window)
    total = 66_585_033

    raised = []

    def fake_download(progress=None, **_kw):
        progress.start(total, "downloading")
        for _ in range(1000):
            time.sleep(0.01)
            try:
                progress.check()
            except Cancelled as exc:
                raised.append(exc)
                raise
            progress.advance(256 * 1024)
        raise AssertionError("not cancelled")

    monkeypatch.setattr(packages, "download_and_install", fake_download)
    window.banner.download.click()
    dialog = window.findChild(QProgressDialog, "modelProgressDialog")
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=5000)
    assert "MB of 66.6 MB" in dialog.labelText()
    from PySide6.QtWidgets import QPushButton

    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    qtbot.waitUntil(lambda: not window.model_setup.busy, timeout=5000)
    assert "nothing was installed" in window.statusBar().currentMessage()
    assert window.model_state == "missing" and not factory.installed
    assert len(raised) == 1  # the fake saw the cancel through progress.check() and stopped there


def test_download_failure_is_one_sentence(qtbot, setup, monkeypatch):
    from reader.translation import packages

    window, _factory = setup
    open_first(qtbot, window)

    def failing(progress=None, **_kw):
        raise ModelError("The model download failed: the server could not be reached.")

    monkeypatch.setattr(packages, "download_and_install", failing)
    window.commands["model.download"].trigger()
    qtbot.waitUntil(lambda: bool(messages(window)), timeout=5000)
    assert messages(window)[0].text() == "The model download failed: the server could not be reached."
    assert window.model_state == "missing"
    assert window.commands["model.download"].isEnabled()


def test_status_and_remove(qtbot, setup, monkeypatch):
    from reader.translation import packages

    window, factory = setup
    factory.installed = True
    window.open_article(window.store.list_articles()[0].id)
    qtbot.waitUntil(lambda: window.model_state == "ready" and window.is_fully_translated(), timeout=10000)
    monkeypatch.setattr(packages, "model_status", lambda: SimpleNamespace(installed=True, version="1.9", path="/x"))
    window.commands["model.status"].trigger()
    assert "1.9" in messages(window)[-1].text()
    messages(window)[-1].close()
    removed = []
    monkeypatch.setattr(packages, "remove", lambda: removed.append(True) or True)
    monkeypatch.setattr("reader.gui.model_setup.ask", lambda *a, **k: True)
    window.commands["model.remove"].trigger()
    assert removed and window.model_state == "missing"
    assert window.banner.isVisibleTo(window)


def test_default_factory_without_a_model_shows_no_model(qtbot, tmp_db, settings_dir, monkeypatch):
    """With the real default engine and an empty ARGOS_PACKAGES_DIR: 'No model', no job, no crash."""
    from reader.gui.main_window import MainWindow
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    store = Store(tmp_db)
    ensure_samples(store)
    w = MainWindow(store, tmp_db)
    w.show()
    qtbot.waitUntil(lambda: w.model_state == "missing", timeout=5000)
    w.open_article(store.list_articles()[0].id)
    assert w.translation_job is None
    assert w.model_label.text() == "No model"
    w.close()
    store.close()
