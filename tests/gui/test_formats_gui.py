"""File ▸ Import Annotations… and the glossary panel's TBX v2 export. (Issue #12, items 11 and 12.)"""

from __future__ import annotations

import json
import stat

from PySide6.QtWidgets import QFileDialog

from reader.core.annotations import collection_to_w3c, make_annotation
from reader.core.sides import french_side


def _annotated(window):
    store = window.store
    article_id = store.list_articles()[0].id
    side = french_side(store.get_article(article_id))
    made = [
        make_annotation(side, article_id, "fr", 0, 12, note="premier\n\nsecond", tags=["t"], color="green"),
        make_annotation(side, article_id, "fr", 20, 30, color="purple"),
    ]
    return article_id, made


def test_file_menu_imports_a_w3c_export_off_the_gui_thread(qtbot, make_window, monkeypatch, tmp_path):
    window = make_window()
    article_id, made = _annotated(window)
    path = tmp_path / "notes.jsonld"
    path.write_text(json.dumps(collection_to_w3c(made), ensure_ascii=False), encoding="utf-8")
    action = window.commands["file.import_annotations"]
    assert action in window.menus["file"].actions()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.open_article(article_id)
    # the article's translation job reports in the status bar too: let it finish first
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=10000)
    action.trigger()
    qtbot.waitUntil(lambda: "2 added" in window.statusBar().currentMessage(), timeout=10000)
    stored = sorted(window.store.annotations(article_id=article_id), key=lambda a: a.start)
    assert stored == sorted(made, key=lambda a: a.start)  # lossless: ids, note paragraphs, colours, dates
    assert window.annotations_panel.list.count() >= 2


def test_a_bad_annotation_file_is_one_message(qtbot, make_window, monkeypatch, tmp_path):
    window = make_window()
    bad = tmp_path / "bad.jsonld"
    bad.write_text("{oops", encoding="utf-8")
    warned = []
    monkeypatch.setattr("reader.gui.annotation_import.show_message", lambda parent, text, **k: warned.append(text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.commands["file.import_annotations"].trigger()
    qtbot.waitUntil(lambda: bool(warned), timeout=10000)
    assert "bad.jsonld" in warned[0] and "not a JSON-LD" in warned[0]
    assert window.store.annotations() == []


def test_glossary_panel_exports_tbx_v2(qtbot, make_window, monkeypatch, tmp_path):
    window = make_window()
    panel = window.glossary_panel
    panel.add_entry("délégation", "delegation", "n")
    out = tmp_path / "terms"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(out), "TBX v2 for older CAT tools (*.tbx)"))
    panel.export_button.click()
    qtbot.waitUntil(lambda: "Exported 1" in window.statusBar().currentMessage(), timeout=10000)
    written = tmp_path / "terms.tbx"
    assert "<martif" in written.read_text(encoding="utf-8") and "<termEntry" in written.read_text(encoding="utf-8")
    assert stat.S_IMODE(written.stat().st_mode) & 0o044  # readable like any saved file, not 0600


def test_foreign_annotations_go_to_the_open_article_when_asked(qtbot, make_window, monkeypatch, tmp_path):
    window = make_window()
    article_id, made = _annotated(window)
    doc = collection_to_w3c(made[:1])
    for item in doc["first"]["items"]:
        del item["visavis:article"]  # as another tool writes it
    path = tmp_path / "foreign.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    asked = []
    monkeypatch.setattr("reader.gui.annotation_import.ask", lambda parent, title, text, **k: asked.append(text) or True)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    # the article's translation job may finish after the import and replace its status message ("Translated
    # N sentences."): every message shown is recorded, and the import's is waited for among them
    shown = []
    window.statusBar().messageChanged.connect(shown.append)
    window.open_article(article_id)
    window.commands["file.import_annotations"].trigger()
    qtbot.waitUntil(lambda: any("1 added" in m for m in shown), timeout=10000)
    assert "name no Vis-à-vis article" in asked[0]
    [stored] = window.store.annotations(article_id=article_id)
    assert (stored.id, stored.note, stored.color) == (made[0].id, made[0].note, made[0].color)
