"""Keyboard-only use of the window: panes by F6, an article opened from the library, sentences walked,
selected, highlighted, noted, added to the glossary, undone, the library searched — keys only."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from test_annotations_gui import wait_translated
from test_glossary_gui import FakeEntryDialog

from reader.gui.actions import SPECS

pytestmark = pytest.mark.gui

Key = Qt.Key
Mod = Qt.KeyboardModifier


def press(qtbot, key, mods=Mod.NoModifier):
    """A key to whatever has the focus, as a user's keyboard would send it."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, mods)


def test_every_command_has_a_shortcut():
    assert [s.name for s in SPECS if not s.shortcuts] == []


def test_f6_moves_between_the_panes_and_never_opens_an_article_by_itself(qtbot, window):
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    press(qtbot, Key.Key_F6)
    assert QApplication.focusWidget() is window.annotations_panel.list
    press(qtbot, Key.Key_F6)
    assert QApplication.focusWidget() is window.library.view
    press(qtbot, Key.Key_F6, Mod.ShiftModifier)
    assert QApplication.focusWidget() is window.annotations_panel.list
    window.dock.hide()
    window.view.setFocus()
    press(qtbot, Key.Key_F6)  # a hidden pane is skipped
    assert QApplication.focusWidget() is window.library.view
    assert window.library.view.accessibleName() == "Library"
    assert window.annotations_panel.list.accessibleName() == "Annotations"


def test_keyboard_only_reading_highlighting_noting_and_undoing(qtbot, make_window, monkeypatch):
    window = make_window()
    window.activateWindow()
    # the library, from the text pane: F6 twice (text → notes → library), then Down opens an article
    window.view.setFocus()
    press(qtbot, Key.Key_F6)
    press(qtbot, Key.Key_F6)
    assert QApplication.focusWidget() is window.library.view
    press(qtbot, Key.Key_Down)
    qtbot.waitUntil(lambda: window.article is not None)
    wait_translated(qtbot, window)
    article_id = window.article_id
    # back to the text (Shift+F6 twice), walk to a sentence, select it whole, highlight red
    press(qtbot, Key.Key_F6, Mod.ShiftModifier)
    press(qtbot, Key.Key_F6, Mod.ShiftModifier)
    assert QApplication.focusWidget() is window.view
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Down)
    p, s = window.view.selected_pair()
    press(qtbot, Key.Key_Down, Mod.ShiftModifier)
    sentence = window.article.paragraphs[p].sentence_texts()[s]
    assert window.view.selected_text() == sentence
    press(qtbot, Key.Key_2, Mod.ControlModifier)
    (ann,) = window.store.annotations(article_id=article_id)
    assert (ann.side, ann.color, ann.exact) == ("fr", "red", sentence)
    press(qtbot, Key.Key_Z, Mod.ControlModifier)  # undo
    assert window.store.annotations(article_id=article_id) == []

    # the English side, two words, a note typed in the real dialog
    press(qtbot, Key.Key_Right)
    assert window.view.current_side() == "en"
    press(qtbot, Key.Key_Right, Mod.ShiftModifier)
    press(qtbot, Key.Key_Right, Mod.ShiftModifier)
    words = window.view.selected_text()
    assert len(words.split()) == 2 and window.view.text_selection()[0] == "en"

    seen = []

    def fill_note():
        dialog = QApplication.activeModalWidget()
        if dialog is None:  # not shown yet: try again from its event loop
            QTimer.singleShot(10, fill_note)
            return
        seen.append((dialog.objectName(), dialog.focusWidget() is dialog.note_edit))
        try:
            qtbot.keyClicks(dialog.note_edit, "Typed with keys")
            qtbot.keyClick(dialog.note_edit, Key.Key_Tab)  # to the tags
            qtbot.keyClicks(dialog.tags_edit, "clavier")
            qtbot.keyClick(dialog.tags_edit, Key.Key_Return)  # the default button: OK
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, fill_note)
    press(qtbot, Key.Key_N, Mod.ControlModifier | Mod.ShiftModifier)
    assert seen == [("noteDialog", True)]  # the note field has the focus when it opens
    window.activateWindow()  # what the window manager does when the dialog closes (offscreen: not)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)  # the text has the focus back
    (ann,) = window.store.annotations(article_id=article_id)
    assert (ann.side, ann.exact, ann.note, ann.tags) == ("en", words, "Typed with keys", ["clavier"])

    # the notes pane: the new annotation, Enter jumps to it (the English side, its text selected)
    press(qtbot, Key.Key_Left)  # the French side, so the jump must move it
    window.view.clear_text_selection()
    press(qtbot, Key.Key_F6)
    assert QApplication.focusWidget() is window.annotations_panel.list
    press(qtbot, Key.Key_Home)
    press(qtbot, Key.Key_Return)
    assert QApplication.focusWidget() is window.view
    assert window.view.selected_text() == words and window.view.current_side() == "en"

    # export: Ctrl+E opens the dialog, Esc closes it
    press(qtbot, Key.Key_E, Mod.ControlModifier)
    dialog = window._export_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and dialog.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, Key.Key_Escape)
    assert not dialog.isVisible()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)

    # a French word to the glossary
    fake = FakeEntryDialog(translation="x")
    monkeypatch.setattr(window.glossary_panel, "make_entry_dialog", fake)
    press(qtbot, Key.Key_Left)
    press(qtbot, Key.Key_Right, Mod.ShiftModifier)
    word = window.view.selected_text()
    press(qtbot, Key.Key_G, Mod.ControlModifier)
    assert [e.term for e in window.store.glossary()] == [word.strip()]

    # search the library, then Down into its list
    press(qtbot, Key.Key_F, Mod.ControlModifier)
    assert QApplication.focusWidget() is window.library.search
    press(qtbot, Key.Key_Down)
    assert QApplication.focusWidget() is window.library.view


