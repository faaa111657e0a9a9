"""Highlights and notes in the window: create (shortcut, note dialog), draw, list, search, jump, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialog

pytestmark = pytest.mark.gui


def wait_translated(qtbot, window, timeout=10000):
    qtbot.waitUntil(lambda: window.article is not None and window.is_fully_translated()
                    and not window.jobs.running("translate"), timeout=timeout)


def article_with(window, needle: str) -> int:
    for summary in window.store.list_articles():
        article = window.store.get_article(summary.id)
        if any(needle in p.text for p in article.paragraphs):
            return summary.id
    raise AssertionError(f"no sample article contains {needle!r}")


def open_translated(qtbot, window, needle="Mirjana Spoljaric") -> int:
    article_id = article_with(window, needle)
    window.open_article(article_id)
    wait_translated(qtbot, window)
    return article_id


def select_word(window, side: str, word: str, p: int | None = None) -> tuple[int, int, int]:
    """Select the first *word* on *side* (in paragraph p, or the first paragraph that has it)."""
    view = window.view
    rows = [p] if p is not None else range(view.row_count())
    for row in rows:
        at = view.cell_text(side, row).find(word)
        if at >= 0:
            view.set_text_selection(side, row, at, row, at + len(word))
            return row, at, at + len(word)
    raise AssertionError(f"{word!r} not on side {side}")


class FakeNoteDialog:
    """Stands in for NoteDialog: returns the given values without showing anything."""

    def __init__(self, note="", tags=(), color="yellow", accept=True):
        self._note, self._tags, self._color, self._accept = note, list(tags), color, accept
        self.seen = None

    def __call__(self, quote, note="", tags=(), color="yellow", title=""):
        self.seen = (quote, note, list(tags), color, title)
        return self

    def exec(self):
        return QDialog.DialogCode.Accepted if self._accept else QDialog.DialogCode.Rejected

    def note(self):
        return self._note

    def tags(self):
        return self._tags

    def color(self):
        return self._color


def highlights(window, style=None):
    return [d for d in window.view.decorations() if style is None or d.style == style]


# --- creating and drawing ---------------------------------------------------------------------


def test_ctrl3_highlights_the_selection_green_and_draws_it_with_the_counterpart_tinted(qtbot, make_window):
    from reader.core.annotations import PALETTE
    from reader.core.sides import french_side

    window = make_window()
    article_id = open_translated(qtbot, window)
    p, a, b = select_word(window, "fr", "Lavrov")
    window.activateWindow()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    stored = window.store.annotations(article_id=article_id)
    assert len(stored) == 1
    ann = stored[0]
    fr = french_side(window.article)
    assert (ann.side, ann.color, ann.exact) == ("fr", "green", "Lavrov")
    assert (ann.start, ann.end) == (fr.to_global(p, a), fr.to_global(p, b))

    marks = highlights(window, "highlight")
    assert [(d.side, d.paragraph, d.start, d.end) for d in marks] == [("fr", p, a, b)]
    assert marks[0].color == QColor(PALETTE["green"])
    (s,) = [s for s, (x, y) in enumerate(fr.sentences[p]) if x <= a < y]
    tints = highlights(window, "tint")
    assert [(d.side, d.paragraph, (d.start, d.end)) for d in tints] == [("en", p, window.view.english_sentence_range(p, s))]
    assert window.view.text_selection() is None  # the selection became the highlight
    assert window.annotations_panel.list.count() == 1


def test_highlight_over_two_paragraphs_is_drawn_in_each(qtbot, make_window):
    window = make_window()
    article_id = open_translated(qtbot, window)
    view = window.view
    end = len(view.cell_text("fr", 1)) // 2
    view.set_text_selection("fr", 0, 3, 1, end)
    window.commands["notes.blue"].trigger()
    (ann,) = window.store.annotations(article_id=article_id)
    assert "\n\n" in ann.exact
    assert sorted(d.paragraph for d in highlights(window, "highlight")) == [0, 1]


def test_english_side_highlight_tints_the_french_sentence(qtbot, make_window):
    window = make_window()
    article_id = open_translated(qtbot, window)
    p, a, b = select_word(window, "en", "EN:", p=1)
    window.commands["notes.purple"].trigger()
    (ann,) = window.store.annotations(article_id=article_id)
    assert ann.side == "en" and ann.exact == "EN:"
    tints = highlights(window, "tint")
    assert tints and all(d.side == "fr" and d.paragraph == p for d in tints)


def test_add_note_stores_note_and_tags_and_shows_them(qtbot, make_window, monkeypatch):
    window = make_window()
    article_id = open_translated(qtbot, window)
    panel = window.annotations_panel
    fake = FakeNoteDialog(note="Premier paragraphe.\n\nSecond paragraphe.", tags=["diplomatie", "ONU"], color="red")
    monkeypatch.setattr(panel, "make_note_dialog", fake)
    select_word(window, "fr", "Lavrov")
    window.commands["notes.add_note"].trigger()
    assert fake.seen[0] == "Lavrov"
    (ann,) = window.store.annotations(article_id=article_id)
    assert ann.note == "Premier paragraphe.\n\nSecond paragraphe."
    assert ann.tags == ["diplomatie", "ONU"] and ann.color == "red"
    assert "Premier paragraphe." in highlights(window, "highlight")[0].tooltip
    assert panel.list.count() == 1
    assert "Premier paragraphe." in panel.list.item(0).text()
    assert set(window.store.annotation_tags()) == {"diplomatie", "ONU"}


def test_note_dialog_itself_returns_what_was_typed(qtbot):
    from reader.gui.note_dialog import NoteDialog

    dialog = NoteDialog("un passage", known_tags=["diplomatie", "ONU"])
    qtbot.addWidget(dialog)
    dialog.note_edit.setPlainText("  Une note.\n\nSur deux paragraphes.  ")
    dialog.tags_edit.setText("diplomatie, , onu,ONU , Russie")
    dialog.color_box.setCurrentIndex(dialog.color_box.findData("blue"))
    assert dialog.note() == "Une note.\n\nSur deux paragraphes."
    assert dialog.tags() == ["diplomatie", "onu", "Russie"]
    assert dialog.color() == "blue"
    # completion works on the tag after the last comma
    completer = dialog.tags_edit.completer()
    assert completer.splitPath("diplomatie, O") == ["O"]


def test_cancelled_note_dialog_stores_nothing(qtbot, make_window, monkeypatch):
    window = make_window()
    article_id = open_translated(qtbot, window)
    monkeypatch.setattr(window.annotations_panel, "make_note_dialog", FakeNoteDialog(accept=False))
    select_word(window, "fr", "Lavrov")
    window.commands["notes.add_note"].trigger()
    assert window.store.annotations(article_id=article_id) == []
    assert not window.undo_stack.canUndo() or "Note" not in window.undo_stack.undoText()


@pytest.mark.parametrize("how", ["none", "blank"])
def test_empty_or_blank_selection_stores_nothing_and_says_so(qtbot, make_window, how):
    window = make_window()
    article_id = open_translated(qtbot, window)
    view = window.view
    if how == "none":
        view.clear_text_selection()
    else:
        text = view.cell_text("fr", 0)
        at = text.index(" ")
        view.set_text_selection("fr", 0, at, 0, at + 1)
    window.commands["notes.yellow"].trigger()
    assert window.store.annotations(article_id=article_id) == []
    assert "Select some text" in window.statusBar().currentMessage()
    assert highlights(window, "highlight") == []


# --- the panel ----------------------------------------------------------------------------------


def test_panel_search_colour_and_tag_filters(qtbot, make_window, monkeypatch):
    window = make_window()
    open_translated(qtbot, window)
    panel = window.annotations_panel
    monkeypatch.setattr(panel, "make_note_dialog", FakeNoteDialog(note="Rencontre à huis clos", tags=["réunion"]))
    select_word(window, "fr", "Lavrov")
    window.commands["notes.add_note"].trigger()
    select_word(window, "fr", "ONU")
    window.commands["notes.green"].trigger()
    select_word(window, "fr", "Rubio")
    window.commands["notes.blue"].trigger()
    assert panel.list.count() == 3

    qtbot.keyClicks(panel.search, "huis")
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)  # debounced
    assert panel.items()[0].note == "Rencontre à huis clos"
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.list.count() == 3, timeout=10000)
    qtbot.keyClicks(panel.search, "Rubio")  # quotes are searched too
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=10000)
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.list.count() == 3, timeout=10000)

    panel.color_filter.setCurrentIndex(panel.color_filter.findData("green"))
    assert [a.exact for a in panel.items()] == ["ONU"]
    panel.color_filter.setCurrentIndex(0)
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("réunion"))
    assert [a.exact for a in panel.items()] == ["Lavrov"]


def test_clicking_an_item_jumps_to_it_in_another_article(qtbot, make_window):
    window = make_window()
    first = open_translated(qtbot, window)
    view = window.view
    last = view.row_count() - 1
    text = view.cell_text("fr", last)
    word = text.split()[0]
    view.set_text_selection("fr", last, 0, last, len(word))
    window.commands["notes.yellow"].trigger()
    other = next(s.id for s in window.store.list_articles() if s.id != first)
    window.open_article(other)
    wait_translated(qtbot, window)
    panel = window.annotations_panel
    assert panel.list.count() == 0
    panel.scope.setCurrentIndex(panel.scope.findData("all"))
    assert panel.list.count() == 1
    view.select_pair(0, 0)
    rect = panel.list.visualItemRect(panel.list.item(0))
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article_id == first
    assert view.selected_pair() is not None and view.selected_pair()[0] == last
    assert view.text_selection() == ("fr", last, 0, last, len(word))
    assert view.first_visible_paragraph() <= last


def test_undo_redo_create_recolour_delete(qtbot, make_window):
    window = make_window()
    article_id = open_translated(qtbot, window)
    panel = window.annotations_panel
    select_word(window, "fr", "Lavrov")
    window.commands["notes.green"].trigger()
    (ann,) = window.store.annotations(article_id=article_id)

    window.commands["edit.undo"].trigger()
    assert window.store.annotations(article_id=article_id) == []
    assert highlights(window) == [] and panel.list.count() == 0
    window.commands["edit.redo"].trigger()
    assert [a.id for a in window.store.annotations(article_id=article_id)] == [ann.id]
    assert len(highlights(window, "highlight")) == 1 and panel.list.count() == 1

    panel.list.setCurrentRow(0)
    panel.recolour(panel.current(), "purple")
    assert window.store.get_annotation(ann.id).color == "purple"
    assert highlights(window, "highlight")[0].color.name() == "#a28ae5"
    window.undo_stack.undo()
    assert window.store.get_annotation(ann.id).color == "green"
    assert highlights(window, "highlight")[0].color.name() == "#5fb236"

    panel.list.setCurrentRow(0)
    panel.delete_button.click()
    assert window.store.annotations(article_id=article_id) == []
    assert highlights(window) == []
    window.undo_stack.undo()
    restored = window.store.get_annotation(ann.id)
    assert (restored.start, restored.end, restored.color) == (ann.start, ann.end, "green")
    assert len(highlights(window, "highlight")) == 1


def test_edit_from_the_panel_is_undoable(qtbot, make_window, monkeypatch):
    window = make_window()
    article_id = open_translated(qtbot, window)
    panel = window.annotations_panel
    select_word(window, "fr", "Lavrov")
    window.commands["notes.yellow"].trigger()
    monkeypatch.setattr(panel, "make_note_dialog", FakeNoteDialog(note="Ajoutée après", tags=["x"], color="yellow"))
    panel.list.setCurrentRow(0)
    panel.edit_button.click()
    (ann,) = window.store.annotations(article_id=article_id)
    assert ann.note == "Ajoutée après" and ann.tags == ["x"]
    window.undo_stack.undo()
    (ann,) = window.store.annotations(article_id=article_id)
    assert ann.note == "" and ann.tags == []


def test_html_looking_note_stays_literal(qtbot, make_window, monkeypatch):
    from PySide6.QtGui import Qt as GuiQt

    window = make_window()
    open_translated(qtbot, window)
    panel = window.annotations_panel
    note = "<b>gras</b> <script>alert(1)</script>"
    monkeypatch.setattr(panel, "make_note_dialog", FakeNoteDialog(note=note, tags=["<i>t</i>"]))
    select_word(window, "fr", "Lavrov")
    window.commands["notes.add_note"].trigger()
    panel.list.setCurrentRow(0)
    assert panel.detail.textFormat() == Qt.TextFormat.PlainText
    assert note in panel.detail.text() and "<i>t</i>" in panel.detail.text()
    tip = highlights(window, "highlight")[0].tooltip
    assert note in tip and not GuiQt.mightBeRichText(tip)
    assert not GuiQt.mightBeRichText(panel.list.item(0).toolTip())
    assert note in panel.list.item(0).text()


def test_orphaned_annotation_is_listed_not_drawn(qtbot, make_window):
    import dataclasses

    window = make_window()
    article_id = open_translated(qtbot, window)
    select_word(window, "fr", "Lavrov")
    window.commands["notes.yellow"].trigger()
    (ann,) = window.store.annotations(article_id=article_id)
    window.store.update_annotation(dataclasses.replace(ann, status="orphaned"))
    window.annotations_panel.refresh()
    window.refresh_decorations()
    assert highlights(window) == []
    assert window.annotations_panel.list.count() == 1
    assert window.annotations_panel.jump_to(window.annotations_panel.items()[0]) is False
    assert "orphaned" in window.statusBar().currentMessage()


def test_hand_edit_of_the_translation_reanchors_english_highlights(qtbot, make_window):
    window = make_window()
    article_id = open_translated(qtbot, window)
    view = window.view
    p = next(i for i in range(view.row_count()) if len(window.article.paragraphs[i].sentences) >= 2)
    a, b = view.english_sentence_range(p, 1)
    view.set_text_selection("en", p, a, p, b)
    window.commands["notes.red"].trigger()
    (ann,) = window.store.annotations(article_id=article_id)
    dialog = window.edit_translation(p, 0)
    dialog.english.setPlainText("A much longer hand-made English sentence that shifts everything after it.")
    dialog._save()
    (moved,) = window.store.annotations(article_id=article_id)
    assert moved.exact == ann.exact and moved.start != ann.start and moved.status != "orphaned"
    (mark,) = highlights(window, "highlight")
    assert (mark.start, mark.end) == view.english_sentence_range(p, 1)


# --- screenshots ----------------------------------------------------------------------------------


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_screenshot_highlights_notes_and_glossary(qtbot, make_window, artifacts_dir, theme_name, monkeypatch):
    window = make_window()
    window.set_theme(theme_name)
    open_translated(qtbot, window)
    panel = window.annotations_panel
    for word, colour in (("Lavrov", "yellow"), ("Marco Rubio", "red"), ("Nations unies", "green"), ("Zakharova", "blue")):
        select_word(window, "fr", word)
        window.commands[f"notes.{colour}"].trigger()
    monkeypatch.setattr(panel, "make_note_dialog",
                        FakeNoteDialog(note="Session de haut niveau.\n<b>not bold</b>", tags=["ONU"], color="purple"))
    p, _a, _b = select_word(window, "fr", "Croix-Rouge")
    window.commands["notes.add_note"].trigger()
    window.glossary_panel.add_entry("délégation", "delegation", "the official party")
    window.glossary_panel.add_entry("Assemblée générale", "General Assembly")
    window.view.scroll_to_paragraph(0)
    window.dock.show()
    window.dock_tabs.setCurrentIndex(0)
    panel.list.setCurrentRow(panel.list.count() - 1)
    qtbot.wait(50)
    path = artifacts_dir / f"annotations_{theme_name}.png"
    assert window.grab().save(str(path))
    window.dock_tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.glossary_panel.count_for(window.glossary_panel.entries()[0].id) is not None,
                    timeout=5000)
    window.glossary_panel.tree.setCurrentItem(window.glossary_panel.tree.topLevelItem(0))
    qtbot.wait(50)
    path = artifacts_dir / f"glossary_{theme_name}.png"
    assert window.grab().save(str(path))
    window.set_theme("light")


def test_all_articles_scope_lists_at_most_the_panel_limit_and_says_so(qtbot, make_window):
    from reader.core.annotations import make_annotation
    from reader.core.sides import french_side
    from reader.gui.annotations_panel import PANEL_LIMIT

    window = make_window()
    store = window.store
    made = []
    for summary in store.list_articles():
        side = french_side(store.get_article(summary.id))
        for start in range(0, len(side.text) - 10, 25):
            if side.text[start:start + 8].strip():
                made.append(make_annotation(side, summary.id, "fr", start, start + 8))
    assert len(made) > PANEL_LIMIT
    store.add_annotations(made)
    panel = window.annotations_panel
    panel.scope.setCurrentIndex(panel.scope.findData("all"))
    panel.refresh()
    assert panel.list.count() == PANEL_LIMIT
    assert f"first {PANEL_LIMIT}" in panel.empty.text()
