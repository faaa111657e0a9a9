"""File ▸ Export…: the dialog, its live first-page preview, and the export as a background job."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, make_window):
    """A shown 1200×800 MainWindow on the samples, article 1 open, translated by the fake engine, with a note."""
    from reader.ops.annotate import annotate_quote

    win = make_window(size=(1200, 800), settle=None)
    store = win.store
    first = store.list_articles()[0].id
    win.open_article(first)
    qtbot.waitUntil(win.is_fully_translated, timeout=10000)
    annotate_quote(store, first, "fr", "Lavrov", note="Russian foreign minister", color="red", tags=["ru"])
    yield win
    dialog = getattr(win, "_export_dialog", None)
    if dialog is not None:
        dialog.close()


def _open(qtbot, window):
    window.commands["file.export"].trigger()
    dialog = window._export_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.preview_image is not None, timeout=5000)
    return dialog


def _not_blank(image) -> bool:
    w, h = image.width(), image.height()
    colours = {image.pixel(x, y) for x in range(0, w, 7) for y in range(0, h, 7)}
    return len(colours) > 10


def test_export_action_is_enabled_with_ctrl_e(window):
    action = window.commands["file.export"]
    assert action.isEnabled()
    assert action.shortcut().toString() == "Ctrl+E"


def test_dialog_preview_follows_the_options(qtbot, window):
    dialog = _open(qtbot, window)
    assert dialog.scope.currentText() == "Current article"
    assert dialog.article_ids() == [window.article_id]
    a4 = dialog.preview_image
    assert not a4.isNull() and _not_blank(a4)
    assert dialog.preview_caption.text().startswith("Page 1 of ")
    ratio_a4 = a4.height() / a4.width()
    assert abs(ratio_a4 - 297 / 210) < 0.01

    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    qtbot.waitUntil(lambda: dialog.preview_image is not a4, timeout=5000)
    letter = dialog.preview_image
    assert abs(letter.height() / letter.width() - 11 / 8.5) < 0.01

    before = dialog.preview_image
    dialog.left.setCurrentIndex(dialog.left.findData("en"))
    qtbot.waitUntil(lambda: dialog.preview_image is not before, timeout=5000)
    assert dialog.preview_image != before  # the columns swapped

    dialog.format.setCurrentIndex(dialog.format.findData("w3c"))
    qtbot.waitUntil(lambda: dialog.preview_image is None, timeout=5000)
    assert dialog.path.text().endswith(".jsonld")
    assert not dialog.paper.isEnabled() and not dialog.content.isEnabled()


def test_dialog_font_size_and_typesetting_options(qtbot, window):
    """The font size (5–24 pt) and the PDF typesetting options are in the dialog (#12) and reach the
    options and the preview; they are PDF-only."""
    dialog = _open(qtbot, window)
    assert (dialog.font_size.minimum(), dialog.font_size.maximum(), dialog.font_size.value()) == (5, 24, 10.5)
    before = dialog.preview_image
    dialog.font_size.setValue(16)
    dialog.justify.setChecked(True)
    dialog.flatten.setChecked(True)
    dialog.tint.setChecked(True)
    qtbot.waitUntil(lambda: dialog.preview_image is not before, timeout=5000)
    opts = dialog.options()
    assert (opts.font_size, opts.justify, opts.flatten_highlights, opts.counterpart_tint) == (16, True, True, True)
    dialog.format.setCurrentIndex(dialog.format.findData("md"))
    assert not dialog.font_size.isEnabled() and not dialog.justify.isEnabled()


def test_export_pdf_in_the_background(qtbot, window, tmp_path, artifacts_dir):
    from pypdf import PdfReader

    dialog = _open(qtbot, window)
    out = tmp_path / "study.pdf"
    dialog.path.setText(str(out))
    dialog.notes.setCurrentIndex(dialog.notes.findData("endnotes"))
    dialog.render_preview()
    dialog.resize(dialog.sizeHint())
    qtbot.wait(50)
    dialog.grab().save(str(artifacts_dir / "export_dialog.png"))

    dialog.export_button.click()
    assert dialog.job is not None and not dialog.export_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30000)
    assert dialog.last_result is not None, dialog.status.text()
    reader = PdfReader(str(out))
    pages = len(reader.pages)
    assert f"{pages} page" in dialog.status.text() and "1 highlight" in dialog.status.text()
    assert dialog.open_folder.isVisible()
    assert dialog.output_folder() == tmp_path
    hl = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])
          if a.get_object()["/Subtype"] == "/Highlight"]
    assert len(hl) == 1 and "Russian foreign minister" in str(hl[0]["/Contents"])
    dialog.grab().save(str(artifacts_dir / "export_dialog_done.png"))


def test_export_error_is_one_sentence(qtbot, window, tmp_path):
    dialog = _open(qtbot, window)
    dialog.path.setText(str(tmp_path / "missing" / "x.pdf"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30000)
    text = dialog.status.text()
    assert "does not exist" in text and "\n" not in text and "Traceback" not in text
    assert dialog.export_button.isEnabled()


def test_cancel_stops_the_export(qtbot, window, tmp_path, monkeypatch):
    import threading

    import reader.gui.export_dialog as mod

    gate = threading.Event()
    real = mod.run_export

    def slow(store, ids, path, fmt, options, model_id, progress, stats):
        gate.wait(5)
        progress.check()
        return real(store, ids, path, fmt, options, model_id, progress, stats)

    monkeypatch.setattr(mod, "run_export", slow)
    dialog = _open(qtbot, window)
    out = tmp_path / "x.pdf"
    dialog.path.setText(str(out))
    dialog.export_button.click()
    assert dialog.cancel_button.isVisible()
    dialog.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert "cancelled" in dialog.status.text()
    assert not out.exists()


def test_all_articles_scope(qtbot, window, tmp_path):
    dialog = _open(qtbot, window)
    dialog.scope.setCurrentIndex(dialog.scope.count() - 1)
    assert len(dialog.article_ids()) == len(window.store.list_articles()) > 1
    first = dialog.preview_image
    qtbot.waitUntil(lambda: dialog.preview_image is not first, timeout=5000)
    assert dialog.path.text().endswith("visavis-articles.pdf")
    md = tmp_path / "all.md"
    dialog.path.setText(str(md))
    dialog._on_path_edited(str(md))
    assert dialog.format.currentData() == "md"
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30000)
    assert md.is_file() and '<mark class="red" style="background:#ffa3a3">Lavrov</mark>' in md.read_text(encoding="utf-8")