def _count(image, color, rect) -> int:
    """Pixels of *image* inside *rect* within a small distance of *color*."""
    n = 0
    for y in range(max(0, rect.top()), min(image.height(), rect.bottom() + 1), 1):
        for x in range(max(0, rect.left()), min(image.width(), rect.right() + 1), 2):
            c = image.pixelColor(x, y)
            if abs(c.red() - color.red()) + abs(c.green() - color.green()) + abs(c.blue() - color.blue()) < 40:
                n += 1
    return n


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_focus_is_visible_on_the_current_sentence_and_in_the_lists(qtbot, make_window, artifacts_dir, theme):
    from PySide6.QtGui import QPalette

    window = make_window()
    window.set_theme(theme)
    window.activateWindow()
    window.open_article(window.store.list_articles()[0].id)
    wait_translated(qtbot, window)
    view = window.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Right)
    p, s = view.selected_pair()
    accent = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    rects = view.sentence_rects("en", p, s)
    box = rects[0]
    for r in rects[1:]:
        box = box.united(r)
    box = box.adjusted(-8, -8, 8, 8)
    focused = view.viewport().grab().toImage()
    window.grab().save(str(artifacts_dir / f"a11y-focus-text-{theme}.png"))
    assert _count(focused, accent, box) > 40  # the outline around the current English sentence
    window.library.view.setFocus()
    qtbot.waitUntil(window.library.view.hasFocus)
    unfocused = view.viewport().grab().toImage()
    assert _count(unfocused, accent, box) < _count(focused, accent, box) / 4  # gone with the focus
    window.grab().save(str(artifacts_dir / f"a11y-focus-library-{theme}.png"))
    ring = window.findChild(QWidget, "focusRing")  # the lists' focus: a ring in the highlight colour
    assert ring.isVisible() and ring.geometry() == window.library.view.geometry()
    image = window.library.grab().toImage()
    edge = window.library.view.geometry()
    assert _count(image, accent, edge.adjusted(0, 0, 0, -edge.height() + 3)) > 20
    press(qtbot, Key.Key_F6, Mod.ShiftModifier)  # to the notes pane
    assert ring.isVisible() and ring.geometry() == window.annotations_panel.list.geometry()
    window.grab().save(str(artifacts_dir / f"a11y-focus-notes-{theme}.png"))
    press(qtbot, Key.Key_F6)  # to the library, then the text: no ring there
    press(qtbot, Key.Key_F6)
    assert view.hasFocus() and not ring.isVisible()


def test_status_messages_are_announced(window):
    from PySide6.QtGui import QAccessible

    from reader.gui.view import accessible

    seen = []
    original, was = accessible.post, QAccessible.isActive()
    accessible.post = lambda e: seen.append((e.type(), getattr(e, "message", lambda: "")()))
    QAccessible.setActive(True)
    try:
        window.statusBar().showMessage("Highlighted in yellow.")
    finally:
        accessible.post = original
        QAccessible.setActive(was)
    assert (QAccessible.Event.Announcement, "Highlighted in yellow.") in seen
