"""Importing PDFs from the window: through the import job (off the GUI thread), opened when done; a scan
is reported in the import errors box, the other files imported."""

from __future__ import annotations

import threading
from pathlib import Path

from reader.core.model import ParagraphKind

PDF = Path(__file__).resolve().parents[1] / "data" / "pdf"


def test_import_pdfs_in_a_job_and_open_the_first(window, qtbot, monkeypatch):
    from reader.gui import win_imports
    from reader.importers import pdf as pdf_importer

    threads: list[str] = []
    real = pdf_importer.import_pdf

    def spy(path, **kwargs):
        threads.append(threading.current_thread().name)
        assert kwargs.get("progress") is not None  # the job's progress: a long PDF can be cancelled
        return real(path, **kwargs)

    monkeypatch.setattr(pdf_importer, "import_pdf", spy)
    errors: list[tuple[str, str]] = []
    monkeypatch.setattr(win_imports, "show_import_errors", lambda parent, errs, n: errors.extend(errs))
    before = len(window.store.list_articles())
    window.import_files([PDF / "gretsi2025-frugalite.pdf", PDF / "ocrmypdf-francais-scan.pdf"])
    assert window.import_job is not None  # a job, the window stays responsive
    qtbot.waitUntil(lambda: window.import_job is None, timeout=60000)

    assert threads and threading.main_thread().name not in threads
    assert errors == [("ocrmypdf-francais-scan.pdf",
                       "ocrmypdf-francais-scan.pdf has no text layer (it is a scanned image); "
                       "Vis-à-vis cannot read it without OCR.")]
    assert len(window.store.list_articles()) == before + 1
    new_id = window.store.find_by_origin("gretsi2025-frugalite.pdf")
    qtbot.waitUntil(lambda: window.article_id == new_id, timeout=5000)
    assert window.article.title.startswith("Frugalité en télédétection")
    kinds = {p.text: p.kind for p in window.article.paragraphs}
    assert kinds["1 Introduction"] is ParagraphKind.HEADING


def test_the_import_dialog_offers_pdf_files():
    from reader.gui.win_imports import IMPORT_FILTER, IMPORTABLE

    assert ".pdf" in IMPORTABLE
    assert "*.pdf" in IMPORT_FILTER.split(";;")[0]


def test_the_import_errors_box_names_each_file_once(qtbot):
    from reader.gui.dialogs import show_import_errors

    box = show_import_errors(None, [
        ("scan.pdf", "scan.pdf has no text layer (it is a scanned image); Vis-à-vis cannot read it without OCR."),
        ("notes.txt", "Permission denied."),
    ], 1)
    assert box.informativeText() == (
        "• scan.pdf has no text layer (it is a scanned image); Vis-à-vis cannot read it without OCR.\n"
        "• notes.txt: Permission denied."
    )
    box.close()
