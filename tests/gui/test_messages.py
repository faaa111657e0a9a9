"""#14.6: the window's messages say what happened and what to do, and count what the library counts."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest
from fakes import FakeEngine
from PySide6.QtWidgets import QMessageBox, QProgressDialog

pytestmark = pytest.mark.gui


def no_network(*_a, **_kw):
    raise urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))


def test_download_without_network_points_to_install_from_file(qtbot, make_window, monkeypatch, tmp_path):
    from reader.core.errors import ModelError

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos"))
    monkeypatch.setattr(urllib.request, "urlopen", no_network)

    def factory():
        raise ModelError("No French→English model is installed.")

    window = make_window(engine_factory=factory, settle=None)
    window.commands["model.download"].trigger()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)), timeout=10000)
    box = [b for b in window.findChildren(QMessageBox) if b.isVisible()][0]
    text = box.text()
    assert text.startswith("Could not reach the Argos package index")
    assert "no network" in text
    assert "Model ▸ Install from File…" in text
    assert "Errno" not in text and "Name or service" not in text  # the raw cause is in the details
    assert "Name or service not known" in box.detailedText()


def test_cli_download_without_network_points_to_install_from_file(monkeypatch, tmp_path, capsys):
    from reader.cli.model import cmd_model

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos"))
    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    args = __import__("argparse").Namespace(action="install", path=None, download=True)
    assert cmd_model(args) != 0
    err = capsys.readouterr().err
    assert "visavis model install FILE" in err and "no network" in err


def test_status_bar_counts_the_sentences_the_library_counts(qtbot, make_window, artifacts_dir):
    window = make_window(engine=FakeEngine(delay=0.02), settle=None)
    rows = {r.id: r for r in window.store.list_articles()}
    first, second = sorted(rows, key=lambda i: rows[i].n_sentences)[:2]
    window.open_article(first)
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running("translate"), timeout=20000)
    # the model is loaded now: opening another article does not say it is loading
    window.open_article(second)
    label = window.job_status.label
    assert label.text() == f"Translating 0/{rows[second].n_sentences}"
    qtbot.waitUntil(lambda: window.articles.n_filled >= 2, timeout=10000)
    qtbot.waitUntil(lambda: label.text().startswith("Translating ") and not label.text().startswith("Translating 0/"),
                    timeout=10000)
    assert f"/{rows[second].n_sentences}" in label.text()
    window.statusBar().grab().save(str(artifacts_dir / "status_bar_translating.png"))
    cancel = window.job_status.cancel
    assert cancel.width() <= cancel.sizeHint().width() * 1.5, (cancel.width(), cancel.sizeHint())
    qtbot.waitUntil(lambda: not window.jobs.running("translate"), timeout=20000)
    listed = {r.id: r for r in window.store.list_articles(model_id=FakeEngine.model_id)}[second]
    assert listed.n_translated == listed.n_sentences


def test_progress_dialog_cancel_button_is_its_natural_size(qtbot, make_window, monkeypatch, artifacts_dir):
    import threading

    from PySide6.QtWidgets import QPushButton

    from reader.core.errors import ModelError
    from reader.translation import packages

    release = threading.Event()

    def slow_download(progress=None, **_kw):
        progress.start(1000, "downloading")
        while not release.is_set() and not progress.cancelled:
            release.wait(0.01)
        progress.check()
        raise ModelError("stopped")

    monkeypatch.setattr(packages, "download_and_install", slow_download)

    def factory():
        raise ModelError("No French→English model is installed.")

    window = make_window(engine_factory=factory, settle=None)
    try:
        window.commands["model.download"].trigger()
        dialog = window.findChild(QProgressDialog, "modelProgressDialog")
        qtbot.waitUntil(lambda: dialog.isVisible(), timeout=5000)
        button = dialog.findChild(QPushButton)
        qtbot.waitUntil(lambda: button.isVisible(), timeout=5000)
        dialog.grab().save(str(artifacts_dir / "model_progress_dialog.png"))
        assert button.width() <= button.sizeHint().width() * 1.5, (button.width(), button.sizeHint())
    finally:
        release.set()
