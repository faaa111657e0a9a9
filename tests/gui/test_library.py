"""The library panel: search, sort, delete + undo, paste as article, import by file and by drag and drop."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from fakes import FakeEngine
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

pytestmark = pytest.mark.gui


def titles(window) -> list[str]:
    return [a.title for a in window.library.model.rows()]


def messages(window) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_search_as_you_type_filters_after_a_short_delay(qtbot, window):
    everything = titles(window)
    assert len(everything) >= 5
    target = window.store.get_article(window.library.model.rows()[0].id)
    word = max(target.title.split(), key=len)
    qtbot.keyClicks(window.library.search, word)
    assert titles(window) == everything  # debounced: nothing yet
    qtbot.waitUntil(lambda: titles(window) != everything, timeout=10000)
    assert target.title in titles(window)
    assert len(titles(window)) < len(everything)
    window.library.search.clear()
    qtbot.waitUntil(lambda: titles(window) == everything, timeout=10000)
    qtbot.keyClicks(window.library.search, "zzqqxxunlikelyword")
    qtbot.waitUntil(lambda: titles(window) == [], timeout=10000)
    assert window.library.empty.isVisibleTo(window)


def test_sort_by_title(window):
    window.library.set_sort("title")
    got = titles(window)
    assert got == sorted(got, key=str.casefold)


def test_delete_asks_and_undo_restores_content_and_edits(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr("reader.gui.main_window.ask", lambda *a, **k: asked.append(a) or True)
    article_id = window.library.model.rows()[0].id
    window.open_article(article_id)
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=10000)
    window.store.set_edited_translation(article_id, 0, 0, "Hand-made English.")
    before = window.store.get_article(article_id)
    count = len(titles(window))

    window.commands["file.delete"].trigger()
    assert asked
    assert len(titles(window)) == count - 1
    assert before.title not in titles(window)
    assert window.article is None  # the open article was closed
    assert window.commands["edit.undo"].isEnabled()

    window.commands["edit.undo"].trigger()
    assert len(titles(window)) == count
    restored_id = next(a.id for a in window.library.model.rows() if a.title == before.title)
    restored = window.store.get_article(restored_id)
    assert [p.text for p in restored.paragraphs] == [p.text for p in before.paragraphs]
    assert restored.source == before.source and restored.published == before.published
    assert window.store.article_translations(restored_id, FakeEngine.model_id)[0][0].edited == "Hand-made English."
    assert window.article_id == restored_id  # reopened

    window.commands["edit.redo"].trigger()
    assert before.title not in titles(window)


def test_delete_declined_keeps_the_article(window, monkeypatch):
    monkeypatch.setattr("reader.gui.main_window.ask", lambda *a, **k: False)
    count = len(titles(window))
    window.library.select_article(window.library.model.rows()[0].id)
    window.delete_article()
    assert len(titles(window)) == count
    assert not window.undo_stack.canUndo()


def test_paste_as_article(qtbot, window):
    QGuiApplication.clipboard().setText(
        "Une nouvelle du jour\n\nLe gouvernement a présenté son budget. Les débats commencent lundi.\n\n"
        "Les syndicats appellent à la grève."
    )
    count = len(titles(window))
    window.commands["file.paste"].trigger()
    assert len(titles(window)) == count + 1
    assert "Une nouvelle du jour" in titles(window)
    assert window.article is not None and window.article.title == "Une nouvelle du jour"
    text = " ".join(p.text for p in window.article.paragraphs)
    assert "Les syndicats appellent à la grève." in text
    qtbot.waitUntil(lambda: window.is_fully_translated(), timeout=10000)


def test_paste_with_an_empty_clipboard_does_nothing(window):
    QGuiApplication.clipboard().setText("   ")
    count = len(titles(window))
    window.commands["file.paste"].trigger()
    assert len(titles(window)) == count


def _drop(window, mime: QMimeData) -> QDropEvent:
    """What a drag from a file manager delivers: a drag-enter (which must be accepted), then the drop."""
    pos = QPointF(400, 300)
    enter = QDragEnterEvent(pos.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return event


def test_drop_a_markdown_file_imports_it(qtbot, window, tmp_path):
    md = tmp_path / "depeche.md"
    md.write_text("# Dépêche déposée\n\nLe texte de la dépêche arrive par glisser-déposer. Il est court.\n",
                  encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(md))])
    count = len(titles(window))
    event = _drop(window, mime)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: len(titles(window)) == count + 1, timeout=5000)
    new = next(a for a in window.library.model.rows() if "glisser" in " ".join(
        p.text for p in window.store.get_article(a.id).paragraphs))
    qtbot.waitUntil(lambda: window.article_id == new.id, timeout=5000)


def test_import_reports_each_bad_file_and_imports_the_rest(qtbot, window, tmp_path, monkeypatch):
    good = tmp_path / "bon.txt"
    good.write_text("Un bon article\n\nCe texte se lit sans peine. Voilà.\n", encoding="utf-8")
    empty = tmp_path / "vide.txt"
    empty.write_text("", encoding="utf-8")
    missing = tmp_path / "absent.md"
    monkeypatch.setattr(
        "PySide6.QtWidgets.QFileDialog.getOpenFileNames",
        lambda *a, **k: ([str(good), str(empty), str(missing)], ""),
    )
    count = len(titles(window))
    window.commands["file.import"].trigger()
    qtbot.waitUntil(lambda: bool(messages(window)), timeout=5000)
    assert len(titles(window)) == count + 1
    box = messages(window)[0]
    assert "2 files could not be imported" in box.text()
    details = box.informativeText()
    assert "vide.txt" in details and "absent.md" in details and "bon.txt" not in details
    box.close()


def test_library_shows_translated_share(qtbot, window):
    from reader.gui.library_panel import SummaryRole

    first = window.library.model.rows()[0]
    assert first.n_translated == 0
    window.open_article(first.id)
    qtbot.waitUntil(lambda: window.is_fully_translated() and not window.jobs.running(), timeout=10000)
    row = window.library.model.row_of(first.id)
    summary = window.library.model.index(row).data(SummaryRole)
    assert summary.n_translated == summary.n_sentences > 0


def test_delete_undo_restores_annotations_and_hand_edits(qtbot, tmp_db):
    """Undo of a delete brings back the article's annotations (same ids, every status) and hand edits
    under the new article id; redo removes them again."""
    from PySide6.QtGui import QUndoStack

    from reader.core.annotations import make_annotation
    from reader.gui.library_panel import DeleteArticleCommand
    from reader.ops.library import ensure_samples
    from reader.storage.store import Store

    store = Store(tmp_db)
    try:
        ensure_samples(store)
        article_id = min(a.id for a in store.list_articles())  # not the last id: undo must give a new one
        article = store.get_article(article_id)
        text = article.paragraphs[0].text
        note = make_annotation(
            text, article_id, "fr", 0, min(12, len(text)), note="À revoir", tags=["Russie", "diplomatie"]
        )
        orphan = dataclasses.replace(
            make_annotation(text, article_id, "fr", 1, min(8, len(text)), note="perdue"), status="orphaned"
        )
        store.add_annotations([note, orphan])
        store.set_edited_translation(article_id, 0, 0, "Hand-made English.")
        changes = []
        stack = QUndoStack()
        stack.push(DeleteArticleCommand(store, article_id, lambda *a: changes.append(a)))
        assert not store.article_exists(article_id)
        assert store.annotations() == [] or all(a.article_id != article_id for a in store.annotations())
        assert changes[-1] == (article_id, None, article_id)

        stack.undo()
        _, new_id, previous = changes[-1]
        assert previous == article_id and new_id != article_id and store.article_exists(new_id)
        back = {a.id: a for a in store.annotations(article_id=new_id)}
        assert set(back) == {note.id, orphan.id}
        assert back[note.id] == dataclasses.replace(note, article_id=new_id)
        assert back[note.id].note == "À revoir" and back[note.id].tags == ["Russie", "diplomatie"]
        assert back[orphan.id].status == "orphaned"
        assert [a.id for a in store.annotations(tag="russie")] == [note.id]  # tag index rebuilt too
        assert store.article_translations(new_id, "")[0][0].edited == "Hand-made English."

        stack.redo()
        assert not store.article_exists(new_id)
        assert store.annotations(query="revoir") == []
        assert all(a.id not in (note.id, orphan.id) for a in store.annotations())

        stack.undo()  # and again: nothing was lost on the second round
        newer = changes[-1][1]
        assert {a.id for a in store.annotations(article_id=newer)} == {note.id, orphan.id}
        assert store.article_translations(newer, "")[0][0].edited == "Hand-made English."
    finally:
        store.close()


def test_importing_a_book_asks_one_article_or_one_per_chapter(window, qtbot, tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importers"))
    from test_epub_import import build_epub

    book = build_epub(tmp_path / "livre.epub")
    before = len(window.store.list_articles())
    monkeypatch.setattr(window, "ask_epub_mode", lambda: "chapters")
    window.import_files([book])
    qtbot.waitUntil(lambda: len(window.store.list_articles()) > before + 1 and window.import_job is None,
                    timeout=10000)
    asked = []
    monkeypatch.setattr(window, "ask_update_existing", lambda names: "copy")  # asked first since #14.9
    monkeypatch.setattr(window, "ask_epub_mode", lambda: asked.append(1))  # cancelled: nothing imported
    count = len(window.store.list_articles())
    window.import_files([book])
    assert asked == [1]
    assert window.import_job is None and window.jobs.wait(5000)  # no job was started
    assert len(window.store.list_articles()) == count


def test_user_text_in_message_boxes_is_never_read_as_html(qtbot):
    from PySide6.QtCore import Qt

    from PySide6.QtWidgets import QLabel

    from reader.gui.dialogs import plain_box, show_import_errors

    box = plain_box(None, QMessageBox.Icon.Question, "Delete", "Delete « <b>Titre</b> <script>x</script> »?")
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Titre</b>" in box.text()
    errors = show_import_errors(None, [("<i>notes</i>.txt", "The file <i>notes</i>.txt is empty.")], 0)
    assert errors.textFormat() == Qt.TextFormat.PlainText
    info = errors.findChild(QLabel, "qt_msgbox_informativelabel")
    assert info.textFormat() == Qt.TextFormat.PlainText
    assert "<i>notes</i>.txt" in errors.informativeText()
    errors.close()


def test_choose_returns_the_clicked_key_and_none_on_cancel(qtbot, monkeypatch):
    from PySide6.QtCore import QTimer

    from reader.gui import dialogs

    def click(label):
        def go():
            box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
            assert box.textFormat() == Qt.TextFormat.PlainText
            button = next(b for b in box.buttons() if b.text() == label)
            button.click()
        QTimer.singleShot(50, go)

    choices = [("update", "Update <b>it</b>"), ("copy", "Import as a new copy")]
    click("Import as a new copy")
    assert dialogs.choose(None, "Import", "« <i>notes</i>.md » was already imported.", choices) == "copy"
    click("Update <b>it</b>")
    assert dialogs.choose(None, "Import", "again", choices) == "update"
    click("Cancel")
    assert dialogs.choose(None, "Import", "again", choices) is None


def test_the_tooltip_shows_a_title_that_looks_like_html_literally(qtbot, window):
    """A title is user text: ``<img src=…>`` in it must be shown as typed, never loaded as an image."""
    from PySide6.QtGui import QTextDocument
    from PySide6.QtGui import Qt as QtGui_Qt

    from reader.core.markup import parse_article

    article = parse_article("Texte\n\nUne phrase.", "pasted")
    article.title = '<img src="file:///tmp/x.png"> <b>Évasion</b>'
    new_id = window.store.add_article(article)
    window.library.refresh()
    index = window.library.model.index(window.library.model.row_of(new_id))
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    shown = tip
    if QtGui_Qt.mightBeRichText(tip):  # what QToolTip does with it
        doc = QTextDocument()
        doc.setHtml(tip)
        shown = doc.toPlainText()
    assert shown.splitlines()[0] == article.title
    assert shown.splitlines()[-1] == "0/1 sentences translated"
