"""Importing a file already in the library from the window: ask once, update in place or copy."""

from __future__ import annotations

from reader.ops.annotate import annotate_quote

V1 = "# Carnet\n\nLe chat dort sur le canapé. Il fait beau.\n\nLa réunion a lieu demain matin.\n"
V2 = "# Carnet\n\nLe chat dort sur le canapé. Il fait beau.\n\nLa réunion aura lieu demain soir.\n"


def _import_and_wait(window, qtbot, path):
    window.import_files([path])
    qtbot.waitUntil(lambda: window.import_job is None, timeout=10000)


def test_reimport_asks_and_updates_the_open_article(window, qtbot, tmp_path, monkeypatch):
    asked: list[list[str]] = []

    def ask(names):
        asked.append(list(names))
        return "update"

    monkeypatch.setattr(window, "ask_update_existing", ask)
    shown: list[str] = []  # every status message (a translation of the reloaded article may follow)
    window.statusBar().messageChanged.connect(shown.append)
    src = tmp_path / "carnet.md"
    src.write_text(V1, encoding="utf-8")
    _import_and_wait(window, qtbot, src)
    assert asked == []  # a new file: no question
    article_id = window.store.find_by_origin("carnet.md")
    qtbot.waitUntil(lambda: window.article_id == article_id, timeout=5000)
    kept = annotate_quote(window.store, article_id, "fr", "canapé")
    lost = annotate_quote(window.store, article_id, "fr", "demain matin")
    count = len(window.store.list_articles())

    _import_and_wait(window, qtbot, src)  # the same text again
    assert asked == [["carnet.md"]]
    assert any("already in the library" in m for m in shown)
    assert len(window.store.list_articles()) == count

    src.write_text(V2, encoding="utf-8")
    _import_and_wait(window, qtbot, src)
    assert len(asked) == 2
    assert any("Updated 1 article (0 annotations moved, 1 orphaned)" in m for m in shown)
    assert len(window.store.list_articles()) == count
    assert window.article_id == article_id
    assert "demain soir" in window.article.paragraphs[1].text  # the open article was reloaded
    status = {a.id: a.status for a in window.store.annotations(article_id=article_id)}
    assert status == {kept.id: "anchored", lost.id: "orphaned"}


def test_reimport_as_copy_or_cancel(window, qtbot, tmp_path, monkeypatch):
    src = tmp_path / "carnet.md"
    src.write_text(V1, encoding="utf-8")
    _import_and_wait(window, qtbot, src)
    count = len(window.store.list_articles())
    src.write_text(V2, encoding="utf-8")

    monkeypatch.setattr(window, "ask_update_existing", lambda names: None)
    window.import_files([src])
    assert window.import_job is None  # cancelled before any job
    assert len(window.store.list_articles()) == count

    monkeypatch.setattr(window, "ask_update_existing", lambda names: "copy")
    _import_and_wait(window, qtbot, src)
    assert len(window.store.list_articles()) == count + 1
